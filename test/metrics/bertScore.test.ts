import { describe, expect, it } from 'vitest';
import {
  bertScore,
  bertScoreFromEmbeddings,
  idfWeights,
  type TokenEmbeddings,
} from '../../src/metrics/index.js';
import { mockEmbedding } from '../../src/testing/index.js';
import { ctx, expectRel } from './_helpers.js';

// Unit vectors chosen so that cosines are exact: the·kitten = 0.6, cat·kitten = 0.8, cat·the = 0.
const VEC: Record<string, number[]> = {
  the: [0, 1],
  cat: [1, 0],
  kitten: [0.8, 0.6],
  dog: [0.6, 0.8],
  a: [0, -1],
};
const tok = (text: string): TokenEmbeddings => {
  const tokens = text.split(' ').filter((t) => t.length > 0);
  return { tokens, embeddings: tokens.map((t) => VEC[t] ?? mockEmbedding(t, { dimensions: 2 })) };
};
const embedTokens = async (texts: readonly string[]) => texts.map(tok);

describe('bertScoreFromEmbeddings (greedy cosine matching)', () => {
  it('uniform weights', () => {
    // P: the -> 1, cat -> 0.8; R: the -> 1, kitten -> 0.8.
    const r = bertScoreFromEmbeddings(tok('the cat'), tok('the kitten'));
    expectRel(r.precision, 0.9, 1e-15);
    expectRel(r.recall, 0.9, 1e-15);
    expectRel(r.f1, 0.9, 1e-15);
    const r2 = bertScoreFromEmbeddings(tok('cat the'), tok('cat'));
    expectRel(r2.precision, 0.5, 1e-15); // cat -> 1, the -> 0
    expect(r2.recall).toBe(1);
    expectRel(r2.f1, 2 / 3, 1e-15);
  });

  it('idf weights log((M+1)/(c_w+1)) from a reference corpus', () => {
    const idf = idfWeights([
      ['the', 'cat'],
      ['the', 'dog', 'the'],
      ['a', 'kitten'],
    ]);
    expect(idf.documents).toBe(3);
    expectRel(idf.weights.get('the')!, Math.log(4 / 3), 1e-15); // counted once per document
    expectRel(idf.weights.get('cat')!, Math.log(2), 1e-15);
    expectRel(idf.unseenWeight, Math.log(4), 1e-15);
    const r = bertScoreFromEmbeddings(tok('the cat'), tok('the kitten'), { idf });
    const want = (Math.log(4 / 3) * 1 + Math.log(2) * 0.8) / (Math.log(4 / 3) + Math.log(2));
    expectRel(r.precision, want, 1e-14);
    expectRel(r.recall, want, 1e-14);
  });

  it('properties: identical texts score 1, swapping sides swaps P and R', () => {
    const texts = ['the quick brown fox', 'a lazy dog sleeps', 'fox'];
    const emb = (t: string): TokenEmbeddings => {
      const tokens = t.split(' ');
      return { tokens, embeddings: tokens.map((w) => mockEmbedding(w, { dimensions: 32 })) };
    };
    for (const a of texts) {
      expectRel(bertScoreFromEmbeddings(emb(a), emb(a)).f1, 1, 1e-12);
      for (const b of texts) {
        const ab = bertScoreFromEmbeddings(emb(a), emb(b));
        const ba = bertScoreFromEmbeddings(emb(b), emb(a));
        expect(ab.precision).toBe(ba.recall);
        expect(ab.recall).toBe(ba.precision);
      }
    }
  });

  it('an empty side scores 0', () => {
    expect(bertScoreFromEmbeddings(tok(''), tok('the'))).toEqual({ precision: 0, recall: 0, f1: 0 });
    expect(bertScoreFromEmbeddings(tok('the'), tok(''))).toEqual({ precision: 0, recall: 0, f1: 0 });
  });

  it('errors', () => {
    expect(() => bertScoreFromEmbeddings({ tokens: ['a'], embeddings: [] }, tok('a'))).toThrow(
      new RangeError('Expected `candidate` to have one embedding per token, got 1 tokens and 0 embeddings'),
    );
    expect(() => bertScoreFromEmbeddings(tok('a'), null as unknown as TokenEmbeddings)).toThrow(
      new TypeError('Expected `reference` to be { tokens, embeddings }, got `null` (null)'),
    );
    expect(() => idfWeights([['a'], 'b' as unknown as string[]])).toThrow(
      new TypeError('Expected `documents[1]` to be an array of strings, got `"b"` (string)'),
    );
  });
});

describe('bertScore() metric', () => {
  it('F1 with precision and recall in details; best over references', async () => {
    const m = bertScore({ embedTokens });
    expect([m.name, m.kind]).toEqual(['bert_score', 'continuous']);
    const s = (await m.score(ctx('the kitten', 'the cat'))) as {
      value: number;
      details: Record<string, number>;
    };
    expectRel(s.value, 0.9, 1e-15);
    expectRel(s.details.precision!, 0.9, 1e-15);
    const best = (await m.score(ctx(['dog', 'the cat'], 'the cat'))) as { value: number };
    expectRel(best.value, 1, 1e-15);
  });

  it('idf from a corpus: computed once, with `tokenize` or with the embedder tokens', async () => {
    const corpus = ['the cat', 'the dog the', 'a kitten'];
    const want = (Math.log(4 / 3) * 1 + Math.log(2) * 0.8) / (Math.log(4 / 3) + Math.log(2));
    let tokenizeCalls = 0;
    const withTokenize = bertScore({
      embedTokens,
      idf: corpus,
      tokenize: (t) => {
        tokenizeCalls++;
        return t.split(' ');
      },
    });
    let embedCalls = 0;
    const viaEmbedder = bertScore({
      embedTokens: async (texts) => {
        embedCalls++;
        return texts.map(tok);
      },
      idf: corpus,
    });
    for (const m of [withTokenize, viaEmbedder]) {
      for (let i = 0; i < 3; i++) {
        const s = (await m.score(ctx('the kitten', 'the cat'))) as { value: number };
        expectRel(s.value, want, 1e-14);
      }
    }
    expect(tokenizeCalls).toBe(3); // once per corpus document, not per example
    expect(embedCalls).toBe(3 + 1); // one per example plus one for the corpus
  });

  it('errors name the example', async () => {
    expect(() => bertScore({} as never)).toThrow(
      new TypeError('Expected `embedTokens` to be a function, got `undefined` (undefined)'),
    );
    expect(() => bertScore({ embedTokens, idf: 'corpus' as unknown as string[] })).toThrow(
      new TypeError(
        'Expected `idf` to be an array of strings (the reference corpus), got `"corpus"` (string)',
      ),
    );
    const bad = bertScore({ embedTokens: async () => [] });
    await expect(bad.score(ctx('a', 'b', 'b1'))).rejects.toThrow(
      'Metric `bert_score` for example "b1": expected `embedTokens` to return 2 results, got `array(0)` (array)',
    );
    await expect(bertScore({ embedTokens }).score(ctx('a', 1, 'b2'))).rejects.toThrow(
      'Metric `bert_score` expected the output of example "b2" to be a string, got `1` (number)',
    );
  });
});
