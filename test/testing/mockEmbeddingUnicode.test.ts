import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mockEmbedding } from '../../src/testing/index.js';
import { check, text } from '../properties/_prop.js';

const cosine = (a: readonly number[], b: readonly number[]) => a.reduce((s, x, i) => s + x * b[i], 0);

describe('mockEmbedding and Unicode', () => {
  // 'naïve café' typed precomposed (NFC) and decomposed (NFD, as macOS file names and some keyboards give it)
  // is the same text, but the decomposed form's combining marks split the words: cosine 0.26 between the two,
  // and the NFD text embedded exactly like 'nai ve cafe'.
  it('gives canonically equivalent texts the same vector', () => {
    const nfc = mockEmbedding('naïve café'.normalize('NFC'));
    const nfd = mockEmbedding('naïve café'.normalize('NFD'));
    expect(nfd).toEqual(nfc);
    expect(cosine(nfd, mockEmbedding('nai ve cafe'))).toBeLessThan(0.9);
  });

  it('keeps combining marks inside words (Devanagari vowel signs and virama)', () => {
    // नमस्ते has no precomposed form: its vowel sign and virama are marks, not letters.
    expect(cosine(mockEmbedding('नमस्ते'), mockEmbedding('नमस त'))).toBeLessThan(0.9);
  });

  it('is invariant under NFC / NFD / unnormalized input, unit-norm and finite for any text', () =>
    check(
      'mockEmbedding normalization',
      300,
      fc.property(text, fc.integer({ min: 1, max: 96 }), (s, dimensions) => {
        const v = mockEmbedding(s, { dimensions });
        expect(v).toHaveLength(dimensions);
        expect(v.every(Number.isFinite)).toBe(true);
        expect(Math.abs(Math.hypot(...v) - 1)).toBeLessThanOrEqual(1e-12);
        expect(mockEmbedding(s.normalize('NFD'), { dimensions })).toEqual(v);
        expect(mockEmbedding(s.normalize('NFC'), { dimensions })).toEqual(v);
      }),
    ));

  it('regression (shrunk by fast-check): "é" precomposed and decomposed, one dimension', () => {
    expect(mockEmbedding('\u0065\u0301', { dimensions: 1 })).toEqual(
      mockEmbedding('\u00e9', { dimensions: 1 }),
    );
  });

  it('takes lone surrogates without throwing', () => {
    expect(Math.hypot(...mockEmbedding('a\ud800b\udc00'))).toBeCloseTo(1, 12);
  });
});
