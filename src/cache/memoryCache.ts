import { _entryText } from './_entryText.js';
import { _checkStoreKey } from './_storeKey.js';
import type { CacheEntry, CacheStats, CacheStore } from './CacheStore.js';

/**
 * An in-process cache: a `Map` of serialized entries. Entries are stored as JSON text, so a caller that
 * mutates what it got back cannot change what the next caller sees, exactly as with {@link sqliteCache}.
 * Lives as long as the object; share one between runs to reuse responses within a process.
 *
 * @returns a {@link CacheStore} whose methods answer synchronously.
 * @example
 * ```ts
 * const cache = memoryCache();
 * const a = await evaluate(data, model, metrics, { cache });
 * const b = await evaluate(data, model, metrics, { cache }); // no request sent
 * b.totals.cacheHits === a.totals.cacheMisses;
 * // => true
 * ```
 */
export function memoryCache(): CacheStore {
  const map = new Map<string, string>();
  let hits = 0;
  let misses = 0;
  let writes = 0;
  return {
    get(key: string): CacheEntry | undefined {
      _checkStoreKey(key);
      const text = map.get(key);
      if (text === undefined) {
        misses++;
        return undefined;
      }
      hits++;
      return JSON.parse(text) as CacheEntry;
    },
    set(key: string, entry: CacheEntry): void {
      _checkStoreKey(key);
      map.set(key, _entryText(key, entry));
      writes++;
    },
    has(key: string): boolean {
      _checkStoreKey(key);
      return map.has(key);
    },
    stats(): CacheStats {
      return Object.freeze({ size: map.size, hits, misses, writes });
    },
    close(): void {},
    /** Always passes: memory is writable. */
    assertWritable(): void {},
  };
}
