/**
 * compare() on a corpus metric (BLEU, chrF) with few paired rows: the paired bootstrap of the corpus difference
 * resamples one row into a point and a handful of rows into a distribution on one side of 0, so its p-value was
 * 2/(resamples + 1) = 0.0002 and one row was "significant" and certified non-inferiority. No test on u independent
 * pairs can give less than 2^(1-u) (the observed assignment and its mirror), so up to 12 units the p-value is the
 * exact paired randomization test over all 2^u swaps (Noreen 1989; Riezler & Maxwell 2005, the test sacrebleu's
 * paired-ar approximates), and one unit has no interval.
 */
import { describe, expect, it } from 'vitest';
import type { Example } from '../../src/core/types.js';
import { evaluate } from '../../src/evaluate.js';
import { bleu, corpusBleu } from '../../src/metrics/bleu.js';
import { chrf } from '../../src/metrics/chrf.js';
import { compare } from '../../src/result/compare.js';

const refs = [
  'the cat sat on the mat today',
  'a dog ran in the park',
  'it rained all day long here',
  'we ate bread and cheese',
  'the sun is hot in summer',
  'she reads a book at night',
  'birds sing in the tall trees',
  'my friend drives a red car',
];
const opts = { progress: false, resamples: 999 } as const;
const keep = (k: number) => async (input: unknown) =>
  `${(input as string).split(' ').slice(0, k).join(' ')} xx`;

async function pair(n: number, group?: (i: number) => string) {
  const data: Example[] = refs.slice(0, n).map((r, i) => ({
    id: String(i),
    input: r,
    reference: r,
    ...(group === undefined ? {} : { group: group(i) }),
  }));
  const base = await evaluate(data, keep(3), [bleu(), chrf()], opts);
  const cand = await evaluate(data, keep(5), [bleu(), chrf()], opts);
  return compare(base, cand, { margin: 1, resamples: 999 });
}

describe('compare() of a corpus metric on few paired rows', () => {
  it.each([
    [1, 1],
    [2, 0.5],
    [3, 0.25],
    [5, 0.0625],
  ])('%i row(s), every one better: p = %d (exact randomization), not 2/(resamples + 1)', async (n, p) => {
    const c = await pair(n);
    for (const m of ['bleu', 'chrf']) {
      const x = c.metrics[m]!;
      expect(x.difference, m).toBeGreaterThan(0);
      expect(x.pValue, m).toBe(p);
      expect(x.test).toBe('bootstrap');
      expect(x.testMethod).toBe('permutation');
      expect(x.significant, m).toBe(p < 0.05);
    }
  });

  it('one row is no interval and certifies nothing', async () => {
    const c = await pair(1);
    for (const m of ['bleu', 'chrf']) {
      const x = c.metrics[m]!;
      expect(x.ci.method).toBe('none');
      expect(Number.isNaN(x.ci.low) && Number.isNaN(x.ci.high)).toBe(true);
      expect(x.nonInferior).toBe(false);
      expect(x.note).toBe(
        'one independent paired unit (row or cluster): no interval, and the exact paired randomization test over its 2 swaps gives p = 1',
      );
    }
  });

  it('rows in one cluster are one unit', async () => {
    const c = await pair(8, () => 'doc');
    const x = c.metrics.bleu!;
    expect(x.pValue).toBe(1);
    expect(x.ci.method).toBe('none');
    expect(x.nonInferior).toBe(false);
  });

  it('four clusters are four units: p = 2^(1-4) when every cluster is better', async () => {
    const c = await pair(8, (i) => `doc${i % 4}`);
    expect(c.metrics.bleu!.pValue).toBe(0.125);
    expect(c.metrics.bleu!.testMethod).toBe('permutation');
  });

  it('a worse candidate is mirrored: same p-value', async () => {
    const data: Example[] = refs.slice(0, 3).map((r, i) => ({ id: String(i), input: r, reference: r }));
    const base = await evaluate(data, keep(5), [bleu()], opts);
    const cand = await evaluate(data, keep(3), [bleu()], opts);
    const x = compare(base, cand, { resamples: 999 }).metrics.bleu!;
    expect(x.difference).toBeLessThan(0);
    expect(x.pValue).toBe(0.25);
  });

  it('mixed rows: p equals the randomization test enumerated with corpusBleu', async () => {
    // Rows 0-2 better in the candidate, rows 3-5 worse: 64 swaps of whole hypothesis pairs.
    const data: Example[] = refs.slice(0, 6).map((r, i) => ({ id: String(i), input: r, reference: r }));
    const hb = (i: number, r: string) =>
      r
        .split(' ')
        .slice(0, i < 3 ? 3 : 5)
        .join(' ');
    const hc = (i: number, r: string) =>
      r
        .split(' ')
        .slice(0, i < 3 ? 6 : 2)
        .join(' ');
    const run = (h: (i: number, r: string) => string) =>
      evaluate(data, async (input) => h(refs.indexOf(input as string), input as string), [bleu()], opts);
    const x = compare(await run(hb), await run(hc), { resamples: 999 }).metrics.bleu!;
    const rs = refs.slice(0, 6);
    const score = (hyps: string[]) => corpusBleu(hyps, rs).score;
    const t = score(rs.map((r, i) => hc(i, r))) - score(rs.map((r, i) => hb(i, r)));
    let ge = 0;
    let le = 0;
    for (let mask = 0; mask < 64; mask++) {
      const b = rs.map((r, i) => ((mask >> i) & 1 ? hc(i, r) : hb(i, r)));
      const c = rs.map((r, i) => ((mask >> i) & 1 ? hb(i, r) : hc(i, r)));
      const d = score(c) - score(b);
      const gamma = 100 * Number.EPSILON * Math.abs(t);
      if (d >= t - gamma) ge++;
      if (d <= t + gamma) le++;
    }
    expect(x.difference).toBe(t);
    expect(x.pValue).toBe(Math.min(1, (2 * Math.min(ge, le)) / 64));
    expect(x.pValue).toBeGreaterThan(0.03125);
  });
});
