// A segment's cell of compare() is the whole-run comparison on the segment's rows, but it dropped `noInterval`: one
// example of a metric without recorded bounds, 0.55 -> 0.05, was a segment with "95% CI [-0.5, -0.5]" (a point,
// certainty from one row), where the same row compared alone says no finite-sample interval exists.
import { describe, expect, it } from 'vitest';
import { compare } from '../../src/result/compare.js';
import type { EvalResult } from '../../src/result/EvalResult.js';
import '../../src/vitest/index.js';
import { makeResult } from '../stats/_makeResult.js';

const withSegments = (r: EvalResult, labels: readonly string[]): EvalResult => ({
  ...r,
  config: { ...r.config, segmentBy: 'seg' },
  scores: { ...r.scores, segments: labels.map((s) => [s]) },
});

// 40 rows unchanged in segment "big"; one row 0.5 worse alone in segment "one"; 8 rows each 0.5 worse in segment
// "few" (the sign test's p = 2^-7: a regression). `g` records no bounds.
const base = Array.from({ length: 49 }, (_, i) => ((i * 37) % 11) / 11);
const cand = base.map((v, i) => (i >= 40 ? v - 0.5 : v));
const labels = base.map((_, i) => (i < 40 ? 'big' : i === 40 ? 'one' : 'few'));
const run = (g: readonly number[]) =>
  withSegments(makeResult({ metrics: { g }, kinds: { g: 'continuous' } }), labels);

describe('a segment cell of few rows of a metric without bounds says it has no interval', () => {
  const cmp = compare(run(base), run(cand), { resamples: 999 });
  const one = cmp.segments!.find((c) => c.segment === 'one')!;

  it('as the whole-run comparison of its rows alone says', () => {
    const alone = compare(
      makeResult({ metrics: { g: [base[40]!] }, kinds: { g: 'continuous' } }),
      makeResult({ metrics: { g: [cand[40]!] }, kinds: { g: 'continuous' } }),
    ).metrics.g!;
    expect(alone.noInterval).toContain('only 1 paired row (< 30)');
    expect([one.n, one.ci.low, one.ci.high, one.regressed]).toEqual([1, -0.5, -0.5, false]);
    expect(one.noInterval).toBe(alone.noInterval);
    // The unchanged segment of 40 rows is exact, not a few-rows cell.
    expect(cmp.segments!.find((c) => c.segment === 'big')!.noInterval).toBeUndefined();
  });

  it('and the message naming a regressed cell of few rows does not state its point as a 95% interval', () => {
    const few = cmp.segments!.find((c) => c.segment === 'few')!;
    expect([few.n, few.test, few.pValue, few.regressed]).toEqual([8, 'sign', 2 ** -7, true]);
    expect(few.noInterval).toContain('only 8 paired rows (< 30)');
    let message = '';
    try {
      expect(cmp).toHaveNoSegmentRegression();
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('1 cell did');
    expect(message).not.toContain('95% CI [-0.5, -0.5]');
    expect(message).toContain(
      '"few" g: difference -0.5 (0.4318 → -0.06818), no interval (only 8 paired rows (< 30)',
    );
  });
});
