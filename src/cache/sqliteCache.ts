import { _describe } from '../_internal/describe.js';
import { _checkChoice, _checkInteger, _checkOptions, _checkOptionsObject } from '../_internal/validate.js';
import { CacheEntryError, CacheError } from '../errors.js';
import { _entryShapeProblem, _entryText } from './_entryText.js';
import { _openSqliteFile, _readOnlyError, _writeError } from './_openSqliteFile.js';
import { _checkStoreKey } from './_storeKey.js';
import type { CacheEntry, CacheStats, CacheStore } from './CacheStore.js';

/** Options of {@link sqliteCache}. */
export interface SqliteCacheOptions {
  /**
   * How long a writer waits for another connection's lock before failing, in ms (SQLite `busy_timeout`).
   * Minimum: `0`. @default 30000
   */
  readonly busyTimeoutMs?: number;
  /**
   * SQLite `synchronous` level. `'normal'` survives a killed process (the WAL is in the OS before the
   * write returns); `'full'` also survives a power cut, at the price of an fsync per commit (commits are
   * grouped, so one fsync covers every write of an event-loop turn). @default 'full'
   */
  readonly synchronous?: 'full' | 'normal';
}

const SQLITE_CACHE_KEYS = Object.keys({ busyTimeoutMs: true, synchronous: true } satisfies Record<
  keyof SqliteCacheOptions,
  true
>);

/** The largest file a replay reads in one pass ({@link CacheStore.replaying}): 64 MiB. */
const SNAPSHOT_MAX_BYTES = 64 * 1024 * 1024;

/** Parses a stored entry. @throws {CacheEntryError} when it is not text, not JSON, or not an entry. */
function parseEntry(stored: unknown, key: string, path: string): CacheEntry {
  const corrupt = (why: string, cause?: unknown) =>
    new CacheEntryError(
      `The entry "${key}" of evalgate's SQLite cache at "${path}" ${why}; it counts as a miss, and the next write of this key replaces it.`,
      key,
      path,
      cause === undefined ? {} : { cause },
    );
  if (typeof stored !== 'string')
    throw corrupt(
      `is not text (${stored instanceof Uint8Array ? `a blob of ${stored.length} bytes` : _describe(stored)})`,
    );
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch (cause) {
    throw corrupt('is not valid JSON', cause);
  }
  const problem = _entryShapeProblem(value);
  if (problem !== undefined) throw corrupt(problem);
  return value as CacheEntry;
}

/**
 * The embedded default cache: one SQLite file in WAL mode, safe when several vitest workers or processes read
 * and write it at once.
 *
 * Writers take the lock with `BEGIN IMMEDIATE` and wait up to `busyTimeoutMs` for it, so concurrent writers
 * queue instead of failing or losing entries. Writes issued in the same event-loop turn are committed
 * together in one transaction (group commit), and each `set` resolves only after its transaction has
 * committed, so a response the runtime has handed out survives a `SIGKILL` of the process. Reads are a
 * prepared single-row lookup on the primary key, answered synchronously (no promise on the hot path); the reads
 * of one event-loop turn share one WAL read transaction (a per-statement transaction would cost three times
 * the lookup), so another process's writes become visible from the next turn.
 * Writes that have not committed yet are visible to `get` of the same store.
 *
 * The SQLite library is the runtime's built-in `node:sqlite` where it has a usable one (Deno >= 2.2, Node.js
 * >= 22.16), so no native module is built; on Node.js 20 it is the optional dependency better-sqlite3. Both write
 * the same file with the same locking, so one cache file can be shared between them. The environment variable
 * `EVALGATE_SQLITE_BACKEND` (`'node:sqlite'` or `'better-sqlite3'`) forces one.
 *
 * Missing folders of `path` are created. When this process may read but not write the file, or not write its
 * folder (where SQLite keeps its `-wal` and `-shm` files), the store opens read-only: `get` answers (for the
 * `'read-only'` and `'replay'` modes), while `assertWritable()` throws and `set` rejects with a
 * {@link CacheError} (`reason: 'read-only'`) instead of failing on every write. In a read-only folder the file
 * is read from an in-memory copy taken when the store opens. A stored entry that no longer parses makes `get`
 * throw a {@link CacheEntryError} (counted as a miss); the next `set` of that key replaces it. `has` does not
 * parse entries. A write that fails (a full disk, a lock held past `busyTimeoutMs`) rejects with a
 * {@link CacheError} (`reason: 'cannot-write'`, the driver's error as `cause`), and its group commit is rolled back
 * whole: no entry is half written. Using the store after `close()` throws a {@link CacheError} (`reason: 'closed'`).
 *
 * @param path - file path (created when missing, with its folders), or `':memory:'`.
 * @param options - see {@link SqliteCacheOptions}.
 * @returns a {@link CacheStore}; call `close()` when done.
 * @throws {TypeError} when `path` is not a non-empty string.
 * @throws {CacheError} naming the path, when it cannot be used: a folder (`'is-a-directory'`), a file or folder
 * that cannot be created (`'cannot-create'`) or read (`'cannot-open'`), a file that is not a SQLite database
 * (`'not-a-database'`) or whose `evalgate_responses` table is not evalgate's (`'not-a-cache'`), or a driver
 * that does not load (`'driver-*'`, naming the runtime, the cause and the command that fixes it). The file is
 * never modified in these cases, and the driver's error is `cause`.
 * @example
 * ```ts
 * const cache = sqliteCache('.evalgate/cache.sqlite'); // creates .evalgate/ when missing
 * const result = await evaluate(data, model, metrics, { cache });
 * await cache.close();
 * sqliteCache('README.md');
 * // => throws CacheError: Cannot open evalgate's SQLite cache at "/repo/README.md": the file is not a SQLite database (…)
 * ```
 */
export function sqliteCache(path: string, options: SqliteCacheOptions = {}): CacheStore {
  _checkOptions('sqliteCache', options, SQLITE_CACHE_KEYS);
  if (typeof path !== 'string' || path.length === 0)
    throw new TypeError(
      `Expected \`path\` to be a non-empty string, got \`${String(path)}\` (${path === null ? 'null' : typeof path})`,
    );
  _checkOptionsObject('options', options);
  const busyTimeoutMs = _checkInteger('options.busyTimeoutMs', options.busyTimeoutMs ?? 30_000, 0);
  const synchronous = _checkChoice('options.synchronous', options.synchronous ?? 'full', ['full', 'normal']);

  const { db, path: file, readOnlyBecause } = _openSqliteFile(path, busyTimeoutMs, synchronous);
  const selectEntry = db.pluck('SELECT entry FROM evalgate_responses WHERE key = ?');
  const selectOne = db.pluck('SELECT 1 FROM evalgate_responses WHERE key = ?');
  const count = db.pluck('SELECT COUNT(*) FROM evalgate_responses');
  // A read-only store never writes: `set` rejects before anything is queued.
  const writeBatch =
    readOnlyBecause === undefined
      ? (() => {
          const upsert = db.run(
            'INSERT INTO evalgate_responses (key, entry, created_ms) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET entry = excluded.entry, created_ms = excluded.created_ms',
          );
          // BEGIN IMMEDIATE takes the write lock up front (waiting up to busy_timeout), so a writer never fails
          // halfway through a batch on a lock upgrade; a failed batch is rolled back whole.
          return (rows: readonly (readonly [string, string])[]) => {
            db.exec('BEGIN IMMEDIATE');
            try {
              const now = Date.now();
              for (const [k, e] of rows) upsert(k, e, now);
              db.exec('COMMIT');
            } catch (err) {
              if (db.inTransaction) db.exec('ROLLBACK');
              throw err;
            }
          };
        })()
      : undefined;

  /** Entries waiting for the next group commit, by key (last write wins). */
  let pending = new Map<string, string>();
  let waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  let flushScheduled = false;
  let closed = false;
  let hits = 0;
  let misses = 0;
  let writes = 0;

  // Every statement outside a transaction opens and closes its own WAL read transaction, which costs about three
  // times the lookup itself. Reads of one event-loop turn therefore share one read transaction, ended at the next
  // turn (or by a flush, which must write outside it): other processes' writes are seen from the next turn on.
  let readOpen = false;
  function beginRead(): void {
    if (readOpen || db.inTransaction) return;
    db.exec('BEGIN');
    readOpen = true;
    setImmediate(endRead);
  }
  // Ended with ROLLBACK: a read transaction holds no writes, and after a read that met a damaged page SQLite fails
  // a COMMIT with that page's error, which at the next turn would be an uncaught exception.
  function endRead(): void {
    if (!readOpen) return;
    readOpen = false;
    if (db.inTransaction) db.exec('ROLLBACK');
  }

  function flush(): void {
    flushScheduled = false;
    endRead();
    if (pending.size === 0 || writeBatch === undefined) return;
    const rows = [...pending];
    const settle = waiters;
    pending = new Map();
    waiters = [];
    try {
      writeBatch(rows);
      writes += rows.length;
      for (const w of settle) w.resolve();
    } catch (err) {
      const failed = _writeError(file, err);
      for (const w of settle) w.reject(failed);
    }
  }

  // A replay reads what the file held when it began, one pass over the table into a Map of the stored texts
  // (parsed on a hit, as a lookup would be): a bulk read costs about half a lookup per row. Only for a file up to
  // SNAPSHOT_MAX_BYTES, so memory stays bounded (the texts take about what the file takes); a larger file is read
  // one lookup per call. A key missing from the snapshot is looked up (an entry written since is found), and a
  // `set` through this store drops its key from the snapshot.
  let snapshotWanted = false;
  let snapshot: Map<string, unknown> | undefined;
  function takeSnapshot(): void {
    snapshotWanted = false;
    const pages = Number(pragma('page_count')) * Number(pragma('page_size'));
    if (!(pages <= SNAPSHOT_MAX_BYTES)) return;
    const rows = new Map<string, unknown>();
    try {
      db.eachPair('SELECT key, entry FROM evalgate_responses', (k, e) => rows.set(String(k), e));
    } catch {
      // A damaged page stops the pass: read by lookups, so only the entries on that page fail (each on its own get).
      return;
    }
    snapshot = rows;
  }
  function pragma(name: 'page_count' | 'page_size'): unknown {
    return db.all(`PRAGMA ${name}`)[0]?.[name];
  }

  function assertOpen(): void {
    if (closed)
      throw new CacheError(
        `This sqliteCache is closed: evalgate's SQLite cache at "${file}" was closed by close(); open it again with sqliteCache() to use it`,
        file,
        'closed',
      );
  }

  return {
    get(key: string): CacheEntry | undefined {
      assertOpen();
      _checkStoreKey(key);
      const queued = pending.get(key);
      if (queued !== undefined) {
        hits++;
        return JSON.parse(queued) as CacheEntry; // written by this store: known to be an entry
      }
      if (snapshotWanted) takeSnapshot();
      let stored: unknown = snapshot?.get(key);
      if (stored === undefined) {
        beginRead();
        stored = selectEntry(key);
      }
      if (stored === undefined) {
        misses++;
        return undefined;
      }
      let entry: CacheEntry;
      try {
        entry = parseEntry(stored, key, file);
      } catch (err) {
        misses++;
        throw err;
      }
      hits++;
      return entry;
    },
    set(key: string, entry: CacheEntry): Promise<void> {
      assertOpen();
      if (readOnlyBecause !== undefined) return Promise.reject(_readOnlyError(file, readOnlyBecause));
      let text: string;
      try {
        _checkStoreKey(key);
        text = _entryText(key, entry);
      } catch (err) {
        return Promise.reject(err);
      }
      snapshot?.delete(key);
      return new Promise<void>((resolve, reject) => {
        pending.set(key, text);
        waiters.push({ resolve, reject });
        if (!flushScheduled) {
          flushScheduled = true;
          setImmediate(flush);
        }
      });
    },
    replaying(): void {
      assertOpen();
      if (snapshot === undefined) snapshotWanted = true;
    },
    assertWritable(): void {
      assertOpen();
      if (readOnlyBecause !== undefined) throw _readOnlyError(file, readOnlyBecause);
    },
    has(key: string): boolean {
      assertOpen();
      _checkStoreKey(key);
      if (pending.has(key)) return true;
      beginRead();
      return selectOne(key) !== undefined;
    },
    stats(): CacheStats {
      assertOpen();
      flush();
      beginRead();
      return Object.freeze({ size: count() as number, hits, misses, writes });
    },
    close(): void {
      if (closed) return;
      flush();
      closed = true;
      snapshot = undefined;
      db.close();
    },
  };
}
