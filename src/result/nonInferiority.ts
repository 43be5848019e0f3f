/**
 * The two rules of a non-inferiority verdict that compare(), the matchers and the CLI all read: when a difference
 * clears a margin, and how many rows the candidate failed that no verdict saw.
 * @module
 */
import type { Comparison } from './Comparison.js';

/** A difference and its interval, raw or calibrated. */
interface DifferenceWithInterval {
  readonly difference: number;
  readonly ci: { readonly low: number; readonly high: number };
}

/**
 * Whether a difference is known to be exactly 0: identical paired data, whose interval is `[0, 0]`. No margin
 * `>= 0` can call it inferior, the margin 0 included (where `low > -margin` alone would fail it).
 *
 * @param m - a metric comparison, a segment cell or a calibrated difference.
 * @returns true for a 0 difference with the interval `[0, 0]`.
 * @example
 * ```ts
 * exactlyZero({ difference: 0, ci: { low: 0, high: 0 } }); // => true
 * exactlyZero({ difference: 0, ci: { low: -0.01, high: 0.01 } }); // => false
 * ```
 */
export function exactlyZero(m: DifferenceWithInterval): boolean {
  return m.difference === 0 && m.ci.low === 0 && m.ci.high === 0;
}

/**
 * Whether a difference clears the non-inferiority margin: its interval's lower bound lies above `-margin`, or it
 * is {@link exactlyZero}. What compare() sets `nonInferior` from, before candidate failures (see
 * {@link unseenCandidateFailures}).
 *
 * @param m - a metric comparison, a segment cell or a calibrated difference.
 * @param margin - the margin, `>= 0`, on the metric's scale.
 * @returns true when the interval shows the candidate no worse than `margin`.
 * @example
 * ```ts
 * clearsMargin({ difference: 0.01, ci: { low: -0.015, high: 0.03 } }, 0.02); // => true
 * clearsMargin({ difference: 0, ci: { low: 0, high: 0 } }, 0); // => true
 * ```
 */
export function clearsMargin(m: DifferenceWithInterval, margin: number): boolean {
  return m.ci.low > -margin || exactlyZero(m);
}

/**
 * How many rows the candidate failed that its baseline answered and that no verdict saw: compare() drops a row
 * failed on either side, so these stop a non-inferiority verdict unless allowed (`allowCandidateFailures`). 0 when
 * there are none or they are allowed.
 *
 * @param failedOnOneSide - the comparison's `failedOnOneSide`.
 * @param allowed - whether a verdict on the rows both runs answered is accepted; by default what the comparison
 *   was computed with (`failedOnOneSide.allowed`).
 * @returns the number of such rows, or 0.
 * @example
 * ```ts
 * unseenCandidateFailures({ baseline: 0, candidate: 4 }); // => 4
 * unseenCandidateFailures({ baseline: 0, candidate: 4, allowed: true }); // => 0
 * ```
 */
export function unseenCandidateFailures(
  failedOnOneSide: Comparison['failedOnOneSide'],
  allowed: boolean = failedOnOneSide?.allowed === true,
): number {
  return allowed ? 0 : (failedOnOneSide?.candidate ?? 0);
}
