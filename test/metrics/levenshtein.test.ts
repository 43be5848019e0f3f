import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { levenshtein, levenshteinSimilarity } from '../../src/metrics/index.js';
import { ctx, expectRel, ONE_MB } from './_helpers.js';

/** Textbook edit distance over arrays, the oracle. */
function editDistance(a: readonly string[], b: readonly string[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1), prev[j] + 1, cur[j - 1] + 1);
    prev = cur;
  }
  return prev[b.length];
}

describe('levenshteinSimilarity', () => {
  it('1 - distance / max length', () => {
    expectRel(levenshteinSimilarity('kitten', 'sitting'), 1 - 3 / 7, 1e-15);
    expect(levenshteinSimilarity('abc', 'abc')).toBe(1);
    expect(levenshteinSimilarity('abc', 'xyz')).toBe(0);
    expect(levenshteinSimilarity('', '')).toBe(1);
    expect(levenshteinSimilarity('', 'abc')).toBe(0);
  });

  it('matches the DP distance on random strings, including astral characters', () => {
    const rng = seedrandom('lev');
    const alphabet = ['a', 'b', 'c', '👍', '😀', 'é', '\u0301', '東'];
    for (let t = 0; t < 500; t++) {
      const gen = () =>
        Array.from({ length: Math.floor(rng() * 60) }, () => alphabet[Math.floor(rng() * alphabet.length)]);
      const a = gen();
      const b = gen();
      const cpA = Array.from(a.join(''));
      const cpB = Array.from(b.join(''));
      const max = Math.max(cpA.length, cpB.length);
      const want = max === 0 ? 1 : 1 - editDistance(cpA, cpB) / max;
      expectRel(levenshteinSimilarity(a.join(''), b.join('')), want, 1e-15);
    }
  });

  it('units: an emoji is one code point but two UTF-16 units; e + combining accent is one grapheme', () => {
    expectRel(levenshteinSimilarity('👍ok', '👎ok'), 1 - 1 / 3, 1e-15);
    expectRel(levenshteinSimilarity('👍ok', '👎ok', { unit: 'utf16' }), 1 - 1 / 4, 1e-15);
    expectRel(levenshteinSimilarity('cafe\u0301', 'cafe', { unit: 'codepoint' }), 1 - 1 / 5, 1e-15);
    expectRel(levenshteinSimilarity('cafe\u0301', 'cafe', { unit: 'grapheme' }), 1 - 1 / 4, 1e-15);
    expectRel(levenshteinSimilarity('👨‍👩‍👧x', '👨‍👩‍👦x', { unit: 'grapheme' }), 0.5, 1e-15);
  });

  it('ignoreCase and several references (best one)', () => {
    expect(levenshteinSimilarity('ABC', 'abc', { ignoreCase: true })).toBe(1);
    expect(levenshteinSimilarity('abc', ['xyz', 'abd', 'abc'])).toBe(1);
  });

  it('1 MB output: near-identical texts are cheap (common affixes stripped), against a short reference linear', () => {
    expectRel(levenshteinSimilarity(ONE_MB, `${ONE_MB}!`), 1 - 1 / (ONE_MB.length + 1), 1e-12);
    const s = levenshteinSimilarity(ONE_MB, 'The quick brown fox');
    expectRel(s, 19 / ONE_MB.length, 1e-9);
  });

  it('refuses work over maxCells with a clear RangeError', () => {
    expect(() => levenshteinSimilarity('abcdef', 'uvwxyz', { maxCells: 10 })).toThrow(
      new RangeError(
        'Levenshtein distance would take 6 x 6 = 36 cells, over `maxCells` (10); raise `maxCells` or shorten the texts',
      ),
    );
    expect(() => levenshtein({ maxCells: 10 }).score(ctx('uvwxyz', 'abcdef', 'big'))).toThrow(
      'Levenshtein distance for example "big" would take 6 x 6 = 36 cells',
    );
  });

  it.each([
    [
      () => levenshteinSimilarity(1 as unknown as string, 'a'),
      TypeError,
      'Expected `a` to be a string, got `1` (number)',
    ],
    [
      () => levenshteinSimilarity('a', 'a', { unit: 'byte' as 'utf16' }),
      TypeError,
      "Expected `unit` to be one of 'codepoint' | 'grapheme' | 'utf16', got `\"byte\"` (string)",
    ],
    [
      () => levenshteinSimilarity('a', 'a', { maxCells: 0 }),
      RangeError,
      'Expected `maxCells` to be a number >= 1, got `0` (number)',
    ],
  ])('%#: bad input', (fn, type, message) => {
    expect(fn).toThrow(type);
    expect(fn).toThrow(message);
  });

  it('levenshtein() metric', () => {
    const m = levenshtein();
    expect([m.name, m.kind]).toEqual(['levenshtein', 'continuous']);
    expectRel(m.score(ctx('sitting', 'kitten')) as number, 1 - 3 / 7, 1e-15);
    expect(() => m.score(ctx('a', 7, 'z'))).toThrow(
      new TypeError(
        'Metric `levenshtein` expected the output of example "z" to be a string, got `7` (number)',
      ),
    );
  });
});
