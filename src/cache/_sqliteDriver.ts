/**
 * Loads better-sqlite3, the driver of {@link sqliteCache}, and when it cannot be loaded says why in terms a user
 * can act on: which runtime is running, what is wrong with the driver, and the command that fixes it.
 * @module
 * @internal
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { CacheError, type CacheErrorReason } from '../errors.js';

/** The better-sqlite3 `Database` constructor. @internal */
export type _SqliteDriver = typeof BetterSqlite3;

/**
 * Where the driver comes from and what runs it. {@link _loadSqliteDriver} takes one, so a test can stand for an
 * uninstalled, unbuilt or foreign-ABI driver, or for another runtime, without uninstalling anything.
 * @internal
 */
export interface _DriverSource {
  /** Loads better-sqlite3 and its native module; throws whatever the runtime throws. */
  readonly load: () => _SqliteDriver;
  /** The installed package's folder, or `undefined` when the package cannot be resolved. */
  readonly packageDir: () => string | undefined;
  /** `process.versions` of the runtime (`node`, `modules`, and `deno` or `bun` when those run). */
  readonly versions: Readonly<Record<string, string | undefined>>;
  /** `process.platform` and `process.arch`. */
  readonly platform: string;
  readonly arch: string;
}

/** The real source, resolving better-sqlite3 with `require` (a `createRequire` function). @internal */
export function _driverSource(require: ReturnType<typeof createRequire>): _DriverSource {
  return {
    load() {
      const Database = require('better-sqlite3') as _SqliteDriver;
      // better-sqlite3 loads its native module at the first `new Database()`: do it here, so that every way the
      // driver can fail to load surfaces in one place and gets one diagnosis.
      new Database(':memory:').close();
      return Database;
    },
    packageDir() {
      try {
        return dirname(require.resolve('better-sqlite3/package.json'));
      } catch {
        return undefined;
      }
    },
    versions: process.versions,
    platform: process.platform,
    arch: process.arch,
  };
}

let loaded: _SqliteDriver | undefined;

/**
 * The better-sqlite3 constructor, loaded once per process (from `source` when given, uncached).
 * @param path - the cache file being opened, for the error.
 * @throws {CacheError} with a `driver-*` reason, the runtime, the cause and the fix, and the loader's error as `cause`.
 * @internal
 */
export function _loadSqliteDriver(path: string, source?: _DriverSource): _SqliteDriver {
  if (source === undefined && loaded !== undefined) return loaded;
  const from = source ?? _driverSource(createRequire(import.meta.url));
  try {
    const driver = from.load();
    if (source === undefined) loaded = driver;
    return driver;
  } catch (cause) {
    throw _driverLoadError(path, cause, from);
  }
}

type Runtime = 'node' | 'deno' | 'bun';

function runtimeOf(v: _DriverSource['versions']): Runtime {
  return v.bun !== undefined ? 'bun' : v.deno !== undefined ? 'deno' : 'node';
}

function runtimeText(from: Pick<_DriverSource, 'versions' | 'platform' | 'arch'>): string {
  const v = from.versions;
  const where = `${from.platform}-${from.arch}`;
  switch (runtimeOf(v)) {
    case 'bun':
      return `Bun ${v.bun} (${where})`;
    case 'deno':
      return `Deno ${v.deno} (${where})`;
    default:
      return `Node.js v${v.node} (NODE_MODULE_VERSION ${v.modules}, ${where})`;
  }
}

/** This process's runtime as the driver errors name it: "Node.js v20.20.2 (NODE_MODULE_VERSION 115, linux-x64)". @internal */
export function _runtimeText(): string {
  return runtimeText({ versions: process.versions, platform: process.platform, arch: process.arch });
}

/** What went wrong and the command that fixes it, per runtime. */
function diagnose(
  cause: unknown,
  from: _DriverSource,
): { reason: CacheErrorReason; what: string; fix: string } {
  const runtime = runtimeOf(from.versions);
  const message = String((cause as { message?: unknown } | null)?.message ?? cause);
  const deno = 'deno install --allow-scripts=npm:better-sqlite3';
  if (runtime === 'bun')
    return {
      reason: 'driver-unsupported-runtime',
      what: 'Bun cannot load the native module of better-sqlite3',
      fix: 'run the evaluation under Node.js >= 20, or use memoryCache() under Bun',
    };
  const dir = from.packageDir();
  if (dir === undefined)
    return {
      reason: 'driver-not-installed',
      what: 'the optional dependency better-sqlite3 is not installed',
      fix:
        runtime === 'deno'
          ? `\`deno add npm:better-sqlite3 && ${deno}\``
          : '`npm install better-sqlite3` (npm >= 11 then asks to approve its install script: `npm install-scripts approve better-sqlite3 && npm rebuild better-sqlite3`)',
    };
  const abi = /NODE_MODULE_VERSION (\d+)[\s\S]*?requires\s+NODE_MODULE_VERSION (\d+)/.exec(message);
  if (abi !== null)
    return {
      reason: 'driver-wrong-abi',
      what: `its native module was built for another Node.js (NODE_MODULE_VERSION ${abi[1]}; this one needs ${abi[2]}), as after switching Node versions`,
      fix: runtime === 'deno' ? `\`${deno}\`` : '`npm rebuild better-sqlite3`',
    };
  if (/Could not locate the bindings file/.test(message)) {
    // Its install script downloads a prebuilt module or compiles one into build/: no build/ at all means the
    // script never ran, which is what npm >= 11 does until the script is approved (and --ignore-scripts, pnpm).
    if (!existsSync(join(dir, 'build')))
      return {
        reason: 'driver-install-script-skipped',
        what: "better-sqlite3 is installed but its install script never ran, so its native module was never built (npm >= 11 runs a dependency's install script only once it is approved in package.json `allowScripts`; `--ignore-scripts` and pnpm skip it too)",
        fix:
          runtime === 'deno'
            ? `\`${deno}\``
            : '`npm install-scripts approve better-sqlite3 && npm rebuild better-sqlite3`',
      };
    return {
      reason: 'driver-not-built',
      what: 'its install script ran but left no native module (no prebuilt binary matched and the build from source failed)',
      fix:
        runtime === 'deno'
          ? `\`${deno}\``
          : '`npm rebuild better-sqlite3`, which prints the build error (building from source needs Python and a C++ compiler)',
    };
  }
  return {
    reason: 'driver-cannot-load',
    what: 'its native module exists but does not load here (built for another platform or C library, or not readable)',
    fix:
      runtime === 'deno'
        ? `\`${deno}\`, and run deno with \`--allow-ffi\` (native modules need it)`
        : '`npm rebuild better-sqlite3`',
  };
}

/** The {@link CacheError} for a driver that did not load. @internal */
export function _driverLoadError(path: string, cause: unknown, from: _DriverSource): CacheError {
  const { reason, what, fix } = diagnose(cause, from);
  const first = String((cause as { message?: unknown } | null)?.message ?? cause).split('\n')[0];
  // better-sqlite3 is only the fallback for a Node.js without a usable built-in node:sqlite (before 22.16).
  const [major = 0, minor = 0] = (from.versions.node ?? '').split('.').map(Number);
  const newer =
    runtimeOf(from.versions) === 'node' && (major < 22 || (major === 22 && minor < 16))
      ? '; or run Node.js >= 22.16, whose built-in node:sqlite evalgate uses without any native build'
      : '';
  return new CacheError(
    `Cannot open evalgate's SQLite cache at "${path}": its driver better-sqlite3 does not load on ${runtimeText(from)}: ${what}. Fix: ${fix}${newer}. (Driver error: ${first})`,
    path,
    reason,
    { cause },
  );
}
