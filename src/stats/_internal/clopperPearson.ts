/**
 * Exact (Clopper–Pearson) binomial interval by inverting the regularized incomplete beta function: the one
 * implementation behind `clopperPearsonInterval`, the clustered (Korn–Graubard) proportion intervals and
 * judgeAgreement's proportions.
 * @module
 */
import { _betaIncBoth } from './special.js';

/**
 * Beta(a, b) quantile: bisection on I_x(a, b) down to adjacent doubles (monotone, so always converges). It stops on
 * the doubles, not on an absolute width: a quantile near 0 (one success in 1000 trials at 0.999999 is 5e-10) keeps
 * its relative precision, where a stop at a width of 1e-17 left it 6e-9 off scipy.
 */
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
 * Clopper–Pearson interval for k successes in n trials at the given two-sided confidence, with α = 1 − confidence:
 * [Beta^-1(α/2; k, n − k + 1), Beta^-1(1 − α/2; k + 1, n − k)], with 0 at k = 0 and 1 at k = n. The other bound
 * at k = 0 or k = n has a closed form, (α/2)^(1/n) being the α/2 quantile of Beta(n, 1), used instead of the
 * bisection (exact to rounding, where the bisection on I_x was up to 5.5e-14 relative off). `k` and `n` may be
 * real (the effective counts of a clustered proportion), with 0 <= k <= n. NaN bounds when n = 0. No checks: the
 * public `clopperPearsonInterval` validates.
 *
 * Reference: C. J. Clopper, E. S. Pearson (1934), doi:10.1093/biomet/26.4.404; matches `scipy.stats.beta.ppf`
 * (scipy 1.17) to 1e-9 relative (test/edges/clopperPearson.test.ts).
 *
 * @example
 * ```ts
 * _clopperPearson(3, 7, 0.9); // => [0.12875639280423..., 0.77467841596755...]
 * ```
 */
export function _clopperPearson(k: number, n: number, confidence: number): [number, number] {
  if (n === 0) return [Number.NaN, Number.NaN];
  const alpha = 1 - confidence;
  const low = k === 0 ? 0 : k === n ? (alpha / 2) ** (1 / n) : _betaPpf(alpha / 2, k, n - k + 1);
  const high = k === n ? 1 : k === 0 ? 1 - (alpha / 2) ** (1 / n) : _betaPpf(1 - alpha / 2, k + 1, n - k);
  return [low, high];
}
