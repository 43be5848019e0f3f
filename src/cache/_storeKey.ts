import { _describe } from '../_internal/describe.js';

/** A lone surrogate (a surrogate outside a pair, in `u` mode) or a NUL character. */
const UNSTORABLE = /[\0\p{Cs}]/u;

/**
 * Checks a key given to a store's `get` / `set` / `has`. SQLite and Redis keep a key as UTF-8 text, where every
 * lone surrogate becomes U+FFFD, so `"\ud800"`, `"\udc00"` and `"\ufffd"` would share one entry (a hit answering
 * another key's response), and node:sqlite reads a key back cut at its first NUL. Every store refuses such a key,
 * so that all answer alike; the runtime's keys (hex digests) never are.
 * @throws {TypeError} when `key` is not a string.
 * @throws {RangeError} when it holds a lone surrogate or a NUL character, echoing it.
 * @internal
 */
export function _checkStoreKey(key: unknown): void {
  if (typeof key !== 'string')
    throw new TypeError(`Expected the cache key to be a string, got ${_describe(key)}`);
  if (UNSTORABLE.test(key))
    throw new RangeError(
      `Expected the cache key to be well-formed Unicode without NUL characters, got ${_describe(key)}: SQLite and Redis keep keys as UTF-8, where a lone surrogate becomes U+FFFD and two keys would share one entry`,
    );
}
