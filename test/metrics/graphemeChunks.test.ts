// Levenshtein's 'grapheme' unit segments long texts in chunks, as V8's Intl.Segmenter is superlinear in the input
// length. Chunks were cut only between two ASCII characters, which Cyrillic, Greek, Arabic or CJK text never has:
// such a text was segmented whole, and 100,000 CJK characters took 7 minutes (50,000: 2.2 s). Chunks now end
// before their last cluster, wherever it is.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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

  it('50,000 CJK characters cost about what 50,000 ASCII ones do', () => {
    const time = (alphabet: string) => {
      let a = '';
      for (let i = 0; i < 50_000; i++) a += alphabet[i % alphabet.length];
      const t0 = performance.now();
      const v = levenshteinSimilarity(a, `${a}x`, { unit: 'grapheme' });
      return { seconds: (performance.now() - t0) / 1000, v };
    };
    const ascii = time('abcdefghij');
    const cjk = time('日本語中文字漢東京都');
    expect(cjk.v).toBe(1 - 1 / 50_001);
    // Both timed in this run, so a loaded machine slows both.
    expect(
      cjk.seconds / ascii.seconds,
      `CJK took ${cjk.seconds.toFixed(2)} s, ASCII ${ascii.seconds.toFixed(2)} s`,
    ).toBeLessThan(4);
  }, 300_000);
});
