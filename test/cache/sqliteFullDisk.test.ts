/**
 * A SQLite cache on a full disk: the write that does not fit fails with a typed error naming the file, and every
 * write reported done is there afterwards, whole.
 *
 * Regression: the failed write rejected with the driver's bare error (better-sqlite3's `SqliteError: disk I/O
 * error`, code SQLITE_IOERR_WRITE), which the run's warning showed as such: no file, no class a caller could
 * branch on, where opening the same file names it in a CacheError.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sqliteCache } from '../../src/cache/index.js';
import { rawSqlite, runTs } from './_sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'evalgate-full-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sqliteCache on a full disk (ulimit -f)', () => {
  it('the write that does not fit is a CacheError naming the file; every stored entry reads back whole', async () => {
    const path = join(dir, 'full.sqlite');
    const [command, args] = runTs(join(import.meta.dirname, '_fullDiskChild.ts'), [path]);
    // `ulimit -f 400` in sh counts 512-byte blocks: no file of the cache can grow past 200 KiB.
    const quoted = [command, ...args].map((a) => `"${a}"`).join(' ');
    // /bin/sh by path: the test must not depend on what PATH holds.
    const proc = spawn('/bin/sh', ['-c', `ulimit -f 400; exec ${quoted}`], {
      cwd: join(import.meta.dirname, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let stderr = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
    const code = await new Promise<number | null>((resolve, reject) => {
      proc.on('error', reject);
      proc.on('close', resolve);
    });
    clearTimeout(timer);
    expect(code, stderr).toBe(0);
    const outcome = JSON.parse(out.trim()) as {
      stored: number;
      failure?: { name: string; code?: string; reason?: string; path?: string; message: string };
    };
    expect(outcome.stored).toBeGreaterThan(10);
    expect(outcome.stored).toBeLessThan(2000);
    expect(outcome.failure).toMatchObject({
      name: 'CacheError',
      code: 'E_CACHE',
      reason: 'cannot-write',
      path,
    });
    expect(outcome.failure?.message).toMatch(
      new RegExp(`^Cannot write to evalgate's SQLite cache at "${path}": SQLITE_[A-Z_]+: `),
    );

    // Nothing reported stored is lost, and the write that failed left nothing behind.
    const raw = rawSqlite(path, { readonly: true });
    expect(raw.value('PRAGMA integrity_check')).toBe('ok');
    raw.close();
    const cache = sqliteCache(path);
    for (let i = 0; i < outcome.stored; i++)
      expect(cache.get(`k${i}`), `k${i}`).toEqual({ value: `${'x'.repeat(3000)} ${i}` });
    expect(cache.get(`k${outcome.stored}`)).toBeUndefined();
    await cache.close();
  }, 60_000);
});
