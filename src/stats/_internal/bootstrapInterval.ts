/**
 * The interval step of the bootstrap, separated from resampling so that it can be checked against scipy with a
 * given bootstrap distribution (scipy's `bootstrap_result=` with `n_resamples=0`).
 * @module
 */
import { _quantileSorted, _variance } from './quantile.js';
import { _normCdf, _normPpf } from './special.js';

export type _Method = 'bca' | 'percentile' | 'basic';
export type _Alternative = 'two-sided' | 'less' | 'greater';

export interface _IntervalResult {
  readonly low: number;
  readonly high: number;
  readonly stderr: number;
  /** BCa only: the quantile levels used (alpha_1, alpha_2) and the bias correction z0. */
  readonly levels: readonly [number, number];
  readonly z0: number;
}

/**
 * BCa acceleration from jackknife values, one array per sample (scipy 1.17.1 `_bca_interval`):
 * U_ji = (n_j - 1)(mean_i theta_ji - theta_ji); a = (1/6) sum_j(sum_i U_ji^3 / n_j^3) / [sum_j(sum_i U_ji^2 / n_j^2)]^1.5.
 * 0/0 (constant data) gives NaN, which later makes the BCa bounds NaN.
 */
export function _accelerationFromJackknife(jack: readonly Float64Array[]): number {
  let num = 0;
  let den = 0;
  for (const th of jack) {
    const n = th.length;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += th[i];
    mean /= n;
    let s2 = 0;
    let s3 = 0;
    for (let i = 0; i < n; i++) {
      const u = (n - 1) * (mean - th[i]);
      const u2 = u * u;
      s2 += u2;
      s3 += u2 * u;
    }
    num += s3 / (n * n * n);
    den += s2 / (n * n);
  }
  return ((1 / 6) * num) / den ** 1.5;
}

/**
 * Computes the interval from the bootstrap distribution `b` (sorted in place), the estimate `theta` and, for BCa,
 * the acceleration. Matches scipy.stats.bootstrap 1.17.1: alpha = (1 - CL)/2 two-sided, 1 - CL one-sided; linear
 * quantiles; z0 counts ties as half; 'basic' reflects the percentile bounds about theta.
 */
export function _intervalFromDistribution(
  b: Float64Array,
  theta: number,
  acceleration: number,
  method: _Method,
  confidence: number,
  alternative: _Alternative,
): _IntervalResult {
  const len = b.length;
  const stderr = len > 1 ? Math.sqrt(Math.max(0, _variance(b))) : Number.NaN;
  b.sort();
  const alpha = alternative === 'two-sided' ? (1 - confidence) / 2 : 1 - confidence;
  let p1 = alpha;
  let p2 = 1 - alpha;
  let z0 = Number.NaN;
  if (method === 'bca') {
    // count(b < theta) + count(b <= theta) by binary search on the sorted distribution.
    const below = _lowerBound(b, theta);
    const belowOrEqual = _upperBound(b, theta);
    const p0 = (below + belowOrEqual) / (2 * len);
    z0 = _normPpf(p0);
    const za = _normPpf(alpha);
    const num1 = z0 + za;
    p1 = _normCdf(z0 + num1 / (1 - acceleration * num1));
    const num2 = z0 - za;
    p2 = _normCdf(z0 + num2 / (1 - acceleration * num2));
  }
  let low = _quantileSorted(b, p1);
  let high = _quantileSorted(b, p2);
  if (method === 'basic') {
    const l = 2 * theta - high;
    high = 2 * theta - low;
    low = l;
  }
  if (alternative === 'less') low = Number.NEGATIVE_INFINITY;
  else if (alternative === 'greater') high = Number.POSITIVE_INFINITY;
  return { low, high, stderr, levels: [p1, p2], z0 };
}

/** First index i with b[i] >= v (NaN sorts last). */
function _lowerBound(b: Float64Array, v: number): number {
  let lo = 0;
  let hi = b.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (b[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index i with b[i] > v. */
function _upperBound(b: Float64Array, v: number): number {
  let lo = 0;
  let hi = b.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (b[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
