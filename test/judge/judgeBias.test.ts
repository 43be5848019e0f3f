import { describe, expect, it } from 'vitest';
import { _judgeBias, _pearson } from '../../src/judge/judgeBiasReport.js';

const rel = (got: number, want: number) =>
  expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-9 * Math.abs(want));

describe('judge bias measures', () => {
  const lengths = [12, 40, 33, 80, 25, 61, 90, 15, 47, 70];
  const scores = [2, 3, 3, 5, 2, 4, 5, 1, 3, 4];

  it.each([
    // scipy 1.17.1: r = pearsonr(lengths, scores); r.confidence_interval(cl)
    [0.95, 0.8403336289385962, 0.9910770350938103],
    [0.9, 0.8720101047460106, 0.9886906472494406],
  ])('length correlation and its Fisher-z CI match scipy.stats.pearsonr at %f', (confidence, low, high) => {
    const b = _judgeBias({ scores, lengths, confidence });
    rel(b.lengthCorrelation!.r, 0.9613260262256842);
    rel(b.lengthCorrelation!.ci.low, low);
    rel(b.lengthCorrelation!.ci.high, high);
    expect(b.lengthCorrelation!.ci.method).toBe('fisher-z');
    expect(b.lengthCorrelation!.n).toBe(10);
  });

  it('is null below 4 rows and NaN for constant scores', () => {
    expect(
      _judgeBias({ scores: [1, 2, 3], lengths: [1, 2, 3], confidence: 0.95 }).lengthCorrelation,
    ).toBeNull();
    expect(_pearson([1, 2, 3, 4], [5, 5, 5, 5])).toBeNaN();
  });

  it('position consistency and first-position preference from pairwise details', () => {
    const b = _judgeBias({
      scores: [1, 0.5, 0.5, 0],
      lengths: [1, 2, 3, 4],
      confidence: 0.95,
      pairs: [
        { consistent: true, positions: ['1', '2'] },
        { consistent: false, positions: ['1', '1'] },
        { consistent: false, positions: ['2', '2'] },
        { consistent: true, positions: ['tie', 'tie'] },
      ],
      judgeModel: 'j',
      modelUnderTest: 'm',
    });
    expect(b.positionConsistency).toEqual({ rate: 0.5, n: 4, firstPositionRate: 0.5 });
    expect(b.selfJudging).toBe(false);
  });
});
