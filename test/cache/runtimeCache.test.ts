import { describe, expect, it } from 'vitest';
import { cacheKey, memoryCache, sqliteCache } from '../../src/cache/index.js';
import { CallEngine, type CallOutcome } from '../../src/calls/callRuntime.js';
import { ReplayMissError } from '../../src/errors.js';

const signal = new AbortController().signal;
const req = (q: string) => ({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: q }],
  temperature: 0,
});

/** A sender that counts its calls and answers after `ms`. */
function counter(ms = 0, usage = { inputTokens: 1000, outputTokens: 500 }) {
  const sender = {
    calls: 0,
    send: async (s: AbortSignal): Promise<CallOutcome<string>> => {
      sender.calls++;
      if (ms > 0) await new Promise((r) => setTimeout(r, ms));
      if (s.aborted) throw s.reason;
      return { value: `answer ${sender.calls}`, usage };
    },
  };
  return sender;
}

describe('runtime cache modes', () => {
  it('read-write: a miss is fetched, priced, stored; the repeat is a hit that reports what it saved', async () => {
    const store = memoryCache();
    const s = counter();
    const rt1 = new CallEngine({ cache: store });
    const a = await rt1.call({ kind: 'model', exampleId: 'e1', request: req('q') }, s.send, signal);
    expect(a).toEqual({
      value: 'answer 1',
      usage: { inputTokens: 1000, outputTokens: 500 },
      costUsd: (1000 * 0.15 + 500 * 0.6) / 1e6,
      cached: false,
      retries: 0,
    });
    expect(rt1.totals).toMatchObject({ requests: 1, cacheHits: 0, cacheMisses: 1, savedCostUsd: 0 });
    const rt2 = new CallEngine({ cache: { store, mode: 'read-write' } });
    const b = await rt2.call({ kind: 'model', exampleId: 'e1', request: req('q') }, s.send, signal);
    expect(s.calls).toBe(1);
    expect(b).toEqual({ ...a, cached: true });
    expect(rt2.totals).toEqual({
      requests: 0,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      cacheHits: 1,
      cacheMisses: 0,
      retries: 0,
      savedInputTokens: 1000,
      savedOutputTokens: 500,
      savedCostUsd: (1000 * 0.15 + 500 * 0.6) / 1e6,
    });
  });

  it('read-only: reads but never writes', async () => {
    const store = memoryCache();
    await store.set(cacheKey(req('known')), { value: 'cached' });
    const s = counter();
    const rt = new CallEngine({ cache: { store, mode: 'read-only' } });
    expect((await rt.call({ kind: 'model', request: req('known') }, s.send, signal)).value).toBe('cached');
    expect((await rt.call({ kind: 'model', request: req('new') }, s.send, signal)).value).toBe('answer 1');
    expect(store.has(cacheKey(req('new')))).toBe(false);
    expect(rt.totals).toMatchObject({ cacheHits: 1, cacheMisses: 1, requests: 1 });
  });

  it('write-only: always fetches and refreshes the entry', async () => {
    const store = memoryCache();
    await store.set(cacheKey(req('q')), { value: 'stale' });
    const s = counter();
    const rt = new CallEngine({ cache: { store, mode: 'write-only' } });
    expect((await rt.call({ kind: 'model', request: req('q') }, s.send, signal)).value).toBe('answer 1');
    expect((await store.get(cacheKey(req('q'))))?.value).toBe('answer 1');
    expect(s.calls).toBe(1);
  });

  it('off: ignores the store', async () => {
    const store = memoryCache();
    await store.set(cacheKey(req('q')), { value: 'cached' });
    const s = counter();
    const rt = new CallEngine({ cache: { store, mode: 'off' } });
    expect((await rt.call({ kind: 'model', request: req('q') }, s.send, signal)).value).toBe('answer 1');
    expect((await rt.call({ kind: 'model', request: req('q') }, s.send, signal)).value).toBe('answer 2');
    expect(await store.stats()).toMatchObject({ size: 1, writes: 1 });
    expect(rt.totals).toMatchObject({ cacheHits: 0, cacheMisses: 0 });
  });

  it('replay: a hit is served; a miss throws ReplayMissError naming the example, before anything is sent', async () => {
    const store = memoryCache();
    await store.set(cacheKey(req('known')), { value: 'cached' });
    const s = counter();
    const rt = new CallEngine({ cache: { store, mode: 'replay' } });
    expect((await rt.call({ kind: 'model', request: req('known') }, s.send, signal)).value).toBe('cached');
    const err = await rt
      .call({ kind: 'judge', exampleId: 'q-17', trial: 2, request: req('unknown') }, s.send, signal)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplayMissError);
    const e = err as ReplayMissError;
    expect(e.code).toBe('E_REPLAY_MISS');
    expect(e.exampleId).toBe('q-17');
    expect(e.key).toBe(cacheKey(req('unknown'), 2));
    expect(e.message).toBe(
      `Replay miss: no cached response for example "q-17" (judge call, trial 2, key ${e.key.slice(0, 12)}…); replay mode sends no request`,
    );
    expect(s.calls).toBe(0);
    expect(rt.totals.requests).toBe(0);
  });

  it('does not cache calls without a request', async () => {
    const store = memoryCache();
    const s = counter();
    const rt = new CallEngine({ cache: store });
    await rt.call({ kind: 'model' }, s.send, signal);
    await rt.call({ kind: 'model' }, s.send, signal);
    expect(s.calls).toBe(2);
    expect((await store.stats()).size).toBe(0);
  });

  it('never caches errors', async () => {
    const store = memoryCache();
    const rt = new CallEngine({ cache: store, retry: { maxRetries: 0 } });
    const bad = Object.assign(new Error('Bad request'), { status: 400 });
    await expect(
      rt.call({ kind: 'model', request: req('q') }, () => Promise.reject(bad), signal),
    ).rejects.toBe(bad);
    expect((await store.stats()).size).toBe(0);
    const ok = await rt.call({ kind: 'model', request: req('q') }, async () => ({ value: 'fine' }), signal);
    expect(ok.cached).toBe(false);
    expect(ok.value).toBe('fine');
  });

  it('caches each trial separately', async () => {
    const store = memoryCache();
    const s = counter();
    const rt = new CallEngine({ cache: store });
    for (const trial of [0, 1, 2, 0, 1, 2])
      await rt.call({ kind: 'model', trial, request: req('q') }, s.send, signal);
    expect(s.calls).toBe(3);
    expect(rt.totals).toMatchObject({ cacheHits: 3, cacheMisses: 3 });
  });

  it('single flight: identical concurrent calls share one request', async () => {
    const store = memoryCache();
    const s = counter(20);
    const rt = new CallEngine({ cache: store });
    const results = await Promise.all(
      Array.from({ length: 10 }, () => rt.call({ kind: 'model', request: req('same') }, s.send, signal)),
    );
    expect(s.calls).toBe(1);
    expect(new Set(results.map((r) => r.value))).toEqual(new Set(['answer 1']));
    expect(results.filter((r) => !r.cached)).toHaveLength(1);
    expect(rt.totals).toMatchObject({ requests: 1, cacheMisses: 1, cacheHits: 9 });
  });

  it('single flight spans runtimes sharing a store, and a follower whose leader is cancelled goes again', async () => {
    const store = memoryCache();
    const s = counter(30);
    const leaderAbort = new AbortController();
    const rtA = new CallEngine({ cache: store });
    const rtB = new CallEngine({ cache: store });
    const leader = rtA.call({ kind: 'model', request: req('x') }, s.send, leaderAbort.signal);
    const follower = rtB.call({ kind: 'model', request: req('x') }, s.send, signal);
    setTimeout(() => leaderAbort.abort(new Error('leader cancelled')), 5);
    await expect(leader).rejects.toThrow('leader cancelled');
    const f = await follower;
    expect(f.cached).toBe(false);
    expect(s.calls).toBe(2);
  });

  it('a follower shares the leader’s failure (not cached) but is not held by it', async () => {
    const store = memoryCache();
    const rt = new CallEngine({ cache: store, retry: { maxRetries: 0 } });
    const bad = Object.assign(new Error('nope'), { status: 404 });
    const send = () => new Promise<CallOutcome<string>>((_, rej) => setTimeout(() => rej(bad), 10));
    const all = await Promise.allSettled([
      rt.call({ kind: 'model', request: req('y') }, send, signal),
      rt.call({ kind: 'model', request: req('y') }, send, signal),
    ]);
    expect(all.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((await store.stats()).size).toBe(0);
  });

  it('writes to SQLite before the call returns', async () => {
    const store = sqliteCache(':memory:');
    const rt = new CallEngine({ cache: store });
    await rt.call(
      { kind: 'embedding', request: { model: 'text-embedding-3-small', input: 'a' } },
      async () => ({ value: [0.1, 0.2] }),
      signal,
    );
    expect(store.has(cacheKey({ model: 'text-embedding-3-small', input: 'a' }))).toBe(true);
    await store.close();
  });

  it.each([
    [{ cache: 3 }, TypeError, 'Expected `cache` to be a CacheStore or { store, mode }, got `3` (number)'],
    [
      { cache: { store: memoryCache(), mode: 'sometimes' } },
      TypeError,
      "Expected `cache.mode` to be one of 'read-write' | 'read-only' | 'write-only' | 'replay' | 'off', got `\"sometimes\"` (string)",
    ],
  ])('rejects a bad cache option (%#)', (opts, Err, message) => {
    expect(() => new CallEngine(opts as never)).toThrow(new Err(message));
  });
});
