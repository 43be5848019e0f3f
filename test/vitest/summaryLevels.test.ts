// The reporter's printed tables head their interval column with the level the intervals have: a comparison at
// 90% printed its 90% intervals under "95% CI" (no cell said otherwise), and a run at 90% sat under "95% CI"
// with "90% CI" beside each cell. Runs and comparisons come from the real evaluate() and compare().
import { beforeAll, describe, expect, it } from 'vitest';
import { compare, type EvalResult, type Example, evaluate } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';
import {
  _formatSummary,
  type EvalgateSummary,
  type EvalgateSummaryEntry,
} from '../../src/vitest/EvalgateSummary.js';

const dataset: Example[] = Array.from({ length: 60 }, (_, i) => ({
  id: `q${i}`,
  input: i,
  reference: 'yes',
}));
const rightBut = (every: number) => async (input: unknown) =>
  (input as number) % every === 0 ? 'no' : 'yes';

const where = { test: 't', file: 'x.test.ts', state: 'passed' } as const;
const resultEntry = (r: EvalResult, name: string): EvalgateSummaryEntry => ({
  kind: 'result',
  name,
  n: r.n,
  nFailed: r.nFailed,
  metrics: r.metrics,
  totals: r.totals,
  durationMs: r.run.durationMs,
  ...where,
});
const summaryOf = (evals: EvalgateSummaryEntry[]): EvalgateSummary => ({
  kind: 'evalgate-vitest-summary',
  schemaVersion: 1,
  reason: 'passed',
  evals,
  totals: {
    results: 0,
    comparisons: 0,
    requests: 0,
    costUsd: 0,
    cacheHits: 0,
    cacheMisses: 0,
    failedRows: 0,
  },
});
/** The header line of the table whose first column is `first`. */
const headerOf = (printed: string, first: string) =>
  printed.split('\n').find((line) => line.trimStart().startsWith(first)) ?? '';

describe("the reporter's interval column names its level", () => {
  let at90: EvalResult;
  let at95: EvalResult;
  let base90: EvalResult;
  beforeAll(async () => {
    const opts = { progress: false, resamples: 200 } as const;
    at90 = await evaluate(dataset, rightBut(5), [exactMatch()], { ...opts, confidence: 0.9 });
    base90 = await evaluate(dataset, rightBut(3), [exactMatch()], { ...opts, confidence: 0.9 });
    at95 = await evaluate(dataset, rightBut(5), [exactMatch()], opts);
  });

  it('a comparison at 90%: "90% CI", not "95% CI"', () => {
    const c = compare(base90, at90, { confidence: 0.9, resamples: 200 });
    expect(c.metrics.exact_match!.ci.level).toBe(0.9);
    const printed = _formatSummary(
      summaryOf([
        {
          kind: 'comparison',
          name: 'c',
          alpha: c.alpha,
          adjustment: c.adjustment,
          nPaired: c.nPaired,
          metrics: c.metrics,
          ...where,
        },
      ]),
    );
    const header = headerOf(printed, 'comparison');
    expect(header).toContain('90% CI');
    expect(header).not.toContain('95% CI');
  });

  it('a run at 90%: the header says it, the cells need not', () => {
    const printed = _formatSummary(summaryOf([resultEntry(at90, 'r')]));
    expect(headerOf(printed, 'eval')).toContain('90% CI');
    expect(printed).not.toContain('95% CI');
  });

  it('runs at 90% and 95% together: the header reads "CI" and each cell its own level', () => {
    const printed = _formatSummary(summaryOf([resultEntry(at90, 'r90'), resultEntry(at95, 'r95')]));
    const header = headerOf(printed, 'eval');
    expect(header).toMatch(/\bCI\b/);
    expect(header).not.toMatch(/\d% CI/);
    const row = (name: string) => printed.split('\n').find((line) => line.trimStart().startsWith(name)) ?? '';
    expect(row('r90 ')).toContain('90% CI');
    expect(row('r95 ')).toContain('95% CI');
  });

  it('at 95% everywhere: "95% CI" in the header, no level in the cells (as before)', () => {
    const printed = _formatSummary(summaryOf([resultEntry(at95, 'r')]));
    expect(headerOf(printed, 'eval')).toContain('95% CI');
    expect(printed.split('95% CI').length - 1).toBe(1);
  });
});
