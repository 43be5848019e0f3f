import { describe, expect, it } from 'vitest';
import { _formatNumber, formatPValue } from '../../src/report/format.js';
import { formatComparisonTable } from '../../src/report/formatComparisonTable.js';
import { formatResultTable } from '../../src/report/formatResultTable.js';
import { makeComparison, makeResult } from '../vitest/_fixtures.js';

describe('number formatting', () => {
  it.each([
    [0.72, '0.72'],
    [0.65234, '0.6523'],
    [72.3456, '72.35'],
    [-0.04, '-0.04'],
    [0.000012345, '1.23e-5'],
    [0, '0'],
    [Number.NaN, 'NaN'],
    [123456, '123500'],
  ])('%d -> %s', (x, want) => {
    expect(_formatNumber(x)).toBe(want);
  });

  it('caps p-values below double resolution', () => {
    expect(formatPValue(1e-20)).toBe('<1e-16');
    expect(formatPValue(0.03125)).toBe('0.0313');
  });
});

describe('formatResultTable', () => {
  it('prints one line per metric and a run line', () => {
    const result = makeResult({
      metrics: {
        exact_match: { mean: 0.72, low: 0.63, high: 0.8 },
        f1: { mean: 0.8123, low: 0.75, high: 0.86, kind: 'continuous', nMissing: 2, n: 98 },
      },
      costUsd: 0.0421,
    });
    expect(formatResultTable(result)).toMatchInlineSnapshot(`
      "metric       estimate  95% CI          n  missing  method
      ───────────  ────────  ────────────  ───  ───────  ──────
      exact_match      0.72  [0.63, 0.8]   100        0  bca
      f1             0.8123  [0.75, 0.86]   98        2  bca

      4 rows, 1 failed · 4 requests · cost $0.04 · cache 1/4 hits"
    `);
  });

  it('rejects what is not a result', () => {
    expect(() => formatResultTable(null as never)).toThrow(
      new TypeError('Expected `result` to be an evalgate result, got `null` (null)'),
    );
  });
});

describe('formatComparisonTable', () => {
  it('prints differences, tests, p-values, effect sizes and verdicts', () => {
    const cmp = makeComparison(
      {
        exact_match: {
          baselineMean: 0.7,
          candidateMean: 0.74,
          low: 0.01,
          high: 0.07,
          pValue: 0.0063,
          pValueAdjusted: 0.0126,
        },
        f1: {
          baselineMean: 0.8,
          candidateMean: 0.77,
          low: -0.05,
          high: -0.01,
          pValue: 0.01,
          pValueAdjusted: 0.02,
          test: 'wilcoxon',
          testMethod: 'asymptotic',
          effectSize: -0.21,
        },
      },
      { margin: 0.02 },
    );
    expect(formatComparisonTable(cmp)).toMatchInlineSnapshot(`
      "metric       baseline  candidate  difference  95% CI            n  test                        p  p (holm)    d_z  verdict (α=0.05)  non-inferior (margin 0.02)
      ───────────  ────────  ─────────  ──────────  ──────────────  ───  ─────────────────────  ──────  ────────  ─────  ────────────────  ──────────────────────────
      exact_match       0.7       0.74       +0.04  [0.01, 0.07]    200  mcnemar (exact)        0.0063    0.0126    0.2  better            yes
      f1                0.8       0.77       -0.03  [-0.05, -0.01]  200  wilcoxon (asymptotic)    0.01      0.02  -0.21  worse             not shown

      200 paired rows"
    `);
  });

  it('rejects what is not a comparison', () => {
    expect(() => formatComparisonTable(makeResult() as never)).toThrow(
      new TypeError('Expected `comparison` to be a comparison (from compare()), got `object` (object)'),
    );
  });
});
