// chrF's F-score weighs recall by beta²: a beta past ~1.34e154 squares to Infinity, the F-score of every reference
// was NaN, no reference was kept, and a perfect hypothesis scored 0 (with empty statistics, which corpus chrF then
// summed to NaN). sacrebleu raises there (Python's float power overflows); so does evalgate now.
import { describe, expect, it } from 'vitest';
import { chrf, corpusChrf, sentenceChrf } from '../../src/metrics/index.js';

describe('chrF beta whose square overflows', () => {
  it.each([1e155, 1e200, Number.MAX_VALUE])('beta %d is a RangeError naming beta', (beta) => {
    const err = new RangeError(
      `Expected \`beta\` to be a number >= 0 whose square is finite, got \`${beta}\` (number)`,
    );
    expect(() => sentenceChrf('the cat sat', ['the cat sat'], { beta })).toThrow(err);
    expect(() => corpusChrf(['the cat sat'], ['the cat sat'], { beta })).toThrow(err);
    expect(() => chrf({ beta })).toThrow(err);
  });

  it('a large finite beta still scores a perfect hypothesis 100', () => {
    expect(sentenceChrf('the cat sat', ['the cat sat'], { beta: 1e100 }).score).toBe(100);
  });
});
