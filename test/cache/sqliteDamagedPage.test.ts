/**
 * A SQLite cache with one damaged page: the reads that meet the damage fail, nothing else does.
 *
 * Regression: the reads of one event-loop turn share a read transaction, ended at the next turn with COMMIT. After a
 * read had met a damaged page (200 bytes inverted in the fourth page of a 300-entry cache: `get('k11')` throws
 * SQLITE_CORRUPT), that COMMIT threw too, from a setImmediate callback: an uncaught exception that ended the
 * process (an evaluate() run with it), where the runtime would have counted the failed read as a miss. close()
 * threw the same error and left the store open. A read transaction has nothing to commit: it is now ended with a
 * ROLLBACK, which leaves the failed read the only casualty.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CacheStore, sqliteCache } from '../../src/cache/index.js';

const dir = mkdtempSync(join(tmpdir(), 'evalgate-damaged-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
const value = (i: number) => `${'y'.repeat(500)}${i}`;

/** A closed cache of 300 entries with 200 bytes of its fourth page inverted. */
async function damaged(): Promise<string> {
  const path = join(dir, `damaged${files++}.sqlite`);
  const s = sqliteCache(path);
  await Promise.all(Array.from({ length: 300 }, (_, i) => s.set(`k${i}`, { value: value(i) })));
  await s.close();
  const bytes = readFileSync(path);
  for (let i = 3 * 4096; i < 3 * 4096 + 200; i++) bytes[i] = (bytes[i] as number) ^ 0xff;
  writeFileSync(path, bytes);
  return path;
}

/** What `get` gives for each key: the entry's value, `undefined`, or `throws`. */
function answers(store: CacheStore): string[] {
  return Array.from({ length: 300 }, (_, i) => {
    try {
      const got = store.get(`k${i}`) as { value: string } | undefined;
      return got === undefined ? 'undefined' : got.value === value(i) ? 'ok' : `wrong ${got.value}`;
    } catch {
      return 'throws';
    }
  });
}

describe('sqliteCache: a file with a damaged page', () => {
  it('a read that meets the damage throws, and only that read: the process goes on, close() does not throw', async () => {
    const path = await damaged();
    const s = sqliteCache(path);
    const first = answers(s);
    expect(first.filter((a) => a === 'throws').length).toBeGreaterThan(0);
    expect(first.filter((a) => a === 'ok').length).toBeGreaterThan(250);
    expect(first).not.toContain('undefined');
    // The next turn ends the read transaction (the crash happened there), and the store still answers.
    await new Promise((r) => setTimeout(r, 20));
    expect(answers(s)).toEqual(first);
    await s.set('fresh', { value: 'written after the damage was met' });
    expect(() => s.close()).not.toThrow();
    expect(() => s.close()).not.toThrow();
  });

  it('close() right after the failed read (same turn) closes the store', async () => {
    const path = await damaged();
    const s = sqliteCache(path);
    expect(answers(s)).toContain('throws');
    expect(() => s.close()).not.toThrow();
    expect(() => s.get('k0')).toThrow('This sqliteCache is closed');
  });

  // Regression: a replay reads the whole table in one pass (CacheStore.replaying), which stops at the first damaged
  // page; its error was thrown from the replay's first `get`, whatever the key (k0, whose entry a lookup answers).
  // The one-pass read is an optimization: when it fails, the store reads by lookups, as for a file over 64 MiB.
  it('a replay answers every entry a lookup answers, from the first key on', async () => {
    const path = await damaged();
    const plain = sqliteCache(path);
    const byLookup = answers(plain);
    plain.close();
    expect(byLookup[0]).toBe('ok');
    const replay = sqliteCache(path);
    replay.replaying?.();
    expect(answers(replay)).toEqual(byLookup);
    replay.close();
  });
});
