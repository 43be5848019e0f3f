// redisRateLimiter and redisCache against a real redis-server this suite starts (persistence off): many
// limiter instances, each with its own connection as separate processes would have, share one exact limit;
// the cache keeps the CacheStore contract.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisCache } from '../../src/cache/index.js';
import { type RedisRateLimiter, redisRateLimiter } from '../../src/calls/index.js';
import { CacheEntryError } from '../../src/errors.js';
import { redisServer } from '../_system.js';
import { type RedisProcess, startRedis } from './_cluster.js';

const redisReq = redisServer('the Redis limiter and cache suite talks to a local Redis');
let redis: RedisProcess;

describe.skipIf(redisReq.skip)('redisRateLimiter and redisCache on a real Redis', () => {
  beforeAll(async () => {
    redis = await startRedis(redisReq.executable());
  }, 30_000);
  afterAll(async () => redis?.stop());

  it('8 limiters of one name admit exactly rpm requests per window between them', async () => {
    const rpm = 25;
    const windowMs = 1500;
    const limiters: RedisRateLimiter[] = Array.from({ length: 8 }, () =>
      redisRateLimiter({ url: redis.url, name: 'exact-rpm', rpm, windowMs }),
    );
    const admitted: number[] = [];
    const t0 = Date.now();
    // 80 requests of 20 ms each, 10 per limiter, all asked at once.
    await Promise.all(
      limiters.flatMap((l) =>
        Array.from({ length: 10 }, async () => {
          const lease = await l.acquire(1);
          admitted.push(Date.now() - t0);
          await new Promise((r) => setTimeout(r, 20));
          lease.release();
        }),
      ),
    );
    admitted.sort((a, b) => a - b);
    expect(admitted).toHaveLength(80);
    // In any window, at most rpm admissions (the rule counts each until a window after it finished).
    let worst = 0;
    for (let i = 0, j = 0; i < admitted.length; i++) {
      while (admitted[i]! - admitted[j]! >= windowMs) j++;
      worst = Math.max(worst, i - j + 1);
    }
    expect(worst, 'admissions in the busiest window').toBeLessThanOrEqual(rpm);
    // The limit binds: 80 requests at 25 per window need more than 3 windows.
    expect(admitted.at(-1)!).toBeGreaterThanOrEqual(3 * windowMs);
    await Promise.all(limiters.map((l) => l.close()));
  }, 30_000);

  it('tokens: estimates are reconciled with usage, and tpm holds across limiters', async () => {
    const a = redisRateLimiter({ url: redis.url, name: 'tpm', tpm: 100, windowMs: 60_000 });
    const b = redisRateLimiter({ url: redis.url, name: 'tpm', tpm: 100, windowMs: 60_000 });
    const l1 = await a.acquire(60);
    // 60 + 60 > 100: b must wait while a's estimate stands...
    const controller = new AbortController();
    const waiting = b.acquire(60, controller.signal);
    await new Promise((r) => setTimeout(r, 100));
    expect(b.usage().queued).toBe(1);
    // ...until a reports it used 30: 30 + 60 <= 100.
    l1.release(30);
    const l2 = await waiting;
    expect(b.usage().tokens).toBe(90);
    l2.release();
    await Promise.all([a.close(), b.close()]);
  }, 15_000);

  // Regression: the limiter's sleep until a slot frees was its window as it was, and Node fires a timer past
  // 2^31-1 ms after 1 ms: a limiter blocked on a window of 2^31 + 1000 ms asked Redis again every millisecond.
  it('a limiter blocked on a window past 2^31-1 ms does not ask Redis every millisecond', async () => {
    const limiter = redisRateLimiter({
      url: redis.url,
      name: 'huge-window',
      rpm: 1,
      windowMs: 2 ** 31 + 1000,
    });
    (await limiter.acquire(1)).release();
    const admin = new Redis(redis.url);
    const calls = async () => {
      const info = await admin.info('commandstats');
      return [...info.matchAll(/^cmdstat_(?:evalsha|eval):calls=(\d+)/gm)].reduce(
        (n, m) => n + Number(m[1]),
        0,
      );
    };
    const waiting = new AbortController();
    const second = limiter.acquire(1, waiting.signal).catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 50));
    const before = await calls();
    await new Promise((r) => setTimeout(r, 300));
    const asked = (await calls()) - before;
    waiting.abort(new Error('done'));
    expect(await second).toMatchObject({ message: 'done' });
    // Woken every millisecond, it would have run its script about 300 times.
    expect(asked, 'scripts run while blocked for 300 ms').toBeLessThanOrEqual(10);
    admin.disconnect();
    await limiter.close();
  });

  it("pause() (a 429's reset) stops admission in every process sharing the name", async () => {
    const a = redisRateLimiter({ url: redis.url, name: 'pause', rpm: 1000, windowMs: 60_000 });
    const b = redisRateLimiter({ url: redis.url, name: 'pause', rpm: 1000, windowMs: 60_000 });
    await a.pause(400);
    const t0 = Date.now();
    (await b.acquire(1)).release();
    expect(Date.now() - t0, 'b waited for the pause a set').toBeGreaterThanOrEqual(300);
    await Promise.all([a.close(), b.close()]);
  });

  it('a holder that never releases (killed) frees its slot one window after its lease lapses', async () => {
    const dead = redisRateLimiter({ url: redis.url, name: 'lease', rpm: 1, windowMs: 300, leaseMs: 300 });
    await dead.acquire(1); // never released
    await dead.close();
    const live = redisRateLimiter({ url: redis.url, name: 'lease', rpm: 1, windowMs: 300, leaseMs: 300 });
    const t0 = Date.now();
    (await live.acquire(1)).release();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
    await live.close();
  });

  it('an aborted waiter rejects with the signal reason; options are checked by name', async () => {
    const l = redisRateLimiter({ url: redis.url, name: 'abort', rpm: 1, windowMs: 60_000 });
    await l.acquire(1);
    const controller = new AbortController();
    const waiting = l.acquire(1, controller.signal);
    controller.abort(new Error('stop waiting'));
    await expect(waiting).rejects.toThrow('stop waiting');
    await l.close();
    expect(() => redisRateLimiter({ url: redis.url, name: 'bad name!' })).toThrow(
      /Expected `redisRateLimiter.name` to be a name of letters, digits, _ . : -, got `"bad name!"` \(string\)/,
    );
    expect(() => redisRateLimiter({ name: 'x' })).toThrow(
      /Expected `redisRateLimiter.url` to be a redis:\/\/ URL/,
    );
    expect(() => redisRateLimiter({ url: redis.url, name: 'x', rpm: 0 })).toThrow(RangeError);
  });

  it('redisCache keeps the CacheStore contract, shared between connections', async () => {
    const a = redisCache({ url: redis.url, prefix: 'contract:' });
    const conn = new Redis(redis.url);
    const b = redisCache({ connection: conn, prefix: 'contract:' });
    expect(await a.get('k')).toBeUndefined();
    await a.set('k', {
      value: { answer: 'Paris' },
      usage: { inputTokens: 3, outputTokens: 1 },
      costUsd: 0.5,
    });
    expect(await b.has('k')).toBe(true);
    expect(await b.get('k')).toEqual({
      value: { answer: 'Paris' },
      usage: { inputTokens: 3, outputTokens: 1 },
      costUsd: 0.5,
    });
    await a.assertWritable();
    expect(await a.stats()).toEqual({ size: 1, hits: 0, misses: 1, writes: 1 });
    expect(await b.stats()).toEqual({ size: 1, hits: 1, misses: 0, writes: 0 });
    await conn.hset('contract:entries', 'bad', '{not json');
    const err = await b.get('bad').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CacheEntryError);
    expect((err as CacheEntryError).key).toBe('bad');
    await a.close();
    await b.close();
    expect(conn.status).toBe('ready'); // a connection it was given stays open
    conn.disconnect();
  });
});
