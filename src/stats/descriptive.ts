/**
 * Descriptive helpers shared by the run and comparison code: a compensated mean, the mean of each cluster and the
 * standard normal quantile. Thin public faces of the statistics module's internals, so code outside `stats/` does not reach
 * into its private files.
 * @module
 */
import { _mean } from './_internal/quantile.js';
import { _normPpf } from './_internal/special.js';

/**
 * Arithmetic mean with Neumaier-compensated summation (error independent of n to first order), equal to
 * the exactly rounded mean far more often than naive summation. NaN for an empty input.
 *
 * @param values - the numbers to average.
 * @returns their mean.
 * @example
 * ```ts
 * mean([0.1, 0.2, 0.3]); // => 0.2
 * ```
 */
export function mean(values: ArrayLike<number>): number {
  return values.length === 0 ? Number.NaN : _mean(values);
}

/**
 * Quantile function of the standard normal distribution (`scipy.special.ndtri`, scipy 1.17): a starting value
 * refined by Halley's iteration on the accurate normal cdf. NaN outside [0, 1]; -Infinity / Infinity at 0 / 1.
 *
 * @param p - a probability.
 * @returns z with Φ(z) = p.
 * @example
 * ```ts
 * normalQuantile(0.975); // => 1.959963984540054
 * ```
 */
export function normalQuantile(p: number): number {
  return _normPpf(p);
}

/**
 * The observations of clustered rows for an interval that treats clusters as the independent units: each
 * unclustered row's value (label `null`) in row order, then each cluster's mean, in the order clusters first
 * appear.
 *
 * @param values - one value per row.
 * @param clusters - the cluster label of each row, `null` for a row in no cluster.
 * @returns the unclustered values, then the cluster means.
 * @example
 * ```ts
 * clusterMeans([1, 0, 0.5, 1], ['a', 'a', null, 'b']); // => [0.5, 0.5, 1]
 * ```
 */
export function clusterMeans(
  values: ArrayLike<number>,
  clusters: readonly (string | null | undefined)[],
): number[] {
  const { totals, sizes } = clusterTotals(values, clusters);
  return totals.map((t, i) => (sizes[i] === 1 ? t : t / sizes[i]!));
}

/**
 * The sums and sizes of clustered rows' units, in {@link clusterMeans}' order: each unclustered row (its value, size
 * 1), then each cluster (the sum of its rows' values, its row count). A test of "the mean over rows is 0" over
 * clusters of unequal size runs on the totals: their mean is 0 exactly when the rows' is.
 *
 * @param values - one value per row.
 * @param clusters - the cluster label of each row, `null` for a row in no cluster.
 * @returns `totals[k]` and `sizes[k]` of unit k.
 * @example
 * ```ts
 * clusterTotals([1, 0, 0.5, 1], ['a', 'a', null, 'b']); // => { totals: [0.5, 1, 1], sizes: [1, 2, 1] }
 * ```
 */
export function clusterTotals(
  values: ArrayLike<number>,
  clusters: readonly (string | null | undefined)[],
): { totals: number[]; sizes: number[] } {
  const sums = new Map<string, [number, number]>();
  const totals: number[] = [];
  const sizes: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const c = clusters[i];
    if (c === null || c === undefined) {
      totals.push(values[i]!);
      sizes.push(1);
    } else {
      const a = sums.get(c);
      if (a === undefined) sums.set(c, [values[i]!, 1]);
      else {
        a[0] += values[i]!;
        a[1]++;
      }
    }
  }
  for (const [sum, count] of sums.values()) {
    totals.push(sum);
    sizes.push(count);
  }
  return { totals, sizes };
}
