/**
 * A metric's score range as a saved result records it.
 * @module
 */
import type { EvalResult } from './EvalResult.js';

/**
 * The bounds `[lo, hi]` that `result` records for metric `name` (its config's `metrics[i].bounds`), when they are
 * two finite numbers with `hi > lo`; `undefined` otherwise (a binary metric records none: its range is [0, 1]).
 *
 * @param result - a result, in memory or loaded from a file.
 * @param name - the metric's name.
 * @returns the recorded bounds, or `undefined`.
 * @example
 * ```ts
 * recordedBounds(result, 'judge'); // => [1, 5] for a 1-5 judge declared with `bounds: [1, 5]`
 * ```
 */
export function recordedBounds(result: EvalResult, name: string): readonly [number, number] | undefined {
  const entries = (result.config as { metrics?: unknown }).metrics;
  const entry = Array.isArray(entries)
    ? (entries as ({ name?: unknown; bounds?: unknown } | null)[]).find((m) => m?.name === name)
    : undefined;
  const b = entry?.bounds;
  return Array.isArray(b) && b.length === 2 && b.every(Number.isFinite) && b[1] > b[0]
    ? [b[0] as number, b[1] as number]
    : undefined;
}
