import { beforeAll, describe, expect, it } from 'vitest';
import { type Comparison, compare } from '../../src/index.js';
import '../../src/vitest/index.js';
import { makeComparison } from '../vitest/_fixtures.js';
import { REGRESSED, runOf } from './_segmentRuns.js';

let cmp: Comparison;
beforeAll(async () => {
  const [baseline, candidate] = await Promise.all([runOf('baseline'), runOf('candidate')]);
  cmp = compare(baseline, candidate, { resamples: 999 });
}, 60_000);

describe('toHaveNoSegmentRegression', () => {
  it('fails on the regressed category, naming it with its numbers, and only it', () => {
    expect(cmp).not.toHaveNoSegmentRegression();
    let message = '';
    try {
      expect(cmp).toHaveNoSegmentRegression();
    } catch (err) {
      message = (err as Error).message;
    }
    const lines = message.split('\n');
    expect(lines[0]).toBe(
      'expected no segment to regress (difference < 0 with holm-adjusted p < 0.05) on every metric, but 2 cells did:',
    );
    expect(lines).toHaveLength(3);
    const em = cmp.segments!.find((c) => c.segment === REGRESSED && c.metric === 'exact_match')!;
    expect(lines[1]).toBe(
      `  "billing" exact_match: difference -0.2 (${Number(em.baselineMean.toPrecision(4))} → ${Number(em.candidateMean.toPrecision(4))}), 95% CI [${Number(em.ci.low.toPrecision(4))}, ${Number(em.ci.high.toPrecision(4))}], n=150, mcnemar (exact) p=1.9e-9, holm-adjusted p=1.5e-8`,
    );
    expect(lines[2]).toMatch(
      /^ {2}"billing" quality: difference -0\.1 .* paired-t \(t\) p=8\.6e-9, holm-adjusted p=6e-8$/,
    );
    for (const other of ['shipping', 'returns', 'account']) expect(message).not.toContain(other);
  });

  it('checks one metric, and tolerates a loss within the margin', () => {
    expect(cmp).not.toHaveNoSegmentRegression({ metric: 'quality' });
    expect(cmp).toHaveNoSegmentRegression({ metric: 'quality', margin: 0.1 }); // -0.1 is not below -0.1
    expect(cmp).not.toHaveNoSegmentRegression({ metric: 'exact_match', margin: 0.1 });
    expect(cmp).toHaveNoSegmentRegression({ margin: 0.2 });
    expect(cmp).toHaveNoSegmentRegression({ alpha: 1e-9 });
  });

  it('passes on a comparison of a run with itself', async () => {
    const base = await runOf('baseline', 99);
    expect(compare(base, base, { resamples: 99 })).toHaveNoSegmentRegression();
  });

  it.each([
    [
      () =>
        expect(
          makeComparison({
            exact_match: { baselineMean: 0.7, candidateMean: 0.6, low: -0.2, high: 0, pValue: 0.01 },
          }),
        ).toHaveNoSegmentRegression(),
      'toHaveNoSegmentRegression() received a comparison without segments: evaluate both runs with `segmentBy`',
    ],
    [
      () => expect(42).toHaveNoSegmentRegression(),
      /expects a comparison \(from compare\(\)\), received `42` \(number\)/,
    ],
    [
      () => expect(cmp).toHaveNoSegmentRegression({ metric: 'bleu' }),
      'toHaveNoSegmentRegression() received unknown metric `"bleu"` (string): the comparison has "exact_match", "quality"',
    ],
    [
      () => expect(cmp).toHaveNoSegmentRegression({ margin: -1 }),
      'Expected `margin` to be a number in [0, Infinity), got `-1` (number)',
    ],
    [
      () => expect(cmp).toHaveNoSegmentRegression({ alpha: 1 }),
      'Expected `alpha` to be a number in (0, 1), got `1` (number)',
    ],
  ])('refuses bad input (%#)', (run, message) => {
    expect(run).toThrow(message);
  });
});
