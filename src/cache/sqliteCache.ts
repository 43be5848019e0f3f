import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { _checkChoice, _checkInteger, _checkOptionsObject } from '../_internal/validate.js';
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

const requireOptional = createRequire(import.meta.url);

function loadDriver(): typeof BetterSqlite3 {
  try {
    return requireOptional('better-sqlite3') as typeof BetterSqlite3;
  } catch (cause) {
    throw new Error(
      'sqliteCache() needs the optional dependency `better-sqlite3`: npm install better-sqlite3',
      {
        cause,
      },
    );
  }
}

/** Runs `fn`, retrying with a growing pause (5 to 100 ms) while SQLite answers BUSY / LOCKED, up to `timeoutMs`. */
function _retryWhileBusy(fn: () => void, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs;
  const cell = new Int32Array(new SharedArrayBuffer(4));
  for (let pause = 5; ; pause = Math.min(2 * pause, 100)) {
    try {
      fn();
      return;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if ((code !== 'SQLITE_BUSY' && code !== 'SQLITE_LOCKED') || Date.now() >= deadline) throw err;
      // The store is opened synchronously, so wait synchronously (a few ms, only on contention).
      Atomics.wait(cell, 0, 0, pause);
    }
  }
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
 * @param path - file path (created when missing), or `':memory:'`.
 * @param options - see {@link SqliteCacheOptions}.
 * @returns a {@link CacheStore}; call `close()` when done.
 * @throws {TypeError} when `path` is not a non-empty string.
 * @example
 * ```ts
 * const cache = sqliteCache('.evalgate/cache.sqlite');
 * const result = await evaluate(data, model, metrics, { cache });
 * await cache.close();
 * ```
 */
export function sqliteCache(path: string, options: SqliteCacheOptions = {}): CacheStore {
  if (typeof path !== 'string' || path.length === 0)
    throw new TypeError(
      `Expected \`path\` to be a non-empty string, got \`${String(path)}\` (${path === null ? 'null' : typeof path})`,
    );
  _checkOptionsObject('options', options);
  const busyTimeoutMs = _checkInteger('options.busyTimeoutMs', options.busyTimeoutMs ?? 30_000, 0);
  const synchronous = _checkChoice('options.synchronous', options.synchronous ?? 'full', ['full', 'normal']);

  const Database = loadDriver();
  let db: BetterSqlite3.Database;
  try {
    db = new Database(path, { timeout: busyTimeoutMs });
  } catch (cause) {
    // npm >= 11 skips dependency install scripts unless approved, which leaves better-sqlite3 unbuilt.
    if (/bindings|\.node\b|NODE_MODULE_VERSION/i.test(String((cause as Error)?.message)))
      throw new Error(
        'sqliteCache(): the native module of `better-sqlite3` is not built. Allow its install script and rebuild: ' +
          '`npm install-scripts approve better-sqlite3 && npm rebuild better-sqlite3`',
        { cause },
      );
    throw cause;
  }
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  // Switching a fresh file to WAL and creating the table take locks that SQLite can refuse with SQLITE_BUSY
  // without calling the busy handler when another process is doing the same at that moment (several vitest
  // workers opening one new cache file): retry them until the busy timeout.
  _retryWhileBusy(() => {
    if (path !== ':memory:') db.pragma('journal_mode = WAL');
  }, busyTimeoutMs);
  db.pragma(`synchronous = ${synchronous.toUpperCase()}`);
  _retryWhileBusy(
    () =>
      db.exec(
        'CREATE TABLE IF NOT EXISTS evalgate_responses (key TEXT PRIMARY KEY NOT NULL, entry TEXT NOT NULL, created_ms INTEGER NOT NULL) WITHOUT ROWID',
      ),
    busyTimeoutMs,
  );
  const selectStmt = db.prepare('SELECT entry FROM evalgate_responses WHERE key = ?').pluck();
  const hasStmt = db.prepare('SELECT 1 FROM evalgate_responses WHERE key = ?').pluck();
  const countStmt = db.prepare('SELECT COUNT(*) FROM evalgate_responses').pluck();
  const upsertStmt = db.prepare(
    'INSERT INTO evalgate_responses (key, entry, created_ms) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET entry = excluded.entry, created_ms = excluded.created_ms',
  );
  const writeBatch = db.transaction((rows: readonly (readonly [string, string])[]) => {
    const now = Date.now();
    for (const [k, e] of rows) upsertStmt.run(k, e, now);
  });

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
  function endRead(): void {
    if (!readOpen) return;
    readOpen = false;
    if (db.inTransaction) db.exec('COMMIT');
  }

  function flush(): void {
    flushScheduled = false;
    endRead();
    if (pending.size === 0) return;
    const rows = [...pending];
    const settle = waiters;
    pending = new Map();
    waiters = [];
    try {
      writeBatch.immediate(rows);
      writes += rows.length;
      for (const w of settle) w.resolve();
    } catch (err) {
      for (const w of settle) w.reject(err);
    }
  }

  function assertOpen(): void {
    if (closed) throw new Error('This sqliteCache is closed');
  }

  return {
    get(key: string): CacheEntry | undefined {
      assertOpen();
      let text = pending.get(key);
      if (text === undefined) {
        beginRead();
        text = selectStmt.get(key) as string | undefined;
      }
      if (text === undefined) {
        misses++;
        return undefined;
      }
      hits++;
      return JSON.parse(text) as CacheEntry;
    },
    set(key: string, entry: CacheEntry): Promise<void> {
      assertOpen();
      const text = JSON.stringify(entry);
      return new Promise<void>((resolve, reject) => {
        pending.set(key, text);
        waiters.push({ resolve, reject });
        if (!flushScheduled) {
          flushScheduled = true;
          setImmediate(flush);
        }
      });
    },
    has(key: string): boolean {
      assertOpen();
      if (pending.has(key)) return true;
      beginRead();
      return hasStmt.get(key) !== undefined;
    },
    stats(): CacheStats {
      assertOpen();
      flush();
      beginRead();
      return Object.freeze({ size: countStmt.get() as number, hits, misses, writes });
    },
    close(): void {
      if (closed) return;
      flush();
      closed = true;
      db.close();
    },
  };
}
