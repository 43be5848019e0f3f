import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate.js';
import { bleu, chrf, corpusBleu, corpusChrf, exactMatch, f1, rougeL } from '../../src/metrics/index.js';
import { precomputedModel } from '../../src/providers/precomputedModel.js';
import { expectRel } from './_helpers.js';

// STATS.md section 5 vectors, run through evaluate(): the corpus metric's estimate is aggregate(stats).
const hyps = ['The cat sat on the mat.', 'There is a dog in the garden', 'hello'];
const refs1 = ['The cat is sitting on the mat.', 'A dog is in the garden.', 'hello there general kenobi'];
const refs2 = ['On the mat sat the cat.', 'There is a dog in the yard.', 'hi'];

describe('metrics inside evaluate()', () => {
  it('bleu() and chrf() estimates are corpus scores (aggregate of per-example stats), not means', async () => {
    const data = hyps.map((_, i) => ({ id: `s${i}`, input: i, reference: [refs1[i], refs2[i]] }));
    const model = precomputedModel(Object.fromEntries(hyps.map((h, i) => [`s${i}`, h])));
    const r = await evaluate(data, model, [bleu(), chrf(), rougeL(), exactMatch(), f1()], {
      progress: false,
    });
    const both = refs1.map((x, i) => [x, refs2[i]]);
    expectRel(r.metrics.bleu!.mean, 73.48889200874659, 1e-12);
    expectRel(r.metrics.bleu!.mean, corpusBleu(hyps, both).score, 1e-15);
    expectRel(r.metrics.chrf!.mean, corpusChrf(hyps, both).score, 1e-15);
    expect(r.metrics.exact_match!.kind).toBe('binary');
    expect(r.metrics.rouge_l!.kind).toBe('continuous');
  });
});
