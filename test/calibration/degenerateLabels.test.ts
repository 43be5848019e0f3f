// Calibration when the human labels have no spread (every label 1, or every label 3 on a 1-5 scale): the PPI++
// standard error is 0 and its normal interval a point, which claims certainty from a handful of labels. The
// labels' own finite-sample interval is reported instead, as the uncalibrated summary does for constant scores.
import { describe, expect, it } from 'vitest';
import type { Metric } from '../../src/core/types.js';
import { type Example, evaluate } from '../../src/index.js';
import { boundedMeanInterval } from '../../src/stats/index.js';
import { expectRel } from '../stats/_rel.js';

function examples(name: string, label: number): Example[] {
  return Array.from({ length: 60 }, (_, i) => ({
    id: `e${i}`,
    input: i,
    ...(i % 3 === 0 ? { labels: { [name]: label } } : {}),
  }));
}
const run = (metric: Metric, label: number) =>
  evaluate(examples(metric.name, label), async (x) => String(x), [metric], {
    progress: false,
    resamples: 200,
  });

describe('calibrated interval with constant human labels', () => {
  it.each([
    ['a constant judge', () => 1],
    ['a judge that varies', (x: number) => (x % 4 === 0 ? 0 : 1)],
  ])('binary, 20 labels all 1, %s: exact Clopper-Pearson over the 20 labels', async (_, judge) => {
    const metric: Metric = { name: 'ok', kind: 'binary', score: (c) => judge(Number(c.example.input)) };
    const c = (await run(metric, 1)).metrics.ok!.calibrated!;
    expect(c.mean).toBe(1);
    // scipy 1.17.1: binomtest(20, 20).proportion_ci(method='exact') = (0.8315665290169145, 1.0)
    expectRel(c.ci.low, 0.8315665290169145, 1e-12);
    expect([c.ci.high, c.ci.level, c.ci.method]).toEqual([1, 0.95, 'clopper-pearson']);
    expect(c.lambda).toBe(0);
    expect(c.warning).toMatch(/the human labels are all equal/);
  });

  it('bounded 1-5 scale, 20 labels all 3: the bounded-mean interval over the labels', async () => {
    const metric: Metric = {
      name: 'q',
      kind: 'continuous',
      bounds: [1, 5],
      score: (c) => 1 + (Number(c.example.input) % 5),
    };
    const c = (await run(metric, 3)).metrics.q!.calibrated!;
    const want = boundedMeanInterval(new Array<number>(20).fill(3), [1, 5], 0.95);
    expect(c.mean).toBe(3);
    expect(c.ci).toEqual({ low: want.low, high: want.high, level: 0.95, method: 'bounded-mean' });
    expect(c.ci.low).toBeLessThan(3);
    expect(c.ci.high).toBeGreaterThan(3);
  });
});
