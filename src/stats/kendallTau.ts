/**
 * Kendall's tau-b with an exact or asymptotic p-value.
 * @module
 */
import { _checkChoice, _checkOptions } from '../_internal/validate.js';
import { _checkAlternative, _checkPaired } from './_internal/checks.js';
import { _normCdf, _normSf } from './_internal/special.js';
import type { Alternative, TestResult } from './types.js';

/** Options of {@link kendallTau}. */
export interface KendallTauOptions {
  /** `'greater'`: positive association; `'less'`: negative. @default 'two-sided' */
  readonly alternative?: Alternative;
  /**
   * `'auto'`: exact when there are no ties and n <= 33 or at most one pair is (dis)concordant, else
   * asymptotic (scipy's rule). `'exact'` requires no ties. @default 'auto'
   */
  readonly method?: 'auto' | 'exact' | 'asymptotic';
}

const KENDALL_TAU_KEYS = Object.keys({ alternative: true, method: true } satisfies Record<
  keyof KendallTauOptions,
  true
>);

/** Result of {@link kendallTau}. */
export interface KendallTauResult extends TestResult {
  /** Kendall's tau-b (also in `statistic`). */
  readonly tau: number;
  readonly method: 'exact' | 'asymptotic';
  /** Concordant minus discordant pairs. */
  readonly concordantMinusDiscordant: number;
  readonly note?: string;
}

/** Tie statistics of dense ranks: [pairs tied, sum t(t-1)(t-2), sum t(t-1)(2t+5)]. */
function _tieStats(sorted: Int32Array | Float64Array): [number, number, number] {
  let pairs = 0;
  let s1 = 0;
  let s2 = 0;
  let i = 0;
  while (i < sorted.length) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    const t = j - i;
    if (t > 1) {
      pairs += (t * (t - 1)) / 2;
      s1 += t * (t - 1) * (t - 2);
      s2 += t * (t - 1) * (2 * t + 5);
    }
    i = j;
  }
  return [pairs, s1, s2];
}

/** Exact null distribution of the number of concordant pairs without ties (Kendall 1970), as scipy's `_kendall_p_exact`. */
function _kendallExactP(n: number, c: number, alternative: Alternative): number {
  const total = (n * (n - 1)) / 2;
  const inRightTail = c >= total - c;
  c = Math.min(c, total - c);
  let prob: number;
  let massAtC: number;
  if (n === 1) {
    prob = 1;
    massAtC = 1;
  } else if (n === 2) {
    prob = 1;
    massAtC = 0.5;
  } else if (4 * c === n * (n - 1) && alternative === 'two-sided') {
    prob = 1;
    massAtC = 0;
  } else {
    // counts of permutations of 1..j with k inversions (k <= c), normalized by j at each step to stay in range
    let dist = new Float64Array(c + 1);
    dist[0] = 1;
    if (c >= 1) dist[1] = 1;
    for (let j = 3; j <= n; j++) {
      const next = new Float64Array(c + 1);
      let acc = 0;
      for (let k = 0; k <= c; k++) {
        acc += dist[k];
        next[k] = acc / j;
      }
      if (j <= c) for (let k = c; k >= j; k--) next[k] -= next[k - j];
      dist = next;
    }
    // dist[k] = P(K = k) * n! / (n! / 2) ... normalized: the sum over 0..c is P(K <= c) * 2
    let s = 0;
    for (let k = 0; k <= c; k++) s += dist[k];
    prob = s;
    massAtC = dist[c] / 2;
  }
  if (alternative !== 'two-sided') {
    if (inRightTail === (alternative === 'greater')) prob /= 2;
    else prob = 1 - prob / 2 + massAtC;
  }
  return Math.min(1, Math.max(0, prob));
}

/** Merge sort of `y` counting inversions (discordant pairs once x is sorted with ties broken by y). */
function _countInversions(y: Float64Array): number {
  const n = y.length;
  let src = Float64Array.from(y);
  let dst = new Float64Array(n);
  let inv = 0;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if (src[j] < src[i]) {
          inv += mid - i;
          dst[k++] = src[j++];
        } else dst[k++] = src[i++];
      }
      while (i < mid) dst[k++] = src[i++];
      while (j < hi) dst[k++] = src[j++];
    }
    [src, dst] = [dst, src];
  }
  return inv;
}

/**
 * Kendall's tau-b rank correlation of paired samples with its p-value (scipy.stats.kendalltau, scipy 1.17,
 * `variant='b'`).
 *
 * Algorithm: sorts the pairs by (x, y) and counts discordant pairs as the inversions of y by merge sort
 * (O(n log n)); with n0 = n(n - 1)/2, tied pairs n1 in x, n2 in y and n3 in both, tau-b = (n0 - n1 - n2 + n3 -
 * 2 D) / sqrt((n0 - n1)(n0 - n2)). The p-value is exact (Kendall's recursion for the number of inversions,
 * normalized at each step) when there are no ties and n <= 33 or at most one pair is discordant (or concordant),
 * else the normal approximation of concordant minus discordant pairs with the tie-corrected variance
 * (m(2n + 5) - sum_x t(t-1)(2t+5) - sum_y ...)/18 + 2 n1 n2 / m + (sum_x t(t-1)(t-2))(sum_y ...)/(9 m (n - 2)),
 * m = n(n - 1). An input with all values tied gives NaN with a `note`.
 *
 * @param a - First sample (finite numbers).
 * @param b - Second sample, same length.
 * @param options - `alternative` (default `'two-sided'`), `method` (default `'auto'`).
 * @returns A frozen {@link KendallTauResult}.
 * @throws TypeError for non-numeric input or an unknown method; RangeError for empty or unequal-length samples,
 *   non-finite values, or `method: 'exact'` with ties.
 * @example
 * ```ts
 * const r = kendallTau([12, 2, 1, 12, 2], [1, 4, 7, 1, 0]);
 * r.tau; // => -0.4714045207910316
 * r.pValue; // => 0.2827454599327748 (asymptotic: there are ties)
 * ```
 *
 * References: M. G. Kendall (1938), A new measure of rank correlation, doi:10.1093/biomet/30.1-2.81;
 * M. G. Kendall (1945), The treatment of ties in ranking problems, doi:10.1093/biomet/33.3.239; W. R. Knight
 * (1966), A computer method for calculating Kendall's tau with ungrouped data, doi:10.1080/01621459.1966.10480879;
 * scipy.stats.kendalltau.
 */
export function kendallTau(
  a: readonly number[] | Float64Array,
  b: readonly number[] | Float64Array,
  options: KendallTauOptions = {},
): KendallTauResult {
  _checkOptions('kendallTau', options, KENDALL_TAU_KEYS);
  const alternative = _checkAlternative(options.alternative);
  const requested = _checkChoice('method', options.method ?? 'auto', [
    'auto',
    'exact',
    'asymptotic',
  ] as const);
  const [x, y] = _checkPaired(a, b);
  const n = x.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => x[i] - x[j] || y[i] - y[j]);
  const xs = Float64Array.from(order, (i) => x[i]);
  const ys = Float64Array.from(order, (i) => y[i]);
  const dis = _countInversions(ys);
  let joint = 0;
  {
    let i = 0;
    while (i < n) {
      let j = i + 1;
      while (j < n && xs[j] === xs[i] && ys[j] === ys[i]) j++;
      const t = j - i;
      joint += (t * (t - 1)) / 2;
      i = j;
    }
  }
  const [xtie, x0, x1] = _tieStats(xs);
  const [ytie, y0, y1] = _tieStats(Float64Array.from(y).sort());
  const total = (n * (n - 1)) / 2;
  const base = { alternative, n };
  if (xtie === total || ytie === total) {
    return Object.freeze({
      ...base,
      statistic: Number.NaN,
      tau: Number.NaN,
      pValue: Number.NaN,
      method: requested === 'exact' ? ('exact' as const) : ('asymptotic' as const),
      concordantMinusDiscordant: Number.NaN,
      note: 'An input is constant (every pair tied): tau is undefined.',
    });
  }
  const cmd = total - xtie - ytie + joint - 2 * dis;
  let tau = cmd / Math.sqrt(total - xtie) / Math.sqrt(total - ytie);
  tau = Math.min(1, Math.max(-1, tau));
  const ties = xtie !== 0 || ytie !== 0;
  if (requested === 'exact' && ties)
    throw new RangeError("Expected no ties for `method: 'exact'`, got ties: use 'auto' or 'asymptotic'");
  const method =
    requested === 'auto'
      ? !ties && (n <= 33 || Math.min(dis, total - dis) <= 1)
        ? 'exact'
        : 'asymptotic'
      : requested;
  let pValue: number;
  if (method === 'exact') pValue = _kendallExactP(n, total - dis, alternative);
  else {
    const m = n * (n - 1);
    const variance = (m * (2 * n + 5) - x1 - y1) / 18 + (2 * xtie * ytie) / m + (x0 * y0) / (9 * m * (n - 2));
    const z = cmd / Math.sqrt(variance);
    if (alternative === 'greater') pValue = _normSf(z);
    else if (alternative === 'less') pValue = _normCdf(z);
    else pValue = Math.min(1, 2 * _normSf(Math.abs(z)));
  }
  return Object.freeze({ ...base, statistic: tau, tau, pValue, method, concordantMinusDiscordant: cmd });
}
