// A lease given back unused (a request the budget refused after its wait, or a stopped cluster run's) frees its
// slot of the shared Redis limiter at once. Regression: it was released with 0 tokens, so every process sharing
// the name saw the request counted for a whole window though it was never sent.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisRateLimiter } from '../../src/calls/index.js';
import { redisServer } from '../_system.js';
import { type RedisProcess, startRedis } from './_cluster.js';

const redisReq = redisServer('the Redis limiter suite talks to a local Redis');
let redis: RedisProcess;

async function settled(read: () => Promise<unknown>, want: unknown): Promise<unknown> {
  // cancel and release are fire and forget: poll until Redis has applied them (bounded).
  let got: unknown;
  for (let i = 0; i < 100; i++) {
    got = await read();
    if (JSON.stringify(got) === JSON.stringify(want)) return got;
    await new Promise((r) => setTimeout(r, 10));
  }
  return got;
}

/**
 * What every process sharing the limiter `name` sees, read from Redis: requests in flight or finished within the
 * window, and the tokens counted.
 */
function countedBy(direct: Redis, name: string): () => Promise<{ requests: number; tokens: number }> {
  const base = `evalgate:rl:{${name}}:`;
  return async () => ({
    requests: (await direct.zcard(`${base}inflight`)) + (await direct.zcard(`${base}done`)),
    tokens: Number((await direct.get(`${base}total`)) ?? '0'),
  });
}

describe.skipIf(redisReq.skip)('redisRateLimiter: a lease given back unused', () => {
  beforeAll(async () => {
    redis = await startRedis(redisReq.executable());
  }, 30_000);
  afterAll(async () => redis?.stop());

  it('frees its slot and tokens for every process at once; a released lease stays counted', async () => {
    const a = redisRateLimiter({ url: redis.url, name: 'cancel', rpm: 2, tpm: 100, windowMs: 60_000 });
    const b = redisRateLimiter({ url: redis.url, name: 'cancel', rpm: 2, tpm: 100, windowMs: 60_000 });
    const first = await a.acquire(40);
    const second = await a.acquire(30);
    first.cancel!();
    const direct = new Redis(redis.url);
    const counted = countedBy(direct, 'cancel');
    expect(await settled(counted, { requests: 1, tokens: 30 })).toEqual({ requests: 1, tokens: 30 });
    // The freed slot admits another process's request at once (rpm 2: one sent, one new).
    const third = await b.acquire(10);
    second.release(5);
    second.cancel!(); // after release: the request was sent, it stays counted
    third.release(10);
    expect(await settled(counted, { requests: 2, tokens: 15 })).toEqual({ requests: 2, tokens: 15 });
    await Promise.all([a.close(), b.close()]);
    direct.disconnect();
  }, 30_000);

  it('a waiter aborted while its acquire was in flight gives the slot Redis granted back at once', async () => {
    // The acquire script is wrapped so the waiter's signal aborts after the script was sent and before its answer:
    // Redis grants the slot to a waiter that is gone, and the limiter must cancel that lease (not release it, which
    // would count a request never sent for a whole window).
    const connection = new Redis(redis.url);
    const limiter = redisRateLimiter({
      connection,
      name: 'abort-in-flight',
      rpm: 5,
      tpm: 100,
      windowMs: 60_000,
    });
    const commands = connection as unknown as { evalgateRlAcquire: (...args: unknown[]) => Promise<unknown> };
    const acquire = commands.evalgateRlAcquire.bind(connection);
    const gone = new AbortController();
    let asked = 0;
    commands.evalgateRlAcquire = (...args: unknown[]) => {
      const answer = acquire(...args);
      asked++;
      gone.abort(new Error('the row stopped'));
      return answer;
    };
    await expect(limiter.acquire(40, gone.signal)).rejects.toThrow('the row stopped');
    expect(asked).toBe(1);
    const direct = new Redis(redis.url);
    const counted = countedBy(direct, 'abort-in-flight');
    expect(await settled(counted, { requests: 0, tokens: 0 })).toEqual({ requests: 0, tokens: 0 });
    await limiter.close();
    connection.disconnect();
    direct.disconnect();
  }, 30_000);
});
