/**
 * What the reporter shows must be what the tests recorded, as a real vitest run records it: the fixture suite in
 * fixtures/recording-suite runs in child vitest processes with evalgate's reporter.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordEval } from '../../src/vitest/index.js';
import type { EvalgateSummary } from '../../src/vitest/reporter.js';
import { makeResult } from './_fixtures.js';

const root = join(import.meta.dirname, '../..');

interface ChildRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly summary: EvalgateSummary;
}

/** Runs the fixture files matching `filters` in a child vitest on `pool`, every wait bounded. */
function runSuite(pool: 'forks' | 'threads', filters: readonly string[]): Promise<ChildRun> {
  const summaryFile = join(mkdtempSync(join(tmpdir(), 'evalgate-recording-')), 'summary.json');
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        join(root, 'node_modules/vitest/vitest.mjs'),
        'run',
        '--config',
        'test/vitest/fixtures/recording-suite/vitest.config.ts',
        ...filters,
      ],
      {
        cwd: root,
        env: {
          ...process.env,
          EVALGATE_SUMMARY_FILE: summaryFile,
          EVALGATE_POOL: pool,
          NO_COLOR: '1',
          CI: '1',
          GITHUB_STEP_SUMMARY: '',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      try {
        resolve({ code, stdout, stderr, summary: JSON.parse(readFileSync(summaryFile, 'utf8')) });
      } catch (err) {
        reject(new Error(`no summary written (exit ${code}): ${stderr}`, { cause: err }));
      }
    });
  });
}

describe('the reporter on partial runs', () => {
  let run: ChildRun;
  beforeAll(async () => {
    run = await runSuite('forks', ['partial']);
  }, 150_000);

  it('marks a recorded run its budget stopped, and a comparison of an aborted run, as partial', () => {
    expect(run.code, run.stderr).toBe(0);
    const byName = Object.fromEntries(run.summary.evals.map((e) => [e.name, e]));
    expect(byName['partial run']).toMatchObject({
      kind: 'result',
      n: 40,
      partial: 'stopped by budget after 40 of 100 rows',
    });
    expect(byName['partial comparison']).toMatchObject({
      kind: 'comparison',
      partial: 'the candidate run was stopped by abort after 0 of 20 rows',
    });
    expect(run.stdout).toMatch(
      /^partial run \(partial: stopped by budget after 40 of 100 rows\)\s+exact_match\s+1\s/m,
    );
    expect(run.stdout).toMatch(
      /^partial comparison \(partial: the candidate run was stopped by abort after 0 of 20 rows\)\s+exact_match\s/m,
    );
  });
});

describe.each(['forks', 'threads'] as const)('the reporter on retried tests (%s)', (pool) => {
  let run: ChildRun;
  beforeAll(async () => {
    run = await runSuite(pool, ['retry']);
  }, 150_000);

  it('shows what the last attempt recorded, never a failed attempt’s gate on a passing test', () => {
    expect(run.code, run.stderr).toBe(0);
    const rows = run.summary.evals.map((e) => [
      e.test,
      e.state,
      e.kind === 'result' ? e.metrics.exact_match!.mean : undefined,
    ]);
    expect(rows).toEqual([
      ['flaky gate', 'passed', 0.9],
      ['repeated', 'passed', 0.5],
      ['repeated', 'passed', 0.9],
    ]);
    expect(run.stdout).not.toMatch(/^flaky gate\s+exact_match\s+0\.5\s/m);
    expect(run.stdout).not.toMatch(/^retry that records nothing/m);
  });
});

describe.each(['forks', 'threads'] as const)('the reporter on concurrent tests (%s)', (pool) => {
  let run: ChildRun;
  beforeAll(async () => {
    run = await runSuite(pool, ['concurrent']);
  }, 150_000);

  it('records each eval on the test that checked it, and refuses to guess without the test’s context', () => {
    expect(run.code, run.stdout).toBe(0);
    const rows = run.summary.evals.map((e) => [e.test, e.name, Object.keys(e.metrics)]);
    expect(rows).toEqual([
      ['slow A', 'A', ['a_metric']],
      ['fast B', 'B', ['b_metric']],
    ]);
  });
});

describe.each(['forks', 'threads'] as const)('the footer on concurrent tests that spend (%s)', (pool) => {
  let run: ChildRun;
  beforeAll(async () => {
    run = await runSuite(pool, ['spend']);
  }, 150_000);

  it('counts every run once, whichever test is current when it finishes', () => {
    expect(run.code, run.stdout).toBe(0);
    expect(run.summary.totals).toMatchObject({ requests: 14 });
    expect(run.summary.totals.costUsd).toBeCloseTo(0.14, 12);
  });
});

describe('recordEval(value, name, context)', () => {
  it('refuses a context without a test, naming it', () => {
    expect(() => recordEval(makeResult(), 'x', {} as never)).toThrow(
      new TypeError(
        "Expected `context` to be the test's context (the test function's first argument), got `object` (object)",
      ),
    );
  });

  it('records on the context’s test', (context) => {
    const r = makeResult();
    expect(recordEval(r, 'mine', context)).toBe(r);
    expect(context.task.meta.evalgate?.map((e) => e.name)).toEqual(['mine']);
  });
});

describe('a test that times out while evaluate() runs', () => {
  let run: ChildRun;
  beforeAll(async () => {
    run = await runSuite('forks', ['timeout']);
  }, 150_000);

  it('sends no call after the test ended: its run is aborted with the test', () => {
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Tests\s+1 failed \| 1 passed/);
    expect(run.stdout + run.stderr).toContain('Test timed out in 300ms');
    expect(run.stdout + run.stderr).not.toMatch(/Unhandled/i);
  });
});
