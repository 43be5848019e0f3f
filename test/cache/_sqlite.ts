// Shared by the SQLite cache suites, which run under Node.js (better-sqlite3) and under Deno (node:sqlite, see
// sqliteDeno.test.ts): how to read a cache file behind the store's back, and how to start a child process that
// runs a TypeScript file on the same runtime as the suite.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** True when the suite runs under Deno. */
export const underDeno = typeof (globalThis as { Deno?: unknown }).Deno === 'object';

/** A raw connection for checking what the store wrote. */
export interface RawSqlite {
  /** First column of the first row, or `undefined`. */
  value(sql: string, ...params: (string | number)[]): unknown;
  /** Runs one statement with parameters (a `Uint8Array` binds as a blob). */
  run(sql: string, ...params: (string | number | Uint8Array)[]): void;
  /** Runs SQL text, discarding rows. */
  exec(sql: string): void;
  close(): void;
}

const require = createRequire(import.meta.url);

/**
 * True when this runtime has a usable built-in node:sqlite (Deno 2, Node.js >= 22.16), probed here without
 * src/cache: what the store picks by default, and what a test expects.
 */
export const runtimeHasNodeSqlite: boolean = (() => {
  try {
    const { DatabaseSync } = require('node:sqlite') as {
      DatabaseSync: new (p: string) => { isTransaction?: unknown; close(): void };
    };
    const db = new DatabaseSync(':memory:');
    const usable = typeof db.isTransaction === 'boolean';
    db.close();
    return usable;
  } catch {
    return false;
  }
})();

/**
 * True when better-sqlite3 loads here: on Node.js 20, and on another Node.js only when its native module was
 * built for that one (CI installs once, on Node.js 20, and runs the other lines on the same node_modules).
 */
export const betterSqliteLoads: boolean = (() => {
  if (underDeno) return false;
  // In a child process: a native module that failed to load once fails differently the second time in one
  // process ("did not self-register"), which would change what the driver suite sees.
  const probe = spawnSync(
    process.execPath,
    ['-e', "const D = require('better-sqlite3'); new D(':memory:').close()"],
    { cwd: fileURLToPath(new URL('.', import.meta.url)), stdio: 'ignore', timeout: 20_000 },
  );
  return probe.status === 0;
})();

/** The backend sqliteCache picks on this runtime with EVALGATE_SQLITE_BACKEND unset. */
export const defaultBackend = runtimeHasNodeSqlite ? 'node:sqlite' : 'better-sqlite3';

/**
 * Opens `path` with a raw connection independent of src/cache, so a check does not trust the code it checks:
 * better-sqlite3 where it loads (Node.js 20, where the store uses it too), else the runtime's node:sqlite (Deno,
 * and Node.js >= 22.16 on a node_modules whose better-sqlite3 was built for another Node.js).
 */
export function rawSqlite(path: string, options: { readonly readonly?: boolean } = {}): RawSqlite {
  if (!betterSqliteLoads) {
    const { DatabaseSync } = require('node:sqlite') as {
      DatabaseSync: new (
        p: string,
        o: { readOnly: boolean },
      ) => {
        prepare(s: string): {
          get(...p: unknown[]): Record<string, unknown> | undefined;
          run(...p: unknown[]): unknown;
        };
        exec(s: string): void;
        close(): void;
      };
    };
    const db = new DatabaseSync(path, { readOnly: options.readonly ?? false });
    return {
      value(sql, ...params) {
        const row = db.prepare(sql).get(...params);
        return row === undefined ? undefined : Object.values(row)[0];
      },
      run(sql, ...params) {
        db.prepare(sql).run(...params);
      },
      exec: (sql) => db.exec(sql),
      close: () => db.close(),
    };
  }
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const db = new Database(path, { readonly: options.readonly ?? false });
  return {
    value: (sql, ...params) =>
      db
        .prepare(sql)
        .pluck()
        .get(...params),
    run(sql, ...params) {
      db.prepare(sql).run(...params);
    },
    exec(sql) {
      db.exec(sql);
    },
    close: () => {
      db.close();
    },
  };
}

/**
 * Command and arguments that run the TypeScript file `script` with `args` on this runtime: Node.js through tsx,
 * Deno with sloppy imports (the sources import `./x.js` for `./x.ts`, as NodeNext requires).
 */
export function runTs(script: string, args: readonly string[]): [string, string[]] {
  return underDeno
    ? [process.execPath, ['run', '-A', '--unstable-sloppy-imports', script, ...args]]
    : [process.execPath, ['--import', 'tsx', script, ...args]];
}
