/**
 * Descriptive helpers shared by the run and comparison code: a compensated mean and the standard normal
 * quantile. Thin public faces of the statistics module's internals, so code outside `stats/` does not reach
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
