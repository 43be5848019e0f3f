/**
 * Hyndman-Fan type 7 ("linear") quantile of sorted data, written exactly as scipy 1.17.1's
 * `scipy.stats.quantile(method='linear')` computes it (jg = p*n + (1 - p); j = floor(jg) - 1; g = jg mod 1), so
 * the interpolation rounds the same way. NaN for p outside [0, 1] or NaN.
 * @module
 */
export function _quantileSorted(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0 || Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  const jg = p * n + (1 - p);
  const jp1 = Math.floor(jg);
  let j = jp1 - 1;
  let g = jg - jp1;
  if (j < 0) g = 0;
  j = Math.min(Math.max(j, 0), n - 1);
  const k = Math.min(Math.max(jp1, 0), n - 1);
  return (1 - g) * sorted[j] + g * sorted[k];
}

/** Neumaier-compensated sum (error independent of n to first order). */
export function _sum(x: ArrayLike<number>, from = 0, to = x.length): number {
  let s = 0;
  let c = 0;
  for (let i = from; i < to; i++) {
    const v = x[i];
    const t = s + v;
    if (Math.abs(s) >= Math.abs(v)) c += s - t + v;
    else c += v - t + s;
    s = t;
  }
  return s + c;
}

/** Mean with compensated summation. */
export function _mean(x: ArrayLike<number>): number {
  return _sum(x) / x.length;
}

/** Sample variance (ddof = 1) by the two-pass algorithm. */
export function _variance(x: ArrayLike<number>, mean = _mean(x)): number {
  const n = x.length;
  let ss = 0;
  let comp = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - mean;
    ss += d * d;
    comp += d;
  }
  // The compensation term removes the first-order error of a rounded mean (Chan, Golub & LeVeque 1983).
  return (ss - (comp * comp) / n) / (n - 1);
}
