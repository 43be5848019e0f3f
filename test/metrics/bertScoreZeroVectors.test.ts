// bertScoreFromEmbeddings with zero vectors among the token embeddings (a user's embedTokens may return them,
// e.g. for padding or unknown tokens): a zero vector has no direction, so such a token is never a best match
// and, on the side being averaged, is left out; precision and recall stay finite cosines in [-1, 1].
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bertScoreFromEmbeddings, idfWeights } from '../../src/metrics/index.js';

const FC = { seed: 42, numRuns: 300 };

describe('bertScoreFromEmbeddings with zero-vector tokens', () => {
  const b = { tokens: ['b'], embeddings: [[1, 0]] };
  const withZero = {
    tokens: ['a', 'b'],
    embeddings: [
      [0, 0],
      [1, 0],
    ],
  };

  it.each([
    ['zero token in the candidate', withZero, b],
    ['zero token in the reference', b, withZero],
  ])('%s is left out', (_, cand, ref) => {
    expect(bertScoreFromEmbeddings(cand, ref)).toEqual({ precision: 1, recall: 1, f1: 1 });
  });

  it('with idf weights (a token in every document weighs 0)', () => {
    const idf = idfWeights([['a', 'b'], ['a']]);
    expect(bertScoreFromEmbeddings(withZero, b, { idf })).toEqual({ precision: 1, recall: 1, f1: 1 });
  });

  it('only zero vectors on one side: nothing to match, 0 (as an empty side)', () => {
    const zeros = { tokens: ['a'], embeddings: [[0, 0]] };
    expect(bertScoreFromEmbeddings(zeros, b)).toEqual({ precision: 0, recall: 0, f1: 0 });
  });

  it('property: adding zero-vector tokens changes nothing, and P, R are in [-1, 1]', () => {
    const vec = fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 });
    const side = fc
      .array(fc.tuple(fc.constantFrom('x', 'y', 'z', 'w'), vec), { minLength: 1, maxLength: 6 })
      .map((ts) => ({ tokens: ts.map((t) => t[0]), embeddings: ts.map((t) => t[1]) }))
      .filter((s) => s.embeddings.every((v) => v.some((x) => Math.abs(x) > 1e-3)));
    const insert = (s: { tokens: string[]; embeddings: number[][] }, at: number) => ({
      tokens: [...s.tokens.slice(0, at), 'pad', ...s.tokens.slice(at)],
      embeddings: [...s.embeddings.slice(0, at), [0, 0, 0], ...s.embeddings.slice(at)],
    });
    fc.assert(
      fc.property(side, side, fc.nat(), fc.boolean(), fc.boolean(), (c, r, at, inCand, useIdf) => {
        const opts = useIdf ? { idf: idfWeights([c.tokens, r.tokens, ['x']]) } : {};
        const want = bertScoreFromEmbeddings(c, r, opts);
        const got = inCand
          ? bertScoreFromEmbeddings(insert(c, at % (c.tokens.length + 1)), r, opts)
          : bertScoreFromEmbeddings(c, insert(r, at % (r.tokens.length + 1)), opts);
        expect(got).toEqual(want);
        for (const v of [got.precision, got.recall]) {
          expect(v).toBeGreaterThanOrEqual(-1);
          expect(v).toBeLessThanOrEqual(1);
        }
      }),
      FC,
    );
  });
});
