/**
 * Wilcoxon signed-rank test for paired samples.
 * @module
 */
import { _checkBoolean, _checkChoice, _checkOptions } from '../_internal/validate.js';
import { _checkAlternative, _checkPaired } from './_internal/checks.js';
import { _normCdf, _normSf } from './_internal/special.js';
import type { Alternative, TestResult } from './types.js';

/** Options of {@link wilcoxonSignedRankTest}. */
export interface WilcoxonOptions {
  /** Alternative for the location of a - b. @default 'two-sided' */
  readonly alternative?: Alternative;
  /**
   * 'auto' follows scipy 1.17: n > 50 -> asymptotic; no ties and no zeros -> exact; n <= 13 -> permutation over all
   * 2^n sign flips; otherwise asymptotic. @default 'auto'
   */
  readonly method?: 'auto' | 'exact' | 'asymptotic';
  /** Zero differences: dropped ('wilcox'), ranked then dropped ('pratt'), or split between R+ and R- ('zsplit'). @default 'wilcox' */
  readonly zeroMethod?: 'wilcox' | 'pratt' | 'zsplit';
  /** Continuity correction of the normal approximation. @default false */
  readonly correction?: boolean;
}

const WILCOXON_KEYS = Object.keys({
  alternative: true,
  method: true,
  zeroMethod: true,
  correction: true,
} satisfies Record<keyof WilcoxonOptions, true>);

/** Result of {@link wilcoxonSignedRankTest}. */
export interface WilcoxonResult extends TestResult {
  /** 'exact' | 'permutation' | 'asymptotic': the path that ran. */
  readonly method: 'exact' | 'permutation' | 'asymptotic';
  /** Sum of ranks of positive differences (zsplit: plus half the zero ranks). */
  readonly rPlus: number;
  readonly rMinus: number;
  /** Zero differences in the data. */
  readonly nZero: number;
  /** Normal deviate (asymptotic path only; -|z| for two-sided, as scipy's `zstatistic`). */
  readonly z?: number;
  readonly zeroMethod: 'wilcox' | 'pratt' | 'zsplit';
  readonly correction: boolean;
}

/**
 * Wilcoxon signed-rank test of the differences a - b (scipy.stats.wilcoxon 1.17.1 semantics).
 *
 * Algorithm: ranks |d| with average ranks for ties (zeros excluded for 'wilcox'; ranked with the rest for 'pratt'
 * and 'zsplit'); R+ is the rank sum of positive differences. Statistic: min(R+, R-) two-sided, R+ one-sided.
 * Exact path: the null distribution of R+ for `count` untied ranks by dynamic programming over 2^count sign
 * patterns, p = CDF(ceil R+) / SF(floor R+) (doubled and clamped for two-sided). Permutation path: all 2^n sign
 * flips of d (n <= 13), scipy permutation_test counting (ties within 100 eps relative count as extreme).
 * Asymptotic path: z = (R+ - count(count+1)/4)/se with the tie-corrected
 * se = sqrt((count(count+1)(2count+1) - sum(t^3 - t)/2)/24), Pratt's zero adjustment, optional continuity
 * correction 0.5/se towards the null; p from the normal tails (erfc, no cancellation).
 *
 * @param a - First measurements.
 * @param b - Second measurements (same length).
 * @param options - `alternative` ('two-sided'), `method` ('auto'), `zeroMethod` ('wilcox'), `correction` (false).
 * @returns A frozen {@link WilcoxonResult}; all-zero differences give p = 1 (permutation) or NaN (asymptotic), like scipy.
 * @throws TypeError for non-numeric input or unknown option values; RangeError for empty or unequal-length arrays
 *   or non-finite values.
 * @example
 * ```ts
 * const r = wilcoxonSignedRankTest([78, 85, 62, 90, 71, 88, 67, 94, 80, 73], [72, 80, 65, 81, 70, 77, 60, 86, 76, 75]);
 * [r.statistic, r.pValue, r.method]; // => [5, 0.01953125, 'exact']
 * ```
 *
 * References: F. Wilcoxon (1945), doi:10.2307/3001968; J. W. Pratt (1959), doi:10.1080/01621459.1959.10501526;
 * E. E. Cureton (1967), doi:10.1080/01621459.1967.10500917 (normal approximation with zeros).
 */
export function wilcoxonSignedRankTest(
  a: readonly number[] | Float64Array,
  b: readonly number[] | Float64Array,
  options: WilcoxonOptions = {},
): WilcoxonResult {
  _checkOptions('wilcoxonSignedRankTest', options, WILCOXON_KEYS);
  const alternative = _checkAlternative(options.alternative);
  let method = _checkChoice('method', options.method ?? 'auto', ['auto', 'exact', 'asymptotic'] as const);
  const zeroMethod = _checkChoice('zeroMethod', options.zeroMethod ?? 'wilcox', [
    'wilcox',
    'pratt',
    'zsplit',
  ] as const);
  const correction = _checkBoolean('correction', options.correction, false);
  const [x, y] = _checkPaired(a, b);
  const n = x.length;
  const d = new Float64Array(n);
  let nZero = 0;
  for (let i = 0; i < n; i++) {
    d[i] = x[i] - y[i];
    if (d[i] === 0) nZero++;
  }

  // Ranks of |d| over the ranked set (all of d, or only non-zero d for 'wilcox').
  const ranked: number[] = [];
  for (let i = 0; i < n; i++) if (zeroMethod !== 'wilcox' || d[i] !== 0) ranked.push(i);
  const count = ranked.length;
  const ranks = new Float64Array(n); // rank per original index (0 for unranked zeros)
  ranked.sort((i, j) => Math.abs(d[i]) - Math.abs(d[j]));
  let tieTerm = 0; // sum(t^3 - t) over tie groups
  let hasTies = false;
  for (let s = 0; s < count; ) {
    let e = s + 1;
    while (e < count && Math.abs(d[ranked[e]]) === Math.abs(d[ranked[s]])) e++;
    const t = e - s;
    const avg = (s + 1 + e) / 2;
    for (let k = s; k < e; k++) ranks[ranked[k]] = avg;
    if (t > 1) {
      hasTies = true;
      // Pratt: the zeros' tie group is not part of the tie correction (scipy sets its t to 0).
      if (!(zeroMethod === 'pratt' && d[ranked[s]] === 0)) tieTerm += t * t * t - t;
    }
    s = e;
  }
  let rPlus = 0;
  let rMinus = 0;
  let zeroRanks = 0;
  for (let i = 0; i < n; i++) {
    if (d[i] > 0) rPlus += ranks[i];
    else if (d[i] < 0) rMinus += ranks[i];
    else zeroRanks += ranks[i];
  }
  if (zeroMethod === 'zsplit') {
    rPlus += zeroRanks / 2;
    rMinus += zeroRanks / 2;
  }
  let mn = (count * (count + 1)) / 4;
  let se2 = count * (count + 1) * (2 * count + 1);
  if (zeroMethod === 'pratt') {
    mn -= (nZero * (nZero + 1)) / 4;
    se2 -= nZero * (nZero + 1) * (2 * nZero + 1);
  }
  const se = Math.sqrt((se2 - tieTerm / 2) / 24);

  let path: 'exact' | 'permutation' | 'asymptotic';
  if (method === 'auto') {
    if (n > 50) method = 'asymptotic';
  }
  if (method === 'auto') {
    if (!(hasTies || nZero > 0)) path = 'exact';
    else if (n <= 13) path = 'permutation';
    else path = 'asymptotic';
  } else path = method;

  let p: number;
  let z: number | undefined;
  if (path === 'asymptotic') {
    z = (rPlus - mn) / se;
    if (correction) {
      const sign = alternative === 'greater' ? 1 : alternative === 'less' ? -1 : Math.sign(z);
      z -= (sign * 0.5) / se;
    }
    if (alternative === 'less') p = _normCdf(z);
    else if (alternative === 'greater') p = _normSf(z);
    else p = 2 * _normSf(Math.abs(z));
    if (alternative === 'two-sided') z = -Math.abs(z);
  } else if (path === 'exact') {
    // Tails are summed directly (never 1 - the other side): exact for count <= 53 (dyadic rationals), and ~1e-15
    // relative beyond, where scipy's 1 - sum loses up to 1e-15 absolute (2e-7 relative at p ~ 1e-10, n = 70).
    const pmf = _signedRankPmf(count);
    const cdf = (k: number) => _sumRange(pmf, 0, k + 1);
    const sf = (k: number) => _sumRange(pmf, k, pmf.length);
    if (alternative === 'less') p = cdf(Math.ceil(rPlus));
    else if (alternative === 'greater') p = sf(Math.floor(rPlus));
    else p = Math.min(1, Math.max(0, 2 * Math.min(sf(Math.floor(rPlus)), cdf(Math.ceil(rPlus)))));
  } else {
    p = _permutationP(d, ranks, zeroMethod === 'zsplit' ? zeroRanks / 2 : 0, rPlus, alternative);
  }
  const result: { -readonly [K in keyof WilcoxonResult]: WilcoxonResult[K] } = {
    statistic: alternative === 'two-sided' ? Math.min(rPlus, rMinus) : rPlus,
    pValue: p,
    method: path,
    alternative,
    n,
    rPlus,
    rMinus,
    nZero,
    zeroMethod,
    correction,
  };
  if (z !== undefined) result.z = z;
  return Object.freeze(result);
}

/** Sum of pmf[from..to), smallest terms first (positive terms: no cancellation; exact for count <= 53). */
function _sumRange(pmf: Float64Array, from: number, to: number): number {
  const lo = Math.max(0, from);
  const hi = Math.min(to, pmf.length);
  const mid = (pmf.length - 1) / 2; // the pmf is symmetric and unimodal: the tails hold the small terms
  let s = 0;
  if (lo >= mid) for (let i = hi - 1; i >= lo; i--) s += pmf[i];
  else for (let i = lo; i < hi; i++) s += pmf[i];
  return s;
}

/**
 * Null pmf of R+ for ranks 1..n without ties: P(R+ = r), r = 0..n(n+1)/2, built by halving as each rank joins
 * (the same recursion as scipy's `_get_wilcoxon_distr`, exact in binary floating point for n <= 53).
 */
function _signedRankPmf(n: number): Float64Array {
  let c = new Float64Array([1]);
  for (let k = 1; k <= n; k++) {
    const next = new Float64Array((k * (k + 1)) / 2 + 1);
    const m = c.length;
    for (let i = 0; i < m; i++) next[i] = c[i] * 0.5;
    const off = next.length - m;
    for (let i = 0; i < m; i++) next[off + i] += c[i] * 0.5;
    c = next;
  }
  return c;
}

/**
 * Exact permutation p-value over all 2^n sign flips of d (scipy permutation_test with permutation_type='samples'
 * on one sample). |d| and hence the ranks do not change under flips; R+ of a flip is the rank sum of the entries
 * whose flipped sign is positive. Comparisons use scipy's relative slack of 100 eps.
 */
function _permutationP(
  d: Float64Array,
  ranks: Float64Array,
  zeroShare: number,
  observed: number,
  alternative: Alternative,
): number {
  const n = d.length;
  const total = 2 ** n;
  const gamma = Math.abs(2.220446049250313e-14 * observed);
  let less = 0;
  let greater = 0;
  for (let mask = 0; mask < total; mask++) {
    let s = zeroShare;
    for (let i = 0; i < n; i++) {
      const flipped = mask & (1 << i) ? -d[i] : d[i];
      if (flipped > 0) s += ranks[i];
    }
    if (s <= observed + gamma) less++;
    if (s >= observed - gamma) greater++;
  }
  const pLess = less / total;
  const pGreater = greater / total;
  const p =
    alternative === 'less' ? pLess : alternative === 'greater' ? pGreater : 2 * Math.min(pLess, pGreater);
  return Math.min(1, Math.max(0, p));
}
