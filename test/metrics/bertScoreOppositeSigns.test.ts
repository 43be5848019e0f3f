// BERTScore when cosines are negative: precision and recall are idf-weighted means of cosines, so either can be
// below 0, and bert_score's F1 = 2PR / (P + R) is then no mean of them: P = 1, R = -0.5 give -2, and P + R near 0
// any magnitude (P = 0.16, R = -0.16 rounded: 1.8e15), which won the best reference over a perfect one. F1 is now
// undefined there (NaN in bertScoreFromEmbeddings; the metric passes such a reference over, and a row with no
// other is missing with a reason). Same-sign P and R keep bert_score's formula.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MetricScore } from '../../src/core/types.js';
import { bertScore, bertScoreFromEmbeddings, idfWeights } from '../../src/metrics/index.js';
import { ctx } from './_helpers.js';

const FC = { seed: 53, numRuns: 300 };
const REASON =
  'precision and recall have opposite signs: their F1 2PR / (P + R) is no mean of them (P = 1, R = -0.5 give -2)';

/** `a` and `b` point opposite ways; `p`, `q`, `r`, `s` give the 1.8e15 case. */
const VEC: Record<string, number[]> = {
  a: [1, 0],
  b: [-1, 0],
  p: [-4, 3],
  q: [-4, -3],
  r: [4, -3],
  s: [0, 1],
};
const emb = (text: string) => {
  const tokens = text.split(' ').filter(Boolean);
  return { tokens, embeddings: tokens.map((t) => VEC[t] as number[]) };
};
const embedTokens = async (texts: readonly string[]) => texts.map(emb);

describe('BERTScore with precision and recall of opposite signs', () => {
  it('bertScoreFromEmbeddings: F1 is NaN, not -2', () => {
    const r = bertScoreFromEmbeddings(emb('a'), emb('a b b b'));
    expect(r.precision).toBe(1);
    expect(r.recall).toBe(-0.5);
    expect(r.f1).toBeNaN();
    // The other way round too (P < 0 < R).
    expect(bertScoreFromEmbeddings(emb('a b b b'), emb('a')).f1).toBeNaN();
  });

  it('the metric records the row as missing with the reason, not a score of -2', async () => {
    const s = (await bertScore({ embedTokens }).score(ctx('a b b b', 'a'))) as MetricScore;
    expect(s).toEqual({ value: null, details: { precision: 1, recall: -0.5, reason: REASON } });
  });

  it('a reference with no F1 does not win over a perfect one (it scored 1.8e15)', async () => {
    const bad = bertScoreFromEmbeddings(emb('p q'), emb('a r s'));
    expect(bad.precision).toBeGreaterThan(0);
    expect(bad.recall).toBeLessThan(0);
    const s = (await bertScore({ embedTokens }).score(ctx(['a r s', 'p q'], 'p q'))) as MetricScore;
    expect(s).toEqual({ value: 1, details: { precision: 1, recall: 1 } });
  });

  it('property: F1 is NaN exactly when P and R have opposite signs, else in [min(P, R), max(P, R)]; the metric in [-1, 1] or missing', async () => {
    const vec = fc
      .array(fc.integer({ min: -3, max: 3 }), { minLength: 2, maxLength: 2 })
      .filter((v) => v.some((x) => x !== 0));
    const side = fc
      .array(fc.tuple(fc.constantFrom('x', 'y', 'z'), vec), { minLength: 1, maxLength: 5 })
      .map((ts) => ({ tokens: ts.map((t) => t[0]), embeddings: ts.map((t) => t[1]) }));
    await fc.assert(
      fc.asyncProperty(
        side,
        fc.array(side, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        async (c, refs, useIdf) => {
          const idf = useIdf ? idfWeights([c.tokens, ['x']]) : undefined;
          const opts = idf === undefined ? {} : { idf };
          const results = refs.map((r) => bertScoreFromEmbeddings(c, r, opts));
          for (const { precision: p, recall: r, f1 } of results) {
            if ((p < 0 && r > 0) || (p > 0 && r < 0)) expect(f1).toBeNaN();
            else {
              expect(f1).toBeGreaterThanOrEqual(Math.min(p, r) - 1e-12);
              expect(f1).toBeLessThanOrEqual(Math.max(p, r) + 1e-12);
            }
          }
          const texts = ['out', ...refs.map((_, i) => `ref${i}`)];
          const byText = new Map(texts.map((t, i) => [t, i === 0 ? c : refs[i - 1]]));
          const metric = bertScore({
            embedTokens: async (ts) => ts.map((t) => byText.get(t) as typeof c),
            ...(useIdf
              ? { tokenize: (d: string) => (d === 'doc0' ? c.tokens : ['x']), idf: ['doc0', 'doc1'] }
              : {}),
          });
          const s = (await metric.score(ctx(texts.slice(1), 'out'))) as MetricScore;
          const defined = results.map((r) => r.f1).filter((f) => !Number.isNaN(f));
          if (defined.length === 0) expect(s.value).toBeNull();
          else {
            expect(s.value).toBe(Math.max(...defined));
            expect(Math.abs(s.value as number)).toBeLessThanOrEqual(1);
          }
        },
      ),
      FC,
    );
  });
});
