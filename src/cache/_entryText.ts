import { _describe } from '../_internal/describe.js';
import { _jsonCarryProblem } from '../_internal/jsonCarryProblem.js';
import type { CacheEntry } from './CacheStore.js';

/**
 * The JSON text a store keeps for `entry`.
 *
 * A store keeps text, so a hit answers with `JSON.parse` of it: a value JSON changes on the way (`NaN` or
 * `Infinity` read back as `null`, a `Date` as a string, a `Map` as `{}`, an `undefined` array element as `null`)
 * would make a cached call answer with another value than the call returned, and a BigInt or a cycle would fail
 * inside `JSON.stringify` with a message that names neither the key nor the field. Such an entry is refused,
 * naming both; the runtime then keeps the response uncached and says so in the run's warnings. Three changes
 * no reader of the value's data sees are let through: an object field holding `undefined` (absent once read
 * back), `-0` (read back as `0`; a provider's JSON body can hold `-0.0`) and symbol-keyed fields (marks such as
 * the router's body text, which the store leaves out by design).
 *
 * @throws {TypeError} naming the key and the first field JSON would change.
 * @internal
 */
export function _entryText(key: string, entry: CacheEntry): string {
  const problem = _jsonCarryProblem(entry, 'entry', {
    undefinedFields: true,
    negativeZero: true,
    symbolKeys: true,
  });
  if (problem !== undefined)
    throw new TypeError(
      `Cannot cache the entry under key "${key}": ${problem}. A cache hit would answer with another value than the call returned; a sender's value must be JSON (convert a Date to a string, a Map to an object, NaN to null).`,
    );
  return JSON.stringify(entry);
}

/**
 * Why a stored entry, parsed, is not a {@link CacheEntry} (`'is … , not an object'`, a `usage` or `costUsd` of the
 * wrong type), or `undefined` when it is one. Every store that reads text written outside this process (a file,
 * a shared Redis) checks it, so an entry another tool wrote can never add text or `NaN` to a run's totals.
 * @internal
 */
export function _entryShapeProblem(v: unknown): string | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return `is ${_describe(v)}, not an object`;
  const e = v as { usage?: unknown; costUsd?: unknown };
  if ('usage' in e) {
    const u = e.usage as { inputTokens?: unknown; outputTokens?: unknown } | null;
    if (
      u === null ||
      typeof u !== 'object' ||
      typeof u.inputTokens !== 'number' ||
      typeof u.outputTokens !== 'number'
    )
      return '`usage` is not { inputTokens, outputTokens }';
  }
  if ('costUsd' in e && typeof e.costUsd !== 'number')
    return `\`costUsd\` is ${_describe(e.costUsd)}, not a number`;
  return undefined;
}
