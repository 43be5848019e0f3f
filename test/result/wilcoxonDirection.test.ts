// compare(…, { test: 'wilcoxon' }) reports the mean difference beside Wilcoxon's two-sided p-value, and every verdict
// reads the two together (significantly better: difference > 0 and p < alpha; regressed: difference < 0 and p <
// alpha). The signed-rank test weighs ranks, not sizes: 34 of 40 rows 0.05 worse and 6 rows 0.9 better make the mean
// +0.0925 while the ranks point down (R+ 225 < R- 595, p = 0.00704). "Significantly better" was the verdict on a
// candidate the test found worse, and the mirror was a "regressed" segment that most rows improved on.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare } from '../../src/result/compare.js';
import type { EvalResult } from '../../src/result/EvalResult.js';
import { wilcoxonSignedRankTest } from '../../src/stats/wilcoxonSignedRankTest.js';
import '../../src/vitest/index.js';
import { makeResult } from '../stats/_makeResult.js';

/** One segment holding every row, so that a cell of `segments` is the whole run. */
const oneSegment = (r: EvalResult): EvalResult => ({
  ...r,
  config: { ...r.config, segmentBy: 'seg' },
  scores: { ...r.scores, segments: r.scores.ids.map(() => ['all']) },
});
const run = (g: readonly number[]) => oneSegment(makeResult({ metrics: { g }, kinds: { g: 'continuous' } }));

const base = Array.from({ length: 40 }, (_, i) => (i < 34 ? 0.55 : 0.05));
const cand = base.map((v, i) => (i < 34 ? v - 0.05 : v + 0.9));

describe("Wilcoxon's p-value is read in the direction of the difference", () => {
  it('a mean gain whose ranks point down is not significantly better', () => {
    const w = wilcoxonSignedRankTest(cand, base);
    expect([w.rPlus, w.rMinus, w.pValue < 0.01]).toEqual([225, 595, true]);
    const m = compare(run(base), run(cand), { test: 'wilcoxon', resamples: 999 }).metrics.g!;
    expect(m.difference).toBeCloseTo(0.0925, 12);
    expect(m.significant).toBe(false);
    expect(m.pValue).toBe(1);
    expect(m.note).toContain('R+ 225 < R- 595');
    expect(() =>
      expect(compare(run(base), run(cand), { test: 'wilcoxon' })).toBeSignificantlyBetter({ metric: 'g' }),
    ).toThrow(/p=1/);
  });

  it('its mirror, a mean loss most rows gained on, is no regressed segment', () => {
    const cmp = compare(run(cand), run(base), { test: 'wilcoxon', resamples: 999 });
    expect(cmp.metrics.g!.difference).toBeCloseTo(-0.0925, 12);
    expect(cmp.segments!.map((c) => [c.segment, c.regressed, c.pValue])).toEqual([['all', false, 1]]);
    expect(cmp).toHaveNoSegmentRegression();
  });

  it('whenever a verdict could be drawn, the ranks agree with the difference; otherwise p is the test’s (seeded)', () => {
    const grid = fc.integer({ min: 0, max: 20 }).map((k) => k / 20);
    const rows = fc.array(fc.tuple(grid, grid), { minLength: 1, maxLength: 40 });
    let opposed = 0;
    fc.assert(
      fc.property(rows, (pairs) => {
        const b = pairs.map(([u]) => u);
        const c = pairs.map(([, v]) => v);
        const m = compare(run(b), run(c), { test: 'wilcoxon', resamples: 99 }).metrics.g!;
        if (m.difference === 0 || b.every((u, i) => u === c[i])) return;
        const w = wilcoxonSignedRankTest(c, b);
        const against = m.difference > 0 ? w.rPlus < w.rMinus : w.rPlus > w.rMinus;
        if (against) {
          opposed++;
          expect(m.pValue).toBe(1);
        } else expect(m.pValue).toBe(w.pValue);
      }),
      { seed: 44_2026, numRuns: 400 },
    );
    expect(opposed).toBeGreaterThan(5);
  });
});
