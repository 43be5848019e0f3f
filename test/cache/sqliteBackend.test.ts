// EVALGATE_SQLITE_BACKEND on the Node.js running the suite (CI runs it on 20, 22, 24 and 26): what the runtime
// has decides the default, and asking for a library the runtime cannot load says why and what to do.
import { describe, expect, it } from 'vitest';
import { _SQLITE_BACKEND_ENV, _sqliteBackend } from '../../src/cache/_sqliteBackend.js';
import { CacheError } from '../../src/errors.js';
import { betterSqliteLoads, defaultBackend, runtimeHasNodeSqlite, underDeno } from './_sqlite.js';

describe.skipIf(underDeno)(`EVALGATE_SQLITE_BACKEND on Node.js ${process.versions.node}`, () => {
  it(`node:sqlite: ${runtimeHasNodeSqlite ? 'picked (this Node.js has it)' : 'fails naming the runtime and the fix (this Node.js lacks it)'}`, () => {
    const asked = { [_SQLITE_BACKEND_ENV]: 'node:sqlite' };
    if (runtimeHasNodeSqlite) {
      expect(_sqliteBackend('/data/cache.sqlite', asked).name).toBe('node:sqlite');
      return;
    }
    let err: unknown;
    try {
      _sqliteBackend('/data/cache.sqlite', asked);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CacheError);
    expect((err as CacheError).reason).toBe('driver-unsupported-runtime');
    expect((err as CacheError).message).toBe(
      `Cannot open evalgate's SQLite cache at "/data/cache.sqlite": EVALGATE_SQLITE_BACKEND=node:sqlite asks for the runtime's built-in node:sqlite, which Node.js v${process.versions.node} (NODE_MODULE_VERSION ${process.versions.modules}, ${process.platform}-${process.arch}) does not have (Node.js has a usable one from 22.16, Deno from 2.2). Fix: unset EVALGATE_SQLITE_BACKEND to use better-sqlite3, or run a newer runtime.`,
    );
  });
  it.each([
    [{}, defaultBackend],
    [{ [_SQLITE_BACKEND_ENV]: '' }, defaultBackend],
  ])('%j picks %s', (env, name) => {
    expect(_sqliteBackend(':memory:', env).name).toBe(name);
  });
  it(`better-sqlite3: ${betterSqliteLoads ? 'picked (its native module loads here)' : 'names the ABI it was built for and the rebuild (built for another Node.js)'}`, () => {
    const asked = { [_SQLITE_BACKEND_ENV]: 'better-sqlite3' };
    if (betterSqliteLoads) {
      expect(_sqliteBackend(':memory:', asked).name).toBe('better-sqlite3');
      return;
    }
    let err: unknown;
    try {
      _sqliteBackend('/data/cache.sqlite', asked);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CacheError);
    expect((err as CacheError).reason).toBe('driver-wrong-abi');
    expect((err as CacheError).message).toContain(`this one needs ${process.versions.modules}`);
    expect((err as CacheError).message).toContain('Fix: `npm rebuild better-sqlite3`');
  });
  it('a value that names neither library is a TypeError echoing it', () => {
    expect(() => _sqliteBackend(':memory:', { [_SQLITE_BACKEND_ENV]: 'sqlite3' })).toThrow(
      new TypeError(
        `Expected \`EVALGATE_SQLITE_BACKEND\` to be one of 'node:sqlite' | 'better-sqlite3' (or unset), got \`"sqlite3"\` (string)`,
      ),
    );
  });
});
