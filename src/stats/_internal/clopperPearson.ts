/**
 * Exact (Clopper–Pearson) binomial interval by inverting the regularized incomplete beta function.
 * @module
 */
import { _betaIncBoth } from './special.js';

/** Beta(a, b) quantile: bisection on I_x(a, b) down to adjacent doubles (monotone, so always converges). */
function _betaPpf(p: number, a: number, b: number): number {
  let lo = 0;
  let hi = 1;
  for (let it = 0; it < 2000; it++) {
    const mid = lo + (hi - lo) / 2;
    if (mid === lo || mid === hi) break;
    const [lower] = _betaIncBoth(mid, 1 - mid, a, b);
    if (lower < p) lo = mid;
    else hi = mid;
  }
  return lo + (hi - lo) / 2;
}

/**
 * Clopper–Pearson interval for k successes in n trials at the given two-sided confidence:
 * [Beta^-1(alpha/2; k, n - k + 1), Beta^-1(1 - alpha/2; k + 1, n - k)], with 0 at k = 0 and 1 at k = n.
 * NaN bounds when n = 0.
 */
export function _clopperPearson(k: number, n: number, confidence: number): [number, number] {
  if (n === 0) return [Number.NaN, Number.NaN];
  const alpha = 1 - confidence;
  const low = k === 0 ? 0 : _betaPpf(alpha / 2, k, n - k + 1);
  const high = k === n ? 1 : _betaPpf(1 - alpha / 2, k + 1, n - k);
  return [low, high];
}
