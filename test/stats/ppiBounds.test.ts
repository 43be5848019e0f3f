// ppiMean with `bounds`: the mean of scores in [lo, hi] lies in [lo, hi], so the estimate and both ends of the
// interval must too, with low <= estimate <= high. A judge that is biased low on the labeled rows and says 1 on
// every unlabeled row drives the PPI++ point estimate past the upper bound.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ppiMean } from '../../src/stats/index.js';

const FC = { seed: 42, numRuns: 300 };

describe('ppiMean keeps the estimate and the interval inside `bounds`', () => {
  const human = [1, 1, 0, 1, 1, 1, 1, 0, 1, 1];
  const judge = [1, 0, 0, 1, 0, 0, 1, 0, 0, 1];
  const unlabeled = new Array<number>(200).fill(1);

  it.each([['auto' as const], [1]])('judge biased low on the labels, lambda %s', (lambda) => {
    const r = ppiMean({ human, judge }, unlabeled, { bounds: [0, 1], lambda });
    // Unclipped: lambda 1, estimate 1 + mean(human - judge) = 1.4, interval 1.4 -/+ 1.96 * 0.1549.
    expect(r.lambda).toBe(1);
    expect(r.clipped).toBe(true);
    expect(r.estimate).toBe(1);
    expect(r.ci.low).toBe(1);
    expect(r.ci.high).toBe(1);
  });

  it('the mirror case at the lower bound', () => {
    const r = ppiMean(
      { human: human.map((v) => 1 - v), judge: judge.map((v) => 1 - v) },
      unlabeled.map(() => 0),
      { bounds: [0, 1] },
    );
    expect([r.estimate, r.ci.low, r.ci.high, r.clipped]).toEqual([0, 0, 0, true]);
  });

  it('property: lo <= low <= estimate <= high <= hi for scores in the bounds', () => {
    const score = fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true }));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(score, score), { minLength: 2, maxLength: 30 }),
        fc.array(score, { minLength: 1, maxLength: 60 }),
        fc.oneof(fc.constant('auto' as const), fc.double({ min: 0, max: 1, noNaN: true })),
        (pairs, unl, lambda) => {
          const r = ppiMean({ human: pairs.map((p) => p[0]), judge: pairs.map((p) => p[1]) }, unl, {
            bounds: [0, 1],
            lambda,
          });
          expect(0).toBeLessThanOrEqual(r.ci.low);
          expect(r.ci.low).toBeLessThanOrEqual(r.estimate);
          expect(r.estimate).toBeLessThanOrEqual(r.ci.high);
          expect(r.ci.high).toBeLessThanOrEqual(1);
        },
      ),
      FC,
    );
  });

  it('inside the bounds nothing changes', () => {
    const r = ppiMean({ human: [1, 0, 1, 1, 0, 1], judge: [1, 0, 1, 1, 1, 1] }, [1, 1, 0, 1, 1, 0, 1, 1], {
      bounds: [0, 1],
    });
    expect(r.estimate).toBe(0.6374859708193041);
    expect([r.ci.low, r.ci.high]).toEqual([0.29925687651221217, 0.9757150651263962]);
    expect(r.clipped).toBe(false);
  });
});
