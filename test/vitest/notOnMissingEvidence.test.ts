// Matchers under `.not` on results that carry no evidence either way (a partial run, a gate that refused or
// stayed undecided without a fallback, a broken metric): the assertion fails whichever way it is asked, as
// toHaveLowerBoundAtLeast does (`pass: isNot`), never passes because the positive form would have failed.
import { describe, expect, it } from 'vitest';
import type { Comparison, SegmentComparison } from '../../src/result/Comparison.js';
import '../../src/vitest/index.js';
import { makeComparison } from './_fixtures.js';

const cell = (segment: string, difference: number): SegmentComparison => ({
  segment,
  metric: 'exact_match',
  n: 50,
  baselineMean: 0.7,
  candidateMean: 0.7 + difference,
  difference,
  ci: { low: difference - 0.1, high: difference + 0.1, level: 0.95, method: 'bca' },
  test: 'mcnemar',
  testMethod: 'exact',
  pValue: 0.5,
  pAdjusted: 0.5,
  regressed: false,
});

describe('toHaveNoSegmentRegression on a partial comparison', () => {
  const partial: Comparison = {
    ...makeComparison({
      exact_match: { baselineMean: 0.7, candidateMean: 0.7, low: -0.05, high: 0.05, pValue: 1 },
    }),
    segments: [cell('billing', 0), cell('shipping', 0)],
    partial: 'the candidate run was stopped by budget after 40 of 100 rows',
  };

  it('fails, and fails under .not too', () => {
    expect(() => expect(partial).toHaveNoSegmentRegression()).toThrow(/a partial run never passes a gate/);
    expect(() => expect(partial).not.toHaveNoSegmentRegression()).toThrow(
      /a partial run never passes a gate/,
    );
  });
});
