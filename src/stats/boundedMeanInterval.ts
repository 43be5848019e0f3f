/**
 * Finite-sample intervals for the cases the bootstrap cannot answer honestly (few rows, a degenerate bootstrap
 * distribution, a tail the resamples cannot resolve): the bounded-mean interval (PrPl-EB at fixed n) and the
 * exact Clopper-Pearson interval for a binomial proportion.
 * @module
 */
import { _checkInteger, _checkNumberInRange } from '../_internal/validate.js';
import { _clopperPearson } from './_internal/clopperPearson.js';
import { confidenceSequence } from './confidenceSequence.js';

/**
 * A valid interval for the mean of observations known to lie in `bounds`, at any n >= 1: the value after the
 * last observation of the running-intersection PrPl-EB confidence sequence of Waudby-Smith & Ramdas (JRSS-B
 * 2024, doi:10.1093/jrsssb/qkad009) — see {@link confidenceSequence}. A confidence sequence covers the mean at
 * every n simultaneously, so its value at one fixed n is a valid fixed-n interval; it is a little conservative
 * (wider than the fixed-n betting interval), which is the price of needing no distributional assumption.
 * One observation of 0.7 in [0, 1] at 95% gives [0, 1]: one example certifies nothing.
 *
 * @param values - The observations, each in `bounds` (at least one).
 * @param bounds - Known range `[low, high]`, finite, low < high.
 * @param confidence - Two-sided level in (0, 1).
 * @returns `{ low, high }` in `bounds`.
 * @throws RangeError when `values` is empty or a value lies outside `bounds` (from {@link confidenceSequence}).
 * @example
 * ```ts
 * const iv = boundedMeanInterval([0.7], [0, 1], 0.95);
 * iv.low < 0.6; // => true
 * ```
 */
export function boundedMeanInterval(
  values: readonly number[] | Float64Array,
  bounds: readonly [number, number],
  confidence: number,
): { readonly low: number; readonly high: number } {
  if (values.length === 0) throw new RangeError('Expected `values` to hold at least one observation, got []');
  const cs = confidenceSequence(values, { confidence, bounds, runningIntersection: true });
  return Object.freeze({ low: cs.lower[cs.n - 1]!, high: cs.upper[cs.n - 1]! });
}

/**
 * The exact Clopper-Pearson interval for a binomial proportion of `k` successes in `n` trials: low =
 * Beta(α/2; k, n − k + 1), high = Beta(1 − α/2; k + 1, n − k), with 0 / 1 at k = 0 / k = n. Matches
 * `scipy.stats.beta.ppf` (scipy 1.17) to 1e-9 relative, bounds near 0 included (one success in 10^5 trials at
 * 0.999999), and gives judgeAgreement's exact proportions bit for bit (one implementation,
 * `_internal/clopperPearson.ts`).
 * Reference: Clopper & Pearson (1934), doi:10.1093/biomet/26.4.404.
 *
 * @param k - Successes, an integer in [0, n].
 * @param n - Trials, an integer >= 1.
 * @param confidence - Two-sided level in (0, 1).
 * @returns `{ low, high }` in [0, 1].
 * @throws RangeError for a bad `k`, `n` or `confidence`.
 * @example
 * ```ts
 * const iv = clopperPearsonInterval(50, 100, 0.999999);
 * iv.low.toFixed(3); // => '0.266'
 * ```
 */
export function clopperPearsonInterval(
  k: number,
  n: number,
  confidence: number,
): { readonly low: number; readonly high: number } {
  _checkInteger('n', n, 1);
  _checkInteger('k', k, 0);
  if (k > n) throw new RangeError(`Expected \`k\` to be at most \`n\` (${n}), got ${k} (number)`);
  _checkNumberInRange('confidence', confidence, 0, 1);
  const [low, high] = _clopperPearson(k, n, confidence);
  return Object.freeze({ low, high });
}
