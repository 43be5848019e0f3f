/**
 * Opens the SQLite file of {@link sqliteCache}: finds out whether this process may write it, creates what is
 * missing (folders, file, table), opens it read-only when it may not, and turns every way the file can be wrong
 * into a {@link CacheError} that names the path.
 * @module
 * @internal
 */
import { accessSync, constants, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CacheError, type CacheErrorReason } from '../errors.js';
import {
  type _SqliteBackend,
  type _SqliteConnection,
  _sqliteBackend,
  _sqliteErrorCode,
  _sqlitePrimaryCode,
} from './_sqliteBackend.js';

/** The table evalgate writes, and its columns in order. */
const TABLE = 'evalgate_responses';
const COLUMNS = ['key', 'entry', 'created_ms'] as const;

/** An open cache database. @internal */
export interface _OpenedSqlite {
  readonly db: _SqliteConnection;
  /** The absolute path of the file, or `':memory:'`. */
  readonly path: string;
  /** When this process cannot write the file: why, for {@link _readOnlyError}. */
  readonly readOnlyBecause?: string;
}

/** What the file system says about the path before SQLite touches it. */
type Location =
  | { readonly kind: 'memory' | 'new' | 'writable'; readonly path: string }
  | {
      readonly kind: 'read-only';
      readonly path: string;
      readonly folderWritable: boolean;
      readonly because: string;
    };

/** Deno's `fs.accessSync` (2.9) compares permission bits instead of asking the kernel, so it denies root. */
const denoAsRoot = process.versions.deno !== undefined && process.getuid?.() === 0;

function can(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch (err) {
    // Root reads and writes whatever the permission bits say (a read-only mount still answers EROFS).
    return denoAsRoot && (err as { code?: unknown }).code === 'EACCES';
  }
}

function fail(path: string, reason: CacheErrorReason, what: string, cause?: unknown): CacheError {
  return new CacheError(
    `Cannot open evalgate's SQLite cache at "${path}": ${what}`,
    path,
    reason,
    cause === undefined ? {} : { cause },
  );
}

function errorText(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown } | null;
  const message = String(e?.message ?? err);
  // SQLite's code as better-sqlite3 names it, so both backends word a failure the same way.
  const code = _sqliteErrorCode(err) ?? e?.code;
  return typeof code === 'string' && !message.startsWith(code) ? `${code}: ${message}` : message;
}

/** Step 1: stat the path, create missing folders, decide between read-write and read-only. */
function locate(given: string): Location {
  if (given === ':memory:') return { kind: 'memory', path: given };
  const path = resolve(given);
  const folder = dirname(path);
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(path, { throwIfNoEntry: false });
  } catch (cause) {
    const code = (cause as { code?: unknown }).code;
    if (code !== 'ENOTDIR')
      throw fail(path, 'cannot-open', `cannot look it up (${errorText(cause)}).`, cause);
    stats = undefined; // a parent is a file: mkdir below says so
  }
  if (stats?.isDirectory())
    throw fail(
      path,
      'is-a-directory',
      `it is a folder. Pass a file path, such as "${join(path, 'cache.sqlite')}".`,
    );
  if (stats === undefined) {
    try {
      mkdirSync(folder, { recursive: true });
    } catch (cause) {
      throw fail(
        path,
        'cannot-create',
        `cannot create its folder "${folder}" (${errorText(cause)}). Create the folder or choose another path.`,
        cause,
      );
    }
    if (!can(folder, constants.W_OK))
      throw fail(
        path,
        'cannot-create',
        `the file does not exist and its folder "${folder}" is not writable by this process, so it cannot be created. Make the folder writable or choose another path.`,
      );
    return { kind: 'new', path };
  }
  if (!can(path, constants.R_OK))
    throw fail(
      path,
      'cannot-open',
      'the file is not readable by this process. Make it readable or choose another path.',
    );
  const fileWritable = can(path, constants.W_OK);
  const folderWritable = can(folder, constants.W_OK);
  if (fileWritable && folderWritable) return { kind: 'writable', path };
  return {
    kind: 'read-only',
    path,
    folderWritable,
    because: !fileWritable
      ? 'the file is not writable by this process'
      : `its folder "${folder}" is not writable by this process (SQLite writes its -wal and -shm files beside the cache)`,
  };
}

/** Runs `fn`, retrying with a growing pause (5 to 100 ms) while SQLite answers BUSY / LOCKED, up to `timeoutMs`. */
function retryWhileBusy(fn: () => void, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs;
  const cell = new Int32Array(new SharedArrayBuffer(4));
  for (let pause = 5; ; pause = Math.min(2 * pause, 100)) {
    try {
      fn();
      return;
    } catch (err) {
      const code = _sqlitePrimaryCode(err);
      if ((code !== 'SQLITE_BUSY' && code !== 'SQLITE_LOCKED') || Date.now() >= deadline) throw err;
      // The store is opened synchronously, so wait synchronously (a few ms, only on contention).
      Atomics.wait(cell, 0, 0, pause);
    }
  }
}

/** Step 2a: open for reading and writing, switch to WAL, create the table. */
function openWritable(backend: _SqliteBackend, where: Location, busyTimeoutMs: number): _SqliteConnection {
  const db = backend.open(where.path, { readOnly: false, busyTimeoutMs });
  try {
    db.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
    retryWhileBusy(() => checkTable(db, where.path, true), busyTimeoutMs);
    // Switching a fresh file to WAL and creating the table take locks that SQLite can refuse with SQLITE_BUSY
    // without calling the busy handler when another process is doing the same at that moment (several vitest
    // workers opening one new cache file): retry them until the busy timeout.
    retryWhileBusy(() => {
      if (where.kind !== 'memory') db.exec('PRAGMA journal_mode = WAL');
    }, busyTimeoutMs);
    retryWhileBusy(
      () =>
        db.exec(
          `CREATE TABLE IF NOT EXISTS ${TABLE} (key TEXT PRIMARY KEY NOT NULL, entry TEXT NOT NULL, created_ms INTEGER NOT NULL) WITHOUT ROWID`,
        ),
      busyTimeoutMs,
    );
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Step 2b: open read-only. SQLite reads a WAL file through a -shm file beside it, which it cannot create in a
 * read-only folder; when there is none, a closed cache (its WAL merged into the file, as every close leaves it)
 * is read from an in-memory copy of the file instead.
 */
function openReadOnly(
  backend: _SqliteBackend,
  where: Extract<Location, { kind: 'read-only' }>,
  busyTimeoutMs: number,
): _SqliteConnection {
  let db: _SqliteConnection | undefined;
  try {
    db = backend.open(where.path, { readOnly: true, busyTimeoutMs });
    db.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
    checkTable(db, where.path, false);
    return db;
  } catch (err) {
    db?.close();
    const code = String(_sqliteErrorCode(err));
    if (
      where.folderWritable ||
      (_sqlitePrimaryCode(err) !== 'SQLITE_CANTOPEN' && code !== 'SQLITE_READONLY_DIRECTORY')
    )
      throw err;
  }
  const wal = statSync(`${where.path}-wal`, { throwIfNoEntry: false });
  if (wal !== undefined && wal.size > 0)
    throw fail(
      where.path,
      'cannot-open',
      `its folder "${dirname(where.path)}" is not writable and "${where.path}-wal" holds writes not yet merged into the file, which SQLite cannot read without creating a -shm file there. Open the cache once where its folder is writable (closing it merges the WAL), or make the folder writable.`,
    );
  let image: Buffer;
  try {
    image = readFileSync(where.path);
  } catch (cause) {
    throw fail(where.path, 'cannot-open', `cannot read the file (${errorText(cause)}).`, cause);
  }
  // Header bytes 18-19 are the read / write format versions: 2 marks a WAL database, which an in-memory copy
  // cannot be; 1 (rollback journal) reads the same pages (https://www.sqlite.org/fileformat2.html#database_header).
  if (image.length >= 100 && image[18] === 2 && image[19] === 2) {
    image[18] = 1;
    image[19] = 1;
  }
  const copy = backend.openImage(image);
  try {
    checkTable(copy, where.path, false);
    return copy;
  } catch (err) {
    copy.close();
    throw err;
  }
}

/**
 * The table must be evalgate's, with exactly its columns; a database without it is accepted when the table can
 * be created. Runs before anything is written, so a file that is not evalgate's is left as it was.
 */
function checkTable(db: _SqliteConnection, path: string, mayCreate: boolean): void {
  // table_info reads the schema: on a file that is not a database, this is where SQLITE_NOTADB comes from.
  const found = db.all(`PRAGMA table_info(${TABLE})`).map((c) => String(c.name));
  if (found.length === 0 && mayCreate) return;
  const notOurs = (cause?: unknown) =>
    fail(
      path,
      'not-a-cache',
      found.length === 0
        ? `it is a SQLite database without evalgate's table "${TABLE}", and it is read-only, so the table cannot be created. evalgate leaves it untouched; choose another path for the cache.`
        : `it is a SQLite database whose table "${TABLE}" has the columns (${found.join(', ')}), not evalgate's (${COLUMNS.join(', ')}), so it was not written by evalgate's cache. evalgate leaves it untouched; choose another path for the cache.`,
      cause,
    );
  if (found.length === 0) throw notOurs();
  try {
    // The lookup sqliteCache() prepares: on a foreign table, the driver's own complaint becomes the cause.
    db.pluck(`SELECT entry FROM ${TABLE} WHERE key = ?`);
  } catch (cause) {
    if (_sqlitePrimaryCode(cause) !== 'SQLITE_ERROR') throw cause;
    throw notOurs(cause);
  }
  if (found.join(',') !== COLUMNS.join(',')) throw notOurs();
}

/** A driver error met while opening, as a {@link CacheError} naming the path. */
function openError(path: string, err: unknown, busyTimeoutMs: number): CacheError {
  if (err instanceof CacheError) return err;
  const code = String(_sqlitePrimaryCode(err));
  const text = errorText(err);
  if (code === 'SQLITE_NOTADB')
    return fail(
      path,
      'not-a-database',
      `the file is not a SQLite database (${text}). evalgate leaves it untouched; choose another path for the cache.`,
      err,
    );
  if (code === 'SQLITE_CORRUPT')
    return fail(
      path,
      'not-a-database',
      `the file is a damaged SQLite database (${text}). evalgate leaves it untouched; choose another path, or delete the file to start an empty cache.`,
      err,
    );
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED')
    return fail(
      path,
      'cannot-open',
      `another connection held its lock for longer than \`busyTimeoutMs\` (${busyTimeoutMs} ms) (${text}).`,
      err,
    );
  return fail(path, 'cannot-open', `${text}.`, err);
}

/**
 * Opens (creating when missing) the cache file at `path`, read-only when this process cannot write it.
 * @throws {CacheError} naming the path, with the driver's error as `cause` when there was one.
 * @internal
 */
export function _openSqliteFile(
  path: string,
  busyTimeoutMs: number,
  synchronous: 'full' | 'normal',
): _OpenedSqlite {
  // The driver first: a run that cannot load it leaves no folders behind.
  const backend = _sqliteBackend(path === ':memory:' ? path : resolve(path));
  const where = locate(path);
  let db: _SqliteConnection | undefined;
  try {
    db =
      where.kind === 'read-only'
        ? openReadOnly(backend, where, busyTimeoutMs)
        : openWritable(backend, where, busyTimeoutMs);
    db.exec(`PRAGMA synchronous = ${synchronous.toUpperCase()}`);
  } catch (err) {
    if (db?.isOpen) db.close();
    throw openError(where.path, err, busyTimeoutMs);
  }
  if (where.kind !== 'read-only') return { db, path: where.path };
  return { db, path: where.path, readOnlyBecause: where.because };
}

/** The error a write to a read-only cache gets. @internal */
export function _readOnlyError(path: string, because: string): CacheError {
  return new CacheError(
    `evalgate's SQLite cache at "${path}" is read-only: ${because}. A run that writes to the cache (mode 'read-write' or 'write-only') would discard every response it pays for. Make the file and its folder writable, choose another path, or use mode 'read-only' or 'replay'.`,
    path,
    'read-only',
  );
}

/**
 * The error a failed write (a full disk, a lock held past `busyTimeoutMs`, a damaged page) rejects with: the
 * driver's error named by its SQLite code, with the path. @internal
 */
export function _writeError(path: string, err: unknown): CacheError {
  return new CacheError(
    `Cannot write to evalgate's SQLite cache at "${path}": ${errorText(err)}. The response is kept, uncached; free disk space (or fix the file) and rerun to cache it.`,
    path,
    'cannot-write',
    { cause: err },
  );
}
