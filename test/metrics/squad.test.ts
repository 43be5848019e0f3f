import { describe, expect, it } from 'vitest';
import { exactMatch, exactMatchScore, f1, tokenF1 } from '../../src/metrics/index.js';
import { ctx, expectRel, ONE_MB } from './_helpers.js';

// Vectors from shared/reference/STATS.md section 6 (official SQuAD v2.0 logic).
describe('exactMatchScore / tokenF1 (STATS.md vectors)', () => {
  it.each([
    ['in the year 1889', ['1889', 'year 1889'], 0, 0.8],
    ['Paris, France', ['Paris'], 0, 0.6666666666666666],
    ['the the the', ['the'], 1, 1],
    ['U.S.', ['US'], 1, 1],
    ['cat cat dog', ['cat dog dog'], 0, 0.6666666666666666],
  ])('%s vs %j', (pred, golds, em, f) => {
    expect(exactMatchScore(pred, golds)).toBe(em);
    expectRel(tokenF1(pred, golds), f, 1e-15);
  });
});

describe('SQuAD v2 empty-answer rules', () => {
  it('no gold (or only golds that normalize to empty) means the right answer is the empty string', () => {
    expect(exactMatchScore('', [])).toBe(1);
    expect(tokenF1('', [])).toBe(1);
    expect(exactMatchScore('something', [])).toBe(0);
    expect(tokenF1('something', [])).toBe(0);
    expect(exactMatchScore('', ['the', '?'])).toBe(1);
    expect(tokenF1('a', ['the'])).toBe(1); // both normalize to nothing
  });
  it('an empty prediction against a real answer scores 0', () => {
    expect(exactMatchScore('', ['Paris'])).toBe(0);
    expect(tokenF1('', ['Paris'])).toBe(0);
  });
  it('golds that normalize to empty are dropped, others kept', () => {
    expect(exactMatchScore('', ['', 'Paris'])).toBe(0);
  });
});

describe('Unicode-aware article removal (Python 3.11 re \\b semantics)', () => {
  // Expected normalizations computed with Python 3.11: re.sub(r'\b(a|an|the)\b', ' ', s), then ' '.join(s.split()).
  it.each([
    ['éthe a', 'éthe'], // "the" after é is inside a word: kept; "a" removed
    ['дa the', 'дa'], // Cyrillic letter before "a": not a word boundary
    ['théâtre the', 'théâtre'],
    ['日本the', '日本the'], // CJK letters are word characters
    ['a\u00a0the\u3000an', ''], // non-breaking and ideographic spaces separate words
  ])('%j normalizes to %j', (input, normalized) => {
    expect(exactMatchScore(input, [normalized === '' ? 'the' : normalized])).toBe(1);
  });
  it('a combining mark ends a word (it is not alphanumeric for Python)', () => {
    // Python: 'the\u0301 x' -> ' \u0301 x' -> '\u0301 x'
    expect(exactMatchScore('the\u0301 x', ['\u0301 x'])).toBe(1);
  });
  it('lowercases Unicode (Σ at word end becomes final sigma, as Python str.lower)', () => {
    expect(exactMatchScore('\u039f\u0394\u039f\u03a3', ['\u03bf\u03b4\u03bf\u03c3'])).toBe(0); // medial σ
    expect(exactMatchScore('\u039f\u0394\u039f\u03a3', ['\u03bf\u03b4\u03bf\u03c2'])).toBe(1); // final ς
  });
  it('emoji and CJK tokens count for F1', () => {
    expectRel(tokenF1('東京 👍', ['東京']), 2 / 3, 1e-15);
  });
});

describe('normalization options', () => {
  it('whitespace only', () => {
    const o = { lowercase: false, removePunctuation: false, removeArticles: false };
    expect(exactMatchScore('  Paris\n', 'Paris', o)).toBe(1);
    expect(exactMatchScore('paris', 'Paris', o)).toBe(0);
    expect(exactMatchScore('The Paris', 'Paris', o)).toBe(0);
  });
  it('case-sensitive but otherwise SQuAD', () => {
    expect(exactMatchScore('Paris!', 'paris', { lowercase: false })).toBe(0);
    expect(exactMatchScore('Paris!', 'Paris', { lowercase: false })).toBe(1);
  });
  it('punctuation kept', () => {
    expect(exactMatchScore('U.S.', 'US', { removePunctuation: false })).toBe(0);
  });
  it('no whitespace collapsing', () => {
    expect(exactMatchScore('a  b', 'a b', { removeArticles: false, collapseWhitespace: false })).toBe(0);
  });
  it('bad option', () => {
    expect(() => exactMatchScore('a', 'a', { lowercase: 'yes' as unknown as boolean })).toThrow(
      new TypeError('Expected `lowercase` to be a boolean, got `"yes"` (string)'),
    );
  });
});

describe('long and bad inputs', () => {
  it('a 1 MB prediction is scored in linear time', () => {
    expect(exactMatchScore(ONE_MB, 'quick brown fox')).toBe(0);
    const f = tokenF1(ONE_MB, 'quick brown fox');
    expect(f).toBeGreaterThan(0);
    expect(f).toBeLessThan(0.001);
  });

  it.each([
    [
      () => exactMatchScore(5 as unknown as string, 'a'),
      'Expected `prediction` to be a string, got `5` (number)',
    ],
    [
      () => tokenF1('a', { text: 'a' } as unknown as string),
      'Expected `golds` to be a string or an array of strings, got `object` (object)',
    ],
  ])('%#: TypeError', (fn, message) => {
    expect(fn).toThrow(new TypeError(message));
  });

  it('metric factories: kind, name, the reference forms and their errors', () => {
    const em = exactMatch();
    const f = f1({ name: 'squadF1' });
    expect([em.name, em.kind, f.name, f.kind]).toEqual(['exact_match', 'binary', 'squadF1', 'continuous']);
    expect(em.score(ctx('Paris', 'paris.'))).toBe(1);
    expect(em.score(ctx([], ''))).toBe(1);
    expectRel(f.score(ctx(['Paris'], 'Paris, France')) as number, 0.6666666666666666, 1e-15);
    expect(() => em.score(ctx(42, 'x', 'q1'))).toThrow(
      new TypeError(
        'Metric `exact_match` expected `example.reference` of example "q1" to be a string or an array of strings, got `42` (number)',
      ),
    );
    expect(() => f.score(ctx('a', undefined, 'q2'))).toThrow(
      new TypeError(
        'Metric `squadF1` expected the output of example "q2" to be a string, got `undefined` (undefined)',
      ),
    );
  });
});
