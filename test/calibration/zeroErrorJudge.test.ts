// Calibration when the PPI++ standard error is 0 although the human labels vary: the judge matches every label and
// scores every unlabeled row alike, so lambda is 1, the rectifier has no spread and the imputed mean none either.
// The normal interval is then a point, certainty drawn from 20 labels the judge happened to match. The labels' own
// finite-sample interval (widened to the estimate) is reported instead, as for labels without spread.
import { describe, expect, it } from 'vitest';
import type { Metric } from '../../src/core/types.js';
import { type Example, evaluate } from '../../src/index.js';
import { boundedMeanInterval, clopperPearsonInterval } from '../../src/stats/index.js';

/** 220 rows, every 11th labeled (20 labels); `label(k)` is the k-th label, and the judge matches it. */
function setup(name: string, label: (k: number) => number, unlabeledScore: number) {
  const examples: Example[] = Array.from({ length: 220 }, (_, i) => ({
    id: `e${i}`,
    input: i,
    ...(i % 11 === 0 ? { labels: { [name]: label(i / 11) } } : {}),
  }));
  const score = (i: number) => (i % 11 === 0 ? label(i / 11) : unlabeledScore);
  return { examples, score };
}

describe('calibrated interval when the PPI++ standard error is 0 and the labels vary', () => {
  it('binary: 10 of 20 labels 1, the judge matches them and says 1 on the 200 other rows', async () => {
    const { examples, score } = setup('ok', (k) => k % 2, 1);
    const metric: Metric = { name: 'ok', kind: 'binary', score: (c) => score(Number(c.example.input)) };
    const r = await evaluate(examples, async (x) => String(x), [metric], { progress: false, resamples: 200 });
    const c = r.metrics.ok!.calibrated!;
    // lambda 1: estimate 1 + mean(human - judge) = 1, stderr sqrt(0/200 + 0/20) = 0. Before: ci [1, 1], 'ppi++'.
    expect([c.mean, c.stderr, c.lambda]).toEqual([1, 0, 1]);
    const cp = clopperPearsonInterval(10, 20, 0.95); // scipy 1.17: binomtest(10, 20) exact, low 0.2719578495607917
    expect(c.ci).toEqual({ low: cp.low, high: 1, level: 0.95, method: 'clopper-pearson' });
    expect(c.ci.low).toBeLessThan(0.3);
    expect(c.warning).toMatch(/the PPI\+\+ standard error is 0/);
  });

  it('bounded 1-5 scale, the judge matches the labels and says 3 elsewhere: the bounded-mean interval', async () => {
    const label = (k: number) => 1 + (k % 5);
    const { examples, score } = setup('q', label, 3);
    const metric: Metric = {
      name: 'q',
      kind: 'continuous',
      bounds: [1, 5],
      score: (c) => score(Number(c.example.input)),
    };
    const r = await evaluate(examples, async (x) => String(x), [metric], { progress: false, resamples: 200 });
    const c = r.metrics.q!.calibrated!;
    expect([c.mean, c.stderr, c.lambda]).toEqual([3, 0, 1]);
    const want = boundedMeanInterval(
      Array.from({ length: 20 }, (_, k) => label(k)),
      [1, 5],
      0.95,
    );
    expect(c.ci).toEqual({ low: want.low, high: want.high, level: 0.95, method: 'bounded-mean' });
    expect(c.ci.low).toBeLessThan(3);
    expect(c.ci.high).toBeGreaterThan(3);
  });

  it('scores that are not binary fractions (unlabeled rows all 0.7): the standard error is 0, not rounding', async () => {
    // Before (ppiMean): the variance of 200 scores of 0.7 was ~1e-33, the standard error 6.2803698347351e-17 and
    // the interval [0.7000000000000007, 0.700000000000001], which the zero-width fallback did not catch.
    const label = (k: number) => [0.1, 0.3, 0.7, 0.9, 0.7][k % 5]!;
    const { examples, score } = setup('q', label, 0.7);
    const metric: Metric = {
      name: 'q',
      kind: 'continuous',
      bounds: [0, 1],
      score: (c) => score(Number(c.example.input)),
    };
    const r = await evaluate(examples, async (x) => String(x), [metric], { progress: false, resamples: 200 });
    const c = r.metrics.q!.calibrated!;
    expect([c.stderr, c.lambda, c.ci.method]).toEqual([0, 1, 'bounded-mean']);
    expect(c.ci.low).toBeLessThan(0.2);
    expect(c.ci.high).toBeGreaterThan(0.9);
  });

  it('without bounds there is no finite-sample interval: the point is kept and a warning says so', async () => {
    const label = (k: number) => 1 + (k % 5);
    const { examples, score } = setup('q', label, 3);
    const metric: Metric = { name: 'q', kind: 'continuous', score: (c) => score(Number(c.example.input)) };
    const r = await evaluate(examples, async (x) => String(x), [metric], { progress: false, resamples: 200 });
    const c = r.metrics.q!.calibrated!;
    expect([c.mean, c.stderr, c.ci.low, c.ci.high, c.ci.method]).toEqual([3, 0, 3, 3, 'ppi++']);
    expect(c.warning).toMatch(/the PPI\+\+ standard error is 0 .*no bounds for a finite-sample interval/);
  });
});
