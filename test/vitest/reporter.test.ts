import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EvalgateSummary } from '../../src/vitest/reporter.js';
import { EvalgateReporter } from '../../src/vitest/reporter.js';

const root = join(import.meta.dirname, '../..');

/** Runs the fixture suite in a child vitest (forked workers, so meta must cross process boundaries). */
function runFixtureSuite(summaryFile: string, ...args: string[]) {
  const child = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/vitest/vitest.mjs'),
      'run',
      '--config',
      'test/vitest/fixtures/reporter-suite/vitest.config.ts',
      ...args,
    ],
    {
      cwd: root,
      encoding: 'utf8',
      env: {
        ...process.env,
        EVALGATE_SUMMARY_FILE: summaryFile,
        NO_COLOR: '1',
        CI: '',
        GITHUB_STEP_SUMMARY: '',
      },
    },
  );
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

describe('EvalgateReporter', () => {
  let run: ReturnType<typeof runFixtureSuite>;
  let summary: EvalgateSummary;

  beforeAll(() => {
    const summaryFile = join(mkdtempSync(join(tmpdir(), 'evalgate-reporter-')), 'nested/summary.json');
    run = runFixtureSuite(summaryFile);
    summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
  }, 60_000);

  it('leaves the exit code to vitest (one fixture test fails)', () => {
    expect(run.status).toBe(1);
  });

  it('writes every recorded eval with its test, file and state to the JSON summary', () => {
    expect(summary.kind).toBe('evalgate-vitest-summary');
    expect(summary.schemaVersion).toBe(1);
    expect(summary.reason).toBe('failed');
    expect(summary.evals.map((e) => [e.file, e.test, e.state, e.kind, e.name])).toEqual([
      ['comparisons.fixture.ts', 'new prompt is not worse', 'passed', 'comparison', undefined],
      ['comparisons.fixture.ts', 'recorded without an assertion', 'passed', 'result', 'bleu run'],
      ['thresholds.fixture.ts', 'qa > exact match is at least 0.6', 'passed', 'result', undefined],
      ['thresholds.fixture.ts', 'qa > exact match is at least 0.7', 'failed', 'result', undefined],
    ]);
    const qa = summary.evals[2]!;
    if (qa.kind !== 'result') throw new Error('expected a result entry');
    expect(qa.metrics.exact_match!.ci).toEqual({ low: 0.63, high: 0.8, level: 0.95, method: 'bca' });
    expect(qa.totals.costUsd).toBe(0.0123);
    const cmp = summary.evals[0]!;
    if (cmp.kind !== 'comparison') throw new Error('expected a comparison entry');
    expect(cmp.margin).toBe(0.02);
    expect(cmp.metrics.exact_match!.pValueAdjusted).toBe(0.0063);
  });

  it('sums the results in the totals', () => {
    expect(summary.totals).toEqual({
      results: 3,
      comparisons: 1,
      requests: 12,
      costUsd: 0 + 0.0123 + 0.0123,
      cacheHits: 7,
      cacheMisses: 5,
      failedRows: 3,
    });
  });

  it('prints one table of results and one of comparisons, marking failed tests', () => {
    const lines = run.stdout.split('\n');
    const at = (start: string) => lines.find((l) => l.startsWith(start));
    expect(at('eval ')).toMatch(/^eval\s+metric\s+estimate\s+95% CI\s+n\s+failures\s+cost\s+cache hits$/);
    expect(at('bleu run')).toMatch(/^bleu run\s+bleu\s+31\.4\s+\[28\.2, 34\.9\]\s+100\s+1\/4\s+\$0\s+1\/4$/);
    expect(at('qa > exact match is at least 0.7 ✗')).toMatch(
      /exact_match\s+0\.72\s+\[0\.63, 0\.8\]\s+100\s+1\/4\s+\$0\.01\s+3\/4$/,
    );
    expect(at('new prompt is not worse')).toMatch(
      /^new prompt is not worse\s+exact_match\s+\+0\.04\s+\[0\.01, 0\.07\]\s+200\s+mcnemar\s+0\.0063\s+0\.2\s+better\s+yes \(0\.02\)$/,
    );
    expect(run.stdout).toContain(
      'evalgate: 3 results, 1 comparison · 12 requests, 3 failed rows · cost $0.02 · cache 7/12 hits',
    );
  });

  it('loads by module path from the command line (default export)', () => {
    const byPath = runFixtureSuite('', `--reporter=${join(root, 'src/vitest/reporter.ts')}`);
    expect(byPath.status).toBe(1);
    expect(byPath.stdout).toContain(
      'evalgate: 3 results, 1 comparison · 12 requests, 3 failed rows · cost $0.02 · cache 7/12 hits',
    );
  }, 60_000);

  it('rejects bad options', () => {
    expect(() => new EvalgateReporter({ outputFile: 3 as unknown as string })).toThrow(
      new TypeError('Expected `outputFile` to be a file path, got `3` (number)'),
    );
    expect(() => new EvalgateReporter({ print: 'yes' as unknown as boolean })).toThrow(
      new TypeError('Expected `print` to be a boolean, got `"yes"` (string)'),
    );
  });
});
