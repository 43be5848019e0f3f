// Property (issue 20, item 6): what a routed request stores and hands back does not depend on how the router builds
// it. For any JSON body a server answers with — nested, Unicode keys and strings, with or without a request id —
// the wrapped client inside a run returns what the plain client returns, the cache stores the response as
// { status, type, id?, body } in that key order (the format entries written earlier carry), and replay returns
// the same again. The stored response is built as a plain literal on the hot path: these hold it to the format.
import fc from 'fast-check';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { CacheEntry, CacheStore } from '../../src/cache/CacheStore.js';
import { memoryCache } from '../../src/cache/index.js';
import { evaluate, type Metric, wrapOpenAI } from '../../src/index.js';

const one: Metric = { name: 'one', kind: 'binary', score: () => 1 };
const opts = { progress: false, resamples: 10, retry: { maxRetries: 0 } } as const;

/** A client whose fetch answers every request with `text` (JSON), and `id` as its request id when given. */
function answering(text: string, id: string | undefined): OpenAI {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (id !== undefined) headers['x-request-id'] = id;
  const fetch = async () => new Response(text, { status: 200, headers });
  return new OpenAI({ baseURL: 'http://127.0.0.1:9/v1', apiKey: 'k', maxRetries: 0, fetch: fetch as never });
}

/** A memory store that also keeps every entry it is given, as JSON (what a file or Redis store would hold). */
function recording(): { store: CacheStore; written: string[] } {
  const inner = memoryCache();
  const written: string[] = [];
  const store: CacheStore = {
    get: (k) => inner.get(k),
    set: (k, e: CacheEntry) => {
      written.push(JSON.stringify(e.value));
      return inner.set(k, e);
    },
    has: (k) => inner.has(k),
    stats: () => inner.stats(),
    close: () => inner.close(),
  };
  return { store, written };
}

/** The body `client.post` returns inside a run with `cache`, or the error the row failed with. */
async function postInRun(client: OpenAI, cache: NonNullable<Parameters<typeof evaluate>[3]>['cache']) {
  let got: unknown;
  const r = await evaluate(
    [{ id: 'r', input: 'q' }],
    async () => {
      got = await client.post('/things', { body: { q: 1 } });
      return 'ok';
    },
    [one],
    { ...opts, cache },
  );
  expect(r.examples[0]?.error).toBeUndefined();
  return { got, requests: r.totals.requests };
}

async function holds(body: Record<string, unknown>, id: string | undefined): Promise<void> {
  const text = JSON.stringify(body);
  const expected = JSON.parse(text) as unknown; // what JSON can carry of it (-0 becomes 0)
  const plain = await answering(text, id).post('/things', { body: { q: 1 } });
  expect(plain).toEqual(expected);
  const { store, written } = recording();
  const sent = await postInRun(wrapOpenAI(answering(text, id)), store);
  expect(sent.requests).toBe(1);
  expect(sent.got).toEqual(plain);
  const head =
    id === undefined
      ? { status: 200, type: 'application/json' }
      : { status: 200, type: 'application/json', id };
  expect(written).toEqual([JSON.stringify({ ...head, body: expected })]);
  const replayed = await postInRun(wrapOpenAI(answering('{"not":"this"}', undefined)), {
    store,
    mode: 'replay',
  });
  expect(replayed.requests).toBe(0);
  expect(replayed.got).toEqual(plain);
}

describe('a routed JSON response', () => {
  it('is returned as the plain client returns it, stored as { status, type, id?, body }, and replayed the same', async () => {
    const json = fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' });
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.string({ unit: 'binary', maxLength: 8 }), json, { maxKeys: 6 }),
        fc.option(fc.stringMatching(/^req_[A-Za-z0-9]{1,12}$/), { nil: undefined }),
        async (body, id) => holds(body, id),
      ),
      { seed: 206, numRuns: 200 },
    );
  });

  it.each([
    ['an empty object', {}],
    ['a value of a megabyte, in Unicode', { text: '\u00e9\u{1F600}'.repeat(350_000) }],
    ['numbers at the edges of a double', { max: Number.MAX_VALUE, tiny: 5e-324, third: 0.1 + 0.2 }],
  ])('holds for %s', async (_, body) => {
    await holds(body, 'req_1');
    await holds(body, undefined);
  });
});
