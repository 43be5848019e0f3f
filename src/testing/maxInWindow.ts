import { _describe } from '../_internal/describe.js';
import { _checkFunction, _checkNumberInRange } from '../_internal/validate.js';

/**
 * What {@link maxInWindow} reads from each entry: its arrival time in ms.
 *
 * @example
 * ```ts
 * const entries: TimedEntry[] = [{ at: 0 }, { at: 250 }];
 * ```
 */
export interface TimedEntry {
  readonly at: number;
}

/**
 * The largest number of entries (or total weight) that fall in any sliding window of `windowMs`: the measured
 * peak requests per minute (or tokens per minute) of a request log, for asserting rate limits.
 *
 * Windows are half-open, `[t, t + windowMs)`; the maximum is reached by a window starting at some entry, so
 * after sorting by `at` a two-pointer sweep finds it in O(n log n).
 *
 * @param log - Entries with an `at` time in ms, e.g. `server.requests` (filter it first to count one route or
 *   only successful requests).
 * @param windowMs - Window length in ms. Range: > 0.
 * @param weight - Weight of an entry (e.g. `(e) => e.promptTokens + e.completionTokens` for TPM). @default 1 per entry
 * @returns The maximum windowed count or weight; `0` for an empty log.
 * @throws TypeError / RangeError for a bad `windowMs` or `weight`, an entry whose `at` is not a finite number, or a
 *   weight that is not a finite number >= 0.
 * @example
 * ```ts
 * maxInWindow([{ at: 0 }, { at: 500 }, { at: 1200 }], 1000); // => 2
 * maxInWindow(server.requests, 60_000, (e) => e.promptTokens + e.completionTokens); // peak TPM
 * ```
 */
export function maxInWindow<T extends TimedEntry>(
  log: readonly T[],
  windowMs: number,
  weight?: (entry: T) => number,
): number {
  if (!Array.isArray(log)) throw new TypeError('Expected `log` to be an array of entries with an `at` time');
  _checkNumberInRange('windowMs', windowMs, 0, Number.POSITIVE_INFINITY, '()');
  if (weight !== undefined) _checkFunction('weight', weight);
  // A NaN time breaks the sort's ordering and a NaN weight every sum: both would give a silently wrong peak.
  const items = log
    .map((e, i) => {
      if (e === null || typeof e !== 'object')
        throw new TypeError(`Expected \`log[${i}]\` to be an entry with an \`at\` time, got ${_describe(e)}`);
      if (typeof e.at !== 'number' || !Number.isFinite(e.at))
        throw new RangeError(`Expected \`log[${i}].at\` to be a finite number, got ${_describe(e.at)}`);
      const w = weight ? weight(e) : 1;
      if (typeof w !== 'number' || !Number.isFinite(w) || w < 0)
        throw new RangeError(
          `Expected \`weight(log[${i}])\` to be a finite number >= 0, got ${_describe(w)}`,
        );
      return { at: e.at, w };
    })
    .sort((a, b) => a.at - b.at);
  let best = 0;
  let sum = 0;
  let lo = 0;
  for (let hi = 0; hi < items.length; hi++) {
    sum += items[hi].w;
    while (items[hi].at - items[lo].at >= windowMs) sum -= items[lo++].w;
    if (sum > best) best = sum;
  }
  return best;
}
