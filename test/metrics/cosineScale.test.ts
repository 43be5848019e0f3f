// cosineSimilarity on vectors whose squared norm overflows or underflows a double: the cosine is scale
// invariant, so a finite non-zero vector has a finite cosine whatever its magnitude.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cosineSimilarity, embeddingSimilarity } from '../../src/metrics/index.js';
import { ctx, expectRel } from './_helpers.js';

const FC = { seed: 42, numRuns: 300 };

/** A vector of 1-8 finite entries, not all zero, of moderate magnitude. */
const vector = fc
  .array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 8 })
  .filter((v) => v.some((x) => Math.abs(x) > 1e-3));

describe('cosineSimilarity at extreme magnitudes', () => {
  it.each([
    ['tiny', [1e-200, 0], [1e-200, 0], 1],
    ['huge', [1e200, 0], [1e200, 0], 1],
    ['huge, opposite', [3e200, -4e200], [-3e200, 4e200], -1],
    ['huge vs small', [1e300, 1e300], [1, 0], Math.SQRT1_2],
    ['subnormal', [5e-324, 0], [0, 5e-324], 0],
  ])('%s', (_, a, b, want) => {
    expectRel(cosineSimilarity(a, b), want, 1e-15);
  });

  it('is scale invariant: cosine(2^k a, 2^m b) = cosine(a, b) for k, m in [-1060, 1000]', () => {
    fc.assert(
      fc.property(
        vector,
        vector,
        fc.integer({ min: -1060, max: 1000 }),
        fc.integer({ min: -1060, max: 1000 }),
        (a, b, k, m) => {
          const n = Math.min(a.length, b.length);
          const x = a.slice(0, n);
          const y = b.slice(0, n);
          if (!x.some((v) => Math.abs(v) > 1e-3) || !y.some((v) => Math.abs(v) > 1e-3)) return;
          const want = cosineSimilarity(x, y);
          const got = cosineSimilarity(
            x.map((v) => v * 2 ** k),
            y.map((v) => v * 2 ** m),
          );
          // Scaling by 2^k can push small entries into the subnormal range and round them; the largest entry
          // keeps its precision, so the cosine moves by at most a few ulps of the ratio of entries kept.
          expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-9);
        },
      ),
      FC,
    );
  });

  it.each([
    ['[3, 4.1, 5.7] with itself', [3, 4.1, 5.7], [3, 4.1, 5.7], 1],
    ['[3, 4.1, 5.7] with its negation', [3, 4.1, 5.7], [-3, -4.1, -5.7], -1],
    [
      'random triple with itself',
      [0.8704946297169718, 0.6509832365826254, 0.024475514063516668],
      [0.8704946297169718, 0.6509832365826254, 0.024475514063516668],
      1,
    ],
  ])('parallel vectors stay inside [-1, 1]: %s', (_, a, b, want) => {
    const c = cosineSimilarity(a, b);
    expect(Math.abs(c)).toBeLessThanOrEqual(1);
    expectRel(c, want, 1e-15);
  });

  it('stays in [-1, 1] and is symmetric', () => {
    fc.assert(
      fc.property(vector, vector, fc.integer({ min: -1060, max: 1000 }), (a, b, k) => {
        const n = Math.min(a.length, b.length);
        const x = a.slice(0, n).map((v) => v * 2 ** k);
        const y = b.slice(0, n);
        const c = cosineSimilarity(x, y);
        if (!x.some((v) => v !== 0) || !y.some((v) => v !== 0)) {
          expect(c).toBeNaN();
          return;
        }
        expect(c).toBeGreaterThanOrEqual(-1);
        expect(c).toBeLessThanOrEqual(1);
        expect(cosineSimilarity(y, x)).toBe(c);
      }),
      FC,
    );
  });

  it('a vector against itself is 1 (within rounding), never above', () => {
    fc.assert(
      fc.property(vector, fc.integer({ min: -1060, max: 1000 }), (a, k) => {
        const x = a.map((v) => v * 2 ** k);
        if (!x.some((v) => v !== 0)) return;
        const c = cosineSimilarity(x, x);
        expect(c).toBeLessThanOrEqual(1);
        expectRel(c, 1, 1e-15);
      }),
      FC,
    );
  });

  it('embeddingSimilarity scores huge embeddings instead of recording them as missing', async () => {
    const metric = embeddingSimilarity({ embed: async (texts) => texts.map(() => [1e200, 2e200]) });
    const score = (await metric.score(ctx('ref', 'out'))) as { value: number };
    expectRel(score.value, 1, 1e-15);
  });
});
