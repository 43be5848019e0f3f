// A summary's few-rows rule counted rows, not independent units: the trials of one example are one unit (the
// bootstrap resamples them together), so 4 examples sampled 5 times are 4 observations, not 20. A binary metric
// with clustered rows never got the exact interval, and a bounded one with 6 examples × 10 trials got the
// cluster bootstrap of 6 clusters. Sampling a deterministic pipeline more often adds no evidence: its interval
// is the one a single trial gives.
import { describe, expect, it } from 'vitest';
import { type Example, evaluate, type Metric } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';

const opts = { progress: false, resamples: 999 } as const;

describe('few examples, many trials', () => {
  it('binary: 3 of 4 examples right, 5 trials each, is Clopper-Pearson over the 4 examples', async () => {
    const ds: Example[] = ['a', 'b', 'c', 'd'].map((id, i) => ({ id, input: i, reference: 'y' }));
    const model = async (input: unknown) => ((input as number) < 3 ? 'y' : 'n');
    const one = (await evaluate(ds, model, [exactMatch()], opts)).metrics.exact_match!;
    const five = (await evaluate(ds, model, [exactMatch()], { ...opts, trials: 5 })).metrics.exact_match!;
    expect(one.ci.method).toBe('clopper-pearson');
    expect(five.n).toBe(20);
    expect(five.ci.method).toBe('clopper-pearson');
    expect([five.ci.low, five.ci.high]).toEqual([one.ci.low, one.ci.high]);
  });

  it('binary with trials that disagree: the bounded-mean interval of the per-example means', async () => {
    const ds: Example[] = ['a', 'b', 'c', 'd', 'e'].map((id, i) => ({ id, input: i, reference: 'y' }));
    const model = async (input: unknown, ctx: { trial: number }) =>
      ((input as number) + ctx.trial) % 3 === 0 ? 'n' : 'y';
    const r = (await evaluate(ds, model, [exactMatch()], { ...opts, trials: 5 })).metrics.exact_match!;
    expect(r.ci.method).toBe('bounded-mean');
  });

  it('bounded continuous: 6 examples × 10 trials gets the interval of 6 examples', async () => {
    const ds: Example[] = Array.from({ length: 6 }, (_, i) => ({ id: `e${i}`, input: i }));
    const score: Metric = {
      name: 'score',
      kind: 'continuous',
      bounds: [0, 1],
      score: ({ example }) => [0.2, 0.9, 0.85, 0.7, 0.95, 0.6][example.input as number]!,
    };
    const echo = async () => 'x';
    const one = (await evaluate(ds, echo, [score], opts)).metrics.score!;
    const ten = (await evaluate(ds, echo, [score], { ...opts, trials: 10 })).metrics.score!;
    expect(one.ci.method).toBe('bounded-mean');
    expect(ten.n).toBe(60);
    expect(ten.ci.method).toBe('bounded-mean');
    expect([ten.ci.low, ten.ci.high]).toEqual([one.ci.low, one.ci.high]);
  });
});
