// sqliteCache against real files: missing folders, read-only files and folders (checked in a child process
// running as `nobody`, since root ignores permission bits), files that are not caches, corrupted entries.
import { spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { _sqliteErrorCode } from '../../src/cache/_sqliteBackend.js';
import { memoryCache, sqliteCache } from '../../src/cache/index.js';
import { CacheEntryError, CacheError } from '../../src/errors.js';
import { rawSqlite, runTs } from './_sqlite.js';

const NOBODY = 65534;
const base = mkdtempSync(join(tmpdir(), 'evalgate-files-'));
// The child running as `nobody` must be able to reach the files.
chmodSync(base, 0o755);
afterAll(() => rmSync(base, { recursive: true, force: true }));
let dirs = 0;
/** A new folder under `base`, readable by everyone. */
function freshDir(): string {
  const d = join(base, `d${dirs++}`);
  mkdirSync(d, { mode: 0o755 });
  chmodSync(d, 0o755);
  return d;
}

/** Catches what `f` throws (sync or async), failing the test when it throws nothing. */
async function thrown(f: () => unknown): Promise<unknown> {
  try {
    await f();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error, got none');
}

const child = new URL('./_readOnlyChild.ts', import.meta.url).pathname;

interface ChildError {
  name: string;
  code: string;
  reason: string;
  path: string;
  message: string;
}
interface ChildReport {
  uid: number;
  opened: boolean;
  openError?: ChildError;
  get?: unknown;
  has?: boolean;
  size?: number;
  assertWritable?: 'ok' | ChildError;
  set?: 'ok' | ChildError;
}

/** Runs _readOnlyChild.ts as `nobody` on `path`, reading `key`; bounded to 20 s. */
function asNobody(path: string, key: string): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const p = spawn(...runTs(child, [path, key]), {
      uid: NOBODY,
      gid: NOBODY,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => p.kill('SIGKILL'), 20_000);
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`child exited ${code ?? signal}: ${err}`));
      else resolve(JSON.parse(out) as ChildReport);
    });
  });
}

/** A closed cache at `path` holding `{ k: Paris }` (WAL merged, no -wal / -shm left). */
async function cacheWithOneEntry(path: string): Promise<void> {
  const s = sqliteCache(path);
  await s.set('k', { value: 'Paris' });
  await s.close();
  expect(existsSync(`${path}-wal`)).toBe(false);
}

function rowCount(path: string): number {
  const db = rawSqlite(path, { readonly: true });
  try {
    expect(db.value('PRAGMA integrity_check')).toBe('ok');
    return db.value('SELECT COUNT(*) FROM evalgate_responses') as number;
  } finally {
    db.close();
  }
}

describe('sqliteCache: where the file goes', () => {
  it('creates missing parent folders', async () => {
    const folder = join(freshDir(), 'new', 'deeper');
    const path = join(folder, 'cache.sqlite');
    expect(existsSync(folder)).toBe(false);
    const a = sqliteCache(path);
    await a.set('k', { value: 1 });
    await a.close();
    const b = sqliteCache(path);
    expect(b.get('k')).toEqual({ value: 1 });
    await b.close();
  });

  it('creates the missing folders of a relative path under the working directory', async () => {
    const cwd = process.cwd();
    const dir = freshDir();
    process.chdir(dir);
    try {
      const s = sqliteCache('.evalgate/x/cache.sqlite');
      await s.set('k', { value: 'relative' });
      await s.close();
    } finally {
      process.chdir(cwd);
    }
    expect(rowCount(join(dir, '.evalgate', 'x', 'cache.sqlite'))).toBe(1);
  });

  it('names the path when a folder of it cannot be created (a parent is a file)', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'plain'), 'not a folder');
    const path = join(dir, 'plain', 'sub', 'cache.sqlite');
    const err = (await thrown(() => sqliteCache(path))) as CacheError;
    expect(err).toBeInstanceOf(CacheError);
    expect(err.code).toBe('E_CACHE');
    expect(err.reason).toBe('cannot-create');
    expect(err.path).toBe(path);
    expect(err.message).toContain(`evalgate's SQLite cache at "${path}"`);
    expect(err.message).toContain(join(dir, 'plain', 'sub'));
    expect((err.cause as { code?: string }).code).toBe('ENOTDIR');
  });
});

describe('sqliteCache: a path that is not a cache', () => {
  it('a folder', async () => {
    const path = freshDir();
    const err = (await thrown(() => sqliteCache(path))) as CacheError;
    expect(err).toBeInstanceOf(CacheError);
    expect(err.reason).toBe('is-a-directory');
    expect(err.path).toBe(path);
    expect(err.message).toBe(
      `Cannot open evalgate's SQLite cache at "${path}": it is a folder. Pass a file path, such as "${join(path, 'cache.sqlite')}".`,
    );
  });

  it('a text file: not a database, left untouched', async () => {
    const path = join(freshDir(), 'notes.txt');
    const text = 'my notes, not a cache\n'.repeat(50);
    writeFileSync(path, text);
    const err = (await thrown(() => sqliteCache(path))) as CacheError;
    expect(err).toBeInstanceOf(CacheError);
    expect(err.reason).toBe('not-a-database');
    expect(err.path).toBe(path);
    expect(err.message).toContain(`Cannot open evalgate's SQLite cache at "${path}"`);
    expect(err.message).toContain('not a SQLite database');
    expect(err.message).toContain('SQLITE_NOTADB');
    expect(_sqliteErrorCode(err.cause)).toBe('SQLITE_NOTADB');
    expect(readFileSync(path, 'utf8')).toBe(text);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('a database with a foreign table of the same name: the driver error is kept', async () => {
    const path = join(freshDir(), 'other.sqlite');
    const raw = rawSqlite(path);
    raw.exec('CREATE TABLE evalgate_responses (id INTEGER PRIMARY KEY, payload BLOB)');
    raw.run('INSERT INTO evalgate_responses (payload) VALUES (?)', Buffer.from('theirs'));
    raw.close();
    const err = (await thrown(() => sqliteCache(path))) as CacheError;
    expect(err).toBeInstanceOf(CacheError);
    expect(err.reason).toBe('not-a-cache');
    expect(err.path).toBe(path);
    expect(err.message).toContain(`Cannot open evalgate's SQLite cache at "${path}"`);
    expect(err.message).toContain('(id, payload)');
    expect(err.message).toContain('(key, entry, created_ms)');
    expect((err.cause as Error).message).toContain('no such column: entry');
    // Left as it was: one row, still in its rollback-journal mode, no table added.
    expect(rowCount(path)).toBe(1);
    const check = rawSqlite(path, { readonly: true });
    expect(check.value('PRAGMA journal_mode')).toBe('delete');
    expect(check.value('SELECT COUNT(*) FROM sqlite_master')).toBe(1);
    check.close();
  });

  it('a table of the same name with one column more than evalgate writes', async () => {
    const path = join(freshDir(), 'extra.sqlite');
    const raw = rawSqlite(path);
    raw.exec(
      'CREATE TABLE evalgate_responses (key TEXT PRIMARY KEY, entry TEXT NOT NULL, created_ms INTEGER NOT NULL, owner TEXT NOT NULL)',
    );
    raw.close();
    const err = (await thrown(() => sqliteCache(path))) as CacheError;
    expect(err.reason).toBe('not-a-cache');
    expect(err.message).toContain('(key, entry, created_ms, owner)');
  });
});

describe('sqliteCache: corrupted entries', () => {
  const cases: [string, string | Buffer, string][] = [
    ['garbage text', 'ǝƃɐqɹɐƃ', 'is not valid JSON'],
    ['truncated JSON', '{"value":{"output":"Par', 'is not valid JSON'],
    ['an array', '[1,2]', 'is `array(2)` (array), not an object'],
    ['a string', '"Paris"', 'is `"Paris"` (string), not an object'],
    ['null', 'null', 'is `null` (null), not an object'],
    [
      'usage of the wrong shape',
      '{"value":1,"usage":"lots"}',
      '`usage` is not { inputTokens, outputTokens }',
    ],
    ['costUsd not a number', '{"value":1,"costUsd":"0.1"}', '`costUsd` is `"0.1"` (string), not a number'],
    ['a blob', Buffer.from([0xde, 0xad]), 'is not text (a blob of 2 bytes)'],
  ];
  it.each(cases)(
    '%s: a typed CacheEntryError, counted as a miss; a later set overwrites it',
    async (_n, stored, why) => {
      const path = join(freshDir(), 'c.sqlite');
      await cacheWithOneEntry(path);
      const raw = rawSqlite(path);
      raw.run('INSERT INTO evalgate_responses (key, entry, created_ms) VALUES (?, ?, 0)', 'bad', stored);
      raw.close();

      const s = sqliteCache(path);
      const err = (await thrown(() => s.get('bad'))) as CacheEntryError;
      expect(err).toBeInstanceOf(CacheEntryError);
      expect(err).not.toBeInstanceOf(SyntaxError);
      expect(err.code).toBe('E_CACHE_ENTRY');
      expect(err.key).toBe('bad');
      expect(err.path).toBe(path);
      expect(err.message).toBe(
        `The entry "bad" of evalgate's SQLite cache at "${path}" ${why}; it counts as a miss, and the next write of this key replaces it.`,
      );
      if (why === 'is not valid JSON') expect(err.cause).toBeInstanceOf(SyntaxError);
      // The other entries still answer.
      expect(s.get('k')).toEqual({ value: 'Paris' });
      expect(await s.stats()).toMatchObject({ hits: 1, misses: 1, size: 2 });

      await s.set('bad', { value: 'fresh', costUsd: 0.25 });
      expect(s.get('bad')).toEqual({ value: 'fresh', costUsd: 0.25 });
      await s.close();
      const check = rawSqlite(path, { readonly: true });
      expect(check.value('SELECT entry FROM evalgate_responses WHERE key = ?', 'bad')).toBe(
        '{"value":"fresh","costUsd":0.25}',
      );
      check.close();
    },
  );
});

describe('sqliteCache: read-only file or folder (run as nobody)', () => {
  it('a read-only file in a writable folder opens read-only: reads answer, writes are refused clearly', async () => {
    const dir = freshDir();
    chownSync(dir, NOBODY, NOBODY); // nobody may create files here, but not write root's cache file
    const path = join(dir, 'cache.sqlite');
    await cacheWithOneEntry(path);
    chmodSync(path, 0o644);

    const r = await asNobody(path, 'k');
    expect(r.uid).toBe(NOBODY);
    expect(r.opened).toBe(true);
    expect(r.get).toEqual({ value: 'Paris' });
    expect(r.has).toBe(true);
    expect(r.size).toBe(1);
    const aw = r.assertWritable as ChildError;
    expect(aw).toMatchObject({ name: 'CacheError', code: 'E_CACHE', reason: 'read-only', path });
    expect(aw.message).toBe(
      `evalgate's SQLite cache at "${path}" is read-only: the file is not writable by this process. ` +
        "A run that writes to the cache (mode 'read-write' or 'write-only') would discard every response it pays for. " +
        "Make the file and its folder writable, choose another path, or use mode 'read-only' or 'replay'.",
    );
    expect(r.set).toMatchObject({ name: 'CacheError', reason: 'read-only', path });
    expect(rowCount(path)).toBe(1);
  });

  it('the same file, once nobody owns it, is writable (so the test above tells the cases apart)', async () => {
    const dir = freshDir();
    chownSync(dir, NOBODY, NOBODY);
    const path = join(dir, 'cache.sqlite');
    await cacheWithOneEntry(path);
    chownSync(path, NOBODY, NOBODY);

    const r = await asNobody(path, 'k');
    expect(r).toMatchObject({ opened: true, get: { value: 'Paris' }, assertWritable: 'ok', set: 'ok' });
    expect(rowCount(path)).toBe(2);
  });

  it('a writable file in a read-only folder opens (from a snapshot) and refuses writes, naming the folder', async () => {
    const dir = freshDir(); // root's, 0755: nobody cannot create the -wal and -shm files here
    const path = join(dir, 'cache.sqlite');
    await cacheWithOneEntry(path);
    chownSync(path, NOBODY, NOBODY);

    const r = await asNobody(path, 'k');
    expect(r).toMatchObject({ opened: true, get: { value: 'Paris' }, has: true, size: 1 });
    const aw = r.assertWritable as ChildError;
    expect(aw).toMatchObject({ reason: 'read-only', path });
    expect(aw.message).toContain(`its folder "${dir}" is not writable by this process`);
    expect(r.set).toMatchObject({ reason: 'read-only' });
    expect(rowCount(path)).toBe(1);
  });

  it('a read-only file in a read-only folder serves replay', async () => {
    const dir = freshDir();
    const path = join(dir, 'cache.sqlite');
    await cacheWithOneEntry(path);
    const r = await asNobody(path, 'k');
    expect(r).toMatchObject({ opened: true, get: { value: 'Paris' } });
    expect(r.assertWritable).toMatchObject({ reason: 'read-only' });
    expect(await asNobody(path, 'absent')).toMatchObject({ opened: true, get: null, has: false });
  });

  it('a read-only folder while a writer keeps the cache open sees the entries still in the WAL', async () => {
    const dir = freshDir();
    const path = join(dir, 'cache.sqlite');
    const writer = sqliteCache(path);
    await writer.set('k', { value: 'in the WAL' });
    try {
      expect(existsSync(`${path}-wal`)).toBe(true);
      const r = await asNobody(path, 'k');
      expect(r).toMatchObject({ opened: true, get: { value: 'in the WAL' } });
      expect(r.assertWritable).toMatchObject({ reason: 'read-only' });
    } finally {
      await writer.close();
    }
  });

  it('a copy with its WAL but without the -shm file, in a read-only folder: says how to merge it', async () => {
    const source = join(freshDir(), 'cache.sqlite');
    const writer = sqliteCache(source);
    await writer.set('k', { value: 'only in the WAL' });
    const dir = freshDir();
    const path = join(dir, 'cache.sqlite');
    try {
      // What copying a live cache folder file by file (or committing it without the -shm) leaves.
      cpSync(source, path);
      cpSync(`${source}-wal`, `${path}-wal`);
    } finally {
      await writer.close();
    }
    const r = await asNobody(path, 'k');
    expect(r.opened).toBe(false);
    expect(r.openError).toMatchObject({ name: 'CacheError', reason: 'cannot-open', path });
    expect(r.openError?.message).toContain(`"${path}-wal" holds writes not yet merged into the file`);
  });

  it('a read-only SQLite database without the table: not a cache, and the table cannot be created', async () => {
    const dir = freshDir();
    const path = join(dir, 'app.sqlite');
    const raw = rawSqlite(path);
    raw.exec('CREATE TABLE users (id INTEGER PRIMARY KEY)');
    raw.close();
    const r = await asNobody(path, 'k');
    expect(r.opened).toBe(false);
    expect(r.openError).toMatchObject({ name: 'CacheError', reason: 'not-a-cache', path });
    expect(r.openError?.message).toContain('and it is read-only, so the table cannot be created');
  });

  it('a missing file in a read-only folder cannot be created: the error names the folder', async () => {
    const dir = freshDir();
    const path = join(dir, 'cache.sqlite');
    const r = await asNobody(path, 'k');
    expect(r.opened).toBe(false);
    expect(r.openError).toMatchObject({ name: 'CacheError', code: 'E_CACHE', reason: 'cannot-create', path });
    expect(r.openError?.message).toContain(`its folder "${dir}" is not writable by this process`);
    expect(existsSync(path)).toBe(false);
  });
});

describe('assertWritable', () => {
  it('passes on a writable sqliteCache, on :memory: and on memoryCache', async () => {
    const s = sqliteCache(join(freshDir(), 'w.sqlite'));
    expect(s.assertWritable?.()).toBeUndefined();
    await s.close();
    const m = sqliteCache(':memory:');
    expect(m.assertWritable?.()).toBeUndefined();
    await m.close();
    const mem = memoryCache();
    expect(typeof mem.assertWritable).toBe('function');
    expect(mem.assertWritable?.()).toBeUndefined();
  });
  it('refuses use after close', async () => {
    const s = sqliteCache(':memory:');
    await s.close();
    expect(() => s.assertWritable?.()).toThrow('This sqliteCache is closed');
  });
});
