import { describe, expect, it } from 'vitest';
import { chrf, corpusChrf, sentenceChrf } from '../../src/metrics/index.js';
import { ctx, expectRel, ONE_MB } from './_helpers.js';

// Hand-derived from sacrebleu 2.6.0 CHRF._compute_f_score / _get_match_statistics.
describe('sentenceChrf / corpusChrf', () => {
  it('identical strings score 100 and disjoint ones 0', () => {
    expectRel(sentenceChrf('The cat sat on the mat.', 'The cat sat on the mat.').score, 100, 1e-12);
    expect(sentenceChrf('abc', 'xyz').score).toBe(0);
  });

  it('averages P and R over the orders both sides have, then F-beta (beta 2)', () => {
    // "ab" vs "abc": order 1: P 2/2, R 2/3; order 2: P 1/1, R 1/2; order 3: hyp has none -> skipped.
    const P = (1 + 1) / 2;
    const R = (2 / 3 + 1 / 2) / 2;
    expectRel(sentenceChrf('ab', 'abc').score, (100 * (5 * P * R)) / (4 * P + R), 1e-12);
  });

  it('whitespace is removed before counting', () => {
    expectRel(sentenceChrf('a b c', 'abc').score, 100, 1e-12);
    const r = sentenceChrf('a b', 'ab', { whitespace: true });
    expect(r.stats.slice(0, 3)).toEqual([3, 2, 2]);
  });

  it('eps smoothing averages per-order F-scores with 1e-16 for empty orders', () => {
    // "ab" vs "ab": orders 1-2 have F = 1; orders 3-6: no n-grams on either side -> prec = rec = eps,
    // F = 5 eps^2 / (5 eps) = eps.
    const eps = 1e-16;
    const want = (100 * (1 + 1 + 4 * ((5 * eps * eps) / (4 * eps + eps)))) / 6;
    expectRel(sentenceChrf('ab', 'ab', { epsSmoothing: true }).score, want, 1e-12);
  });

  it('with several references keeps the best one (first on ties)', () => {
    const r = sentenceChrf('hello world', ['goodbye', 'hello world']);
    expectRel(r.score, 100, 1e-12);
  });

  it('counts code points: an emoji is one character, as Python str indexing', () => {
    const r = sentenceChrf('👍a', '👍b');
    // order 1: hyp {👍, a}, 2 n-grams; order 2: one n-gram.
    expect(r.stats.slice(0, 6)).toEqual([2, 2, 1, 1, 1, 0]);
  });

  it('chrF++ (wordOrder 2) splits trailing punctuation off words', () => {
    const r = sentenceChrf('hello, world', 'hello world', { wordOrder: 2 });
    // word 1-grams: hyp [hello, ",", world] vs ref [hello, world]
    expect(r.stats.slice(18, 21)).toEqual([3, 2, 2]);
    expect(r.wordOrder).toBe(2);
  });

  it('lowercase and beta options', () => {
    expectRel(sentenceChrf('ABC', 'abc', { lowercase: true }).score, 100, 1e-12);
    const b1 = sentenceChrf('ab', 'abc', { beta: 1 }).score;
    const P = 1;
    const R = (2 / 3 + 1 / 2) / 2;
    expectRel(b1, (100 * 2 * P * R) / (P + R), 1e-12);
  });

  it('corpus chrF sums statistics: not the mean of sentence scores', () => {
    const hyps = ['ab', 'abcdefgh'];
    const refs = ['abc', 'xyzxyzxy'];
    const c = corpusChrf(hyps, refs);
    const m = chrf();
    const stats = hyps.map((h, i) => (m.score(ctx(refs[i], h)) as unknown as { stats: number[] }).stats);
    expect(m.aggregate!(stats)).toBe(c.score);
    const mean = (sentenceChrf(hyps[0], refs[0]).score + sentenceChrf(hyps[1], refs[1]).score) / 2;
    expect(Math.abs(c.score - mean)).toBeGreaterThan(1);
  });

  it('empty sides', () => {
    expect(sentenceChrf('', 'abc').score).toBe(0);
    expect(sentenceChrf('abc', '').score).toBe(0);
    expect(sentenceChrf('', '').score).toBe(0);
  });

  it('a 1 MB hypothesis completes (linear in its length)', () => {
    const r = sentenceChrf(ONE_MB, 'The quick brown fox jumps over the lazy dog.');
    expect(r.score).toBeGreaterThan(0);
  });

  it.each([
    [
      () => sentenceChrf('a', 'a', { charOrder: 0 }),
      RangeError,
      'Expected `charOrder` to be an integer >= 1 and <= 100, got `0` (number)',
    ],
    [
      () => sentenceChrf('a', 'a', { beta: '2' as unknown as number }),
      TypeError,
      'Expected `beta` to be a number >= 0, got `"2"` (string)',
    ],
    [
      () => sentenceChrf(null as unknown as string, 'a'),
      TypeError,
      'Expected `hypothesis` to be a string, got `null` (null)',
    ],
    [
      () => corpusChrf('a' as unknown as string[], ['a']),
      TypeError,
      'Expected `hypotheses` to be an array of strings, got `"a"` (string)',
    ],
  ])('%#: bad input', (fn, type, message) => {
    expect(fn).toThrow(type);
    expect(fn).toThrow(message);
  });

  it('chrf() metric validates the reference with the example id', () => {
    expect(() => chrf().score(ctx(['ok', 5], 'x', 'id9'))).toThrow(
      new TypeError(
        'Metric `chrf` expected `example.reference` of example "id9" to be a string or an array of strings, got `reference[1]` = `5` (number)',
      ),
    );
    expect(() => chrf().score(ctx([], 'x', 'id9'))).toThrow(RangeError);
  });
});
