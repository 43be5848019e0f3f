/**
 * The response cache (`evalgate/cache`): keys, stores and modes.
 * @module
 */

export type { RedisConnection } from '../core/types.js';
export type {
  CacheEntry,
  CacheMode,
  CacheOption,
  CacheStats,
  CacheStore,
  MaybePromise,
} from './CacheStore.js';
export { cacheKey } from './cacheKey.js';
export { memoryCache } from './memoryCache.js';
export { type RedisCacheOptions, type RedisCacheStore, redisCache } from './redisCache.js';
export { type SqliteCacheOptions, sqliteCache } from './sqliteCache.js';
