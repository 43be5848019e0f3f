import { describe, expect, it } from 'vitest';
import { type Example, evaluate, type Metric } from '../../src/index.js';
import { bleu, corpusBleu } from '../../src/metrics/index.js';
import { bootstrapCI } from '../../src/stats/index.js';

const score: Metric = {
  name: 'score',
  kind: 'continuous',
  score: ({ example }) => Number(example.reference),
};
// Skewed, tied, deterministic scores.
const values = Array.from({ length: 60 }, (_, i) => ((i * 37) % 11) ** 2 / 100);
const ds: Example[] = values.map((v, i) => ({ id: `e${i}`, input: i, reference: String(v) }));
const echo = async () => 'x';

describe('evaluate: every metric carries a bootstrap interval', () => {
  it('is the BCa interval of bootstrapCI on the scored values, with the run seed', async () => {
    const r = await evaluate(ds, echo, [score], {
      seed: 11,
      resamples: 2999,
      confidence: 0.9,
      progress: false,
    });
    const want = bootstrapCI(values, { seed: 11, resamples: 2999, confidence: 0.9 });
    const m = r.metrics.score!;
    expect(m.ci).toEqual({ low: want.low, high: want.high, level: 0.9, method: 'bca' });
    expect(m.mean).toBe(want.estimate);
    expect(m.stderr).toBe(want.stderr);
    expect(m.aggregation).toBe('mean');
    expect(m.ci.low).toBeLessThan(m.mean);
    expect(m.ci.high).toBeGreaterThan(m.mean);
  });

  it('is reproducible run to run and changes with the seed', async () => {
    const a = await evaluate(ds, echo, [score], { progress: false });
    const b = await evaluate(ds, echo, [score], { progress: false });
    const c = await evaluate(ds, echo, [score], { seed: 'other', progress: false });
    expect(b.metrics.score!.ci).toEqual(a.metrics.score!.ci);
    expect(c.metrics.score!.ci).not.toEqual(a.metrics.score!.ci);
  });

  it('resamples whole groups when examples carry one', async () => {
    const grouped = ds.map((ex, i) => ({ ...ex, group: `doc${i % 12}` }));
    const r = await evaluate(grouped, echo, [score], { resamples: 1999, progress: false });
    const want = bootstrapCI(values, { resamples: 1999, seed: 0, groups: grouped.map((e) => e.group) });
    expect(r.metrics.score!.ci).toEqual({
      low: want.low,
      high: want.high,
      level: 0.95,
      method: 'cluster-bca',
    });
  });

  it('treats the trials of one example as a cluster', async () => {
    const small = ds.slice(0, 20);
    const flip = async (_input: unknown, ctx: { trial: number }) => String(ctx.trial);
    const perTrial: Metric = {
      name: 'per_trial',
      kind: 'continuous',
      score: ({ example, output }) => Number(example.reference) + Number(output),
    };
    const r = await evaluate(small, flip, [perTrial], { trials: 3, resamples: 999, progress: false });
    const rowValues = small.flatMap((ex) => [0, 1, 2].map((t) => Number(ex.reference) + t));
    const clusters = small.flatMap((ex) => [0, 1, 2].map(() => `example:${ex.id}`));
    const want = bootstrapCI(rowValues, { resamples: 999, seed: 0, groups: clusters });
    expect(r.metrics.per_trial!.ci.method).toBe('cluster-bca');
    expect(r.metrics.per_trial!.ci.low).toBe(want.low);
    expect(r.metrics.per_trial!.ci.high).toBe(want.high);
  });

  it('estimates a corpus metric from its sufficient statistics, not as a mean of sentence scores', async () => {
    const hyps = [
      'the cat sat on the mat',
      'a dog barked loudly at night',
      'hello world',
      'it is raining today',
      'we went home early',
    ];
    const refs = [
      'the cat is on the mat',
      'the dog barked at night',
      'hello there world',
      'it rains today',
      'we left home early',
    ];
    const data = hyps.map((h, i) => ({ id: `b${i}`, input: h, reference: refs[i]! }));
    const r = await evaluate(data, async (input) => String(input), [bleu()], {
      resamples: 999,
      progress: false,
    });
    const m = r.metrics.bleu!;
    expect(m.aggregation).toBe('corpus');
    expect(m.mean).toBe(
      corpusBleu(
        hyps,
        refs.map((x) => [x]),
      ).score,
    );
    const sentenceMean = r.examples.reduce((s, e) => s + e.scores.bleu!, 0) / hyps.length;
    expect(m.mean).not.toBe(sentenceMean);
    // Five rows: the finite-sample route (their bootstrap is their spread); 30 rows and more get BCa (below).
    expect(m.ci.method).toBe('bounded-mean');
    expect(m.ci.low).toBeLessThanOrEqual(m.mean);
    expect(m.ci.high).toBeGreaterThanOrEqual(m.mean);
    expect(r.scores.stats!.bleu).toHaveLength(5);
  });

  it.each([
    // scipy 1.17.1: binomtest(k, n).proportion_ci(confidence_level=cl, method='exact')
    [40, 1, 0.95, 0.9119026971211966, 1.0],
    [25, 0, 0.95, 0.0, 0.1371851715307125],
    [300, 1, 0.9, 0.9900639180554768, 1.0],
    [12, 1, 0.99, 0.643054083417572, 1.0],
  ])(
    'n = %i binary scores all %i: exact Clopper-Pearson interval instead of a degenerate bootstrap',
    async (n, v, cl, low, high) => {
      const constant: Metric = { name: 'c', kind: 'binary', score: () => v };
      const data = Array.from({ length: n }, (_, i) => ({ input: i }));
      const r = await evaluate(data, echo, [constant], { confidence: cl, progress: false });
      const m = r.metrics.c!;
      expect(m.mean).toBe(v);
      expect(m.ci.method).toBe('clopper-pearson');
      expect(Math.abs(m.ci.low - low)).toBeLessThanOrEqual(1e-12 * Math.max(low, 1e-300));
      expect(Math.abs(m.ci.high - high)).toBeLessThanOrEqual(1e-12 * high);
      expect(m.warning).toBe(
        `every score is ${v}: the bootstrap is degenerate, so the exact Clopper-Pearson interval over ${n} examples is reported`,
      );
    },
  );

  it('counts clusters, not rows, for the Clopper-Pearson fallback on grouped data', async () => {
    const constant: Metric = { name: 'c', kind: 'binary', score: () => 1 };
    const data = Array.from({ length: 40 }, (_, i) => ({ input: i, group: `doc${i % 10}` }));
    const r = await evaluate(data, echo, [constant], { progress: false });
    expect(r.metrics.c!.ci.low).toBe(0.025 ** (1 / 10));
  });

  it('gives the point interval for constant continuous scores, and NaN bounds with a warning for no scores', async () => {
    const constant: Metric = { name: 'c', kind: 'continuous', score: () => 0.5 };
    const never: Metric = { name: 'never', kind: 'continuous', score: () => Number.NaN };
    const r = await evaluate(ds.slice(0, 10), echo, [constant, never], { progress: false });
    expect(r.metrics.c!.mean).toBe(0.5);
    expect(r.metrics.c!.ci).toEqual({ low: 0.5, high: 0.5, level: 0.95, method: 'point' });
    expect(r.metrics.c!.stderr).toBe(0);
    expect(r.metrics.c!.warning).toBe(
      'every score is 0.5: the bootstrap distribution is a point, so the interval is [0.5, 0.5]',
    );
    expect(r.metrics.never!.n).toBe(0);
    expect(r.metrics.never!.nMissing).toBe(10);
    expect(r.metrics.never!.warning).toBe('no scored examples');
  });
});
