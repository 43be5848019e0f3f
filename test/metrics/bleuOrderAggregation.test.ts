// bleu({ maxNgramOrder }) records its corpus aggregation's order under the key `order`, which the aggregator
// (reading BleuOptions) ignored: it summed the 2 + 2·2 statistics of order 2 as if they were 2 + 2·4 wide, and
// evaluate() reported corpus BLEU NaN (compare() too) where corpusBleu gives 63.42.
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate.js';
import { bleu, corpusAggregator, corpusBleu } from '../../src/metrics/index.js';
import { compare } from '../../src/result/compare.js';

const refs = [
  'the cat sat on the mat today',
  'a dog ran in the park',
  'it rained all day long here',
  'we ate bread and cheese',
];
const data = refs.map((r, i) => ({ id: String(i), input: r, reference: r }));
const hyp = (r: string) => `${r.split(' ').slice(0, 4).join(' ')} zz`;

describe('BLEU of another n-gram order aggregates as corpusBleu does', () => {
  it.each([1, 2, 3, 5])(
    'maxNgramOrder %i: the run, compare() and the recorded aggregation agree',
    async (order) => {
      const want = corpusBleu(refs.map(hyp), refs, { maxNgramOrder: order }).score;
      const r = await evaluate(data, async (x) => hyp(x as string), [bleu({ maxNgramOrder: order })], {
        progress: false,
        resamples: 999,
      });
      expect(r.metrics.bleu!.mean).toBe(want);
      expect(compare(r, r, { resamples: 999 }).metrics.bleu!.baselineMean).toBe(want);
      const recorded = (r.config.metrics as { aggregation?: { options?: { order?: unknown } } }[])[0]!
        .aggregation;
      // The key stays `order`, so a result saved by an earlier version records the same aggregation and compare()
      // still finds it on both sides.
      expect(recorded!.options!.order).toBe(order);
      expect(corpusAggregator(recorded)!(r.scores.stats!.bleu as number[][])).toBe(want);
    },
  );

  it('corpusAggregator() reads the recorded `order`', () => {
    const stats = refs.map(
      (r) =>
        bleu({ maxNgramOrder: 2 }).score({
          example: { id: 'x', input: '', reference: r },
          output: hyp(r),
        } as never) as unknown as { stats: number[] },
    );
    const agg = corpusAggregator({ kind: 'corpus', id: 'bleu', options: { smooth: 'exp', order: 2 } })!;
    expect(agg(stats.map((s) => s.stats))).toBe(corpusBleu(refs.map(hyp), refs, { maxNgramOrder: 2 }).score);
  });
});
