/**
 * A replay whose cache cannot be read says so; it never claims the entry is absent.
 *
 * Regression: a failing read was a miss in every mode, so a replay against a Redis that had gone away (or a store
 * that threw on `get`) failed with `Replay miss: no cached response for example "q0"`: the entry was there, the
 * message said it never was, and what it asked for (record the cache again) would pay for every call anew.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CacheStore } from '../../src/cache/CacheStore.js';
import { cacheKey, memoryCache, redisCache } from '../../src/cache/index.js';
import { CallEngine, type CallOutcome } from '../../src/calls/callRuntime.js';
import { ReplayMissError } from '../../src/errors.js';
import { evaluate } from '../../src/index.js';
import { redisServer } from '../_system.js';
import { type RedisProcess, startRedis } from '../cluster/_cluster.js';

const signal = new AbortController().signal;
const request = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'capital of France?' }] };

/** A store holding the answer to `request`, whose reads fail as told. */
function unreadable(how: 'throw' | 'reject'): CacheStore {
  const inner = memoryCache();
  inner.set(cacheKey(request), { value: 'Paris' });
  const failure = new Error('connection reset');
  return {
    get: () => {
      if (how === 'throw') throw failure;
      return Promise.reject(failure);
    },
    set: (k, e) => inner.set(k, e),
    has: (k) => inner.has(k),
    stats: () => inner.stats(),
    close: () => inner.close(),
  };
}

describe('replay: a read that fails is not reported as a missing entry', () => {
  it.each(['throw', 'reject'] as const)(
    'a get that fails (%s) gives a ReplayMissError that says the read failed, with the cause, and sends nothing',
    async (how) => {
      let sends = 0;
      const send = async (): Promise<CallOutcome<string>> => {
        sends++;
        return { value: 'live' };
      };
      const rt = new CallEngine({ cache: { store: unreadable(how), mode: 'replay' } });
      const err = await rt
        .call({ kind: 'model', exampleId: 'q0', request }, send, signal)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ReplayMissError);
      const e = err as ReplayMissError;
      expect(e.key).toBe(cacheKey(request));
      expect(e.exampleId).toBe('q0');
      expect(e.message).toBe(
        `Replay miss: the cache could not be read for example "q0" (model call, trial 0, key ${e.key.slice(0, 12)}…): Error: connection reset. The entry may be there; replay mode sends no request, so fix the store and replay again`,
      );
      expect(e.message).not.toContain('no cached response');
      expect((e.cause as Error).message).toBe('connection reset');
      expect(sends).toBe(0);
      expect(rt.totals.requests).toBe(0);
    },
  );

  it('a read-write run still treats a failed read as a miss (the call is sent, with a warning)', async () => {
    const rt = new CallEngine({ cache: unreadable('reject') });
    const r = await rt.call({ kind: 'model', request }, async () => ({ value: 'live' }), signal);
    expect(r.value).toBe('live');
    expect(rt.warnings).toEqual(['cache read failed 1 time (treated as misses): Error: connection reset']);
  });
});

const redisReq = redisServer('the replay-after-Redis-died test stops a local Redis');
describe.skipIf(redisReq.skip)('replay from a Redis that has gone away', () => {
  let redis: RedisProcess | undefined;
  beforeAll(async () => {
    redis = await startRedis(redisReq.executable());
  }, 30_000);
  afterAll(async () => redis?.stop());

  it('fails saying the cache could not be read, not that the entry is missing', async () => {
    const server = redis as RedisProcess;
    const cache = redisCache({ url: server.url, prefix: 'replay-dead:' });
    const data = [{ id: 'q0', input: 'capital of France?' }];
    const model =
      (answer: string) => async (input: unknown, ctx: Parameters<Parameters<typeof evaluate>[1]>[1]) =>
        (await ctx.call({ request: { model: 'm', input } }, async () => ({ value: answer }))).value as string;
    const recorded = await evaluate(data, model('Paris'), [], { cache, progress: false });
    expect(recorded.examples[0]?.output).toBe('Paris');
    expect((await cache.stats()).size).toBe(1);
    await server.stop();
    redis = undefined;
    const err = await evaluate(data, model('live'), [], {
      cache: { store: cache, mode: 'replay' },
      progress: false,
    }).catch((e: unknown) => e);
    await cache.close();
    expect(err).toBeInstanceOf(ReplayMissError);
    expect((err as Error).message).toMatch(
      /^Replay miss: the cache could not be read for example "q0" \(model call, trial 0, key [0-9a-f]{12}…\): /,
    );
    expect((err as Error).cause).toBeInstanceOf(Error);
  }, 60_000);
});
