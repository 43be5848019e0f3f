import { describe, expect, it } from 'vitest';
import { ComparisonError } from '../../src/errors.js';
import { compare } from '../../src/result/compare.js';
import { adjustPValues } from '../../src/stats/adjustPValues.js';
import { bootstrapCI } from '../../src/stats/bootstrapCI.js';
import { boundedMeanInterval } from '../../src/stats/boundedMeanInterval.js';
import { cohensD } from '../../src/stats/cohensD.js';
import { mcnemarTest } from '../../src/stats/mcnemarTest.js';
import { pairedTTest } from '../../src/stats/pairedTTest.js';
import { wilcoxonSignedRankTest } from '../../src/stats/wilcoxonSignedRankTest.js';
import { makeResult } from '../stats/_makeResult.js';
import { expectRel } from '../stats/_rel.js';

const base01 = [1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 0, 1, 1, 1];
const cand01 = [1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1];
const baseF1 = base01.map((v, i) => 0.3 + 0.5 * v + 0.01 * i);
const candF1 = cand01.map((v, i) => 0.32 + 0.5 * v + 0.012 * i);

describe('compare', () => {
  const baseline = makeResult({ metrics: { em: base01, f1: baseF1 } });
  const candidate = makeResult({ metrics: { em: cand01, f1: candF1 } });

  it('binary metric: McNemar, discordant counts, bootstrap CI of the difference, Holm over metrics', () => {
    const cmp = compare(baseline, candidate, { resamples: 2000 });
    expect(cmp.kind).toBe('evalgate-comparison');
    expect([cmp.nPaired, cmp.nUnpaired, cmp.adjustment]).toEqual([20, 0, 'holm']);
    const em = cmp.metrics.em;
    expect(em.test).toBe('mcnemar');
    expect(em.testMethod).toBe('exact');
    const mc = mcnemarTest(base01, cand01);
    expect(em.pValue).toBe(mc.pValue);
    expect(em.discordant).toEqual({ baselineOnly: 0, candidateOnly: 4 });
    expectRel(em.difference, 0.2, 1e-12);
    // 20 rows (< 30) of a bounded metric: the finite-sample bounded-mean interval of the differences, in [-1, 1]
    // (the BCa one of so few rows is far too narrow).
    const d = cand01.map((v, i) => v - base01[i]);
    const iv = boundedMeanInterval(d, [-1, 1], 0.95);
    expect([em.ci.low, em.ci.high, em.ci.method]).toEqual([
      Math.min(iv.low, em.difference),
      Math.max(iv.high, em.difference),
      'bounded-mean',
    ]);
    const f1 = cmp.metrics.f1;
    expect(f1.test).toBe('paired-t');
    expect(f1.pValue).toBe(pairedTTest(candF1, baseF1).pValue);
    expect(f1.effectSize).toBe(cohensD(candF1, baseF1).d);
    const adj = adjustPValues([em.pValue, f1.pValue], 'holm');
    expect([em.pValueAdjusted, f1.pValueAdjusted]).toEqual(adj);
    expect(em.significant).toBe(adj[0] < 0.05);
    expect(Object.isFrozen(cmp) && Object.isFrozen(cmp.metrics) && Object.isFrozen(em)).toBe(true);
    expect(JSON.parse(JSON.stringify(cmp)).metrics.em.n).toBe(20);
  });

  it('a run compared with itself has the point interval [0, 0] and is non-inferior', () => {
    const cmp = compare(baseline, baseline, { margin: 0.02 });
    for (const name of ['em', 'f1'] as const) {
      const m = cmp.metrics[name];
      expect([m.difference, m.ci.low, m.ci.high]).toEqual([0, 0, 0]);
      expect(m.ci.method).toBe('point');
      expect(m.nonInferior).toBe(true);
      expect(m.significant).toBe(false);
    }
    // A constant non-zero shift is a point interval at the shift, and fails a margin it exceeds.
    const shifted = makeResult({ metrics: { em: base01, f1: baseF1.map((v) => v - 0.05) } });
    const f1 = compare(baseline, shifted, { margin: 0.02, metrics: ['f1'] }).metrics.f1;
    expectRel(f1.ci.low, -0.05, 1e-12);
    expectRel(f1.ci.high, -0.05, 1e-12);
    expect(f1.ci.method).toBe('point');
    expect(f1.nonInferior).toBe(false);
  });

  it('wilcoxon on request; non-inferiority from the CI low bound and the margin', () => {
    const cmp = compare(baseline, candidate, {
      test: 'wilcoxon',
      margin: 0.02,
      resamples: 500,
      metrics: ['f1'],
    });
    const f1 = cmp.metrics.f1;
    expect(Object.keys(cmp.metrics)).toEqual(['f1']);
    expect(f1.test).toBe('wilcoxon');
    const w = wilcoxonSignedRankTest(candF1, baseF1);
    expect([f1.statistic, f1.pValue, f1.testMethod]).toEqual([w.statistic, w.pValue, w.method]);
    expect(f1.nonInferior).toBe(f1.ci.low > -0.02);
    expect(f1.margin).toBe(0.02);
    expect(cmp.margin).toBe(0.02);
    const worse = compare(candidate, baseline, { margin: 0.01, resamples: 500, metrics: ['em'] });
    expect(worse.metrics.em.ci.low).toBeLessThan(-0.01);
    expect(worse.metrics.em.nonInferior).toBe(false);
  });

  it('rows failed or missing on either side are dropped from that metric only', () => {
    const b = makeResult({
      metrics: { em: [1, 0, null, 1, 1, 0], f1: [0.5, 0.2, 0.3, 0.9, 0.8, 0.1] },
      failed: [false, false, false, false, true, false],
    });
    const c = makeResult({ metrics: { em: [1, 1, 1, null, 1, 1], f1: [0.6, 0.4, 0.3, 0.7, 0.9, 0.5] } });
    const cmp = compare(b, c, { resamples: 200 });
    expect(cmp.metrics.em.n).toBe(3); // rows 0, 1, 5
    expect(cmp.metrics.f1.n).toBe(5); // row 4 failed in the baseline
    expect(cmp.metrics.em.discordant).toEqual({ baselineOnly: 0, candidateOnly: 2 });
  });

  it('pairs by (id, trial) regardless of row order', () => {
    const b = makeResult({
      ids: ['a', 'b', 'a', 'b'],
      trials: [0, 0, 1, 1],
      metrics: { s: [0.25, 0.5, 0.75, 1] },
    });
    const c = makeResult({
      ids: ['b', 'a', 'b', 'a'],
      trials: [1, 1, 0, 0],
      metrics: { s: [2, 1.75, 1.5, 1.25] },
    });
    const cmp = compare(b, c, { resamples: 100 });
    expectRel(cmp.metrics.s.difference, 1, 1e-12);
    expect(cmp.metrics.s.effectSize).toBeNaN(); // constant differences: sd 0
  });

  it('refuses unpaired rows with a ComparisonError naming one, unless allowUnpaired', () => {
    const b = makeResult({ ids: ['q1', 'q2', 'q3'], metrics: { s: [0.1, 0.5, 0.9] } });
    const c = makeResult({ ids: ['q1', 'q2', 'q4'], metrics: { s: [0.2, 0.5, 0.7] } });
    expect(() => compare(b, c)).toThrow(ComparisonError);
    expect(() => compare(b, c)).toThrow(
      /example "q3" \(trial 0\) is in the baseline but not in the candidate \(2 unpaired rows, 2 paired\)/,
    );
    try {
      compare(b, c);
    } catch (e) {
      expect((e as ComparisonError).exampleId).toBe('q3');
      expect((e as ComparisonError).code).toBe('E_COMPARISON');
    }
    const cmp = compare(b, c, { allowUnpaired: true, resamples: 100 });
    expect([cmp.nPaired, cmp.nUnpaired, cmp.metrics.s.n]).toEqual([2, 2, 2]);
  });

  it('refuses duplicate rows, missing requested metrics and results sharing no metric', () => {
    const b = makeResult({ ids: ['x', 'x'], metrics: { s: [1, 0] } });
    expect(() => compare(b, b)).toThrow(/example "x" \(trial 0\) twice/);
    const p = makeResult({ metrics: { s: [1, 0] } });
    const q = makeResult({ metrics: { t: [1, 0] } });
    expect(() => compare(p, q)).toThrow(/share no metric/);
    expect(() => compare(p, p, { metrics: ['nope'] })).toThrow(/Metric "nope" is not in the baseline/);
  });

  it('a binary-declared metric with other values falls back to the paired t-test and says so', () => {
    const b = makeResult({ metrics: { judge: [1, 0.5, 0, 1, 1] }, kinds: { judge: 'binary' } });
    const c = makeResult({ metrics: { judge: [1, 1, 0.5, 1, 0] }, kinds: { judge: 'binary' } });
    const m = compare(b, c, { resamples: 100 }).metrics.judge;
    expect(m.test).toBe('paired-t');
    expect(m.testMethod).toBe('t');
    expect(m.note).toBe('paired t: a binary metric with scores other than 0/1');
    expect(m.discordant).toBeUndefined();
  });

  it('adjustment options and a candidate-only row', () => {
    const none = compare(baseline, candidate, { adjustment: 'none', resamples: 100 });
    expect(none.metrics.em.pValueAdjusted).toBe(none.metrics.em.pValue);
    const bh = compare(baseline, candidate, { adjustment: 'bh', resamples: 100 });
    expect([bh.metrics.em.pValueAdjusted, bh.metrics.f1.pValueAdjusted]).toEqual(
      adjustPValues([bh.metrics.em.pValue, bh.metrics.f1.pValue], 'bh'),
    );
    const extra = makeResult({ ids: ['#0', '#1', '#2', 'new'], metrics: { s: [1, 0, 1, 1] } });
    const fewer = makeResult({ ids: ['#0', '#1', '#2'], metrics: { s: [1, 0, 0] } });
    expect(() => compare(fewer, extra)).toThrow(
      'example "new" (trial 0) is in the candidate but not in the baseline',
    );
  });

  it('cluster bootstrap when rows carry groups', () => {
    // A metric without recorded bounds: the bootstrap, whatever the number of rows.
    const groups = base01.map((_, i) => `doc${i % 5}`);
    const b = makeResult({ metrics: { em: base01 }, groups, kinds: { em: 'continuous' } });
    const c = makeResult({ metrics: { em: cand01 }, groups, kinds: { em: 'continuous' } });
    const cmp = compare(b, c, { resamples: 1000 });
    expect(cmp.metrics.em.ci.method).toBe('cluster-bca');
    const d = cand01.map((v, i) => v - base01[i]);
    const ci = bootstrapCI(d, { resamples: 1000, groups });
    expect([cmp.metrics.em.ci.low, cmp.metrics.em.ci.high]).toEqual([ci.low, ci.high]);
  });

  it('corpus metric: paired bootstrap of the aggregate difference with an aggregator', () => {
    // Sufficient statistics per row: [matches, total]; corpus score = sum(matches)/sum(total) (a micro average).
    const bStats = base01.map((v, i) => [v * 3 + (i % 2), 5]);
    const cStats = cand01.map((v, i) => [v * 3 + (i % 3 === 0 ? 1 : 0), 5]);
    const micro = (rows: readonly (readonly number[])[]) => {
      let m = 0;
      let t = 0;
      for (const r of rows) {
        m += r[0];
        t += r[1];
      }
      return m / t;
    };
    const b = makeResult({
      metrics: { bleu: bStats.map(micro.bind(null) as never) },
      stats: { bleu: bStats },
      aggregation: { bleu: 'corpus' },
      kinds: { bleu: 'continuous' },
    });
    const c = makeResult({
      metrics: { bleu: cStats.map((r) => r[0] / r[1]) },
      stats: { bleu: cStats },
      aggregation: { bleu: 'corpus' },
      kinds: { bleu: 'continuous' },
    });
    const cmp = compare(b, c, { aggregators: { bleu: micro }, resamples: 999 });
    const m = cmp.metrics.bleu;
    expect(m.test).toBe('bootstrap');
    expectRel(m.baselineMean, micro(bStats), 1e-15);
    expectRel(m.candidateMean, micro(cStats), 1e-15);
    expectRel(m.difference, micro(cStats) - micro(bStats), 1e-12);
    // Same resamples as bootstrapCI over the paired columns with the equivalent column statistic.
    const cols = [
      bStats.map((r) => r[0]),
      bStats.map((r) => r[1]),
      cStats.map((r) => r[0]),
      cStats.map((r) => r[1]),
    ];
    const sum = (x: Float64Array) => x.reduce((s, v) => s + v, 0);
    const direct = bootstrapCI(cols, {
      paired: true,
      resamples: 999,
      statistic: (bm, bt, cm, ct) => sum(cm) / sum(ct) - sum(bm) / sum(bt),
    });
    expect(m.ci.low).toBeLessThan(m.difference);
    expect(m.ci.high).toBeGreaterThan(m.difference);
    expectRel(m.ci.high - m.ci.low, direct.high - direct.low, 0.25); // different index streams, same distribution
    expect(m.pValue).toBeGreaterThan(0);
    expect(m.pValue).toBeLessThanOrEqual(1);
    const without = compare(b, c, { resamples: 200 });
    expect(without.metrics.bleu.test).toBe('paired-t');
    // The fixture's rows carry statistics only, so there is no per-example score to fall back on.
    expect(without.metrics.bleu.testMethod).toBe('not-run');
    expect(without.metrics.bleu.note).toBe(
      'no row has a score on both sides; compared on per-example scores: a corpus metric without an aggregator',
    );
  });

  it.each([
    [{ confidence: 1.5 }, RangeError, 'Expected `confidence` to be a number in (0, 1), got `1.5` (number)'],
    [{ alpha: 0 }, RangeError, 'Expected `alpha` to be a number in (0, 1), got `0` (number)'],
    [
      { test: 'z' },
      TypeError,
      "Expected `test` to be one of 'auto' | 'paired-t' | 'wilcoxon', got `\"z\"` (string)",
    ],
    [{ margin: -1 }, RangeError, 'Expected `margin` to be a number in [0, Infinity), got `-1` (number)'],
    [{ resamples: 0 }, RangeError, 'Expected `resamples` to be an integer >= 1, got `0` (number)'],
  ])('rejects %j', (opts, Err, msg) => {
    expect(() => compare(baseline, candidate, opts as never)).toThrow(Err);
    expect(() => compare(baseline, candidate, opts as never)).toThrow(msg);
  });
});
