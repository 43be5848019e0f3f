/**
 * Paired t-test with a confidence interval of the mean difference.
 * @module
 */
import { _checkNumberInRange, _checkOptions } from '../_internal/validate.js';
import { _checkAlternative, _checkPaired } from './_internal/checks.js';
import { _mean, _variance } from './_internal/quantile.js';
import { _tCdf, _tPpf, _tSf } from './_internal/special.js';
import type { Alternative, TestResult } from './types.js';

/** Options of {@link pairedTTest}. */
export interface PairedTTestOptions {
  /** Alternative for mean(a - b) against 0. @default 'two-sided' */
  readonly alternative?: Alternative;
  /** Confidence level of `ci`, in (0, 1). @default 0.95 */
  readonly confidence?: number;
}

const PAIRED_T_TEST_KEYS = Object.keys({ alternative: true, confidence: true } satisfies Record<
  keyof PairedTTestOptions,
  true
>);

/** Result of {@link pairedTTest}. */
export interface PairedTTestResult extends TestResult {
  readonly method: 't';
  /** Degrees of freedom, n - 1. */
  readonly df: number;
  /** mean(a - b). */
  readonly estimate: number;
  /** Standard error of the mean difference, sd(d)/sqrt(n). */
  readonly stderr: number;
  /** Confidence interval of mean(a - b); one-sided alternatives give an infinite side. */
  readonly ci: { readonly low: number; readonly high: number; readonly level: number };
}

/**
 * Paired t-test of mean(a - b) = 0 (scipy.stats.ttest_rel 1.17.1 semantics, with its confidence interval).
 *
 * Algorithm: d = a - b; se = sqrt(var(d, ddof=1)/n); t = mean(d)/se with df = n - 1; p = 2 T_df.sf(|t|) two-sided,
 * T_df.cdf(t) for 'less', T_df.sf(t) for 'greater'. CI: mean(d) + q se with q the t quantiles at (1-CL)/2 and
 * 1-(1-CL)/2 (two-sided), (-inf, t_CL) for 'less', (t_{1-CL}, inf) for 'greater'. Constant non-zero d gives
 * t = +-Infinity and p = 0; all-zero d gives t = NaN and p = NaN (scipy's behaviour). The t tails come from the
 * regularized incomplete beta (accurate to ~1e-14 relative even at p ~ 1e-20), quantiles from Newton's method.
 *
 * @param a - First measurements (e.g. candidate scores).
 * @param b - Second measurements, paired with `a` (same length).
 * @param options - `alternative` (default 'two-sided'), `confidence` (default 0.95).
 * @returns A frozen {@link PairedTTestResult}.
 * @throws TypeError for non-numeric input or a bad `alternative`; RangeError for empty or unequal-length arrays,
 *   non-finite values, or `confidence` outside (0, 1).
 * @example
 * ```ts
 * const r = pairedTTest([78, 85, 62, 90, 71, 88, 67, 94, 80, 73], [72, 80, 65, 81, 70, 77, 60, 86, 76, 75]);
 * r.statistic; // => 3.129903560222949
 * r.pValue; // => 0.012123584220230884
 * ```
 *
 * References: Student (1908), The probable error of a mean, doi:10.1093/biomet/6.1.1;
 * scipy.stats.ttest_rel (SciPy 1.0, Virtanen et al. 2020, doi:10.1038/s41592-019-0686-2).
 */
export function pairedTTest(
  a: readonly number[] | Float64Array,
  b: readonly number[] | Float64Array,
  options: PairedTTestOptions = {},
): PairedTTestResult {
  _checkOptions('pairedTTest', options, PAIRED_T_TEST_KEYS);
  const alternative = _checkAlternative(options.alternative);
  const confidence = _checkNumberInRange('confidence', options.confidence ?? 0.95, 0, 1);
  const [x, y] = _checkPaired(a, b);
  const n = x.length;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = x[i] - y[i];
  const df = n - 1;
  const mean = _mean(d);
  const v = n > 1 ? _variance(d, mean) : Number.NaN;
  const se = Math.sqrt(v / n);
  const t = mean / se;
  let p: number;
  if (Number.isNaN(t)) p = Number.NaN;
  else if (alternative === 'less') p = _tCdf(t, df);
  else if (alternative === 'greater') p = _tSf(t, df);
  else p = Math.min(1, 2 * _tSf(Math.abs(t), df));
  let qLow: number;
  let qHigh: number;
  if (alternative === 'less') {
    qLow = Number.NEGATIVE_INFINITY;
    qHigh = _tPpf(confidence, df);
  } else if (alternative === 'greater') {
    qLow = _tPpf(1 - confidence, df);
    qHigh = Number.POSITIVE_INFINITY;
  } else {
    const tail = (1 - confidence) / 2;
    qLow = _tPpf(tail, df);
    qHigh = _tPpf(1 - tail, df);
  }
  return Object.freeze({
    statistic: t,
    pValue: p,
    method: 't' as const,
    alternative,
    n,
    df,
    estimate: mean,
    stderr: se,
    ci: Object.freeze({ low: qLow * se + mean, high: qHigh * se + mean, level: confidence }),
  });
}
