import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { bleu, corpusBleu, sentenceBleu, tokenize13a } from '../../src/metrics/index.js';
import { ctx, expectRel } from './_helpers.js';

// Vectors from shared/reference/STATS.md section 5 (sacrebleu 2.6.0).
const hyps = ['The cat sat on the mat.', 'There is a dog in the garden', 'hello'];
const refs1 = ['The cat is sitting on the mat.', 'A dog is in the garden.', 'hello there general kenobi'];
const refs2 = ['On the mat sat the cat.', 'There is a dog in the yard.', 'hi'];
const both = refs1.map((r, i) => [r, refs2[i]]);

describe('tokenize13a (sacrebleu 2.6.0 13a)', () => {
  it.each([
    ["It's 3.14 and 1,000 people-ish (approx.)", "It's 3.14 and 1,000 people-ish ( approx . )"],
    ['e-mail: a@b.com; cost $5-10.', 'e-mail : a @ b . com ; cost $ 5 - 10 .'],
    ['U.S.A. 2-3 x-ray', 'U . S . A . 2 - 3 x-ray'],
  ])('%s', (input, want) => {
    expect(tokenize13a(input)).toBe(want);
  });

  it('handles <skipped>, hyphenated line breaks, newlines and HTML entities as mteval-v13a', () => {
    expect(tokenize13a('a<skipped>b')).toBe('ab');
    expect(tokenize13a('data-\nbase\nnext')).toBe('database next');
    expect(tokenize13a('&quot;x&quot; &amp;&lt;&gt;')).toBe('" x " & < >');
    expect(tokenize13a('no entity &foo;')).toBe('no entity & foo ;');
  });

  it('collapses Python whitespace (U+3000, U+0085, U+001F) but keeps U+FEFF inside tokens, as str.split', () => {
    expect(tokenize13a('a\u3000b\u0085c\u001fd')).toBe('a b c d');
    expect(tokenize13a('a\ufeffb')).toBe('a\ufeffb');
  });

  it('leaves CJK, emoji and combining marks intact', () => {
    expect(tokenize13a('日本語です。👍🏽 cafe\u0301!')).toBe('日本語です。👍🏽 cafe\u0301 !');
  });

  it('rejects non-strings', () => {
    expect(() => tokenize13a(3 as unknown as string)).toThrow(
      new TypeError('Expected `line` to be a string, got `3` (number)'),
    );
  });
});

describe('corpusBleu / sentenceBleu (STATS.md vectors)', () => {
  it('corpus BLEU with one reference, with its counts, totals and brevity penalty', () => {
    const r = corpusBleu(hyps, refs1);
    expectRel(r.score, 26.80470012266834, 1e-12);
    expect(r.counts).toEqual([12, 6, 3, 1]);
    expect(r.totals).toEqual([15, 12, 10, 8]);
    expectRel(r.bp, 0.7659283383646487, 1e-12);
    expect(Object.isFrozen(r)).toBe(true);
  });

  it('corpus BLEU with two references', () => {
    expectRel(corpusBleu(hyps, both).score, 73.48889200874659, 1e-12);
  });

  it('sentence BLEU against one and two references', () => {
    const one = [42.38365628278778, 27.77619034011791, 4.9787068367863965];
    const two = [50.81327481546149, 93.06048591021002, 100.00000000000004];
    hyps.forEach((h, i) => {
      expectRel(sentenceBleu(h, refs1[i]).score, one[i], 1e-12);
      expectRel(sentenceBleu(h, both[i]).score, two[i], 1e-12);
    });
  });

  it('bleu().aggregate over the three examples equals corpus BLEU', () => {
    for (const [refs, want] of [
      [refs1, 26.80470012266834],
      [both, 73.48889200874659],
    ] as const) {
      const m = bleu();
      const stats = hyps.map((h, i) => (m.score(ctx(refs[i], h)) as unknown as { stats: number[] }).stats);
      expectRel(m.aggregate!(stats), want, 1e-12);
    }
  });

  it('reference length: closest to the hypothesis, ties to the shorter', () => {
    // hyp has 4 tokens; refs have 3 and 5 tokens: tie -> 3 (no brevity penalty).
    const r = sentenceBleu('a b c d', ['a b c', 'a b c d e']);
    expect(r.refLen).toBe(3);
    expect(r.bp).toBe(1);
    expect(sentenceBleu('a b c d', ['a b c d e', 'a b c']).refLen).toBe(3);
  });

  it('large vocabularies (15,000 distinct tokens) count exactly', () => {
    const words = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => `t${from + i}`).join(' ');
    const r = sentenceBleu(words(0, 10_000), words(5_000, 15_000));
    expect(r.counts).toEqual([5000, 4999, 4998, 4997]);
    expect(r.totals).toEqual([10000, 9999, 9998, 9997]);
  });

  it('clips matches by the max count over references', () => {
    const r = sentenceBleu('the the the the', ['the cat', 'the the dog']);
    expect(r.counts[0]).toBe(2);
  });
});

describe('smoothing options (hand-derived from sacrebleu 2.6.0 compute_bleu)', () => {
  // "the cat" vs "the dog": counts [1, 0, 0, 0], totals [2, 1, 0, 0], BP 1.
  it("'exp': zero-match order gets 100 / (2 * total); effective order 2 -> 50", () => {
    expectRel(sentenceBleu('the cat', 'the dog').score, 50, 1e-12);
  });
  it("'floor' 0.1: p2 = 100 * 0.1 / 1 -> sqrt(50 * 10)", () => {
    expectRel(sentenceBleu('the cat', 'the dog', { smooth: 'floor' }).score, Math.sqrt(500), 1e-12);
    expectRel(
      sentenceBleu('the cat', 'the dog', { smooth: 'floor', smoothValue: 0.5 }).score,
      Math.sqrt(50 * 50),
      1e-12,
    );
  });
  it("'add-k' 1: orders >= 2 get +1 match and +1 total -> (50 * 50 * 100 * 100)^(1/4)", () => {
    expectRel(sentenceBleu('the cat', 'the dog', { smooth: 'add-k' }).score, Math.sqrt(5000), 1e-12);
  });
  it("'none': a zero precision makes the score 0", () => {
    expect(sentenceBleu('the cat', 'the dog', { smooth: 'none' }).score).toBe(0);
  });
  it('effective order off (corpus default): a 1-token hypothesis has no 2-grams and scores 0', () => {
    expect(sentenceBleu('hello', 'hello', { effectiveOrder: false }).score).toBe(0);
    expectRel(sentenceBleu('hello', 'hello').score, 100, 1e-12);
  });
  it('no match at any order scores 0 (sacrebleu #141)', () => {
    expect(sentenceBleu('abc', 'xyz').score).toBe(0);
  });
  it('lowercase and tokenize options', () => {
    expectRel(sentenceBleu('The Cat.', 'the cat .', { lowercase: true }).score, 100, 1e-12);
    // Without 13a, "cat." and "cat" differ.
    expect(sentenceBleu('the cat.', 'the cat', { tokenize: 'none' }).counts[0]).toBe(1);
    expect(sentenceBleu('a b', 'a b', { maxNgramOrder: 2 }).totals).toEqual([2, 1]);
  });
});

describe('edge cases and errors', () => {
  it('empty hypothesis and empty reference', () => {
    expect(sentenceBleu('', 'a b').score).toBe(0);
    expect(sentenceBleu('', '').score).toBe(0);
    expect(sentenceBleu('a b', '').score).toBe(0);
  });

  it('multibyte text: CJK tokens, emoji and combining marks count as tokens', () => {
    expectRel(sentenceBleu('東京 は 大きい 👍🏽', '東京 は 大きい 👍🏽').score, 100, 1e-12);
    expect(sentenceBleu('cafe\u0301 ok', 'café ok').counts[0]).toBe(1);
  });

  it('a 1 MB hypothesis scores in linear time', () => {
    const big = 'the quick brown fox jumps over the lazy dog . '.repeat(23_000);
    const r = sentenceBleu(big, 'the quick brown fox jumps over the lazy dog .');
    expect(r.sysLen).toBe(10 * 23_000);
    expect(r.counts[0]).toBe(10);
    expect(r.score).toBeGreaterThan(0);
  });

  it.each([
    [
      () => sentenceBleu(1 as unknown as string, 'a'),
      TypeError,
      'Expected `hypothesis` to be a string, got `1` (number)',
    ],
    [
      () => sentenceBleu('a', 1 as unknown as string),
      TypeError,
      'Expected `references` to be a string or an array of strings, got `1` (number)',
    ],
    [
      () => sentenceBleu('a', []),
      RangeError,
      'Expected `references` to have at least 1 element, got `array(0)` (array)',
    ],
    [
      () => sentenceBleu('a', ['x', 2 as unknown as string]),
      TypeError,
      'Expected `references[1]` to be a string, got `2` (number)',
    ],
    [
      () => sentenceBleu('a', 'a', { smooth: 'add-one' as 'exp' }),
      TypeError,
      "Expected `smooth` to be one of 'exp' | 'floor' | 'add-k' | 'none', got `\"add-one\"` (string)",
    ],
    [
      () => sentenceBleu('a', 'a', { smoothValue: -1 }),
      RangeError,
      'Expected `smoothValue` to be a number >= 0, got `-1` (number)',
    ],
    [
      () => sentenceBleu('a', 'a', { maxNgramOrder: 0 }),
      RangeError,
      'Expected `maxNgramOrder` to be an integer >= 1 and <= 100, got `0` (number)',
    ],
    [
      () => corpusBleu(['a'], ['a', 'b']),
      RangeError,
      'Expected `references` to have one entry per hypothesis (1), got `array(2)` (array)',
    ],
    [
      () => corpusBleu([], []),
      RangeError,
      'Expected `hypotheses` to have at least 1 element, got `array(0)` (array)',
    ],
  ])('%#: bad input', (fn, type, message) => {
    expect(fn).toThrow(type);
    expect(fn).toThrow(message);
  });

  it('bleu() names the example when its reference is not text', () => {
    const m = bleu();
    expect(() => m.score(ctx({ a: 1 }, 'x', 'q7'))).toThrow(
      new TypeError(
        'Metric `bleu` expected `example.reference` of example "q7" to be a string or an array of strings, got `object` (object)',
      ),
    );
    expect(() => m.score(ctx(undefined, 'x', null))).toThrow(
      'Metric `bleu` expected `example.reference` of an example without id to be a string or an array of strings, got `undefined` (undefined)',
    );
    expect(() => m.score(ctx('a', 42, 'q8'))).toThrow(
      new TypeError('Metric `bleu` expected the output of example "q8" to be a string, got `42` (number)'),
    );
  });

  it('bleu() metadata, stats layout and an empty aggregate', () => {
    const m = bleu({ name: 'bleu4' });
    expect(m.name).toBe('bleu4');
    expect(m.kind).toBe('continuous');
    const s = m.score(ctx('The cat is on the mat.', 'The cat is on the mat.')) as {
      value: number;
      stats: number[];
    };
    expect(s.stats).toEqual([7, 7, 7, 6, 5, 4, 7, 6, 5, 4]);
    expectRel(s.value, 100, 1e-12);
    expect(Number.isNaN(m.aggregate!([]))).toBe(true);
  });

  it('does not mutate frozen inputs', () => {
    const refs = Object.freeze(['a b c', 'a b']);
    const h = Object.freeze(['a b c']);
    expect(() => corpusBleu(h, Object.freeze([refs]))).not.toThrow();
  });
});

/** Textbook clipped n-gram counting with string maps: the oracle for the typed-array counting in bleu.ts. */
function naiveStats(hyp: string, refs: readonly string[]): number[] {
  const toks = (x: string) => (tokenize13a(x.trimEnd()) === '' ? [] : tokenize13a(x.trimEnd()).split(' '));
  const grams = (t: string[], n: number) => {
    const m = new Map<string, number>();
    for (let i = 0; i + n <= t.length; i++)
      m.set(t.slice(i, i + n).join(' '), (m.get(t.slice(i, i + n).join(' ')) ?? 0) + 1);
    return m;
  };
  const h = toks(hyp);
  const rs = refs.map(toks);
  let refLen = -1;
  for (const r of rs)
    if (
      refLen === -1 ||
      Math.abs(h.length - r.length) < Math.abs(h.length - refLen) ||
      (Math.abs(h.length - r.length) === Math.abs(h.length - refLen) && r.length < refLen)
    )
      refLen = r.length;
  const matches: number[] = [];
  const totals: number[] = [];
  for (let n = 1; n <= 4; n++) {
    const hg = grams(h, n);
    const maxRef = new Map<string, number>();
    for (const r of rs) for (const [k, c] of grams(r, n)) maxRef.set(k, Math.max(maxRef.get(k) ?? 0, c));
    let m = 0;
    let t = 0;
    for (const [k, c] of hg) {
      t += c;
      m += Math.min(c, maxRef.get(k) ?? 0);
    }
    matches.push(m);
    totals.push(t);
  }
  return [h.length, refLen, ...matches, ...totals];
}

describe('BLEU statistics equal textbook n-gram counting', () => {
  it('on 3,000 random segments with 1-3 references over a small vocabulary', () => {
    const rng = seedrandom('bleu-stats');
    const vocab = [
      'the',
      'cat',
      'a',
      'dog',
      'sat',
      'on',
      'mat',
      '.',
      ',',
      '3.5',
      '1,000',
      'x-ray',
      '(',
      ')',
      '👍',
      '東京',
    ];
    const sentence = () =>
      Array.from({ length: Math.floor(rng() * 25) }, () => vocab[Math.floor(rng() * vocab.length)]).join(' ');
    const m = bleu();
    for (let t = 0; t < 3000; t++) {
      const hyp = sentence();
      const refs = Array.from({ length: 1 + Math.floor(rng() * 3) }, sentence);
      const got = (m.score(ctx(refs, hyp)) as unknown as { stats: number[] }).stats;
      expect(got, JSON.stringify({ hyp, refs })).toEqual(naiveStats(hyp, refs));
    }
  });
});
