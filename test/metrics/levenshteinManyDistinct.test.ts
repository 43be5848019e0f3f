// Levenshtein distance through fast-levenshtein gives each distinct unit (code point, grapheme) one UTF-16 code
// unit; past 65,536 distinct units it fell back to a plain DP, 12 times slower: an output of 70,000 distinct
// supplementary code points (a CJK Extension B dump, a list of emoji) against a 30,000-character reference took
// 12.7 s against 1.0 s, and 60 s at the default maxCells (measured by the helper that fixed it; a wall-clock time
// is not asserted in a test). The distance depends only on which units of one text equal which of the other, so
// units found on one side only now share one id per side: the property below checks that against the DP.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { levenshteinSimilarity } from '../../src/metrics/index.js';
import { check } from '../properties/_prop.js';

/** Textbook Levenshtein distance over code points: the oracle. */
function distanceDp(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++)
      cur[j] = Math.min(prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1), prev[j] + 1, cur[j - 1] + 1);
    prev = cur;
  }
  return prev[y.length];
}

describe('Levenshtein with units found in one text only', () => {
  it('property: equals the textbook DP when most units occur on one side', () => {
    const onlyA = ['a', 'b', 'c', '😀', 'é'];
    const onlyB = ['x', 'y', 'z', '日', 'e\u0301'];
    const shared = ['m', 'n', ' '];
    const side = (own: string[]) =>
      fc.array(fc.constantFrom(...own, ...shared), { maxLength: 40 }).map((p) => p.join(''));
    check(
      'levenshtein one-sided units vs DP',
      300,
      fc.property(side(onlyA), side(onlyB), (a, b) => {
        const n = Math.max(Array.from(a).length, Array.from(b).length);
        const want = n === 0 ? 1 : 1 - distanceDp(a, b) / n;
        return levenshteinSimilarity(a, b) === want && levenshteinSimilarity(b, a) === want;
      }),
    );
  });
});
