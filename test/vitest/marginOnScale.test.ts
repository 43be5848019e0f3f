// A non-inferiority margin as large as the whole range of the difference makes the claim true whatever the data
// (a margin of 2 meant as "2 points" on a 0-1 metric): the paired gate passed after one row, the matcher always.
// Such margins are refused, saying margins are on the metric's scale.
import { describe, expect, it } from 'vitest';
import { type Example, evaluate } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';
import '../../src/vitest/index.js';
import { makeComparison } from './_fixtures.js';

const data: Example[] = Array.from({ length: 50 }, (_, i) => ({
  id: `q${i}`,
  input: `${i}`,
  reference: `${i}`,
}));
const opts = { progress: false, resamples: 100 } as const;

describe('non-inferiority margins on the metric scale', () => {
  it('a paired gate with a margin >= the range of the metric is refused before the run', async () => {
    const baseline = await evaluate(data, async (x) => String(x), [exactMatch()], opts);
    const worse = async () => 'wrong';
    await expect(
      evaluate(data, worse, [exactMatch()], {
        ...opts,
        gate: { baseline, metric: 'exact_match', margin: 2 },
      }),
    ).rejects.toThrow(
      new RangeError(
        'Expected `gate.margin` to be below the range of `gate.metric` "exact_match" (1, its bounds [0, 1]), got `2` (number): a margin that large passes whatever the data; margins are on the metric\'s scale (0.02 is 2 points of a 0-1 metric)',
      ),
    );
    // A margin just under the range is a claim the data can refute.
    const r = await evaluate(data, worse, [exactMatch()], {
      ...opts,
      gate: { baseline, metric: 'exact_match', margin: 0.5 },
    });
    expect(r.gate!.decision).toBe('fail');
  });

  it('toBeNonInferior refuses a margin >= 1 on a binary metric', () => {
    const cmp = makeComparison({
      exact_match: { baselineMean: 0.9, candidateMean: 0.1, low: -0.9, high: -0.7, pValue: 1e-9 },
    });
    const message =
      'Expected `margin` to be below 1 (the range of the difference of a binary metric, "exact_match"), got `2` (number): a margin that large passes whatever the data; margins are on the metric\'s scale (0.02 is 2 points of a 0-1 metric)';
    expect(() => expect(cmp).toBeNonInferior({ margin: 2 })).toThrow(new RangeError(message));
    expect(() => expect(cmp).not.toBeNonInferior({ margin: 2 })).toThrow(new RangeError(message));
    expect(cmp).not.toBeNonInferior({ margin: 0.5 });
  });
});

describe('toHaveNoSegmentRegression margins on the metric scale', () => {
  it('refuses a margin >= 1 when a checked metric is binary (no cell could ever regress)', () => {
    const cmp = {
      ...makeComparison({
        exact_match: { baselineMean: 0.9, candidateMean: 0.5, low: -0.5, high: -0.3, pValue: 1e-9 },
      }),
      segments: [
        {
          segment: 'billing',
          metric: 'exact_match',
          n: 100,
          baselineMean: 0.9,
          candidateMean: 0.1,
          difference: -0.8,
          ci: { low: -0.9, high: -0.7, level: 0.95, method: 'bca' as const },
          test: 'mcnemar' as const,
          testMethod: 'exact',
          pValue: 1e-12,
          pAdjusted: 1e-12,
          regressed: true,
        },
      ],
    };
    expect(() => expect(cmp).toHaveNoSegmentRegression({ margin: 2 })).toThrow(
      new RangeError(
        'Expected `margin` to be below 1 (the range of the difference of a binary metric, "exact_match"), got `2` (number): a margin that large passes whatever the data; margins are on the metric\'s scale (0.02 is 2 points of a 0-1 metric)',
      ),
    );
    expect(() => expect(cmp).toHaveNoSegmentRegression({ margin: 0.5 })).toThrow(/1 cell did/);
  });
});
