import { _describe } from '../_internal/describe.js';
import { _redactUrl, _redisOf } from '../_internal/redisConnection.js';
import { _checkOptions } from '../_internal/validate.js';
import type { RedisConnection } from '../core/types.js';
import { CacheEntryError, CacheError } from '../errors.js';
import { _entryShapeProblem, _entryText } from './_entryText.js';
import { _checkStoreKey } from './_storeKey.js';
import type { CacheEntry, CacheStats, CacheStore } from './CacheStore.js';

/** Options of {@link redisCache}: one of `url` / `connection`, and a key prefix. */
export interface RedisCacheOptions {
  /** Redis URL, e.g. `redis://127.0.0.1:6379`. The store opens its own connection and closes it in `close()`. */
  readonly url?: string;
  /** An open ioredis connection to use instead of `url` (left open by `close()`). */
  readonly connection?: RedisConnection;
  /** Prefix of the store's one Redis key, so several caches can share a Redis. @default 'evalgate:cache:' */
  readonly prefix?: string;
}

const REDIS_CACHE_KEYS = Object.keys({ url: true, connection: true, prefix: true } satisfies Record<
  keyof RedisCacheOptions,
  true
>);

/** A {@link CacheStore} in Redis; says where it lives so that cluster workers can open the same store. */
export interface RedisCacheStore extends CacheStore {
  /** The Redis URL, when the store was made from one. */
  readonly url: string | undefined;
  /** See {@link RedisCacheOptions.prefix}. */
  readonly prefix: string;
  get(key: string): Promise<CacheEntry | undefined>;
  set(key: string, entry: CacheEntry): Promise<void>;
  has(key: string): Promise<boolean>;
  stats(): Promise<CacheStats>;
  close(): Promise<void>;
  assertWritable(): Promise<void>;
}

/**
 * A response cache in Redis, shared by every process that opens it (the workers of a cluster run): the
 * {@link CacheStore} contract over one Redis hash, `<prefix>entries`, so `get` / `set` / `has` are one
 * round trip each and `stats().size` is `HLEN`. Entries are JSON text, as with {@link sqliteCache}. A `set`
 * is settled once Redis has applied it, which makes it visible to every worker at once (how durable it is on
 * disk is Redis's own persistence setting). Errors are never cached (the runtime stores only answers), and
 * mode `'replay'` works as with SQLite: a miss throws before any request.
 *
 * @param options - see {@link RedisCacheOptions}.
 * @returns a {@link RedisCacheStore} whose methods answer with promises.
 * @throws {TypeError} when neither `url` nor `connection` is given, or `prefix` is not a string.
 * @example
 * ```ts
 * const cache = redisCache({ url: 'redis://127.0.0.1:6379' });
 * await evaluate(data, model, metrics, { cache }); // pays
 * const again = await evaluate(data, model, metrics, { cache });
 * again.totals.requests;
 * // => 0
 * await cache.close();
 * ```
 */
export function redisCache(options: RedisCacheOptions): RedisCacheStore {
  _checkOptions('redisCache', options, REDIS_CACHE_KEYS);
  const prefix = options.prefix ?? 'evalgate:cache:';
  if (typeof prefix !== 'string')
    throw new TypeError(`Expected \`redisCache.prefix\` to be a string, got ${_describe(prefix)}`);
  const redis = _redisOf('redisCache', options);
  const owned = options.connection === undefined;
  const key = `${prefix}entries`;
  const where = `${options.url === undefined ? 'redis' : _redactUrl(options.url)} ${key}`;
  let hits = 0;
  let misses = 0;
  let writes = 0;
  let closed = false;
  // A closed store refuses every use: an owned connection is gone, and a given one must not be written through.
  const assertOpen = (): void => {
    if (closed)
      throw new CacheError(
        `This redisCache is closed: evalgate's Redis cache at "${where}" was closed by close(); make a new one with redisCache() to use it`,
        where,
        'closed',
      );
  };
  const store: RedisCacheStore = {
    url: options.url,
    prefix,
    async get(k: string): Promise<CacheEntry | undefined> {
      assertOpen();
      _checkStoreKey(k);
      const text = await redis.hget(key, k);
      if (text === null) {
        misses++;
        return undefined;
      }
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (cause) {
        misses++;
        throw new CacheEntryError(
          `The entry "${k}" of evalgate's Redis cache at "${where}" is not valid JSON; it counts as a miss, and the next write of this key replaces it.`,
          k,
          where,
          { cause },
        );
      }
      const problem = _entryShapeProblem(value);
      if (problem !== undefined) {
        misses++;
        throw new CacheEntryError(
          `The entry "${k}" of evalgate's Redis cache at "${where}" ${problem}; it counts as a miss, and the next write of this key replaces it.`,
          k,
          where,
        );
      }
      hits++;
      return value as CacheEntry;
    },
    async set(k: string, entry: CacheEntry): Promise<void> {
      assertOpen();
      _checkStoreKey(k);
      await redis.hset(key, k, _entryText(k, entry));
      writes++;
    },
    async has(k: string): Promise<boolean> {
      assertOpen();
      _checkStoreKey(k);
      return (await redis.hexists(key, k)) === 1;
    },
    async stats(): Promise<CacheStats> {
      assertOpen();
      return Object.freeze({ size: await redis.hlen(key), hits, misses, writes });
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      if (owned) await redis.quit().catch(() => redis.disconnect());
    },
    /** Fails on a read-only replica (`READONLY`), the one Redis that answers reads but refuses writes. */
    async assertWritable(): Promise<void> {
      assertOpen();
      try {
        // A write command that changes nothing: a replica refuses it all the same (READONLY), and it touches only
        // the store's own key, at a field no entry can have (keys with NUL are refused).
        await redis.hdel(key, '\u0000evalgate:writable');
      } catch (cause) {
        if (/READONLY/.test(String((cause as Error)?.message)))
          throw new CacheError(
            `evalgate's Redis cache at "${where}" is a read-only replica: point \`redisCache.url\` at the primary, or use mode 'read-only' / 'replay'`,
            where,
            'read-only',
            { cause },
          );
        // The key holding another type is not what this checks: each read and write then fails on its own, and
        // the run counts them in its warnings.
        if (/^WRONGTYPE/.test(String((cause as Error)?.message))) return;
        throw cause;
      }
    },
  };
  made.add(store);
  return store;
}

const made = new WeakSet<object>();

/** True for a store made by {@link redisCache} (one that cluster workers can open too). @internal */
export function isRedisCache(x: unknown): x is RedisCacheStore {
  return x !== null && typeof x === 'object' && made.has(x);
}
