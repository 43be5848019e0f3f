// Matchers under `.not` on results that carry no evidence either way (a partial run, a gate that refused or
// stayed undecided without a fallback, a broken metric): the assertion fails whichever way it is asked, as
// toHaveLowerBoundAtLeast does (`pass: isNot`), never passes because the positive form would have failed.
import { beforeAll, describe, expect, it } from 'vitest';
import { type EvalResult, type Example, evaluate } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';
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

const N = 400;
const dataset: Example[] = Array.from({ length: N }, (_, i) => ({
  id: `q${i}`,
  input: `question ${i}`,
  reference: `answer ${i}`,
}));
const modelAt = (accuracy: number) => async (input: unknown) => {
  const i = Number(String(input).slice('question '.length));
  return ((i * 7919) % N) / N < accuracy ? `answer ${i}` : 'no idea';
};
const opts = { concurrency: 8, progress: false, resamples: 200 } as const;

describe('toBeNonInferior on a paired gate without evidence', () => {
  let baseline: EvalResult;
  let undecided: EvalResult;
  beforeAll(async () => {
    baseline = await evaluate(dataset, modelAt(0.9), [exactMatch()], opts);
    undecided = await evaluate(dataset.slice(0, 30), modelAt(0.9), [exactMatch()], {
      ...opts,
      shuffled: true,
      gate: { baseline, metric: 'exact_match', margin: 0.05 },
    });
  });

  it('an undecided gate without a baseline fails under .not too', () => {
    expect(undecided.gate!.decision).toBe('undecided');
    expect(() => expect(undecided).not.toBeNonInferior()).toThrow(
      /the gate is undecided after the whole dataset/,
    );
  });

  it('a gate that refused to decide fails under .not too', () => {
    const refused = {
      ...undecided,
      gate: { ...undecided.gate!, refused: 'metric `exact_match` is broken: 3 of 30 scores lie outside' },
    };
    expect(() => expect(refused).toBeNonInferior()).toThrow(/the gate refused to decide/);
    expect(() => expect(refused).not.toBeNonInferior()).toThrow(/the gate refused to decide/);
  });

  it('the fallback on a broken baseline fails under .not too', () => {
    const em = baseline.metrics.exact_match!;
    const brokenBase = {
      ...baseline,
      metrics: { ...baseline.metrics, exact_match: { ...em, broken: { outOfBounds: 30, n: 400 } } },
    };
    expect(() => expect(undecided).toBeNonInferior({ baseline: brokenBase })).toThrow(
      /a broken metric is not evidence/,
    );
    expect(() => expect(undecided).not.toBeNonInferior({ baseline: brokenBase })).toThrow(
      /a broken metric is not evidence/,
    );
  });

  it('the fallback on a partial run fails, and fails under .not too', () => {
    const stopped = {
      ...undecided,
      run: { ...undecided.run, stoppedBy: 'budget' as const, rowsPlanned: 100 },
    };
    expect(() => expect(stopped).toBeNonInferior({ baseline })).toThrow(/partial run never passes/);
    expect(() => expect(stopped).not.toBeNonInferior({ baseline })).toThrow(/partial run never passes/);
  });

  it('an undecided gate of a stopped run does not claim the whole dataset ran', () => {
    const stopped = {
      ...undecided,
      run: { ...undecided.run, stoppedBy: 'abort' as const, rowsPlanned: 100 },
    };
    for (const assert of [
      () => expect(stopped).toBeNonInferior(),
      () => expect(stopped).not.toBeNonInferior(),
    ]) {
      expect(assert).toThrow('stopped by abort after 30 of 100 rows, and a partial run never passes a gate');
      expect(assert).not.toThrow(/after the whole dataset/);
    }
  });
});
