// A recorded name or a test name holding a line break or terminal escapes prints on its one row. Regression: the
// reporter printed names raw, so `recordEval(r, 'a\nb')` split its row in two (the estimate under a row with no
// name) and an ESC sequence in a test name recoloured or rewrote the terminal's lines.
import { describe, expect, it } from 'vitest';
import { _formatSummary, type EvalgateSummary } from '../../src/vitest/EvalgateSummary.js';
import { makeComparison, makeResult } from './_fixtures.js';

function summaryOf(name: string | undefined, test: string): EvalgateSummary {
  const r = makeResult();
  const c = makeComparison({
    exact_match: { baselineMean: 0.7, candidateMean: 0.74, low: 0.01, high: 0.07, pValue: 0.01 },
  });
  const named = name === undefined ? {} : { name };
  return {
    kind: 'evalgate-vitest-summary',
    schemaVersion: 1,
    reason: 'passed',
    evals: [
      {
        kind: 'result',
        ...named,
        n: r.n,
        nFailed: r.nFailed,
        metrics: r.metrics,
        totals: r.totals,
        durationMs: 1,
        test,
        file: 'a.test.ts',
        state: 'passed',
      },
      {
        kind: 'comparison',
        ...named,
        alpha: c.alpha,
        adjustment: c.adjustment,
        nPaired: c.nPaired,
        metrics: c.metrics,
        test,
        file: 'a.test.ts',
        state: 'failed',
      },
    ],
    totals: {
      results: 1,
      comparisons: 1,
      requests: 4,
      costUsd: 0,
      cacheHits: 1,
      cacheMisses: 3,
      failedRows: 1,
    },
  };
}

describe('the printed summary of names with control characters', () => {
  it.each([
    [
      'line one\nline two \u001b[31mred\u001b[0m',
      'plain test',
      'line one\\nline two \\u001b[31mred\\u001b[0m',
    ],
    [
      undefined,
      'a test\r\nnamed \u001b[2Kover two lines\u009b',
      'a test\\r\\nnamed \\u001b[2Kover two lines\\u009b',
    ],
  ])('%j prints on one row, its control characters escaped', (name, test, shown) => {
    const text = _formatSummary(summaryOf(name, test));
    // biome-ignore lint/suspicious/noControlCharactersInRegex: no control character may reach the terminal.
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    const lines = text.split('\n');
    expect(lines.find((l) => l.startsWith(`${shown}  `))).toMatch(/exact_match\s+0\.72\s+\[0\.63, 0\.8\]/);
    expect(lines.find((l) => l.startsWith(`${shown} ✗  `))).toMatch(/exact_match\s+\+0\.04/);
    // Every row of the results table is exactly as wide as its rule.
    const rule = lines.findIndex((l) => l.startsWith('──'));
    expect(lines[rule + 1]!.length).toBeLessThanOrEqual(lines[rule]!.length);
  });
});
