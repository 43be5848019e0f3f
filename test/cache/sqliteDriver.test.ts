// What sqliteCache says when its driver, better-sqlite3, does not load. Real failures where they can be made
// without uninstalling anything (a folder without the package; a copy of the package's JavaScript without its
// native module, with a failed build, or with a file that is not a native module), and, for what needs another
// Node.js or runtime, a loader that throws the error that runtime throws.
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type _DriverSource, _driverSource, _loadSqliteDriver } from '../../src/cache/_sqliteDriver.js';
import { CacheError } from '../../src/errors.js';
import { betterSqliteLoads } from './_sqlite.js';

const base = mkdtempSync(join(tmpdir(), 'evalgate-driver-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const here = createRequire(import.meta.url);
const realPackage = dirname(here.resolve('better-sqlite3/package.json'));
const fromPackage = createRequire(join(realPackage, 'lib', 'index.js'));
const node20 = { node: '20.99.0', modules: '115' };
const CACHE = '/data/.evalgate/cache.sqlite';

let roots = 0;
/**
 * A project folder holding a copy of better-sqlite3's JavaScript (and its `bindings` dependency), with `build`:
 * `'none'` (the install script never ran), `'failed'` (a build folder without the module), `'garbage'` (a
 * `better_sqlite3.node` that is not a shared library).
 */
function project(build: 'absent' | 'none' | 'failed' | 'garbage'): string {
  const root = join(base, `p${roots++}`);
  mkdirSync(join(root, 'node_modules'), { recursive: true });
  if (build !== 'absent') {
    const pkg = join(root, 'node_modules', 'better-sqlite3');
    mkdirSync(pkg);
    cpSync(join(realPackage, 'package.json'), join(pkg, 'package.json'));
    cpSync(join(realPackage, 'lib'), join(pkg, 'lib'), { recursive: true });
    for (const dep of ['bindings', 'file-uri-to-path'])
      symlinkSync(
        dirname(createRequire(fromPackage.resolve('bindings')).resolve(`${dep}/package.json`)),
        join(root, 'node_modules', dep),
      );
    if (build === 'failed') {
      mkdirSync(join(pkg, 'build'));
      writeFileSync(join(pkg, 'build', 'Makefile'), '# node-gyp output of a build that failed\n');
    }
    if (build === 'garbage') {
      mkdirSync(join(pkg, 'build', 'Release'), { recursive: true });
      writeFileSync(join(pkg, 'build', 'Release', 'better_sqlite3.node'), 'not a shared library\n');
    }
  }
  return root;
}

function source(root: string, versions: Record<string, string>): _DriverSource {
  return {
    ..._driverSource(createRequire(join(root, 'index.js'))),
    versions,
    platform: 'linux',
    arch: 'x64',
  };
}

function loadError(from: _DriverSource): CacheError {
  try {
    _loadSqliteDriver(CACHE, from);
  } catch (err) {
    expect(err).toBeInstanceOf(CacheError);
    return err as CacheError;
  }
  throw new Error('expected the driver not to load');
}

describe('_loadSqliteDriver', () => {
  it(`the installed driver: ${betterSqliteLoads ? 'loads, once per process' : 'built for another Node.js, says so and how to rebuild'}`, () => {
    if (!betterSqliteLoads) {
      // CI installs once, on Node.js 20, and runs the other lines on that node_modules: a real foreign ABI.
      let err: unknown;
      try {
        _loadSqliteDriver(CACHE, _driverSource(here));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CacheError);
      expect((err as CacheError).reason).toBe('driver-wrong-abi');
      expect((err as CacheError).message).toContain(
        `on Node.js v${process.versions.node} (NODE_MODULE_VERSION ${process.versions.modules}, ${process.platform}-${process.arch})`,
      );
      expect((err as CacheError).message).toContain(
        `this one needs ${process.versions.modules}), as after switching Node versions. Fix: \`npm rebuild better-sqlite3\``,
      );
      return;
    }
    const Database = _loadSqliteDriver(CACHE, _driverSource(here));
    const db = new Database(':memory:');
    expect(db.prepare('SELECT 6 * 7').pluck().get()).toBe(42);
    db.close();
    expect(_loadSqliteDriver(CACHE)).toBe(_loadSqliteDriver(CACHE));
  });

  it('not installed: names the runtime and the install command', () => {
    const from = source(project('absent'), node20);
    expect(from.packageDir(), 'no better-sqlite3 above the temporary folder').toBeUndefined();
    const err = loadError(from);
    expect(err.code).toBe('E_CACHE');
    expect(err.reason).toBe('driver-not-installed');
    expect(err.path).toBe(CACHE);
    expect((err.cause as { code?: string }).code).toBe('MODULE_NOT_FOUND');
    expect(err.message).toBe(
      `Cannot open evalgate's SQLite cache at "${CACHE}": its driver better-sqlite3 does not load on Node.js v20.99.0 (NODE_MODULE_VERSION 115, linux-x64): the optional dependency better-sqlite3 is not installed. ` +
        'Fix: `npm install better-sqlite3` (npm >= 11 then asks to approve its install script: `npm install-scripts approve better-sqlite3 && npm rebuild better-sqlite3`); or run Node.js >= 22.16, whose built-in node:sqlite evalgate uses without any native build. ' +
        "(Driver error: Cannot find module 'better-sqlite3')",
    );
  });

  it('install script never ran (npm >= 11 approval): the approve-and-rebuild command', () => {
    const err = loadError(source(project('none'), node20));
    expect(err.reason).toBe('driver-install-script-skipped');
    expect(err.message).toContain('on Node.js v20.99.0 (NODE_MODULE_VERSION 115, linux-x64)');
    expect(err.message).toContain('its install script never ran');
    expect(err.message).toContain('`allowScripts`');
    expect(err.message).toContain(
      'Fix: `npm install-scripts approve better-sqlite3 && npm rebuild better-sqlite3`; or run Node.js >= 22.16, whose built-in node:sqlite evalgate uses without any native build.',
    );
    expect((err.cause as Error).message).toContain('Could not locate the bindings file');
    expect(err.message).toContain('(Driver error: Could not locate the bindings file. Tried:)');
  });

  it('install script ran but the build failed: rebuild, to see the build error', () => {
    const err = loadError(source(project('failed'), node20));
    expect(err.reason).toBe('driver-not-built');
    expect(err.message).toContain('left no native module');
    expect(err.message).toContain('Fix: `npm rebuild better-sqlite3`, which prints the build error');
  });

  it('a native module that does not load here (not a shared library): rebuild', () => {
    const err = loadError(source(project('garbage'), node20));
    expect(err.reason).toBe('driver-cannot-load');
    expect((err.cause as { code?: string }).code).toBe('ERR_DLOPEN_FAILED');
    expect(err.message).toContain(
      'Fix: `npm rebuild better-sqlite3`; or run Node.js >= 22.16, whose built-in node:sqlite evalgate uses without any native build.',
    );
    // The dynamic loader's own words ("invalid ELF header", "file too short") follow the file name.
    expect(err.message).toMatch(/\(Driver error: \S+\/build\/Release\/better_sqlite3\.node: .+\)$/);
  });

  it('a native module built for another Node.js ABI: names both ABIs and rebuilds', () => {
    const root = project('none');
    const from: _DriverSource = {
      ...source(root, { node: '22.12.0', modules: '127' }),
      load() {
        // The text Node.js's process.dlopen throws for a module of another ABI.
        throw Object.assign(
          new Error(
            `The module '${root}/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\n` +
              'was compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This version of Node.js requires\n' +
              'NODE_MODULE_VERSION 127. Please try re-compiling or re-installing\nthe module (for instance, using `npm rebuild` or `npm install`).',
          ),
          { code: 'ERR_DLOPEN_FAILED' },
        );
      },
    };
    const err = loadError(from);
    expect(err.reason).toBe('driver-wrong-abi');
    expect(err.message).toContain('on Node.js v22.12.0 (NODE_MODULE_VERSION 127, linux-x64)');
    expect(err.message).toContain('built for another Node.js (NODE_MODULE_VERSION 115; this one needs 127)');
    expect(err.message).toContain(
      'Fix: `npm rebuild better-sqlite3`; or run Node.js >= 22.16, whose built-in node:sqlite evalgate uses without any native build.',
    );
  });

  it('Deno: names Deno and its command', () => {
    const err = loadError(source(project('none'), { node: '20.11.1', modules: '115', deno: '2.1.4' }));
    expect(err.reason).toBe('driver-install-script-skipped');
    expect(err.message).toContain('does not load on Deno 2.1.4 (linux-x64)');
    expect(err.message).toContain('Fix: `deno install --allow-scripts=npm:better-sqlite3`.');
  });

  it('Bun: says the runtime cannot load it', () => {
    const from: _DriverSource = {
      ...source(project('none'), { node: '22.6.0', modules: '127', bun: '1.2.0' }),
      load() {
        throw Object.assign(new Error("'better-sqlite3' is not yet supported in Bun."), {
          code: 'ERR_DLOPEN_FAILED',
        });
      },
    };
    const err = loadError(from);
    expect(err.reason).toBe('driver-unsupported-runtime');
    expect(err.message).toContain('does not load on Bun 1.2.0 (linux-x64): Bun cannot load');
    expect(err.message).toContain(
      'Fix: run the evaluation under Node.js >= 20, or use memoryCache() under Bun.',
    );
  });
});
