import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { _SQLITE_BACKEND_ENV, _sqliteBackend } from '../../src/cache/_sqliteBackend.js';
import { type CacheStore, memoryCache, sqliteCache } from '../../src/cache/index.js';
import { defaultBackend, rawSqlite } from './_sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'evalgate-stores-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshPath = () => join(dir, `c${files++}.sqlite`);

const stores: [string, () => CacheStore][] = [
  ['memoryCache', () => memoryCache()],
  ['sqliteCache', () => sqliteCache(freshPath())],
];

describe.each(stores)('%s', (_name, make) => {
  it('stores, finds and counts', async () => {
    const s = make();
    expect(await s.get('a')).toBeUndefined();
    expect(await s.has('a')).toBe(false);
    await s.set('a', {
      value: { output: 'Paris' },
      usage: { inputTokens: 3, outputTokens: 1 },
      costUsd: 0.5,
    });
    expect(await s.has('a')).toBe(true);
    expect(await s.get('a')).toEqual({
      value: { output: 'Paris' },
      usage: { inputTokens: 3, outputTokens: 1 },
      costUsd: 0.5,
    });
    await s.set('a', { value: 'replaced' });
    expect(await s.get('a')).toEqual({ value: 'replaced' });
    expect(await s.stats()).toEqual({ size: 1, hits: 2, misses: 1, writes: 2 });
    await s.close();
    await s.close(); // idempotent
  });
  it('hands out copies: mutating a result does not change the store', async () => {
    const s = make();
    const value = { list: [1, 2] };
    await s.set('k', { value });
    value.list.push(3);
    const got = (await s.get('k')) as { value: { list: number[] } };
    expect(got.value.list).toEqual([1, 2]);
    got.value.list.push(4);
    expect(((await s.get('k')) as { value: { list: number[] } }).value.list).toEqual([1, 2]);
    await s.close();
  });
});

describe('sqliteCache', () => {
  it('runs on the backend the runtime and EVALGATE_SQLITE_BACKEND select', () => {
    const asked = process.env[_SQLITE_BACKEND_ENV];
    // Deno 2 and Node.js >= 22.16 have node:sqlite, Node.js 20 does not (sqliteDeno.test.ts runs this suite
    // under Deno; CI runs it on every Node.js line).
    const expected = asked || defaultBackend;
    expect(_sqliteBackend(':memory:').name).toBe(expected);
  });
  it('persists across instances, in WAL mode, and each set is committed when it resolves', async () => {
    const path = freshPath();
    const a = sqliteCache(path);
    await Promise.all(Array.from({ length: 100 }, (_, i) => a.set(`k${i}`, { value: i })));
    // A second connection sees every entry before `a` is closed: the writes were committed.
    const raw = rawSqlite(path, { readonly: true });
    expect(raw.value('SELECT COUNT(*) FROM evalgate_responses')).toBe(100);
    expect(raw.value('PRAGMA journal_mode')).toBe('wal');
    raw.close();
    await a.close();
    const b = sqliteCache(path);
    expect(await b.get('k42')).toEqual({ value: 42 });
    expect((await b.stats()).size).toBe(100);
    await b.close();
  });
  it('sees its own pending writes before they commit', () => {
    const s = sqliteCache(freshPath());
    void s.set('p', { value: 'pending' });
    expect(s.get('p')).toEqual({ value: 'pending' });
    expect(s.has('p')).toBe(true);
    return s.close();
  });
  it('flushes pending writes on close', async () => {
    const path = freshPath();
    const s = sqliteCache(path);
    const done = s.set('x', { value: 1 });
    await s.close();
    await done;
    const t = sqliteCache(path);
    expect(await t.get('x')).toEqual({ value: 1 });
    await t.close();
  });
  it('refuses use after close', async () => {
    const s = sqliteCache(freshPath());
    await s.close();
    expect(() => s.get('x')).toThrow('This sqliteCache is closed');
  });
  it('stores entries as JSON text under a SHA-like key', async () => {
    const path = freshPath();
    const s = sqliteCache(path, { synchronous: 'normal', busyTimeoutMs: 1000 });
    await s.set('abc', { value: 'héllo' });
    await s.close();
    const raw = rawSqlite(path, { readonly: true });
    expect(raw.value('SELECT entry FROM evalgate_responses WHERE key = ?', 'abc')).toBe('{"value":"héllo"}');
    raw.close();
    expect(readFileSync(path).length).toBeGreaterThan(0);
  });
  it.each([
    [() => sqliteCache(''), TypeError, 'Expected `path` to be a non-empty string, got `` (string)'],
    [
      () => sqliteCache(3 as unknown as string),
      TypeError,
      'Expected `path` to be a non-empty string, got `3` (number)',
    ],
    [
      () => sqliteCache(':memory:', { busyTimeoutMs: -1 }),
      RangeError,
      'Expected `options.busyTimeoutMs` to be an integer >= 0, got `-1` (number)',
    ],
    [
      () => sqliteCache(':memory:', { synchronous: 'off' as 'full' }),
      TypeError,
      "Expected `options.synchronous` to be one of 'full' | 'normal', got `\"off\"` (string)",
    ],
  ])('rejects bad arguments (%#)', (f, Err, message) => {
    expect(f).toThrow(new Err(message));
  });
});
