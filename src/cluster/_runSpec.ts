/**
 * The spec of a cluster run: what the coordinator tells the workers to use (timeouts, retry, budget, pricing,
 * the cache's prefix and mode, the limit's name and rates), checked and built from the run's resolved configuration.
 * @module
 */
import { _describe } from '../_internal/describe.js';
import { _redactUrl } from '../_internal/redisConnection.js';
import { isRedisCache } from '../cache/redisCache.js';
import { isRateLimiter, type RateLimiterOptions } from '../calls/rateLimiter.js';
import type { RedisRateLimiter } from '../calls/redisRateLimiter.js';
import type { ClusterOptions } from '../run/clusterOptions.js';
import type { RunConfig } from '../run/options.js';
import type { _Fingerprint, _RunSpec } from './_protocol.js';

/**
 * The run's serializable spec: fingerprint, and the options that travel to the workers (never a URL).
 * @throws {TypeError} When `cache` is not a `redisCache()` on the cluster's Redis, or `rateLimit` an in-process
 *   limiter or a `redisRateLimiter()` on another Redis.
 */
export function _runSpecOf(
  runId: string,
  fingerprint: _Fingerprint,
  cluster: ClusterOptions,
  config: RunConfig,
): _RunSpec {
  const spec: { -readonly [K in keyof _RunSpec]: _RunSpec[K] } = {
    runId,
    fingerprint,
    timeoutMs: config.timeoutMs,
    rowTimeoutMs: config.rowTimeoutMs,
    metricTimeoutMs: config.metricTimeoutMs,
    heartbeatTimeoutMs: cluster.heartbeatTimeoutMs ?? 10_000,
  };
  if (config.trajectory !== undefined) spec.trajectory = config.trajectory;
  if (config.retry !== undefined) spec.retry = config.retry;
  if (config.budgetOption !== undefined) spec.budget = config.budgetOption;
  if (config.pricing !== undefined) spec.pricing = config.pricing;
  const mode = config.cacheMode;
  const store = config.cacheStore;
  if (store !== undefined && mode !== undefined) {
    if (!isRedisCache(store))
      throw new TypeError(
        `Expected \`cache\` to be a redisCache() store in cluster mode (every worker must share it), got ${_describe(store)}`,
      );
    checkSameRedis('cache', store.url, cluster.redis);
    spec.cache = { store: 'redis', prefix: store.prefix, mode };
  }
  const rl = config.rateLimit;
  if (rl !== undefined) {
    if (isRateLimiter(rl)) {
      const shared = rl as Partial<RedisRateLimiter>;
      if (typeof shared.pause !== 'function' || typeof shared.name !== 'string')
        throw new TypeError(
          `Expected \`rateLimit\` to be { rpm, tpm, windowMs } or a redisRateLimiter() in cluster mode (an in-process limiter cannot be shared by workers), got ${_describe(rl)}`,
        );
      checkSameRedis('rateLimit', shared.url, cluster.redis);
      spec.rateLimit = {
        scope: 'global',
        name: shared.name,
        rpm: rl.rpm,
        tpm: rl.tpm,
        windowMs: rl.windowMs,
        expectedOutputTokens: rl.expectedOutputTokens,
        ...(shared.leaseMs === undefined ? {} : { leaseMs: shared.leaseMs }),
      };
    } else {
      const o = rl as RateLimiterOptions;
      if (o.rpm !== undefined || o.tpm !== undefined)
        spec.rateLimit = {
          scope: cluster.rateLimitScope ?? 'global',
          name: cluster.rateLimitName ?? 'default',
          ...(o.rpm === undefined ? {} : { rpm: o.rpm }),
          ...(o.tpm === undefined ? {} : { tpm: o.tpm }),
          ...(o.windowMs === undefined ? {} : { windowMs: o.windowMs }),
          ...(o.expectedOutputTokens === undefined ? {} : { expectedOutputTokens: o.expectedOutputTokens }),
        };
    }
  }
  return spec;
}

/**
 * Workers open the cache and the limiter on their own `--redis` connection (the spec never says where to
 * connect), so a store made on another Redis would silently not be the one the workers use: refused.
 */
function checkSameRedis(option: 'cache' | 'rateLimit', url: string | undefined, redis: string): void {
  if (url === undefined || url === redis) return;
  throw new TypeError(
    `Expected \`${option}\` to live on the cluster's Redis "${_redactUrl(redis)}" in cluster mode (workers open it on their own --redis connection), got one on "${_redactUrl(url)}": make it with { url: cluster.redis }`,
  );
}
