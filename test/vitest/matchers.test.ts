import { describe, expect, it, test } from 'vitest';
import '../../src/vitest/index.js';
import { recordEval } from '../../src/vitest/index.js';
import { makeComparison, makeResult } from './_fixtures.js';

const result = makeResult({
  metrics: {
    exact_match: { mean: 0.65, low: 0.56, high: 0.74 },
    f1: { mean: 0.8, low: 0.7, high: 0.9, kind: 'continuous', nMissing: 3, n: 97 },
  },
});

describe('toHaveLowerBoundAtLeast', () => {
  it('passes iff the CI lower bound is >= the threshold (equality passes)', () => {
    expect(result).toHaveLowerBoundAtLeast('exact_match', 0.56);
    expect(result).toHaveLowerBoundAtLeast('exact_match', 0.5);
    expect(result).not.toHaveLowerBoundAtLeast('exact_match', 0.560001);
    // the estimate being above the threshold is not enough
    expect(result).not.toHaveLowerBoundAtLeast('exact_match', 0.6);
  });

  it('states metric, bound, estimate, CI, method and n when it fails', () => {
    expect(() =>
      expect(result).toHaveLowerBoundAtLeast('exact_match', 0.7),
    ).toThrowErrorMatchingInlineSnapshot(
      `[Error: expected the 95% CI lower bound of "exact_match" to be >= 0.7, but it is 0.56: estimate 0.65, 95% CI [0.56, 0.74] (bca), n=100; the estimate 0.65 is itself below 0.7, so more examples would not help]`,
    );
    expect(() => expect(result).toHaveLowerBoundAtLeast('f1', 0.75)).toThrowErrorMatchingInlineSnapshot(
      `[Error: expected the 95% CI lower bound of "f1" to be >= 0.75, but it is 0.7: estimate 0.8, 95% CI [0.7, 0.9] (bca), n=97 (3 missing); the estimate 0.8 is above 0.75 but the interval is too wide: about 795 examples would be needed to clear it with 80% power (sampleSize, paired-t, sd 0.5025)]`,
    );
  });

  it('words the .not failure as the opposite relation', () => {
    expect(() =>
      expect(result).not.toHaveLowerBoundAtLeast('exact_match', 0.5),
    ).toThrowErrorMatchingInlineSnapshot(
      `[Error: expected the 95% CI lower bound of "exact_match" to be < 0.5, but it is 0.56: estimate 0.65, 95% CI [0.56, 0.74] (bca), n=100]`,
    );
  });

  it('never passes on a NaN lower bound', () => {
    const degenerate = makeResult({
      metrics: { exact_match: { mean: 1, low: Number.NaN, high: Number.NaN } },
    });
    expect(degenerate).not.toHaveLowerBoundAtLeast('exact_match', 0);
    expect(() => expect(degenerate).toHaveLowerBoundAtLeast('exact_match', 0)).toThrow(
      'expected the 95% CI lower bound of "exact_match" to be >= 0, but it is NaN: estimate 1, 95% CI [NaN, NaN] (bca), n=100',
    );
  });

  it('works as an asymmetric matcher', () => {
    expect({ run: result }).toEqual({ run: expect.toHaveLowerBoundAtLeast('exact_match', 0.5) });
    expect({ run: result }).not.toEqual({ run: expect.toHaveLowerBoundAtLeast('exact_match', 0.6) });
  });

  it.each([
    [42, '`42` (number)'],
    [null, '`null` (null)'],
    [{ metrics: {} }, '`object` (object)'],
    [
      makeComparison({ em: { baselineMean: 0.5, candidateMean: 0.6, low: 0, high: 0.2, pValue: 0.01 } }),
      '`object` (object)',
    ],
  ])('throws a TypeError naming what it received instead of a result: %#', (received, shown) => {
    expect(() => expect(received).toHaveLowerBoundAtLeast('exact_match', 0.5)).toThrow(
      new TypeError(
        `toHaveLowerBoundAtLeast() expects an evalgate result (from evaluate() or loadResult()), received ${shown}`,
      ),
    );
  });

  it('throws a TypeError listing the metrics on an unknown metric name, also under .not', () => {
    const want = new TypeError(
      'toHaveLowerBoundAtLeast() received unknown metric `"exact_mach"` (string): the result has "exact_match", "f1"',
    );
    expect(() => expect(result).toHaveLowerBoundAtLeast('exact_mach', 0.5)).toThrow(want);
    expect(() => expect(result).not.toHaveLowerBoundAtLeast('exact_mach', 0.5)).toThrow(want);
  });

  it('throws a TypeError on a threshold that is not a finite number', () => {
    expect(() => expect(result).toHaveLowerBoundAtLeast('exact_match', '0.7' as unknown as number)).toThrow(
      new TypeError(
        'toHaveLowerBoundAtLeast() expects `threshold` to be a finite number, received `"0.7"` (string)',
      ),
    );
    expect(() => expect(result).toHaveLowerBoundAtLeast('exact_match', Number.NaN)).toThrow(TypeError);
  });
});

const twoMetrics = makeComparison(
  {
    exact_match: {
      baselineMean: 0.7,
      candidateMean: 0.66,
      low: -0.09,
      high: 0.01,
      pValue: 0.031,
      pValueAdjusted: 0.062,
      effectSize: -0.15,
    },
    f1: {
      baselineMean: 0.8,
      candidateMean: 0.81,
      low: -0.015,
      high: 0.035,
      pValue: 0.4,
      pValueAdjusted: 0.4,
      effectSize: 0.05,
      test: 'wilcoxon',
      testMethod: 'asymptotic',
    },
  },
  { margin: 0.1 },
);

describe('toBeNonInferior', () => {
  it('recomputes the verdict from ci.low > -margin instead of the precomputed flag', () => {
    // compared with margin 0.1, both metrics were flagged non-inferior
    expect(twoMetrics.metrics.exact_match!.nonInferior).toBe(true);
    expect(twoMetrics).toBeNonInferior();
    expect(twoMetrics).toBeNonInferior({ margin: 0.1 });
    // with margin 0.02, exact_match (low -0.09) is not; f1 (low -0.015) still is
    expect(twoMetrics).not.toBeNonInferior({ margin: 0.02 });
    expect(twoMetrics).toBeNonInferior({ margin: 0.02, metric: 'f1' });
    expect(twoMetrics).not.toBeNonInferior({ margin: 0.02, metric: 'exact_match' });
    // the bound is strict: low == -margin is not non-inferior
    expect(twoMetrics).not.toBeNonInferior({ margin: 0.015, metric: 'f1' });
    expect(twoMetrics).toBeNonInferior({ margin: 0.015000001, metric: 'f1' });
  });

  it('states metric, difference, CI, n, test, p-values and effect size when it fails', () => {
    expect(() => expect(twoMetrics).toBeNonInferior({ margin: 0.02 })).toThrowErrorMatchingInlineSnapshot(
      `[Error: expected the candidate to be non-inferior (margin 0.02: CI lower bound of the difference > -0.02) on every metric, but "exact_match" has lower bound -0.09: difference -0.04 (0.7 → 0.66), 95% CI [-0.09, 0.01], n=200, mcnemar (exact) p=0.031, holm-adjusted p=0.062, effect size d_z=-0.15]`,
    );
    expect(() => expect(twoMetrics).toBeNonInferior({ margin: 0.01 })).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected the candidate to be non-inferior (margin 0.01: CI lower bound of the difference > -0.01) on every metric, but:
        "exact_match" has lower bound -0.09: difference -0.04 (0.7 → 0.66), 95% CI [-0.09, 0.01], n=200, mcnemar (exact) p=0.031, holm-adjusted p=0.062, effect size d_z=-0.15
        "f1" has lower bound -0.015: difference +0.01 (0.8 → 0.81), 95% CI [-0.015, 0.035], n=200, wilcoxon (asymptotic) p=0.4, holm-adjusted p=0.4, effect size d_z=0.05]
    `);
  });

  it('lists every checked metric when .not fails', () => {
    expect(() => expect(twoMetrics).not.toBeNonInferior({ margin: 0.1 })).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected the candidate not to be non-inferior (margin 0.1: CI lower bound of the difference > -0.1) on every metric, but:
        "exact_match" has lower bound -0.09: difference -0.04 (0.7 → 0.66), 95% CI [-0.09, 0.01], n=200, mcnemar (exact) p=0.031, holm-adjusted p=0.062, effect size d_z=-0.15
        "f1" has lower bound -0.015: difference +0.01 (0.8 → 0.81), 95% CI [-0.015, 0.035], n=200, wilcoxon (asymptotic) p=0.4, holm-adjusted p=0.4, effect size d_z=0.05]
    `);
  });

  it('needs a margin from the call or the comparison', () => {
    const noMargin = makeComparison({
      em: { baselineMean: 0.5, candidateMean: 0.6, low: 0, high: 0.2, pValue: 0.01 },
    });
    expect(() => expect(noMargin).toBeNonInferior()).toThrow(
      new TypeError(
        'toBeNonInferior() needs a margin: pass `{ margin }` or compute the comparison with `compare(baseline, candidate, { margin })`',
      ),
    );
    expect(noMargin).toBeNonInferior({ margin: 0.01 });
    expect(noMargin).not.toBeNonInferior({ margin: 0 });
  });

  it('rejects bad options and inputs with messages naming what was received', () => {
    expect(() => expect(twoMetrics).toBeNonInferior({ margin: -0.02 })).toThrow(
      new RangeError('Expected `margin` to be a number in [0, Infinity), got `-0.02` (number)'),
    );
    expect(() => expect(twoMetrics).toBeNonInferior({ metric: 'bleu' })).toThrow(
      new TypeError(
        'toBeNonInferior() received unknown metric `"bleu"` (string): the comparison has "exact_match", "f1"',
      ),
    );
    expect(() => expect(result).toBeNonInferior({ margin: 0.02 })).toThrow(
      new TypeError(
        'toBeNonInferior() expects a comparison (from compare()) or a result with a paired gate (`evaluate(…, { gate: { baseline, metric, margin } })`), received a result without one: pass `compare(baseline, result)`',
      ),
    );
    expect(() => expect('cmp').not.toBeNonInferior({ margin: 0.02 })).toThrow(
      new TypeError('toBeNonInferior() expects a comparison (from compare()), received `"cmp"` (string)'),
    );
    expect(() => expect({ ...twoMetrics, metrics: {} }).toBeNonInferior({ margin: 0.02 })).toThrow(
      new TypeError(
        'toBeNonInferior() received a comparison without metrics: the two results share no metric',
      ),
    );
  });
});

describe('toBeSignificantlyBetter', () => {
  const ab = makeComparison({
    exact_match: {
      baselineMean: 0.6,
      candidateMean: 0.7,
      low: 0.04,
      high: 0.16,
      pValue: 0.0012,
      pValueAdjusted: 0.0024,
      effectSize: 0.31,
    },
    f1: {
      baselineMean: 0.7,
      candidateMean: 0.72,
      low: -0.01,
      high: 0.05,
      pValue: 0.04,
      pValueAdjusted: 0.04,
      effectSize: 0.1,
      test: 'paired-t',
      testMethod: 'exact',
    },
    brevity: {
      baselineMean: 0.9,
      candidateMean: 0.8,
      low: -0.15,
      high: -0.05,
      pValue: 0.0001,
      pValueAdjusted: 0.0003,
      effectSize: -0.5,
      test: 'paired-t',
      testMethod: 'exact',
    },
  });

  it('passes iff the difference is positive and the adjusted p-value is below alpha', () => {
    expect(ab).toBeSignificantlyBetter({ metric: 'exact_match' });
    expect(ab).toBeSignificantlyBetter({ metric: 'f1', alpha: 0.041 });
    expect(ab).not.toBeSignificantlyBetter({ metric: 'f1', alpha: 0.04 }); // strict: p < alpha
    // significantly different, but worse
    expect(ab).not.toBeSignificantlyBetter({ metric: 'brevity' });
    // uses the adjusted p-value: 0.0012 raw < 0.002 but 0.0024 adjusted is not
    expect(ab).not.toBeSignificantlyBetter({ metric: 'exact_match', alpha: 0.002 });
    expect(ab).not.toBeSignificantlyBetter();
  });

  it('defaults alpha to the comparison alpha', () => {
    const lenient = makeComparison(
      { f1: { baselineMean: 0.7, candidateMean: 0.72, low: -0.01, high: 0.05, pValue: 0.08 } },
      { alpha: 0.1 },
    );
    expect(lenient).toBeSignificantlyBetter();
    expect(lenient).not.toBeSignificantlyBetter({ alpha: 0.05 });
  });

  it('states metric, difference, CI, n, test, p-values and effect size when it fails', () => {
    expect(() => expect(ab).toBeSignificantlyBetter()).toThrowErrorMatchingInlineSnapshot(
      `[Error: expected the candidate to be significantly better (holm-adjusted p < 0.05 and a positive difference) on every metric, but "brevity" has difference -0.1 (0.9 → 0.8), 95% CI [-0.15, -0.05], n=200, paired-t (exact) p=0.0001, holm-adjusted p=0.0003, effect size d_z=-0.5]`,
    );
    expect(() =>
      expect(ab).not.toBeSignificantlyBetter({ metric: 'exact_match' }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[Error: expected the candidate not to be significantly better (holm-adjusted p < 0.05 and a positive difference) on "exact_match", but "exact_match" has difference +0.1 (0.6 → 0.7), 95% CI [0.04, 0.16], n=200, mcnemar (exact) p=0.0012, holm-adjusted p=0.0024, effect size d_z=0.31]`,
    );
  });

  it('names the p-value plainly when no adjustment was made', () => {
    const single = makeComparison(
      {
        em: { baselineMean: 0.5, candidateMean: 0.52, low: -0.02, high: 0.06, pValue: 0.3, effectSize: 0.07 },
      },
      { adjustment: 'none' },
    );
    expect(() => expect(single).toBeSignificantlyBetter()).toThrow(
      'expected the candidate to be significantly better (p < 0.05 and a positive difference) on every metric, but "em" has difference +0.02 (0.5 → 0.52), 95% CI [-0.02, 0.06], n=200, mcnemar (exact) p=0.3, effect size d_z=0.07',
    );
  });

  it('rejects an alpha outside (0, 1)', () => {
    expect(() => expect(ab).toBeSignificantlyBetter({ alpha: 1 })).toThrow(
      new RangeError('Expected `alpha` to be a number in (0, 1), got `1` (number)'),
    );
    expect(() => expect(ab).toBeSignificantlyBetter({ alpha: '0.05' as unknown as number })).toThrow(
      new TypeError('Expected `alpha` to be a number in (0, 1), got `"0.05"` (string)'),
    );
  });
});

describe('recording for the reporter', () => {
  test('matchers attach a summary of what they checked to task.meta, once per object', ({ task }) => {
    expect(result).toHaveLowerBoundAtLeast('exact_match', 0.5);
    expect(result).toHaveLowerBoundAtLeast('f1', 0.5);
    expect(twoMetrics).toBeNonInferior();
    const recorded = task.meta.evalgate!;
    expect(recorded.map((r) => r.kind)).toEqual(['result', 'comparison']);
    expect(recorded[0]).toEqual({
      kind: 'result',
      n: result.n,
      nFailed: result.nFailed,
      metrics: result.metrics,
      totals: result.totals,
      durationMs: 1500,
    });
    expect(recorded[1]).toEqual({
      kind: 'comparison',
      alpha: 0.05,
      adjustment: 'holm',
      nPaired: 200,
      margin: 0.1,
      metrics: twoMetrics.metrics,
    });
    // no example records travel
    expect(JSON.stringify(recorded)).not.toContain('question q0');
  });

  test('failed assertions are recorded too', ({ task }) => {
    expect(() => expect(result).toHaveLowerBoundAtLeast('exact_match', 0.9)).toThrow();
    expect(task.meta.evalgate).toHaveLength(1);
  });

  test('recordEval() records with a name and returns its argument', ({ task }) => {
    const returned = recordEval(result, 'qa baseline');
    expect(returned).toBe(result);
    recordEval(twoMetrics);
    expect(task.meta.evalgate!.map((r) => [r.kind, r.name])).toEqual([
      ['result', 'qa baseline'],
      ['comparison', undefined],
    ]);
  });

  test('recordEval() rejects what is neither a result nor a comparison', () => {
    expect(() => recordEval({ metrics: {} } as never)).toThrow(
      new TypeError(
        'Expected `value` to be an evalgate result or comparison (from evaluate(), loadResult() or compare()), got `object` (object)',
      ),
    );
    expect(() => recordEval(result, 3 as unknown as string)).toThrow(
      new TypeError('Expected `name` to be a string, got `3` (number)'),
    );
  });
});
