import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { _lcsLength } from '../../src/metrics/_internal/lcsLength.js';
import { rougeL, rougeLScore } from '../../src/metrics/index.js';
import { ctx, expectRel, ONE_MB } from './_helpers.js';

/** Textbook O(nm) LCS, the oracle for the bit-parallel one. */
function lcsDp(a: readonly string[], b: readonly string[]): number {
  let prev = new Int32Array(b.length + 1);
  let cur = new Int32Array(b.length + 1);
  for (const x of a) {
    for (let j = 1; j <= b.length; j++)
      cur[j] = x === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

describe('bit-parallel LCS', () => {
  it('equals the dynamic-programming LCS on 2000 random pairs (lengths 0-150, spanning word boundaries)', () => {
    const rng = seedrandom('lcs');
    for (let t = 0; t < 2000; t++) {
      const k = 1 + Math.floor(rng() * 6);
      const gen = () =>
        Array.from({ length: Math.floor(rng() * 150) }, () =>
          String.fromCharCode(97 + Math.floor(rng() * k)),
        );
      const a = gen();
      const b = gen();
      const want = lcsDp(a, b);
      expect(_lcsLength(a, b)).toBe(want);
      expect(_lcsLength(b, a)).toBe(want); // symmetric
    }
  });
});

describe('rougeLScore', () => {
  it('LCS precision, recall, F-measure (rouge-score semantics)', () => {
    // LCS of "the cat sat on the mat" / "the cat is on the mat" = "the cat on the mat" (5 of 6 tokens each).
    const r = rougeLScore('the cat sat on the mat', 'the cat is on the mat');
    expectRel(r.precision, 5 / 6, 1e-15);
    expectRel(r.recall, 5 / 6, 1e-15);
    expectRel(r.fmeasure, 5 / 6, 1e-15);
    const r2 = rougeLScore('a b c d', 'a c');
    expectRel(r2.precision, 0.5, 1e-15);
    expect(r2.recall).toBe(1);
    expectRel(r2.fmeasure, (2 * 0.5 * 1) / 1.5, 1e-15);
  });

  it('default tokenizer: lowercase alphanumeric runs, the same as rouge-score on ASCII', () => {
    expect(rougeLScore("Don't STOP-now!", 'don t stop now').fmeasure).toBe(1);
    expect(rougeLScore("Don't STOP-now!", 'don t stop now', { tokenizer: 'rouge-score' }).fmeasure).toBe(1);
  });

  it("'unicode' keeps accented words and splits CJK per character; 'rouge-score' drops non-ASCII", () => {
    expect(rougeLScore('café crème', 'café crème').fmeasure).toBe(1);
    // rouge-score turns "café" into "caf": the accented letter is a separator there.
    expect(rougeLScore('café', 'caf', { tokenizer: 'rouge-score' }).fmeasure).toBe(1);
    expect(rougeLScore('café', 'caf').fmeasure).toBe(0);
    const r = rougeLScore('東京は大きい', '東京は小さい');
    expectRel(r.fmeasure, 4 / 6, 1e-15);
    expect(rougeLScore('東京', '東京', { tokenizer: 'rouge-score' }).fmeasure).toBe(0);
    expect(rougeLScore('e\u0301t\u00e9 👍', 'e\u0301t\u00e9').precision).toBe(1);
  });

  it('custom tokenizer and its validation', () => {
    const chars = (s: string) => Array.from(s);
    expectRel(rougeLScore('abcd', 'acbd', { tokenizer: chars }).fmeasure, 0.75, 1e-15);
    expect(() => rougeLScore('a', 'a', { tokenizer: () => 'a' as unknown as string[] })).toThrow(
      new TypeError('Expected `tokenizer` to return an array of strings, got `"a"` (string)'),
    );
  });

  it('an empty side scores 0, as rouge-score', () => {
    expect(rougeLScore('', 'a').fmeasure).toBe(0);
    expect(rougeLScore('a', '').fmeasure).toBe(0);
    expect(rougeLScore('', '').fmeasure).toBe(0);
    expect(rougeLScore('!!!', '???').fmeasure).toBe(0);
  });

  it('several references: the best F-measure', () => {
    expect(rougeLScore('a b', ['c d', 'a b', 'a']).fmeasure).toBe(1);
  });

  it('1 MB output vs a short reference, and 1 MB vs 1 MB, complete (linear memory, O(nm/32) time)', () => {
    const short = rougeLScore(ONE_MB, 'the lazy dog jumps');
    expect(short.recall).toBe(1);
    const other = ONE_MB.replaceAll('lazy', 'sleepy');
    const long = rougeLScore(ONE_MB, other);
    // 14 tokens per sentence, one differs.
    expectRel(long.fmeasure, 13 / 14, 1e-12);
  }, 120_000); // CPU-bound: seconds on a quiet machine, far more on a loaded one

  it('rougeL() metric: value, details, errors', () => {
    const m = rougeL();
    expect([m.name, m.kind]).toEqual(['rouge_l', 'continuous']);
    const s = m.score(ctx('a c', 'a b c d')) as {
      value: number;
      details: { precision: number; recall: number };
    };
    expectRel(s.value, 2 / 3, 1e-15);
    expect(s.details).toEqual({ precision: 0.5, recall: 1 });
    expect(() => m.score(ctx(null, 'x', 'e3'))).toThrow(
      new TypeError(
        'Metric `rouge_l` expected `example.reference` of example "e3" to be a string or an array of strings, got `null` (null)',
      ),
    );
    expect(() => rougeL({ tokenizer: 'nltk' as 'unicode' })).toThrow(
      new TypeError(
        "Expected `tokenizer` to be 'unicode' | 'rouge-score' | a function, got `\"nltk\"` (string)",
      ),
    );
  });
});
