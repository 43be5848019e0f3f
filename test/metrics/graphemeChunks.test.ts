// Levenshtein's 'grapheme' unit segments long texts in chunks, as V8's Intl.Segmenter is superlinear in the input
// length. Chunks were cut only between two ASCII characters, which Cyrillic, Greek, Arabic or CJK text never has:
// such a text was segmented whole, and 100,000 CJK characters took 7 minutes (50,000: 2.2 s). Chunks now end
// before their last cluster, wherever it is.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { levenshteinSimilarity } from '../../src/metrics/index.js';
import { _graphemes } from '../../src/metrics/levenshtein.js';
import { check } from '../properties/_prop.js';

const wholly = (s: string) =>
  Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s), (x) => x.segment);

describe('grapheme segmentation in chunks', () => {
  it('property: the clusters of the whole text, across chunk ends, for any Unicode', () => {
    const piece = fc.constantFrom(
      'a',
      '日',
      'é',
      'e\u0301',
      '\u0301',
      '\u0301\u0301\u0301',
      '👨\u200d👩\u200d👧',
      '\u200d',
      '🇫🇷',
      '🇫',
      '\r',
      '\n',
      '\r\n',
      '한',
      '\u1100\u1161\u11a8', // a conjoining-jamo syllable
      'क्षि', // Devanagari conjunct
      '\u0600', // a Prepend character
      'сл',
      '\ud800',
      ' ',
    );
    check(
      'chunked graphemes = whole graphemes',
      200,
      fc.property(fc.array(piece, { minLength: 200, maxLength: 3000 }), (pieces) => {
        const s = pieces.join('');
        expect(_graphemes(s)).toEqual(wholly(s));
      }),
    );
  });

  it('a cluster longer than a chunk (e + 5,000 combining marks) stays whole', () => {
    const s = `a${'e'}${'\u0301'.repeat(5000)}b`;
    expect(_graphemes(s)).toEqual(wholly(s));
    expect(_graphemes(s)).toHaveLength(3);
  });

  it('50,000 CJK characters are segmented in chunks, never whole (V8 is superlinear in the length)', () => {
    const lengths: number[] = [];
    const segment = Intl.Segmenter.prototype.segment;
    const spy = vi.spyOn(Intl.Segmenter.prototype, 'segment').mockImplementation(function (
      this: Intl.Segmenter,
      input: string,
    ) {
      lengths.push(input.length);
      return segment.call(this, input);
    });
    try {
      let a = '';
      for (let i = 0; i < 50_000; i++) a += '日本語中文字漢東京都'[i % 10];
      expect(levenshteinSimilarity(a, `${a}x`, { unit: 'grapheme' })).toBe(1 - 1 / 50_001);
    } finally {
      spy.mockRestore();
    }
    expect(lengths.length).toBeGreaterThan(40);
    expect(Math.max(...lengths), 'the longest text handed to Intl.Segmenter').toBeLessThanOrEqual(2048);
  });
});
