/**
 * A cache entry read back equals what was written, or the write is refused naming the key and the field.
 *
 * Regression: the stores kept `JSON.stringify(entry)` whatever it held, so a sender's value with `NaN`, a `Date`,
 * a `Map` or an `undefined` array element was answered from the cache as `null`, a string, `{}` and `null`: the
 * cached run scored other outputs than the run that paid, without a word. A BigInt or a cycle failed inside
 * `JSON.stringify` with a message naming neither.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CacheStore, memoryCache, redisCache, sqliteCache } from '../../src/cache/index.js';
import { evaluate } from '../../src/index.js';
import { redisServer } from '../_system.js';
import { type RedisProcess, startRedis } from '../cluster/_cluster.js';

const dir = mkdtempSync(join(tmpdir(), 'evalgate-entry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/**
 * `v` with what no reader of a value's data sees taken out: object fields holding `undefined` (absent once read
 * back), symbol-keyed fields (`Object.entries` skips them), the sign of zero, and a null prototype (JSON reads every object back as a plain one). Anything else (a Date, a
 * Map, NaN) is left as it is, so a store that changed it fails.
 */
function seen(v: unknown): unknown {
  if (Object.is(v, -0)) return 0;
  if (Array.isArray(v) && Object.getPrototypeOf(v) === Array.prototype) return Array.from(v, seen);
  const proto = v !== null && typeof v === 'object' ? Object.getPrototypeOf(v) : undefined;
  if (proto === Object.prototype || proto === null)
    return Object.fromEntries(
      Object.entries(v as object)
        .filter(([, x]) => x !== undefined)
        .map(([k, x]) => [k, seen(x)]),
    );
  return v;
}

const cyclic = (): unknown => {
  const o: Record<string, unknown> = { a: 1 };
  o.self = o;
  return o;
};

/** Values JSON changes or cannot write, and the field the refusal names. */
const changed: [string, unknown, string][] = [
  ['NaN', { score: Number.NaN }, 'entry.value.score: NaN'],
  ['Infinity', [1, Number.POSITIVE_INFINITY], 'entry.value[1]: Infinity'],
  ['-Infinity', { a: { b: Number.NEGATIVE_INFINITY } }, 'entry.value.a.b: -Infinity'],
  ['a Date', { when: new Date(0) }, 'entry.value.when: a Date'],
  ['a Map', { m: new Map([[1, 2]]) }, 'entry.value.m: a Map'],
  ['a Set', new Set([1]), 'entry.value: a Set'],
  ['a typed array', { data: new Uint8Array([1, 2]) }, 'entry.value.data: an instance of Uint8Array'],
  ['a RegExp', { r: /a/g }, 'entry.value.r: an instance of RegExp'],
  ['undefined in an array', [undefined, 1], 'entry.value[0]: undefined'],
  // biome-ignore lint/suspicious/noSparseArray: the hole is the case under test.
  ['a hole', [1, , 2], 'entry.value[1]: a hole'],
  ['a BigInt', { n: 10n }, 'entry.value.n: a BigInt'],
  ['a function', { f: () => 1 }, 'entry.value.f: a function'],
  ['a cycle', cyclic(), 'entry.value.self: a cyclic reference'],
];

// Any value a sender could hand back: JSON, the values above, and what JSON leaves alone for a reader.
const text = fc.oneof(fc.string(), fc.constantFrom('\ud800', '\udfff', '__proto__', '😀', ''));
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constantFrom(null, undefined, -0, 10n, new Date(0), new Map(), /a/),
    fc.array(tie('v')),
    fc.sparseArray(fc.integer(), { maxLength: 4 }),
    fc.dictionary(text, tie('v')),
  ),
})).v;

/** What a store does with `{ value }`: read back as `seen(value)`, or refused naming the key. */
async function roundTrips(store: CacheStore, key: string, v: unknown): Promise<void> {
  let refused: unknown;
  try {
    await store.set(key, { value: v });
  } catch (err) {
    refused = err;
  }
  if (refused === undefined) {
    const got = await store.get(key);
    expect(isDeepStrictEqual(got, seen({ value: v })), `${key}: read back another value`).toBe(true);
  } else {
    expect(refused).toBeInstanceOf(TypeError);
    expect((refused as Error).message).toMatch(
      new RegExp(`^Cannot cache the entry under key "${key}": entry`),
    );
    expect(await store.has(key)).toBe(false);
  }
}

function storeContract(make: () => CacheStore | Promise<CacheStore>): void {
  let store: CacheStore;
  beforeAll(async () => {
    store = await make();
  });
  afterAll(async () => store?.close());

  it.each(changed)('refuses %s, naming the key and the field', async (_what, v, field) => {
    const key = `k-${_what}`;
    const err = await (async () => store.set(key, { value: v }))().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toContain(`Cannot cache the entry under key "${key}": ${field}`);
    expect(await store.has(key)).toBe(false);
  });

  it('refuses usage or a cost JSON would change', async () => {
    for (const entry of [
      { value: 'a', usage: { inputTokens: Number.NaN, outputTokens: 1 } },
      { value: 'a', costUsd: Number.POSITIVE_INFINITY },
    ]) {
      const err = await (async () => store.set('usage', entry))().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TypeError);
    }
    expect(await store.has('usage')).toBe(false);
  });

  it('reads back what it keeps: undefined fields and symbol keys absent, -0 as 0, lone surrogates and __proto__ keys as written', async () => {
    const v = {
      a: undefined,
      [Symbol('mark')]: 'left out',
      z: -0,
      s: '\ud800x',
      o: JSON.parse('{"__proto__":{"x":1}}'),
      n: [null, 1e308],
    };
    await store.set('kept', { value: v, usage: { inputTokens: 1, outputTokens: 2 }, costUsd: 0.5 });
    const got = await store.get('kept');
    expect(
      isDeepStrictEqual(got, { value: seen(v), usage: { inputTokens: 1, outputTokens: 2 }, costUsd: 0.5 }),
    ).toBe(true);
    expect(Object.hasOwn((got as { value: { o: object } }).value.o, '__proto__')).toBe(true);
  });

  it('reads back every value it accepts, unchanged for a reader (property, seeded)', async () => {
    let i = 0;
    await fc.assert(
      fc.asyncProperty(value, async (v) => roundTrips(store, `p${i++}`, v)),
      { seed: 31, numRuns: 300 },
    );
  });
}

describe('memoryCache: entries round trip or are refused', () => storeContract(() => memoryCache()));
describe('sqliteCache: entries round trip or are refused', () =>
  storeContract(() => sqliteCache(join(dir, `c${files++}.sqlite`))));

const redisReq = redisServer('the redisCache round trip talks to a local Redis');
let redis: RedisProcess;
describe.skipIf(redisReq.skip)('redisCache: entries round trip or are refused', () => {
  beforeAll(async () => {
    redis = await startRedis(redisReq.executable());
  }, 30_000);
  afterAll(async () => redis?.stop());
  storeContract(() => redisCache({ url: redis.url, prefix: 'roundtrip:' }));
});

describe('a cached call answers with what the call returned', () => {
  it('a value JSON would change is kept uncached, with a warning, and the next run calls again', async () => {
    const cache = memoryCache();
    let sent = 0;
    const run = () =>
      evaluate(
        [{ id: 'a', input: 'q' }],
        async (input, ctx) => {
          const r = await ctx.call({ request: { model: 'm', input } }, async () => {
            sent++;
            return { value: { score: Number.NaN, when: new Date(0) } };
          });
          return `${r.value.score} ${r.value.when instanceof Date}`;
        },
        [],
        { cache, progress: false },
      );
    const first = await run();
    const second = await run();
    expect(first.examples[0]?.output).toBe('NaN true');
    expect(second.examples[0]?.output).toBe('NaN true');
    expect(sent).toBe(2);
    expect(second.totals.cacheHits).toBe(0);
    expect(first.warnings?.join('\n')).toContain(
      'cache write failed 1 time (responses kept, not cached): TypeError: Cannot cache the entry under key',
    );
    expect(first.warnings?.join('\n')).toContain('entry.value.score: NaN (JSON carries it as null)');
  });
});
