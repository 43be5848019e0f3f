// Shared by the SQLite cache suites, which run under Node.js (better-sqlite3) and under Deno (node:sqlite, see
// sqliteDeno.test.ts): how to read a cache file behind the store's back, and how to start a child process that
// runs a TypeScript file on the same runtime as the suite.
import { createRequire } from 'node:module';

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
 * Opens `path` with the runtime's other way to SQLite than the one under test where there is one: better-sqlite3
 * under Node.js, node:sqlite under Deno (where better-sqlite3's native module does not load). Independent of
 * src/cache, so a check does not trust the code it checks.
 */
export function rawSqlite(path: string, options: { readonly readonly?: boolean } = {}): RawSqlite {
  if (underDeno) {
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
