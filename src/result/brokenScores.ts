/**
 * Why a metric's summary is broken, in words.
 * @module
 */
import type { MetricSummary } from './EvalResult.js';

/**
 * What made a metric broken (`MetricSummary.broken`), as the clause after "is broken: ": the refused scores of its
 * `n` rows, outside its declared bounds and, when some were, not a number at all.
 *
 * @param broken - the summary's `broken` field.
 * @returns the clause, e.g. `3 of 40 scores lie outside its declared bounds`.
 * @example
 * ```ts
 * brokenScores({ outOfBounds: 3, n: 40 }); // => '3 of 40 scores lie outside its declared bounds'
 * brokenScores({ outOfBounds: 0, notNumber: 26, n: 40 });
 * // => '26 of 40 scores were refused (26 not a number, 0 outside its declared bounds)'
 * ```
 */
export function brokenScores(broken: NonNullable<MetricSummary['broken']>): string {
  const notNumber = broken.notNumber ?? 0;
  return notNumber === 0
    ? `${broken.outOfBounds} of ${broken.n} scores lie outside its declared bounds`
    : `${broken.outOfBounds + notNumber} of ${broken.n} scores were refused (${notNumber} not a number, ${broken.outOfBounds} outside its declared bounds)`;
}
