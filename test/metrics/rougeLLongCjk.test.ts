// ROUGE-L on long CJK text: every Han character is a token and a few hundred distinct ones fill a page, so each
// occurs thousands of times. The bit-parallel LCS rebuilt a token's match mask from its positions on every
// update, which costs the token's count: two 200,000-character texts of 10 characters took 44 s (O(n·m), not
// O(n·m/32); ~5 s now, measured by the helper that fixed it: a wall-clock time is not asserted in a test). Tokens
// that occur more often than the bit vector has words now keep one dense mask: it gives the LCS of the textbook DP.
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { _lcsLength } from '../../src/metrics/_internal/lcsLength.js';

/** `n` characters drawn from `alphabet`, seeded. */
function randomText(n: number, alphabet: string, seed: string): string {
  const rng = seedrandom(seed);
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[Math.floor(rng() * alphabet.length)];
  return out;
}

describe('ROUGE-L on text of few distinct tokens (CJK)', () => {
  it('the dense masks give the LCS of the sparse path (5,000 tokens of 2 kinds vs 3,000 of 3)', () => {
    const a = [...randomText(5_000, 'ab', 'x')];
    const b = [...randomText(3_000, 'abc', 'y')];
    // Oracle: the textbook O(nm) DP.
    const dp = (x: readonly string[], y: readonly string[]) => {
      let prev = new Int32Array(y.length + 1);
      let cur = new Int32Array(y.length + 1);
      for (const t of x) {
        for (let j = 1; j <= y.length; j++)
          cur[j] = t === y[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
        [prev, cur] = [cur, prev];
      }
      return prev[y.length];
    };
    expect(_lcsLength(a, b)).toBe(dp(a, b));
    expect(_lcsLength(b, a)).toBe(dp(a, b));
  });
});
