/**
 * test/_system.ts: how a suite that needs Chromium, Redis or Jupyter finds it, and what happens when it is
 * missing. The lookups run against fake executables in a temporary PATH (so the result does not depend on
 * what this machine has installed); the last block runs the real Chromium suite in child vitest runs with a
 * CHROME_PATH that does not exist, with and without EVALGATE_REQUIRE, as CI and a fresh machine would.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  chromium,
  jupyter,
  REQUIRE_ENV,
  redisServer,
  requiredComponents,
  type SystemEnv,
  utilLinuxScript,
} from './_system.js';

const root = join(import.meta.dirname, '..');
const BOGUS = '/nonexistent/evalgate-test/chrome';
const WHY = 'the test suite needs it';

const dir = mkdtempSync(join(tmpdir(), 'evalgate-system-'));

/** Writes an executable shell script `name` into `folder` that prints `out` and exits with `code`. */
function fake(folder: string, name: string, out: string, code = 0): string {
  mkdirSync(folder, { recursive: true });
  const file = join(folder, name);
  writeFileSync(file, `#!/bin/sh\nprintf '%s\\n' '${out}'\nexit ${code}\n`);
  chmodSync(file, 0o755);
  return file;
}

/** A PATH holding only `folder`; a line log to read what the helper printed. */
function setup(folder: string, extra: Record<string, string> = {}) {
  const lines: string[] = [];
  const env: SystemEnv = { PATH: folder, ...extra };
  return { lines, options: { env, log: (l: string) => lines.push(l) } };
}

let fakeChrome: string;
let notExecutable: string;
let notABrowser: string;
beforeAll(() => {
  // Every script is written before any is run: exec fails (ETXTBSY) on a file some process holds open for writing.
  fakeChrome = fake(join(dir, 'given'), 'chrome', 'Chromium 999.0.1 built on Debian');
  notABrowser = fake(join(dir, 'given'), 'true', '');
  notExecutable = join(dir, 'given', 'plain-file');
  writeFileSync(notExecutable, 'not a program');
  chmodSync(notExecutable, 0o644);
  fake(join(dir, 'stub'), 'chromium', 'Command requires the chromium snap to be installed', 1);
  fake(join(dir, 'stub'), 'google-chrome', 'Google Chrome 999.0.2');
  fake(
    join(dir, 'redis'),
    'redis-server',
    'Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64',
  );
  fake(join(dir, 'jupyter'), 'jupyter-nbconvert', '6.5.3');
  fake(join(dir, 'jupyter'), 'jupyter-kernelspec', '{"kernelspecs": {"python3": {"resource_dir": "/x"}}}');
  mkdirSync(join(dir, 'empty'));
});

describe('chromium()', () => {
  it('uses CHROME_PATH when it runs as a browser, prints nothing and gives its path', () => {
    const { lines, options } = setup(join(dir, 'empty'), {
      CHROME_PATH: fakeChrome,
      [REQUIRE_ENV]: 'chromium',
    });
    const chrome = chromium(WHY, options);
    expect(chrome).toMatchObject({ component: 'chromium', skip: false, required: true, message: undefined });
    expect(chrome.executable()).toBe(fakeChrome);
    expect(lines).toEqual([]);
  });

  it('finds it on PATH by the usual command names, passing over one that does not run', () => {
    const { options } = setup(join(dir, 'stub'));
    // `chromium` here exits 1 (the Ubuntu snap stub); `google-chrome` answers --version
    expect(chromium(WHY, options).executable()).toBe(join(dir, 'stub', 'google-chrome'));
  });

  it('skips with one line naming the missing path, the reason, the package and the flag', () => {
    const { lines, options } = setup(join(dir, 'empty'), { CHROME_PATH: BOGUS });
    const chrome = chromium('the HTML report suite loads the report in headless Chromium', options);
    expect(chrome).toMatchObject({ skip: true, required: false });
    expect(lines).toEqual([
      `skipped: Chromium is not at CHROME_PATH=${BOGUS} (no such file); the HTML report suite loads the report in headless Chromium; to run it: apt-get install -y chromium (or set CHROME_PATH); to require it: EVALGATE_REQUIRE=chromium`,
    ]);
    expect(chrome.message).toBe(lines[0]);
    expect(() => chrome.executable()).toThrow(lines[0]!);
  });

  it('does not fall back from a CHROME_PATH that is wrong, even when another Chromium is on PATH', () => {
    for (const [given, says] of [
      [BOGUS, '(no such file)'],
      [notExecutable, `\`${notExecutable} --version\` does not run (EACCES)`],
      [notABrowser, `\`${notABrowser} --version\` printed "", not /chrom/i`],
    ] as const) {
      const { lines, options } = setup(join(dir, 'stub'), { CHROME_PATH: given });
      expect(chromium(WHY, options).skip, given).toBe(true);
      expect(lines, given).toHaveLength(1);
      expect(lines[0]).toContain(`CHROME_PATH=${given}`);
      expect(lines[0]).toContain(says);
    }
  });

  it('when required and missing: does not skip, prints nothing, and executable() throws the message', () => {
    const { lines, options } = setup(join(dir, 'empty'), {
      CHROME_PATH: BOGUS,
      [REQUIRE_ENV]: ' redis , chromium',
    });
    const chrome = chromium(WHY, options);
    expect(chrome).toMatchObject({ skip: false, required: true });
    expect(lines).toEqual([]);
    expect(() => chrome.executable()).toThrow(
      `EVALGATE_REQUIRE requires chromium: Chromium is not at CHROME_PATH=${BOGUS} (no such file); ${WHY}; install it: apt-get install -y chromium (or set CHROME_PATH)`,
    );
  });
});

describe('redisServer() and jupyter()', () => {
  it('find redis-server and jupyter-nbconvert with a kernel on PATH', () => {
    expect(redisServer(WHY, setup(join(dir, 'redis')).options).executable()).toBe(
      join(dir, 'redis', 'redis-server'),
    );
    const nb = jupyter(WHY, { ...setup(join(dir, 'jupyter')).options, kernel: 'python3' });
    expect(nb.executable()).toBe(join(dir, 'jupyter', 'jupyter-nbconvert'));
  });

  it('say which package and flag when missing', () => {
    const redis = setup(join(dir, 'empty'));
    expect(redisServer(WHY, redis.options).skip).toBe(true);
    expect(redis.lines).toEqual([
      `skipped: Redis is not installed (no redis-server on PATH); ${WHY}; to run it: apt-get install -y redis-server; to require it: EVALGATE_REQUIRE=redis`,
    ]);
    const nb = setup(join(dir, 'empty'));
    jupyter(WHY, nb.options);
    expect(nb.lines[0]).toContain('apt-get install -y jupyter-nbconvert jupyter-client python3-ipykernel');
    expect(nb.lines[0]).toContain('EVALGATE_REQUIRE=jupyter');
  });

  it('count nbconvert without the wanted kernel as missing', () => {
    const { lines, options } = setup(join(dir, 'jupyter'), { [REQUIRE_ENV]: 'jupyter' });
    const nb = jupyter(WHY, { ...options, kernel: 'deno' });
    expect(nb.skip).toBe(false);
    expect(lines).toEqual([]);
    expect(() => nb.executable()).toThrow(
      'Jupyter (nbconvert and the deno kernel) has no deno kernel (jupyter-kernelspec lists python3)',
    );
  });
});

describe('EVALGATE_REQUIRE', () => {
  it('is a comma-separated list of known components', () => {
    expect([...requiredComponents({ [REQUIRE_ENV]: 'chromium,jupyter' })]).toEqual(['chromium', 'jupyter']);
    expect(requiredComponents({}).size).toBe(0);
  });

  it('takes `vitest-majors` (read by the typecheck suite, as the README says) beside the components', () => {
    expect([...requiredComponents({ [REQUIRE_ENV]: 'vitest-majors,redis' })]).toEqual(['redis']);
    expect(requiredComponents({ [REQUIRE_ENV]: 'vitest-majors' }).size).toBe(0);
  });

  it('takes `pty`: util-linux `script` for the TTY suite, skipped with one line when missing, failing when required', () => {
    expect(requiredComponents({ [REQUIRE_ENV]: 'pty,redis' }).size).toBe(1);
    const lines: string[] = [];
    const env = { PATH: mkdtempSync(join(tmpdir(), 'evalgate-nopath-')) };
    expect(utilLinuxScript('the TTY suite', { env, log: (l) => lines.push(l) })).toBeUndefined();
    expect(lines).toEqual([
      'skipped: util-linux `script` is not installed (no script on PATH); the TTY suite; to run it: apt-get install -y bsdutils (Debian), util-linux elsewhere; to require it: EVALGATE_REQUIRE=pty',
    ]);
    expect(() => utilLinuxScript('the TTY suite', { env: { ...env, [REQUIRE_ENV]: 'pty' } })).toThrow(
      'EVALGATE_REQUIRE requires pty: util-linux `script` is not installed (no script on PATH); the TTY suite; install it: apt-get install -y bsdutils',
    );
  });

  it('rejects an unknown name so a typo cannot turn CI checks into skips', () => {
    expect(() => requiredComponents({ [REQUIRE_ENV]: 'chromium,chromiun' })).toThrow(
      new TypeError(
        'Expected `EVALGATE_REQUIRE` to be a comma-separated list of chromium, redis, jupyter, got `chromium,chromiun` (unknown `chromiun`)',
      ),
    );
  });
});

describe('the Chromium suite in a child vitest run with a CHROME_PATH that does not exist', () => {
  interface Run {
    readonly code: number;
    readonly output: string;
    readonly report: {
      numFailedTestSuites: number;
      numPassedTests: number;
      numPendingTests: number;
      numTotalTests: number;
    };
  }

  /** `vitest run test/report/html.chromium.test.ts` (the project's vitest, run by this node, as npx would). */
  function runChromiumSuite(name: string, extra: Record<string, string>): Promise<Run> {
    // This run's own settings (CI's EVALGATE_REQUIRE, vitest's worker variables) must not leak into the child.
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const key of Object.keys(env))
      if (key.startsWith('VITEST') || key === 'FORCE_COLOR' || key === REQUIRE_ENV) delete env[key];
    Object.assign(env, { CHROME_PATH: BOGUS, NO_COLOR: '1' }, extra);
    const json = join(dir, `${name}.json`);
    const args = [
      join(root, 'node_modules/vitest/vitest.mjs'),
      'run',
      'test/report/html.chromium.test.ts',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${json}`,
    ];
    return new Promise((resolve, reject) => {
      execFile(process.execPath, args, { cwd: root, env, timeout: 60_000 }, (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') return reject(err);
        const report = JSON.parse(readFileSync(json, 'utf8')) as Run['report'];
        resolve({ code: err ? (err.code as number) : 0, output: `${stdout}${stderr}`, report });
      });
    });
  }

  let required: Run;
  let optional: Run;
  beforeAll(async () => {
    [required, optional] = await Promise.all([
      runChromiumSuite('required', { [REQUIRE_ENV]: 'chromium' }),
      runChromiumSuite('optional', {}),
    ]);
  }, 90_000);

  it('fails with the message when EVALGATE_REQUIRE=chromium', () => {
    expect(required.code, required.output).toBe(1);
    expect(required.output).toContain(
      `EVALGATE_REQUIRE requires chromium: Chromium is not at CHROME_PATH=${BOGUS} (no such file); the HTML report suite loads the report in headless Chromium; install it: apt-get install -y chromium`,
    );
    expect(required.report.numFailedTestSuites).toBeGreaterThan(0);
    expect(required.report.numPassedTests).toBe(0);
    expect(required.output).not.toContain('skipped: Chromium');
  });

  it('passes, skipping the suite with one printed line, without the flag', () => {
    expect(optional.code, optional.output).toBe(0);
    const lines = optional.output.split('\n').filter((l) => l.includes('Chromium is not at'));
    expect(lines).toEqual([
      `skipped: Chromium is not at CHROME_PATH=${BOGUS} (no such file); the HTML report suite loads the report in headless Chromium; to run it: apt-get install -y chromium (or set CHROME_PATH); to require it: EVALGATE_REQUIRE=chromium`,
    ]);
    expect(optional.report).toMatchObject({ numFailedTestSuites: 0, numPassedTests: 0 });
    expect(optional.report.numTotalTests).toBeGreaterThan(0);
    expect(optional.report.numPendingTests).toBe(optional.report.numTotalTests);
  });
});
