/**
 * An entry in Redis that is JSON but not a cache entry is refused as SQLite refuses it.
 *
 * Regression: redisCache checked only that an entry was a JSON object, so `{"value":1,"costUsd":"0.1"}` (a Redis
 * another tool, or another version, wrote into the shared hash) was a hit: a run answered from it with
 * `{"inputTokens":"3","outputTokens":"2"}` and `"0.1"` reported `savedInputTokens: '03'` and `savedCostUsd: '00.1'`
 * (text, added to 0), where sqliteCache says CacheEntryError (a miss) for the same bytes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheKey, redisCache } from '../../src/cache/index.js';
import { CallEngine } from '../../src/calls/callRuntime.js';
import { CacheEntryError } from '../../src/errors.js';
import { redisServer } from '../_system.js';
import { type RedisProcess, startRedis } from '../cluster/_cluster.js';

const redisReq = redisServer('the redisCache entry checks talk to a local Redis');
let redis: RedisProcess;

const cases: [string, string, string][] = [
  ['an array', '[1,2]', 'is `array(2)` (array), not an object'],
  ['usage of the wrong shape', '{"value":1,"usage":"lots"}', '`usage` is not { inputTokens, outputTokens }'],
  [
    'usage with text counts',
    '{"value":1,"usage":{"inputTokens":"3","outputTokens":1}}',
    '`usage` is not { inputTokens, outputTokens }',
  ],
  ['usage null', '{"value":1,"usage":null}', '`usage` is not { inputTokens, outputTokens }'],
  ['costUsd not a number', '{"value":1,"costUsd":"0.1"}', '`costUsd` is `"0.1"` (string), not a number'],
];

describe.skipIf(redisReq.skip)('redisCache: an entry of the wrong shape', () => {
  beforeAll(async () => {
    redis = await startRedis(redisReq.executable());
  }, 30_000);
  afterAll(async () => redis?.stop());

  it.each(cases)('%s: a CacheEntryError counted as a miss, as in sqliteCache', async (_n, stored, why) => {
    const cache = redisCache({ url: redis.url, prefix: 'shape:' });
    await redis.client.hset('shape:entries', 'bad', stored);
    const err = await cache.get('bad').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CacheEntryError);
    expect((err as CacheEntryError).key).toBe('bad');
    expect((err as Error).message).toBe(
      `The entry "bad" of evalgate's Redis cache at "${redis.url} shape:entries" ${why}; it counts as a miss, and the next write of this key replaces it.`,
    );
    expect(await cache.stats()).toMatchObject({ hits: 0, misses: 1 });
    await cache.set('bad', { value: 'fresh', costUsd: 0.25 });
    expect(await cache.get('bad')).toEqual({ value: 'fresh', costUsd: 0.25 });
    await cache.close();
  });

  it('a run never counts what such an entry holds: the call is sent again and the totals stay numbers', async () => {
    const cache = redisCache({ url: redis.url, prefix: 'shape-run:' });
    const request = { model: 'm', input: 'q' };
    await redis.client.hset(
      'shape-run:entries',
      cacheKey(request),
      '{"value":"stale","usage":{"inputTokens":"3","outputTokens":"2"},"costUsd":"0.1"}',
    );
    const rt = new CallEngine({ cache });
    const r = await rt.call(
      { kind: 'model', request },
      async () => ({ value: 'live' }),
      new AbortController().signal,
    );
    expect(r.value).toBe('live');
    expect(rt.totals.cacheHits).toBe(0);
    expect(rt.totals.savedCostUsd).toBe(0);
    expect(rt.totals.savedInputTokens).toBe(0);
    await cache.close();
  });
});
