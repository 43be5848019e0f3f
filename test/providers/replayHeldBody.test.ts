// A cache hit hands the SDK the body the store has just parsed instead of text to parse again (issue 20, item 6):
// the response still reads like a Response of that JSON, and no two calls, nor a call and the cache, ever share an
// object a pipeline could change.
import fc from 'fast-check';
import OpenAI from 'openai';
import OpenAI6 from 'openai-v6';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CacheEntry, type CacheStore, memoryCache } from '../../src/cache/index.js';
import { evaluate, type Metric, wrapOpenAI } from '../../src/index.js';
import { _ReadResponse } from '../../src/providers/_routeRequests.js';
import { type MockServer, startMockServer } from '../../src/testing/index.js';

const init = () => ({
  status: 200,
  headers: { 'content-type': 'application/json', 'x-request-id': 'req_1' },
});

describe('_ReadResponse holding a parsed JSON value', () => {
  it('reads like a Response of its JSON text (json, text, arrayBuffer, clone, body), seeded', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const text = JSON.stringify(value);
        // What a store hands over: the value parsed from its JSON text.
        const held = () => new _ReadResponse({ json: JSON.parse(text) }, init());
        const ours = held();
        expect(ours).toBeInstanceOf(Response);
        expect(ours.status).toBe(200);
        expect(ours.headers.get('x-request-id')).toBe('req_1');
        expect(await ours.json()).toEqual(await new Response(text, init()).json());
        expect(await held().text()).toBe(text);
        expect(new TextDecoder().decode(await held().arrayBuffer())).toBe(text);
        expect(await held().clone().text()).toBe(text);
        expect(await new Response(held().body).text()).toBe(text);
      }),
      { seed: 22, numRuns: 200 },
    );
  });

  it('hands its value out once, itself; a clone taken before is a separate copy', async () => {
    const value = { a: { b: [1, 2] } };
    const r = new _ReadResponse({ json: value }, init());
    const copy = r.clone();
    expect(r.bodyUsed).toBe(false);
    const got = (await r.json()) as typeof value;
    expect(got).toBe(value);
    expect(r.bodyUsed).toBe(true);
    await expect(r.json()).rejects.toBeInstanceOf(TypeError);
    await expect(r.text()).rejects.toBeInstanceOf(TypeError);
    expect(() => r.clone()).toThrow(TypeError);
    got.a.b.push(3);
    expect(await copy.json()).toEqual({ a: { b: [1, 2] } });
  });
});

describe('replayed chat completions through a wrapped client', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startMockServer({ table: { q: 'answer' } });
  });
  afterAll(async () => {
    await mock.close();
  });

  const metric: Metric = { name: 'len', kind: 'continuous', score: ({ output }) => output.length };
  const opts = { progress: false, resamples: 10 } as const;

  /**
   * A pipeline that asks, then changes the completion it got in place; the row's output is what it read. Rows
   * asking the same question are answered from one entry (a row's repeated question would be an entry of its
   * own), so each later row is a later hit of the entry an earlier row changed.
   */
  const mutating =
    (client: OpenAI, seen: object[] = []) =>
    async () => {
      const res = await client.chat.completions.create({
        model: 'm',
        messages: [{ role: 'user', content: 'q' }],
      });
      seen.push(res, res.choices);
      const message = res.choices[0]?.message;
      const read = message?.content ?? '';
      if (message !== undefined) message.content = 'changed by the pipeline';
      return read;
    };
  const rows = (n: number) => Array.from({ length: n }, () => ({ input: 'q' }));

  it.each(['read-write', 'replay'] as const)(
    'a pipeline that changes a response sees the cached answer unchanged on the next hit (%s)',
    async (mode) => {
      const cache = memoryCache();
      const client = wrapOpenAI(new OpenAI({ baseURL: mock.url, apiKey: 'k', maxRetries: 0 }));
      await evaluate(rows(1), mutating(client), [metric], { ...opts, cache });
      const seen: object[] = [];
      const r = await evaluate(rows(4), mutating(client, seen), [metric], {
        ...opts,
        cache: { store: cache, mode },
        concurrency: 2,
      });
      expect(r.totals.requests).toBe(0);
      expect(r.examples.map((row) => row.output)).toEqual(['answer', 'answer', 'answer', 'answer']);
      expect(new Set(seen).size, 'each hit its own response and choices').toBe(8);
    },
  );

  /**
   * A store over `inner` that keeps the first entry it reads for a key (as `keep` makes it) and returns that same
   * object on every later get (CacheStore.get asks stores to return a copy instead).
   */
  const keepingStore = (inner: CacheStore, keep: (entry: CacheEntry) => CacheEntry): CacheStore => {
    const kept = new Map<string, CacheEntry>();
    return {
      get: async (k) => {
        let hit = kept.get(k);
        if (hit === undefined) {
          const got = await inner.get(k);
          if (got === undefined) return undefined;
          hit = keep(got);
          kept.set(k, hit);
        }
        return hit;
      },
      set: (k, e) => inner.set(k, e),
      has: (k) => inner.has(k),
      stats: () => inner.stats(),
      close: () => inner.close(),
    };
  };

  /** Replays the same question in three rows, one after the other, from `store`; `seen` holds each response and its choices. */
  const askThrice = async (client: OpenAI, store: CacheStore) => {
    const seen: object[] = [];
    const ask = async () => {
      const res = await client.chat.completions.create({
        model: 'm',
        messages: [{ role: 'user', content: 'q' }],
      });
      seen.push(res, res.choices);
      return 'ok';
    };
    const r = await evaluate(rows(3), ask, [metric], {
      ...opts,
      cache: { store, mode: 'replay' },
      concurrency: 1,
    });
    return { r, seen };
  };

  it('a store that returns the same entry object on every get: each call still gets its own objects', async () => {
    const inner = memoryCache();
    const client = wrapOpenAI(new OpenAI({ baseURL: mock.url, apiKey: 'k', maxRetries: 0 }));
    await evaluate([{ input: 'q' }], mutating(client), [metric], { ...opts, cache: inner });
    // An object is handed to the SDK at most once (a second hand-out would share it, and openai's `_request_id`
    // cannot be defined twice on it); later hits of it are written as text for the SDK to parse.
    const { r, seen } = await askThrice(
      client,
      keepingStore(inner, (entry) => entry),
    );
    expect(r.totals.requests).toBe(0);
    expect(r.totals.cacheHits).toBe(3);
    expect(r.examples.map((row) => row.output)).toEqual(['ok', 'ok', 'ok']);
    expect(new Set(seen).size).toBe(6);
  });

  // openai 6 reads a body with json() (it is handed the held value), openai 7 with text().
  it.each([
    ['openai 7', OpenAI],
    ['openai 6', OpenAI6 as unknown as typeof OpenAI],
  ] as const)(
    'a store that returns the same frozen entry on every get: each call still gets its own objects (%s)',
    async (_sdk, Sdk) => {
      const inner = memoryCache();
      const client = wrapOpenAI(new Sdk({ baseURL: mock.url, apiKey: 'k', maxRetries: 0 }));
      await evaluate([{ input: 'q' }], mutating(client), [metric], { ...opts, cache: inner });
      // The entry and the stored response in it frozen (not its body): evalgate cannot mark such a response as
      // handed out on the object itself, and must still hand its body out at most once.
      const { r, seen } = await askThrice(
        client,
        keepingStore(inner, (entry) =>
          Object.freeze({ ...entry, value: Object.freeze(entry.value as object) }),
        ),
      );
      expect(r.examples[0]?.error).toBeUndefined();
      expect(r.totals.requests).toBe(0);
      expect(r.totals.cacheHits).toBe(3);
      expect(new Set(seen).size).toBe(6);
    },
  );
});

// A live call hands its caller the body it parsed (the SDK does not parse it again): the caller's changes must
// reach neither the cache, nor the identical calls that joined it in flight, nor a later hit.
describe('a live chat completion handed to its caller', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startMockServer({ table: { q: 'answer' }, latencyMs: 50 });
  });
  afterAll(async () => {
    await mock.close();
  });

  const metric: Metric = { name: 'len', kind: 'continuous', score: ({ output }) => output.length };

  /** Asks, then changes what it got in place (after reading it): the row's output is what it read. */
  const changing = (create: () => Promise<OpenAI.Chat.ChatCompletion>) => async () => {
    const res = await create();
    const message = res.choices[0]?.message;
    const read = message?.content ?? '';
    if (message !== undefined) message.content = 'changed by the pipeline';
    res.choices.push({ ...res.choices[0]!, index: 1 });
    return read;
  };

  it.each([
    ['openai 7', () => import('openai')],
    ['openai 6', () => import('openai-v6')],
  ] as const)('the cache and the calls that joined it see it as it came (%s)', async (_, load) => {
    const SDK = (await load()).default as unknown as typeof OpenAI;
    const client = wrapOpenAI(new SDK({ baseURL: mock.url, apiKey: 'k', maxRetries: 0 }));
    const create = () =>
      client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'q' }] });
    const cache = memoryCache();
    // Four identical rows at once: one sends, three join its flight.
    const rows = [{ input: 'q' }, { input: 'q' }, { input: 'q' }, { input: 'q' }];
    const live = await evaluate(rows, changing(create), [metric], {
      progress: false,
      resamples: 10,
      concurrency: 4,
      cache,
    });
    expect(live.totals.requests).toBe(1);
    expect(live.examples.map((r) => r.output)).toEqual(['answer', 'answer', 'answer', 'answer']);
    const again = await evaluate(rows, changing(create), [metric], {
      progress: false,
      resamples: 10,
      cache: { store: cache, mode: 'replay' },
    });
    expect(again.totals.requests).toBe(0);
    expect(again.examples.map((r) => r.output)).toEqual(['answer', 'answer', 'answer', 'answer']);
    // And the same without a cache: each call its own response.
    const plain = await evaluate(rows, changing(create), [metric], { progress: false, resamples: 10 });
    expect(plain.totals.requests).toBe(4);
    expect(plain.examples.map((r) => r.output)).toEqual(['answer', 'answer', 'answer', 'answer']);
  });
});
