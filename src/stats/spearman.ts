/**
 * Spearman's rank correlation with its t-distribution p-value.
 * @module
 */
import { _checkOptions } from '../_internal/validate.js';
import { _checkAlternative, _checkPaired } from './_internal/checks.js';
import { _averageRanks, _pearson } from './_internal/ranks.js';
import { _tCdf, _tSf } from './_internal/special.js';
import type { Alternative, TestResult } from './types.js';

/** Options of {@link spearman}. */
export interface SpearmanOptions {
  /** `'greater'`: positive association; `'less'`: negative. @default 'two-sided' */
  readonly alternative?: Alternative;
}

const SPEARMAN_KEYS = Object.keys({ alternative: true } satisfies Record<keyof SpearmanOptions, true>);

/** Result of {@link spearman}. */
export interface SpearmanResult extends TestResult {
  /** Spearman's rho (also in `statistic`). */
  readonly rho: number;
  readonly method: 't';
  /** Set when rho is undefined (a constant input or fewer than two pairs). */
  readonly note?: string;
}

/**
 * Spearman's rank correlation coefficient of paired samples (scipy.stats.spearmanr, scipy 1.17).
 *
 * Algorithm: rho is the Pearson correlation of the average ranks (ties get the mean of the ranks they span).
 * The p-value uses t = rho sqrt((n - 2) / ((1 + rho)(1 - rho))) against Student's t with n - 2 degrees of
 * freedom, as scipy does (|rho| = 1 gives p = 0). A constant input gives NaN rho and p-value with a `note`.
 *
 * @param a - First sample (finite numbers).
 * @param b - Second sample, same length.
 * @param options - `alternative` (default `'two-sided'`).
 * @returns A frozen {@link SpearmanResult}.
 * @throws TypeError for non-numeric input; RangeError for empty or unequal-length samples or non-finite values.
 * @example
 * ```ts
 * const r = spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]);
 * r.rho; // => 0.8207826816681233
 * r.pValue; // => 0.08858700531354423 (scipy: 0.08858700531354384)
 * ```
 *
 * References: C. Spearman (1904), The proof and measurement of association between two things,
 * doi:10.2307/1412159; D. Zwillinger, S. Kokoska (2000), CRC Standard Probability and Statistics Tables and
 * Formulae, section 14.7; scipy.stats.spearmanr.
 */
export function spearman(
  a: readonly number[] | Float64Array,
  b: readonly number[] | Float64Array,
  options: SpearmanOptions = {},
): SpearmanResult {
  _checkOptions('spearman', options, SPEARMAN_KEYS);
  const alternative = _checkAlternative(options.alternative);
  const [x, y] = _checkPaired(a, b);
  const n = x.length;
  const constant = (v: Float64Array): boolean => v.every((e) => e === v[0]);
  if (n < 2 || constant(x) || constant(y)) {
    return Object.freeze({
      statistic: Number.NaN,
      rho: Number.NaN,
      pValue: Number.NaN,
      method: 't' as const,
      alternative,
      n,
      note: n < 2 ? 'Fewer than two pairs: rho is undefined.' : 'An input is constant: rho is undefined.',
    });
  }
  const rho = _pearson(_averageRanks(x), _averageRanks(y));
  const df = n - 2;
  const ratio = df / ((rho + 1) * (1 - rho));
  const t = rho * Math.sqrt(ratio > 0 ? ratio : 0);
  let pValue: number;
  if (alternative === 'greater') pValue = _tSf(t, df);
  else if (alternative === 'less') pValue = _tCdf(t, df);
  else pValue = Math.min(1, 2 * _tSf(Math.abs(t), df));
  return Object.freeze({ statistic: rho, rho, pValue, method: 't' as const, alternative, n });
}
