/**
 * compare() on a corpus metric with 2 to 29 paired rows: the interval of the difference is the finite-sample
 * bounded-mean interval of the per-row score differences, widened to contain the corpus difference (the route a
 * corpus summary of fewer than 30 rows takes), never the bootstrap's spread of a few rows.
 *
 * Regression: from 13 rows (past the exact randomization test's 12 units) to 29, the paired BCa bootstrap of the
 * corpus difference was the interval: 13 BLEU rows each a little better gave [1.6, 7.5], "non-inferior" at
 * margin 2 and 100x narrower than what the same rows give as per-example means (whose few-row interval is the
 * bounded-mean one) — a result certified by a handful of sentences. From 30 rows the bootstrap stands.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Example, Metric } from '../../src/core/types.js';
import { evaluate } from '../../src/evaluate.js';
import { bleu } from '../../src/metrics/bleu.js';
import { chrf } from '../../src/metrics/chrf.js';
import { compare } from '../../src/result/compare.js';

const refs = Array.from(
  { length: 40 },
  (_, i) => `the cat number ${i} sat on the mat today with friend ${i * 7}`,
);
const words = (k: number) => async (input: unknown) =>
  `${(input as string).split(' ').slice(0, k).join(' ')} xx`;
const opts = { progress: false, resamples: 999 } as const;

/** Baseline keeps 7 words of each reference, the candidate 8 on every third row and 7 elsewhere. */
async function pair(n: number, metrics: Metric[] = [bleu(), chrf()]) {
  const data: Example[] = refs.slice(0, n).map((r, i) => ({ id: String(i), input: r, reference: r }));
  const base = await evaluate(data, words(7), metrics, opts);
  const cand = await evaluate(
    data,
    async (x) => words(refs.indexOf(x as string) % 3 === 0 ? 8 : 7)(x),
    metrics,
    opts,
  );
  return compare(base, cand, { margin: 2, resamples: 999 });
}

describe('compare() of a corpus metric on fewer than 30 paired rows', () => {
  it('13 rows, the candidate a little better: bounded-mean interval, not shown non-inferior at margin 2', async () => {
    const c = await pair(13);
    for (const m of ['bleu', 'chrf']) {
      const x = c.metrics[m]!;
      expect(x.difference, m).toBeGreaterThan(0);
      expect(x.ci.method, m).toBe('bounded-mean');
      expect(x.ci.low, m).toBeLessThan(-2);
      expect(x.ci.low <= x.difference && x.difference <= x.ci.high, m).toBe(true);
      expect(x.ci.note, m).toContain('only 13 paired rows (< 30): the bootstrap is unreliable');
      expect(x.nonInferior, m).toBe(false);
      expect(x.noInterval, m).toBeUndefined();
    }
  });

  it('30 rows: the paired bootstrap (BCa) as before', async () => {
    const c = await pair(30);
    for (const m of ['bleu', 'chrf']) expect(c.metrics[m]!.ci.method, m).toBe('bca');
  });

  it('the p-value is the one the rows give, whatever the interval', async () => {
    const c = await pair(20);
    expect(c.metrics.bleu!.pValue).toBeGreaterThan(0);
    expect(c.metrics.bleu!.testMethod).toBe('bootstrap');
  });

  it('a corpus metric with no recorded bounds: noInterval says why, and nothing is certified', async () => {
    const total: Metric = {
      name: 'total',
      kind: 'continuous',
      score: ({ output }) => ({ value: output.length, stats: [output.length] }),
      aggregate: (s) => s.reduce((a, b) => a + b[0]!, 0) / s.length,
    };
    const data: Example[] = refs.slice(0, 15).map((r, i) => ({ id: String(i), input: r, reference: r }));
    const base = await evaluate(data, words(7), [total], opts);
    const cand = await evaluate(data, words(8), [total], opts);
    const x = compare(base, cand, {
      margin: 1,
      resamples: 999,
      aggregators: { total: (s) => s.reduce((a, b) => a + b[0]!, 0) / s.length },
    }).metrics.total!;
    expect(x.difference).toBeGreaterThan(0);
    expect(x.noInterval).toContain('only 15 paired rows (< 30) of a corpus metric whose bounds');
  });

  it('property: on 2-29 rows the interval is bounded-mean (or none) and contains the difference (seeded)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 29 }), fc.integer({ min: 1, max: 9 }), async (n, k) => {
        const data: Example[] = refs.slice(0, n).map((r, i) => ({ id: String(i), input: r, reference: r }));
        const base = await evaluate(data, words(k), [bleu()], opts);
        const cand = await evaluate(data, words(k + 1), [bleu()], opts);
        const x = compare(base, cand, { margin: 1, resamples: 199 }).metrics.bleu!;
        if (x.ci.method !== 'point') {
          expect(['bounded-mean', 'none']).toContain(x.ci.method);
          if (x.ci.method === 'bounded-mean') {
            expect(x.ci.low).toBeLessThanOrEqual(x.difference);
            expect(x.ci.high).toBeGreaterThanOrEqual(x.difference);
            expect(x.ci.low).toBeGreaterThanOrEqual(-100);
            expect(x.ci.high).toBeLessThanOrEqual(100);
          }
        }
      }),
      { seed: 41, numRuns: 200 },
    );
  });
});
