/**
 * The Redis connection of the Redis-backed parts (cache, rate limiter, cluster), from a `url` or an open
 * ioredis connection. ioredis is an optional peer dependency, loaded on first use.
 * @module
 */
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import { _describe } from './describe.js';

/**
 * The connection of a Redis-backed object from its `url` / `connection` option (ioredis, loaded from the
 * optional peer dependency).
 * @internal
 */
export function _redisOf(
  where: string,
  options: { readonly url?: string; readonly connection?: Redis },
): Redis {
  if (options.connection !== undefined) {
    if (options.connection === null || typeof (options.connection as Redis).defineCommand !== 'function')
      throw new TypeError(
        `Expected \`${where}.connection\` to be an ioredis connection, got ${_describe(options.connection)}`,
      );
    return options.connection;
  }
  if (typeof options.url !== 'string' || !/^rediss?:\/\//.test(options.url))
    throw new TypeError(
      `Expected \`${where}.url\` to be a redis:// URL (or \`${where}.connection\` an ioredis connection), got ${_describe(options.url)}`,
    );
  // Loaded on first use: ioredis is an optional peer dependency, needed only by the Redis-backed parts.
  const { Redis: IORedis } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
  return new IORedis(options.url, { maxRetriesPerRequest: 3 });
}
