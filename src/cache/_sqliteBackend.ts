/**
 * The SQLite library under {@link sqliteCache}: the runtime's built-in `node:sqlite` where it has one (Deno 2,
 * Node.js >= 22.16), else better-sqlite3 (Node.js 20, which needs its native build). Both open the same file
 * format with the same SQL (WAL, `BEGIN IMMEDIATE`, `busy_timeout`), so a cache written by one is read by the
 * other; this module gives the cache one small connection type for both and one name for their error codes.
 * @module
 * @internal
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CacheError } from '../errors.js';
import { _loadSqliteDriver, _runtimeText, type _SqliteDriver } from './_sqliteDriver.js';

/** The two libraries. @internal */
export type _SqliteBackendName = 'node:sqlite' | 'better-sqlite3';

/**
 * Environment variable that picks the library: `node:sqlite` or `better-sqlite3`; unset or empty picks
 * `node:sqlite` when the runtime has it. Tests set it to run the cache suites against each backend.
 * @internal
 */
export const _SQLITE_BACKEND_ENV = 'EVALGATE_SQLITE_BACKEND';

/** One open database, as the cache uses it. @internal */
export interface _SqliteConnection {
  readonly backend: _SqliteBackendName;
  /** Runs SQL, discarding rows. */
  exec(sql: string): void;
  /** Prepares `sql`; the function returns the first column of the first row, or `undefined` for no row. */
  pluck(sql: string): (...params: readonly (string | number)[]) => unknown;
  /** Prepares `sql`; the function runs it. */
  run(sql: string): (...params: readonly (string | number)[]) => void;
  /** Runs `sql` and returns every row as an object. */
  all(sql: string): readonly Record<string, unknown>[];
  /** Runs `sql` and calls `each` with the first two columns of every row, in one pass (no row objects). */
  eachPair(sql: string, each: (first: unknown, second: unknown) => void): void;
  /** True inside `BEGIN` … `COMMIT`. */
  readonly inTransaction: boolean;
  readonly isOpen: boolean;
  close(): void;
}

/** Opens connections with one library. @internal */
export interface _SqliteBackend {
  readonly name: _SqliteBackendName;
  /** Opens a file (created when missing unless `readOnly`, which also requires it to exist). */
  open(
    path: string,
    options: { readonly readOnly: boolean; readonly busyTimeoutMs: number },
  ): _SqliteConnection;
  /** A read-only database holding the given file image (in memory, or a private temporary copy). */
  openImage(image: Uint8Array): _SqliteConnection;
}

// The part of node:sqlite's DatabaseSync the cache uses. Declared here: @types/node 20 has no node:sqlite.
interface NodeStatement {
  get(...params: unknown[]): Record<string, unknown> | unknown[] | undefined;
  all(...params: unknown[]): Record<string, unknown>[] | unknown[][];
  run(...params: unknown[]): unknown;
  setReturnArrays?(enabled: boolean): void;
}
interface NodeDatabase {
  exec(sql: string): void;
  prepare(sql: string): NodeStatement;
  deserialize?(image: Uint8Array): void;
  close(): void;
  readonly isOpen: boolean;
  readonly isTransaction: boolean;
}
type NodeDatabaseConstructor = new (
  path: string,
  options?: { readonly readOnly?: boolean; readonly timeout?: number },
) => NodeDatabase;

const require = createRequire(import.meta.url);
let nodeSqlite: NodeDatabaseConstructor | null | undefined;

/**
 * node:sqlite's `DatabaseSync`, or `null` where the runtime has none, or one without `isTransaction` (Node.js
 * 22.5 to 22.15), which the cache's read transactions need. Loaded once per process.
 */
function loadNodeSqlite(): NodeDatabaseConstructor | null {
  if (nodeSqlite !== undefined) return nodeSqlite;
  try {
    const { DatabaseSync } = require('node:sqlite') as { DatabaseSync: NodeDatabaseConstructor };
    const probe = new DatabaseSync(':memory:');
    const usable = typeof probe.isTransaction === 'boolean' && typeof probe.isOpen === 'boolean';
    probe.close();
    nodeSqlite = usable ? DatabaseSync : null;
  } catch {
    nodeSqlite = null; // Node.js 20: ERR_UNKNOWN_BUILTIN_MODULE
  }
  return nodeSqlite;
}

function nodeConnection(db: NodeDatabase, onClose?: () => void): _SqliteConnection {
  const firstColumn = (stmt: NodeStatement) => {
    if (stmt.setReturnArrays !== undefined) {
      stmt.setReturnArrays(true);
      return (...params: readonly (string | number)[]) => (stmt.get(...params) as unknown[] | undefined)?.[0];
    }
    return (...params: readonly (string | number)[]) => {
      const row = stmt.get(...params) as Record<string, unknown> | undefined;
      return row === undefined ? undefined : Object.values(row)[0];
    };
  };
  return {
    backend: 'node:sqlite',
    exec: (sql) => db.exec(sql),
    pluck: (sql) => firstColumn(db.prepare(sql)),
    run(sql) {
      const stmt = db.prepare(sql);
      return (...params) => {
        stmt.run(...params);
      };
    },
    all: (sql) => db.prepare(sql).all() as Record<string, unknown>[],
    eachPair(sql, each) {
      const stmt = db.prepare(sql);
      if (stmt.setReturnArrays !== undefined) {
        stmt.setReturnArrays(true);
        for (const row of stmt.all() as unknown[][]) each(row[0], row[1]);
        return;
      }
      for (const row of stmt.all() as Record<string, unknown>[]) {
        const [first, second] = Object.values(row);
        each(first, second);
      }
    },
    get inTransaction() {
      return db.isTransaction;
    },
    get isOpen() {
      return db.isOpen;
    },
    close: () => {
      try {
        db.close();
      } finally {
        onClose?.();
      }
    },
  };
}

/**
 * The image as a read-only database on a runtime whose node:sqlite has no `deserialize()` (Node.js 22): written
 * to a private temporary folder (`os.tmpdir()`, so `TMPDIR` moves it), opened read-only, removed on close.
 */
function openImageFile(DatabaseSync: NodeDatabaseConstructor, image: Uint8Array): _SqliteConnection {
  let dir: string;
  try {
    dir = mkdtempSync(join(tmpdir(), 'evalgate-cache-'));
  } catch (cause) {
    throw new Error(
      `${_runtimeText()} has no DatabaseSync.deserialize(), so the read-only cache is read from a copy in a temporary folder, which could not be created in "${tmpdir()}" (${String((cause as Error)?.message ?? cause)}). Fix: set TMPDIR to a writable folder, make the cache's folder writable, or run Node.js >= 24`,
      { cause },
    );
  }
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const file = join(dir, 'snapshot.sqlite');
    writeFileSync(file, image, { mode: 0o600 });
    const db = new DatabaseSync(file, { readOnly: true });
    db.exec('PRAGMA query_only = ON');
    return nodeConnection(db, remove);
  } catch (err) {
    remove();
    throw err;
  }
}

function nodeBackend(DatabaseSync: NodeDatabaseConstructor): _SqliteBackend {
  return {
    name: 'node:sqlite',
    open: (path, { readOnly, busyTimeoutMs }) =>
      nodeConnection(new DatabaseSync(path, { readOnly, timeout: busyTimeoutMs })),
    openImage(image) {
      const db = new DatabaseSync(':memory:');
      if (db.deserialize === undefined) {
        db.close();
        return openImageFile(DatabaseSync, image);
      }
      try {
        db.deserialize(image);
        db.exec('PRAGMA query_only = ON');
      } catch (err) {
        db.close();
        throw err;
      }
      return nodeConnection(db);
    },
  };
}

function betterConnection(db: InstanceType<_SqliteDriver>): _SqliteConnection {
  return {
    backend: 'better-sqlite3',
    exec: (sql) => {
      db.exec(sql);
    },
    pluck(sql) {
      const stmt = db.prepare(sql).pluck();
      return (...params) => stmt.get(...params);
    },
    run(sql) {
      const stmt = db.prepare(sql);
      return (...params) => {
        stmt.run(...params);
      };
    },
    all: (sql) => db.prepare(sql).all() as Record<string, unknown>[],
    eachPair(sql, each) {
      for (const row of db.prepare(sql).raw().iterate() as Iterable<unknown[]>) each(row[0], row[1]);
    },
    get inTransaction() {
      return db.inTransaction;
    },
    get isOpen() {
      return db.open;
    },
    close: () => {
      db.close();
    },
  };
}

function betterBackend(Database: _SqliteDriver): _SqliteBackend {
  return {
    name: 'better-sqlite3',
    open: (path, { readOnly, busyTimeoutMs }) =>
      betterConnection(
        readOnly
          ? new Database(path, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs })
          : new Database(path, { timeout: busyTimeoutMs }),
      ),
    openImage: (image) => betterConnection(new Database(Buffer.from(image), { readonly: true })),
  };
}

/**
 * The backend for a cache at `path`: the one `EVALGATE_SQLITE_BACKEND` names, else node:sqlite when the
 * runtime has it, else better-sqlite3.
 * @param path - the cache file being opened, for errors.
 * @param env - where `EVALGATE_SQLITE_BACKEND` is read. @default process.env
 * @throws {TypeError} when `EVALGATE_SQLITE_BACKEND` names neither library.
 * @throws {CacheError} `'driver-unsupported-runtime'` when it asks for node:sqlite on a runtime without it, and
 * the `driver-*` errors of better-sqlite3 when that is the one to load and it does not load.
 * @internal
 */
export function _sqliteBackend(
  path: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): _SqliteBackend {
  const asked = env[_SQLITE_BACKEND_ENV] ?? '';
  if (asked !== '' && asked !== 'node:sqlite' && asked !== 'better-sqlite3')
    throw new TypeError(
      `Expected \`${_SQLITE_BACKEND_ENV}\` to be one of 'node:sqlite' | 'better-sqlite3' (or unset), got \`${JSON.stringify(asked)}\` (string)`,
    );
  if (asked !== 'better-sqlite3') {
    const DatabaseSync = loadNodeSqlite();
    if (DatabaseSync !== null) return nodeBackend(DatabaseSync);
    if (asked === 'node:sqlite')
      throw new CacheError(
        `Cannot open evalgate's SQLite cache at "${path}": ${_SQLITE_BACKEND_ENV}=node:sqlite asks for the runtime's built-in node:sqlite, which ${_runtimeText()} does not have (Node.js has a usable one from 22.16, Deno from 2.2). Fix: unset ${_SQLITE_BACKEND_ENV} to use better-sqlite3, or run a newer runtime.`,
        path,
        'driver-unsupported-runtime',
      );
  }
  return betterBackend(_loadSqliteDriver(path));
}

// SQLite's result codes (https://www.sqlite.org/rescode.html): the primary codes by number, and each primary's
// extended codes in order (extended code k of a primary is `primary | k << 8`), spelled as better-sqlite3 and
// SQLite's own macros spell them. Node's node:sqlite errors carry only the number (`errcode`, extended: a full
// disk is 778, SQLITE_IOERR_WRITE); Deno's (2.9) carry only sqlite3_errmsg()'s text. Checked against CPython's
// sqlite3 constants (test/cache/fixtures/sqliteResultCodes.json: CPython 3.11, SQLite 3.40.1); three it does not
// name are from the page above: SQLITE_CONSTRAINT_DATATYPE, SQLITE_NOTICE_RBU and SQLITE_IOERR_IN_PAGE (3.45).
const PRIMARY = [
  'OK',
  'ERROR',
  'INTERNAL',
  'PERM',
  'ABORT',
  'BUSY',
  'LOCKED',
  'NOMEM',
  'READONLY',
  'INTERRUPT',
  'IOERR',
  'CORRUPT',
  'NOTFOUND',
  'FULL',
  'CANTOPEN',
  'PROTOCOL',
  'EMPTY',
  'SCHEMA',
  'TOOBIG',
  'CONSTRAINT',
  'MISMATCH',
  'MISUSE',
  'NOLFS',
  'AUTH',
  'FORMAT',
  'RANGE',
  'NOTADB',
  'NOTICE',
  'WARNING',
] as const;
const EXTENDED_SUFFIXES: Readonly<Partial<Record<(typeof PRIMARY)[number], readonly string[]>>> = {
  OK: ['LOAD_PERMANENTLY', 'SYMLINK'],
  ERROR: ['MISSING_COLLSEQ', 'RETRY', 'SNAPSHOT'],
  ABORT: ['', 'ROLLBACK'],
  BUSY: ['RECOVERY', 'SNAPSHOT', 'TIMEOUT'],
  LOCKED: ['SHAREDCACHE', 'VTAB'],
  READONLY: ['RECOVERY', 'CANTLOCK', 'ROLLBACK', 'DBMOVED', 'CANTINIT', 'DIRECTORY'],
  IOERR: [
    'READ',
    'SHORT_READ',
    'WRITE',
    'FSYNC',
    'DIR_FSYNC',
    'TRUNCATE',
    'FSTAT',
    'UNLOCK',
    'RDLOCK',
    'DELETE',
    'BLOCKED',
    'NOMEM',
    'ACCESS',
    'CHECKRESERVEDLOCK',
    'LOCK',
    'CLOSE',
    'DIR_CLOSE',
    'SHMOPEN',
    'SHMSIZE',
    'SHMLOCK',
    'SHMMAP',
    'SEEK',
    'DELETE_NOENT',
    'MMAP',
    'GETTEMPPATH',
    'CONVPATH',
    'VNODE',
    'AUTH',
    'BEGIN_ATOMIC',
    'COMMIT_ATOMIC',
    'ROLLBACK_ATOMIC',
    'DATA',
    'CORRUPTFS',
    'IN_PAGE',
  ],
  CORRUPT: ['VTAB', 'SEQUENCE', 'INDEX'],
  CANTOPEN: ['NOTEMPDIR', 'ISDIR', 'FULLPATH', 'CONVPATH', 'DIRTYWAL', 'SYMLINK'],
  CONSTRAINT: [
    'CHECK',
    'COMMITHOOK',
    'FOREIGNKEY',
    'FUNCTION',
    'NOTNULL',
    'PRIMARYKEY',
    'TRIGGER',
    'UNIQUE',
    'VTAB',
    'ROWID',
    'PINNED',
    'DATATYPE',
  ],
  AUTH: ['USER'],
  NOTICE: ['RECOVER_WAL', 'RECOVER_ROLLBACK', 'RBU'],
  WARNING: ['AUTOINDEX'],
};
const CODES: ReadonlyMap<number, string> = new Map([
  ...PRIMARY.map((name, n) => [n, `SQLITE_${name}`] as const),
  [100, 'SQLITE_ROW'],
  [101, 'SQLITE_DONE'],
  ...PRIMARY.flatMap((name, n) =>
    (EXTENDED_SUFFIXES[name] ?? []).flatMap((suffix, k) =>
      suffix === '' ? [] : [[n | ((k + 1) << 8), `SQLITE_${name}_${suffix}`] as const],
    ),
  ),
]);
const MESSAGES: readonly (readonly [RegExp, string])[] = [
  [/^database is locked/, 'SQLITE_BUSY'],
  [/^database table is locked/, 'SQLITE_LOCKED'],
  [/^file is not a database/, 'SQLITE_NOTADB'],
  [/^database disk image is malformed/, 'SQLITE_CORRUPT'],
  [/^unable to open database file/, 'SQLITE_CANTOPEN'],
  [/^attempt to write a readonly database/, 'SQLITE_READONLY'],
  [/^disk I\/O error/, 'SQLITE_IOERR'],
  [/^database or disk is full/, 'SQLITE_FULL'],
];

/**
 * The SQLite result code of a driver error, spelled as better-sqlite3 spells it (`'SQLITE_BUSY'`,
 * `'SQLITE_READONLY_DIRECTORY'`), whichever backend threw it; `undefined` for an error that is not SQLite's.
 * @internal
 */
export function _sqliteErrorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; errcode?: unknown; message?: unknown } | null;
  if (typeof e?.code === 'string' && e.code.startsWith('SQLITE_')) return e.code;
  if (e?.code !== 'ERR_SQLITE_ERROR') return undefined;
  if (typeof e.errcode === 'number')
    // An extended code this table does not know (a newer SQLite's) is named by its primary code.
    return CODES.get(e.errcode) ?? CODES.get(e.errcode & 0xff) ?? `SQLITE_${e.errcode}`;
  const message = String(e.message);
  for (const [pattern, code] of MESSAGES) if (pattern.test(message)) return code;
  return 'SQLITE_ERROR';
}

/**
 * The primary result code of a driver error (`'SQLITE_BUSY'` for `SQLITE_BUSY_RECOVERY` as for `SQLITE_BUSY`),
 * whichever backend threw it: what a decision branches on, since either backend may report an extended code.
 * @internal
 */
export function _sqlitePrimaryCode(err: unknown): string | undefined {
  const code = _sqliteErrorCode(err);
  if (code === undefined) return undefined;
  for (const name of PRIMARY_NAMES) if (code === name || code.startsWith(`${name}_`)) return name;
  return code;
}

/** The primary names, longest first (`SQLITE_READONLY` before a name it begins with). */
const PRIMARY_NAMES: readonly string[] = [
  ...PRIMARY.map((name) => `SQLITE_${name}`),
  'SQLITE_ROW',
  'SQLITE_DONE',
].sort((a, b) => b.length - a.length);
