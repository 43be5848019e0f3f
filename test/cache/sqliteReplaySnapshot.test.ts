// A replay reads a SQLite cache in one pass (CacheStore.replaying, issue 20 item 6): it answers what lookups
// answer, finds entries written after it began, sees its own writes, and still reports a corrupted entry.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CacheEntry, sqliteCache } from '../../src/cache/index.js';
import { CallEngine } from '../../src/calls/callRuntime.js';
import { CacheEntryError } from '../../src/errors.js';
import { rawSqlite } from './_sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'evalgate-snapshot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshPath = () => join(dir, `s${files++}.sqlite`);

async function filled(n: number): Promise<string> {
  const path = freshPath();
  const s = sqliteCache(path, { synchronous: 'normal' });
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      s.set(`k${i}`, { value: { i, text: `é ${i}` }, usage: { inputTokens: i, outputTokens: 1 } }),
    ),
  );
  await s.close();
  return path;
}

describe('sqliteCache.replaying()', () => {
  it('answers every key as lookups do, with the same counters', async () => {
    const path = await filled(300);
    const plain = sqliteCache(path);
    const snap = sqliteCache(path);
    snap.replaying?.();
    for (const key of ['k0', 'k150', 'k299', 'missing', 'k7']) expect(snap.get(key)).toEqual(plain.get(key));
    expect(snap.stats()).toEqual(plain.stats());
    expect(snap.stats()).toMatchObject({ hits: 4, misses: 1, size: 300 });
    plain.close();
    snap.close();
  });

  it('finds an entry written by another store after it began, and its own writes over the snapshot', async () => {
    const path = await filled(10);
    const snap = sqliteCache(path);
    snap.replaying?.();
    expect(snap.get('k1')).toMatchObject({ value: { i: 1 } }); // the snapshot is taken here
    const other = sqliteCache(path);
    await other.set('late', { value: 'written later' });
    await other.close();
    expect(snap.get('late')).toEqual({ value: 'written later' });
    await snap.set('k2', { value: 'replaced' });
    expect(snap.get('k2')).toEqual({ value: 'replaced' });
    snap.close();
    const reopened = sqliteCache(path);
    reopened.replaying?.();
    expect(reopened.get('k2')).toEqual({ value: 'replaced' });
    reopened.close();
  });

  it('reports a corrupted entry read from the snapshot as a CacheEntryError (a miss)', async () => {
    const path = await filled(3);
    const raw = rawSqlite(path);
    raw.run('UPDATE evalgate_responses SET entry = ? WHERE key = ?', '{"value": oops', 'k1');
    raw.close();
    const snap = sqliteCache(path);
    snap.replaying?.();
    expect(() => snap.get('k1')).toThrow(CacheEntryError);
    expect(snap.get('k0')).toMatchObject({ value: { i: 0 } });
    expect(snap.stats()).toMatchObject({ hits: 1, misses: 1 });
    snap.close();
  });

  it('is what a replay run asks of its store, and answers it with the stored entries', async () => {
    const path = await filled(50);
    const store = sqliteCache(path);
    let told = 0;
    const replaying = store.replaying?.bind(store);
    const watched = Object.assign(Object.create(store) as typeof store, {
      replaying() {
        told++;
        replaying?.();
      },
    });
    const rt = new CallEngine({ cache: { store: watched, mode: 'replay' } });
    expect(told).toBe(1);
    new CallEngine({ cache: { store: watched, mode: 'read-only' } });
    expect(told).toBe(1);
    const never = async (): Promise<never> => {
      throw new Error('replay must not send');
    };
    const signal = new AbortController().signal;
    const entries: CacheEntry[] = [];
    for (let i = 0; i < 50; i++) {
      const r = await rt.call({ kind: 'model', request: { i }, key: `k${i}` }, never, signal);
      entries.push({ value: r.value, ...(r.usage === undefined ? {} : { usage: r.usage }) });
    }
    expect(rt.totals.cacheHits).toBe(50);
    expect(entries[49]).toEqual({
      value: { i: 49, text: 'é 49' },
      usage: { inputTokens: 49, outputTokens: 1 },
    });
    store.close();
  });
});
