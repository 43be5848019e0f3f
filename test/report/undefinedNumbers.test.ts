/**
 * Numbers a run leaves undefined (NaN) print as words or a dash, never as `NaN` posing as a value: a calibrated
 * estimate's effective n when the human labels have no spread, a pairwise judge's first-position rate when no
 * verdict picked a position.
 */
import { describe, expect, it } from 'vitest';
import { formatJudgeBias } from '../../src/report/format.js';
import { markdownSummary } from '../../src/report/markdownSummary.js';
import type { MetricSummary } from '../../src/result/EvalResult.js';

const summary: MetricSummary = {
  kind: 'binary',
  mean: 1,
  ci: { low: 0.94, high: 1, level: 0.95, method: 'clopper-pearson' },
  stderr: 0,
  n: 60,
  nMissing: 0,
  aggregation: 'mean',
  calibrated: {
    mean: 1,
    ci: { low: 0.83, high: 1, level: 0.95, method: 'clopper-pearson' },
    stderr: 0,
    method: 'ppi++',
    lambda: 0,
    nLabeled: 20,
    nUnlabeled: 40,
    effectiveN: Number.NaN,
    agreement: { n: 20 },
  },
};

describe('numbers a run leaves undefined', () => {
  it("a calibrated estimate's NaN effective n reads as a dash", () => {
    const md = markdownSummary({
      results: [{ name: 'run', n: 60, nFailed: 0, metrics: { judge: summary } }],
    });
    expect(md).not.toMatch(/NaN/);
    const row = md.split('\n').find((l) => l.includes('20 / 60'))!;
    expect(row.trimEnd().endsWith('| – |')).toBe(true);
  });

  it("a pairwise judge's NaN first-position rate says no verdict picked a position", () => {
    const text = formatJudgeBias({
      lengthCorrelation: null,
      positionConsistency: { rate: 1, n: 60, firstPositionRate: Number.NaN },
    });
    expect(text).not.toMatch(/NaN/);
    expect(text).toBe('length r: too few rows · position consistency 1 (n=60; every verdict a tie)');
  });
});
