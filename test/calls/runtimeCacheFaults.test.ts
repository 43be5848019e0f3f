// A cache that fails must never cost a paid response: a failing get is a miss, a failing set keeps the response,
// and both are reported once each, with a count, in runtime.warnings.
import { describe, expect, it } from 'vitest';
import type { CacheEntry, CacheStore } from '../../src/cache/CacheStore.js';
import { memoryCache } from '../../src/cache/index.js';
import { CallEngine, type CallOutcome } from '../../src/calls/callRuntime.js';

const signal = new AbortController().signal;

/** A memory store whose get / set fail as told (synchronously or as a rejected promise). */
function faultyStore(faults: { get?: 'throw' | 'reject'; set?: 'throw' | 'reject'; getFailures?: number }) {
  const inner = memoryCache();
  const calls = { get: 0, set: 0 };
  const fail = (how: 'throw' | 'reject' | undefined, err: Error) => {
    if (how === 'throw') throw err;
    if (how === 'reject') return Promise.reject(err);
    return undefined;
  };
  const store: CacheStore = {
    get(key) {
      calls.get++;
      if (faults.getFailures === undefined || calls.get <= faults.getFailures) {
        const failed = fail(faults.get, new Error(`corrupted entry under ${key.slice(0, 8)}`));
        if (failed !== undefined) return failed as Promise<undefined>;
      }
      return inner.get(key);
    },
    set(key, entry: CacheEntry) {
      calls.set++;
      const failed = fail(faults.set, new Error('disk full'));
      if (failed !== undefined) return failed;
      return inner.set(key, entry);
    },
    has: (key) => inner.has(key),
    stats: () => inner.stats(),
    close: () => inner.close(),
  };
  return { store, calls, inner };
}

function counter() {
  const c = {
    sends: 0,
    send: async (): Promise<CallOutcome<string>> => {
      c.sends++;
      return { value: `answer ${c.sends}`, usage: { inputTokens: 3, outputTokens: 2 } };
    },
  };
  return c;
}

describe('cache faults never lose a paid response', () => {
  it.each(['throw', 'reject'] as const)(
    'a set that fails (%s) returns the response and records one warning with a count',
    async (how) => {
      const { store, calls } = faultyStore({ set: how });
      const rt = new CallEngine({ cache: store });
      const c = counter();
      for (let i = 0; i < 3; i++) {
        const r = await rt.call({ kind: 'model', request: { q: i } }, c.send, signal);
        expect(r).toMatchObject({ value: `answer ${i + 1}`, cached: false, usage: { inputTokens: 3 } });
      }
      expect(calls.set).toBe(3);
      expect(rt.totals).toMatchObject({ requests: 3, inputTokens: 9, cacheMisses: 3 });
      expect(rt.warnings).toEqual([
        'cache write failed 3 times (responses kept, not cached): Error: disk full',
      ]);
    },
  );

  it.each(['throw', 'reject'] as const)(
    'a get that fails (%s) is a miss: the call is sent and the entry overwritten',
    async (how) => {
      const { store, inner } = faultyStore({ get: how, getFailures: 1 });
      const request = { q: 'capital of France' };
      // A stale entry the failing read could not return.
      const seed = new CallEngine({ cache: inner });
      await seed.call({ kind: 'model', request }, async () => ({ value: 'stale' }), signal);
      const rt = new CallEngine({ cache: store });
      const c = counter();
      const first = await rt.call({ kind: 'model', request }, c.send, signal);
      expect(first).toMatchObject({ value: 'answer 1', cached: false });
      expect(c.sends).toBe(1);
      // The read works again: it finds the overwritten entry.
      const second = await rt.call({ kind: 'model', request }, c.send, signal);
      expect(second).toMatchObject({ value: 'answer 1', cached: true });
      expect(c.sends).toBe(1);
      expect(rt.warnings).toHaveLength(1);
      expect(rt.warnings[0]).toMatch(
        /^cache read failed 1 time \(treated as misses\): Error: corrupted entry under [0-9a-f]{8}$/,
      );
    },
  );

  it('both kinds are listed, in order of first occurrence, deduplicated', async () => {
    const { store } = faultyStore({ get: 'throw', set: 'reject' });
    const rt = new CallEngine({ cache: store });
    const c = counter();
    for (let i = 0; i < 2; i++) await rt.call({ kind: 'model', request: { q: 1 } }, c.send, signal);
    expect(c.sends).toBe(2);
    expect(rt.warnings).toEqual([
      expect.stringMatching(
        /^cache read failed 2 times \(treated as misses\): Error: corrupted entry under /,
      ),
      'cache write failed 2 times (responses kept, not cached): Error: disk full',
    ]);
    expect(Object.isFrozen(rt.warnings)).toBe(true);
  });

  it('a runtime without faults has no warnings', async () => {
    const rt = new CallEngine({ cache: memoryCache() });
    await rt.call({ kind: 'model', request: { q: 1 } }, counter().send, signal);
    expect(rt.warnings).toEqual([]);
  });
});
