/**
 * The storage contract of the response cache. Signatures may answer synchronously or with a promise, so an
 * embedded store (SQLite, memory) pays no promise per lookup on the hot path while a network store (Redis)
 * fits the same interface.
 * @module
 */
import type { Usage } from '../core/types.js';

/** A value or a promise of it. */
export type MaybePromise<T> = T | Promise<T>;

/** One cached response: the sender's JSON value plus what it cost when it was paid for. */
export interface CacheEntry {
  /** The sender's value (JSON). */
  readonly value: unknown;
  readonly usage?: Usage;
  readonly costUsd?: number;
}

/** Counters of a store since it was opened. */
export interface CacheStats {
  /** Entries in the store now. */
  readonly size: number;
  /** `get` calls that found an entry. */
  readonly hits: number;
  /** `get` calls that found nothing. */
  readonly misses: number;
  /** Entries written. */
  readonly writes: number;
}

/**
 * Where cached responses live. Implementations: {@link sqliteCache} (embedded default, safe across vitest
 * workers and processes) and {@link memoryCache}. A `set` must be durable when its promise resolves (or when
 * it returns, for a synchronous store): the runtime awaits it before handing the response to the caller, which
 * is what makes a killed run resumable.
 *
 * @example
 * ```ts
 * const store: CacheStore = memoryCache();
 * await store.set('k', { value: 'Paris' });
 * (await store.get('k'))?.value;
 * // => 'Paris'
 * ```
 */
export interface CacheStore {
  /**
   * The entry under `key`, or `undefined`. The value is the caller's: a routed SDK call hands a cached JSON body
   * to the SDK (and so to user code, which may change it) without copying it, so a store that keeps parsed
   * values returns a copy; the built-in stores parse their stored text on every `get`.
   * @throws {CacheEntryError} when the stored entry no longer parses (the runtime treats it as a miss, and the
   * next `set` of `key` replaces it).
   */
  get(key: string): MaybePromise<CacheEntry | undefined>;
  /**
   * Stores `entry` under `key` (last write wins); durable once settled.
   * @throws {TypeError} from the built-in stores, naming the key and the field, when JSON would change the entry
   *   (`NaN`, `Infinity`, a `Date`, a `Map`, a BigInt, an `undefined` array element, a cycle…): a hit would answer
   *   with another value than the call returned. The runtime then keeps the response uncached, with a warning.
   * @throws {RangeError} from the built-in stores (in `get` and `has` too) for a key holding a lone surrogate or a
   *   NUL character, which SQLite and Redis cannot keep apart from other keys (the runtime's keys are hex digests).
   */
  set(key: string, entry: CacheEntry): MaybePromise<void>;
  /** Whether `key` has an entry (does not count as a hit or miss). */
  has(key: string): MaybePromise<boolean>;
  /** Size and counters. */
  stats(): MaybePromise<CacheStats>;
  /**
   * Told by a run in mode `'replay'`, before its first lookup, that it will only read: the store may then read
   * its entries in bulk instead of one lookup per call ({@link sqliteCache} does, for a file up to 64 MiB).
   * Optional; a store without it is read one `get` at a time.
   */
  replaying?(): void;
  /** Flushes pending writes and releases the store. Idempotent. */
  close(): MaybePromise<void>;
  /**
   * Throws when this store cannot keep what is written to it, so that a run that writes (modes `'read-write'`
   * and `'write-only'`) fails once, before its first paid call, instead of losing every response it pays
   * for. A store opened on a read-only file or folder still serves `get` for `'read-only'` and `'replay'`.
   * Optional: a store without it is taken as writable.
   * @throws {CacheError} with `reason: 'read-only'`, naming the path and what to do.
   */
  assertWritable?(): MaybePromise<void>;
}

/**
 * How a run uses its cache.
 * - `'read-write'` (default): answer from the cache, store what was fetched.
 * - `'read-only'`: answer from the cache, never store.
 * - `'write-only'`: always fetch, store the result (refreshes entries).
 * - `'replay'`: answer only from the cache; a miss throws `ReplayMissError` before any network call.
 * - `'off'`: ignore the cache.
 */
export type CacheMode = 'read-write' | 'read-only' | 'write-only' | 'replay' | 'off';

/** The `cache` option of `evaluate()`: a store (mode `'read-write'`) or a store with a mode. */
export type CacheOption = CacheStore | { readonly store: CacheStore; readonly mode?: CacheMode };

/** True when `x` looks like a {@link CacheStore}. @internal */
export function isCacheStore(x: unknown): x is CacheStore {
  if (x === null || typeof x !== 'object') return false;
  const s = x as Record<string, unknown>;
  return typeof s.get === 'function' && typeof s.set === 'function' && typeof s.has === 'function';
}
