/**
 * Finite-sample intervals for the mean over ROWS of clustered rows (an example's trials, a group's examples) when
 * the clusters are few: the estimate is the row mean, a mean of the clusters' means weighted by their sizes, so an
 * interval over the cluster means taken as equal observations is one for another quantity when sizes differ.
 * @module
 */

import { _clopperPearson } from './_internal/clopperPearson.js';
import { _kornGraubardCounts } from './_internal/kornGraubard.js';
import { boundedMeanInterval } from './boundedMeanInterval.js';
import { clusterTotals } from './descriptive.js';

/** An interval of a row mean over clustered rows, and which one it is. */
export interface ClusteredInterval {
  readonly low: number;
  readonly high: number;
  /**
   * `'bounded-mean'` / `'clopper-pearson'`: the interval of the cluster means as equal observations (every cluster
   * the same size, where the row mean is their plain mean); `'hoeffding'` / `'korn-graubard'` when sizes differ.
   */
  readonly method: 'bounded-mean' | 'hoeffding' | 'clopper-pearson' | 'korn-graubard';
}

/**
 * A finite-sample interval for the mean over rows of bounded values in clusters, the clusters the independent
 * units (a row whose label is `null` a unit of its own).
 *
 * Algorithm: when every unit holds the same number of rows, the row mean is the plain mean of the unit means, and
 * the interval is {@link boundedMeanInterval} of those means (PrPl-EB at fixed n), in `clusterMeans`' order,
 * `method: 'bounded-mean'`. When sizes differ, the row mean is sum_c w_c x_c with w_c = m_c / sum(m), x_c the mean
 * of unit c's m_c rows: conditional on the sizes, a weighted sum of independent values in [lo, hi], to which
 * Hoeffding's inequality applies (Hoeffding 1963, Theorem 2, with ranges w_c (hi - lo)): the row mean -/+ (hi - lo)
 * sqrt(sum_c w_c^2 ln(2 / alpha) / 2), clipped to the bounds, `method: 'hoeffding'`. It covers the size-weighted
 * mean of the units' expected means at any number of units. PrPl-EB has no weighted form here, and taking the unit
 * means as equal observations would cover their unweighted mean instead (ten singletons scoring 1 beside one group
 * of 30 scoring 0: row mean 0.25, an interval around 10/11); one unit holding most rows rightly gives a wide
 * interval (sum w_c^2 near 1). Hoeffding ignores the variance, so with a few units of near-equal sizes it can be
 * wider than PrPl-EB would be with equal ones.
 *
 * @param values - One value per row, each in `bounds` (a value past a bound by rounding is taken as the bound).
 * @param clusters - The cluster label of each row, `null` for a row on its own.
 * @param bounds - Known range `[lo, hi]`, finite, lo < hi.
 * @param confidence - Two-sided level in (0, 1).
 * @returns `{ low, high, method }`, in `bounds`.
 * @throws RangeError when `values` is empty (from {@link boundedMeanInterval}).
 * @example
 * ```ts
 * const rows = [...Array(10).fill(0.9), ...Array(30).fill(0.1)];
 * const groups = [...Array.from({ length: 10 }, (_, i) => `s${i}`), ...Array(30).fill('big')];
 * const iv = clusteredMeanInterval(rows, groups, [0, 1], 0.95);
 * iv.method; // => 'hoeffding'
 * [iv.low, iv.high]; // => [0, 1]: one unit holds 75% of the rows
 * ```
 *
 * References: W. Hoeffding (1963), Probability inequalities for sums of bounded random variables, Theorem 2,
 * doi:10.1080/01621459.1963.10500830; I. Waudby-Smith, A. Ramdas (2024), doi:10.1093/jrsssb/qkad009.
 */
export function clusteredMeanInterval(
  values: ArrayLike<number>,
  clusters: readonly (string | null | undefined)[],
  bounds: readonly [number, number],
  confidence: number,
): ClusteredInterval {
  const [lo, hi] = bounds;
  const clamp = (v: number) => Math.min(hi, Math.max(lo, v));
  const { totals: sums, sizes } = clusterTotals(values, clusters);
  if (_equalSizes(sizes)) {
    const iv = boundedMeanInterval(
      sums.map((sum, u) => clamp(sum / sizes[u]!)),
      bounds,
      confidence,
    );
    return Object.freeze({ low: iv.low, high: iv.high, method: 'bounded-mean' });
  }
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  const estimate = clamp(total / values.length);
  let squares = 0;
  for (const m of sizes) squares += m * m;
  const sumW2 = squares / (values.length * values.length);
  const half = (hi - lo) * Math.sqrt((sumW2 * Math.log(2 / (1 - confidence))) / 2);
  return Object.freeze({ low: clamp(estimate - half), high: clamp(estimate + half), method: 'hoeffding' });
}

/**
 * An interval for a proportion over 0/1 rows in clusters: Clopper–Pearson on Korn and Graubard's effective sample
 * size, the clusters the independent units (a row whose label is `null` a unit of its own).
 *
 * Algorithm: p = A / M (A ones among M rows); n_eff = p(1 - p) / v with v the cluster-robust (ratio-estimator)
 * variance of p, sum_c (y_c - p m_c)^2 / M^2 over the clusters (y_c ones among m_c rows), capped at M; with p = 0
 * or 1 the clusters are the units. The interval is Clopper–Pearson of n_eff p successes in n_eff trials, computed
 * as `judgeAgreement` computes its clustered proportions (the same code, in exact integer arithmetic). When
 * every unit holds the same number of rows and each unit's rows agree (unit means 0 or 1), n_eff is exactly the
 * number of units and n_eff p the units scoring 1, so the interval is exactly `clopperPearsonInterval` over
 * the units (`method: 'clopper-pearson'`); otherwise `method: 'korn-graubard'`. Ten singletons scoring 1 beside
 * one group of 30 scoring 0 (p = 0.25): n_eff = 4.85, not 11 units, and an interval around 0.25, where
 * Clopper–Pearson of 10 units in 11 is [0.59, 0.998], an interval for the unweighted mean of the units. Korn and
 * Graubard's interval rests on the variance estimate: with few clusters it is an approximation, not a guarantee.
 *
 * @param values - One value per row, each 0 or 1.
 * @param clusters - The cluster label of each row, `null` for a row on its own.
 * @param confidence - Two-sided level in (0, 1).
 * @returns `{ low, high, method }`, in [0, 1].
 * @throws RangeError when `values` is empty or holds a value other than 0 or 1.
 * @example
 * ```ts
 * const rows = [...Array(10).fill(1), ...Array(30).fill(0)];
 * const groups = [...Array.from({ length: 10 }, (_, i) => `s${i}`), ...Array(30).fill('big')];
 * const iv = clusteredProportionInterval(rows, groups, 0.95);
 * iv.method; // => 'korn-graubard'
 * iv.low < 0.25 && 0.25 < iv.high; // => true
 * ```
 *
 * References: E. L. Korn, B. I. Graubard (1998), Confidence intervals for proportions with small expected number
 * of positive counts estimated from survey data, Survey Methodology 24(2):193-201; C. J. Clopper, E. S. Pearson
 * (1934), doi:10.1093/biomet/26.4.404.
 */
export function clusteredProportionInterval(
  values: ArrayLike<number>,
  clusters: readonly (string | null | undefined)[],
  confidence: number,
): ClusteredInterval {
  if (values.length === 0) throw new RangeError('Expected `values` to hold at least one observation, got []');
  let A = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== 0 && v !== 1) throw new RangeError(`Expected \`values[${i}]\` to be 0 or 1, got ${v} (number)`);
    A += v;
  }
  const { totals: sums, sizes } = clusterTotals(values, clusters);
  const eff = _kornGraubardCounts(sums, sizes, A, values.length);
  const [low, high] = _clopperPearson(eff.successes, eff.n, confidence);
  const units = _equalSizes(sizes) && sums.every((y, u) => y === 0 || y === sizes[u]);
  return Object.freeze({ low, high, method: units ? 'clopper-pearson' : 'korn-graubard' });
}

function _equalSizes(sizes: readonly number[]): boolean {
  return sizes.every((m) => m === sizes[0]);
}
