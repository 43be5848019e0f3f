/**
 * memoryCache, sqliteCache (lookups and a replay's snapshot) and redisCache answer every sequence of writes and
 * reads alike: the same entry back for every key, byte for byte once serialized, or the same refusal.
 *
 * Regression: a key holding a lone surrogate was stored by Redis (and by node:sqlite) as UTF-8, where every lone
 * surrogate becomes U+FFFD, so keys "\ud800" and "\udc00" shared one entry: after set("\ud800", "high") and
 * set("\udc00", "low"), get("\ud800") answered "low" from redisCache and "high" from memoryCache. node:sqlite also
 * read a key back cut at its first NUL, so a replay's snapshot answered get("a") with the entry of "a\u0000b".
 * Such a key is now refused by every store, naming it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CacheStore, memoryCache, redisCache, sqliteCache } from '../../src/cache/index.js';
import { redisServer } from '../_system.js';
import { type RedisProcess, startRedis } from '../cluster/_cluster.js';
import { check } from '../properties/_prop.js';

const dir = mkdtempSync(join(tmpdir(), 'evalgate-agree-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

const redisReq = redisServer('the stores-agree property compares redisCache with the other stores');
let redis: RedisProcess | undefined;
beforeAll(async () => {
  if (!redisReq.skip) redis = await startRedis(redisReq.executable());
}, 30_000);
afterAll(async () => redis?.stop());

let prefixes = 0;
/** One fresh store of each kind; the SQLite file is opened twice, once read through a replay's snapshot. */
function freshStores(): [string, CacheStore][] {
  const path = join(dir, `c${files++}.sqlite`);
  const stores: [string, CacheStore][] = [
    ['memoryCache', memoryCache()],
    ['sqliteCache', sqliteCache(path)],
  ];
  if (redis !== undefined)
    stores.push(['redisCache', redisCache({ url: redis.url, prefix: `agree${prefixes++}:` })]);
  return stores;
}

/** What one operation gave: the entry serialized (or `undefined`), or the class of the error. */
async function outcome(op: () => unknown): Promise<string> {
  try {
    const got = await op();
    return got === undefined ? 'undefined' : `ok ${JSON.stringify(got)}`;
  } catch (err) {
    return `threw ${(err as Error).constructor.name}`;
  }
}

const key = fc.oneof(
  fc.constantFrom(
    'k',
    '',
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    '猫',
    '👍🏽',
    'e\u0301',
    'a\u0000b',
    'a',
    '\ud800',
    '\udc00',
    '\udfff',
    'x\ud83d',
    '\ufffd',
    ' ',
    'K',
  ),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.string({ unit: fc.constantFrom('a', '\u0000', '\ud800', '\udc00', '\ud83d\ude00'), maxLength: 4 }),
);

const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'binary' }),
    fc.constantFrom('', '\u0000', '\ud800', '9007199254740993', '__proto__', 'x'.repeat(70_000)),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom({}, [], { a: {} }, [[]], JSON.parse('{"__proto__":{"x":1}}'), { constructor: 1 }),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor')), tie('v'), {
      maxKeys: 4,
    }),
  ),
})).v;

type Op =
  | { readonly set: string; readonly value: unknown }
  | { readonly get: string }
  | { readonly has: string };
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ set: key, value: json }),
  fc.record({ get: key }),
  fc.record({ has: key }),
);

async function apply(store: CacheStore, o: Op): Promise<string> {
  if ('set' in o)
    return outcome(async () => {
      await store.set(o.set, { value: o.value, usage: { inputTokens: 1, outputTokens: 2 }, costUsd: 0.5 });
    });
  if ('get' in o) return outcome(() => store.get(o.get));
  return outcome(() => store.has(o.has));
}

/** Runs `ops` on every store, then reads every key again, and again through a new replaying SQLite store. */
async function traces(ops: readonly Op[]): Promise<Record<string, string[]>> {
  const stores = freshStores();
  const out: Record<string, string[]> = {};
  const keys = [...new Set(ops.map((o) => ('set' in o ? o.set : 'get' in o ? o.get : o.has)))];
  let path: string | undefined;
  for (const [name, store] of stores) {
    const trace: string[] = [];
    for (const o of ops) trace.push(await apply(store, o));
    for (const k of keys) trace.push(await outcome(() => store.get(k)));
    await store.close();
    out[name] = trace;
    if (name === 'sqliteCache') path = join(dir, `c${files - 1}.sqlite`);
  }
  const replay = sqliteCache(path as string);
  replay.replaying?.();
  out['sqliteCache, replay snapshot'] = await Promise.all(keys.map((k) => outcome(() => replay.get(k)))).then(
    (gets) => [...(out.sqliteCache ?? []).slice(0, ops.length), ...gets],
  );
  await replay.close();
  return out;
}

describe('every store answers like memoryCache', () => {
  it('the two keys of the regression: lone surrogates and a NUL', async () => {
    const ops: Op[] = [
      { set: '\ud800', value: 'high' },
      { set: '\udc00', value: 'low' },
      { set: 'a\u0000b', value: 'nul' },
      { get: '\ud800' },
      { get: 'a' },
    ];
    const t = await traces(ops);
    for (const [name, trace] of Object.entries(t)) expect(trace, name).toEqual(t.memoryCache);
  });

  it('the case fast-check shrank to: "\\ufffd" is not the key "\\udc00"', async () => {
    const t = await traces([{ set: '\udc00', value: {} }, { get: '\ufffd' }, { has: '' }]);
    for (const [name, trace] of Object.entries(t)) expect(trace, name).toEqual(t.memoryCache);
    expect(t.memoryCache?.[1]).toBe('undefined');
  });

  it.each([
    ['\ud800', '`"\\ud800"` (string)'],
    ['x\udc00', '`"x\\udc00"` (string)'],
    ['a\u0000b', '`"a\\u0000b"` (string)'],
  ])('refuses the key %j in get, set and has, naming it, in every store', async (k, shown) => {
    const message = `Expected the cache key to be well-formed Unicode without NUL characters, got ${shown}: SQLite and Redis keep keys as UTF-8, where a lone surrogate becomes U+FFFD and two keys would share one entry`;
    for (const [name, store] of freshStores()) {
      for (const op of [() => store.get(k), () => store.set(k, { value: 1 }), () => store.has(k)]) {
        const err = await (async () => op())().catch((e: unknown) => e);
        expect(err, name).toEqual(new RangeError(message));
      }
      expect((await store.stats()).size, name).toBe(0);
      await store.close();
    }
  });

  it('refuses a key that is not a string with a TypeError', async () => {
    for (const [name, store] of freshStores()) {
      const err = await (async () => store.get(7 as unknown as string))().catch((e: unknown) => e);
      expect(err, name).toEqual(new TypeError('Expected the cache key to be a string, got `7` (number)'));
      await store.close();
    }
  });

  it('for any sequence of writes and reads (property, seeded)', async () => {
    await check(
      'stores agree',
      200,
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (ops) => {
        const t = await traces(ops);
        for (const [name, trace] of Object.entries(t)) expect(trace, name).toEqual(t.memoryCache);
      }),
    );
  }, 120_000);
});
