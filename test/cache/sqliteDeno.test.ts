// The SQLite cache on node:sqlite: Node.js 20 (this project's floor) has no node:sqlite, Deno 2 has, so the cache
// suites (stores, files and permissions, two processes, resume, cached evaluate()) run again under Deno (the npm
// `deno` package, a dev dependency), with EVALGATE_SQLITE_BACKEND=node:sqlite so a fallback to better-sqlite3 fails
// them instead of passing unseen. Each child is bounded in time.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { _sqliteBackend } from '../../src/cache/_sqliteBackend.js';
import { sqliteCache } from '../../src/cache/index.js';
import { defaultBackend, underDeno } from './_sqlite.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const deno = join(root, 'node_modules', '.bin', 'deno');
const dir = mkdtempSync(join(tmpdir(), 'evalgate-deno-suite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: readonly string[], timeoutMs: number): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(deno, args, {
      cwd: root,
      env: { ...process.env, EVALGATE_SQLITE_BACKEND: 'node:sqlite', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('error', reject);
    p.on('exit', (code, signal) =>
      resolve({ code, out: signal ? `${out}\n(killed by ${signal} after ${timeoutMs} ms)` : out }),
    );
  });
}

/** Runs vitest on `files` under Deno (it must exit 0) and returns its JSON report, written to `reportName`. */
async function vitestUnderDeno(files: readonly string[], reportName: string, timeoutMs: number) {
  const report = join(dir, reportName);
  const { code, out } = await run(
    [
      'run',
      '-A',
      'node_modules/vitest/vitest.mjs',
      'run',
      ...files,
      '--reporter=json',
      `--outputFile=${report}`,
    ],
    timeoutMs,
  );
  expect(code, out.slice(-4000)).toBe(0);
  return JSON.parse(readFileSync(report, 'utf8')) as {
    numTotalTests: number;
    numPassedTests: number;
    testResults: { name: string; assertionResults: { fullName: string; status: string }[] }[];
  };
}

describe.skipIf(underDeno)('sqliteCache on node:sqlite, under Deno', () => {
  it('passes the cache suites (stores, files, two processes, resume, cached evaluate())', {
    timeout: 260_000,
  }, async () => {
    // Every suite of test/cache but sqliteDriver.test.ts (better-sqlite3's loader and its messages) and this one.
    const files = [
      'test/cache/cache.e2e.test.ts',
      'test/cache/cacheKey.test.ts',
      'test/cache/resume.test.ts',
      'test/cache/runtimeCache.test.ts',
      'test/cache/sqliteFiles.test.ts',
      'test/cache/sqliteMultiProcess.test.ts',
      'test/cache/stores.test.ts',
    ];
    const r = await vitestUnderDeno(files, 'report.json', 240_000);
    expect(r.testResults.map((t) => t.name.slice(root.length)).sort()).toEqual([...files].sort());
    expect(r.numPassedTests).toBe(r.numTotalTests);
    const names = r.testResults.flatMap((t) => t.assertionResults.map((a) => `${a.status} ${a.fullName}`));
    // The suites themselves check, under Deno, that the store runs on node:sqlite and that two processes share it.
    expect(names).toContain(
      'passed sqliteCache runs on the backend the runtime and EVALGATE_SQLITE_BACKEND select',
    );
    expect(names).toContain(
      'passed sqliteCache shared by two processes loses no entry and passes PRAGMA integrity_check',
    );
  });

  it('passes the damaged-page suite (one bad page fails only its own reads, replay falls back to lookups)', {
    timeout: 150_000,
  }, async () => {
    const files = ['test/cache/sqliteDamagedPage.test.ts'];
    const r = await vitestUnderDeno(files, 'damaged.json', 120_000);
    expect(r.numTotalTests).toBeGreaterThan(0);
    expect(r.numPassedTests).toBe(r.numTotalTests);
  });

  it('runs evaluate() with a sqliteCache and reruns it from the cache with 0 requests; better-sqlite3 reads the file', async () => {
    const path = join(dir, 'from-deno.sqlite');
    const { code, out } = await run(
      ['run', '-A', '--unstable-sloppy-imports', 'test/cache/_denoRerun.ts', path],
      60_000,
    );
    expect(code, out).toBe(0);
    const r = JSON.parse(out.trim().split('\n').at(-1) as string);
    expect(r.runtime).toMatch(/^deno 2\./);
    expect(r.backend).toBe('node:sqlite');
    expect(r.first.requests).toBe(30);
    expect(r.first.totals).toMatchObject({ requests: 30, cacheHits: 0, cacheMisses: 30 });
    expect(r.second.requests).toBe(0);
    expect(r.second.totals).toMatchObject({ requests: 0, cacheHits: 30, cacheMisses: 0 });
    expect(r.first.mean).toBe(1);
    expect(r.sameRows).toBe(true);
    // This Node.js opens the file Deno's node:sqlite wrote with its own backend (better-sqlite3 on Node.js 20,
    // node:sqlite from 22.16): the same format, the same 30 entries.
    expect(_sqliteBackend(path).name).toBe(defaultBackend);
    const store = sqliteCache(path);
    try {
      expect((await store.stats()).size).toBe(30);
    } finally {
      await store.close();
    }
  });
});
