// The text metrics' invariants over what a user can hand them (seeded fast-check): Unicode of every kind (NFC and
// NFD, combining marks, emoji and ZWJ sequences, lone surrogates, CJK, RTL, zero-width characters, CR LF, NBSP and
// the other Unicode spaces), empty and whitespace-only text, and outputs that are no strings.
//   bounds      every score within the metric's bounds, never NaN or Infinity;
//   perfect     a text against itself scores the best value, also when it normalizes to nothing (exact match,
//               F1, Levenshtein); ROUGE-L scores 0 for a text without tokens, as rouge-score;
//   symmetry    exact match, F1, ROUGE-L's F-measure (precision and recall swap), Levenshtein, cosine;
//   order       regexMatch with a `g` / `y` RegExp scores a row alike whatever rows came before; corpus BLEU and
//               chrF aggregate rows to the same number in any order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Metric, MetricScore } from '../../src/core/types.js';
import {
  bleu,
  chrf,
  contains,
  containsScore,
  cosineSimilarity,
  exactMatch,
  exactMatchScore,
  f1,
  jsonMatch,
  jsonValid,
  levenshtein,
  levenshteinSimilarity,
  regexMatch,
  rougeL,
  rougeLScore,
  sentenceBleu,
  sentenceChrf,
  tokenF1,
} from '../../src/metrics/index.js';
import { check, text } from '../properties/_prop.js';
import { ctx } from './_helpers.js';

const PIECES = [
  'a',
  'The',
  'é', // NFC
  'e\u0301', // NFD
  '\u0301', // a combining mark alone
  '😀',
  '👨\u200d👩\u200d👧',
  '\u200d',
  '\u200b',
  '\ufeff',
  '\ud800', // lone surrogates
  '\udc00',
  '日本語',
  'שלום',
  'مرحبا',
  '\r\n',
  '\n',
  '\u00a0',
  '\u2009',
  '\u3000',
  ' ',
  '!',
  '.',
  'İ',
  'ß',
  '42',
];
const unicode: fc.Arbitrary<string> = fc.oneof(
  text,
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((p) => p.join('')),
);
/** Text that SQuAD normalizes to nothing: Unicode whitespace, ASCII punctuation, articles. */
const blank = fc
  .array(fc.constantFrom('', ' ', '\n', '\r\n', '\t', '\u00a0', '\u3000', '!', '.', '?', 'the', 'a', 'an'), {
    maxLength: 8,
  })
  .map((p) => p.join(' '));
/** Text without a letter, mark or digit: ROUGE-L finds no token in it. */
const tokenless = blank.map((s) => s.replace(/the|an|a/g, '-'));

const RUNS = 300;
const UNITS = ['codepoint', 'grapheme', 'utf16'] as const;
const inUnit = (v: number) => Number.isFinite(v) && v >= 0 && v <= 1;
const value = (s: number | MetricScore): number | null => (typeof s === 'number' ? s : s.value);

describe('bounds: every score is finite and within its bounds', () => {
  it('exact match, F1, ROUGE-L, Levenshtein (every unit), contains in [0, 1]; BLEU and chrF in [0, 100]', () => {
    check(
      'text metrics within bounds on Unicode',
      RUNS,
      fc.property(unicode, unicode, (a, b) => {
        const scores = [
          exactMatchScore(a, b),
          tokenF1(a, b),
          rougeLScore(a, b).fmeasure,
          rougeLScore(a, b).precision,
          rougeLScore(a, b).recall,
          containsScore(a, b, { ignoreCase: true }),
          ...UNITS.map((unit) => levenshteinSimilarity(a, b, { unit, ignoreCase: true })),
        ];
        const hundreds = [sentenceBleu(a, [b]).score, sentenceChrf(a, [b]).score];
        // A perfect BLEU is 100.00000000000004, as sacrebleu's: within the bounds rule's 1e-9 relative tolerance.
        return scores.every(inUnit) && hundreds.every((v) => Number.isFinite(v) && v >= 0 && v <= 100 + 1e-9);
      }),
    );
  });
});

describe('perfect input scores the best value', () => {
  it('exact match, F1 and Levenshtein of a text against itself are 1, whatever the text', () => {
    check(
      'self-comparison is perfect',
      RUNS,
      fc.property(fc.oneof(unicode, blank), (a) => {
        const lev = UNITS.every((unit) => levenshteinSimilarity(a, a, { unit }) === 1);
        const ic = UNITS.every(
          (unit) => levenshteinSimilarity(a, a.toLowerCase(), { unit, ignoreCase: true }) === 1,
        );
        return exactMatchScore(a, a) === 1 && tokenF1(a, a) === 1 && lev && ic && containsScore(a, a) === 1;
      }),
    );
  });

  it('text that normalizes to nothing: exact match and F1 are 1 (SQuAD: both sides empty), ROUGE-L 0 (rouge-score: no tokens)', () => {
    check(
      'blank text against blank text',
      RUNS,
      fc.property(blank, blank, tokenless, tokenless, (a, b, c, d) => {
        const r = rougeLScore(c, d);
        return (
          exactMatchScore(a, b) === 1 &&
          tokenF1(a, b) === 1 &&
          r.fmeasure === 0 &&
          r.precision === 0 &&
          r.recall === 0
        );
      }),
    );
  });

  it('ROUGE-L of a text with a token against itself is 1, in each tokenizer', () => {
    check(
      'ROUGE-L self-comparison',
      RUNS,
      fc.property(unicode, (a) => {
        const unicodeTokens = /[\p{L}\p{M}\p{N}]/u.test(a.toLowerCase());
        const asciiTokens = /[a-z0-9]/.test(a.toLowerCase());
        return (
          rougeLScore(a, a).fmeasure === (unicodeTokens ? 1 : 0) &&
          rougeLScore(a, a, { tokenizer: 'rouge-score' }).fmeasure === (asciiTokens ? 1 : 0)
        );
      }),
    );
  });
});

describe('symmetry', () => {
  it('exact match, F1, Levenshtein (every unit) and ROUGE-L F-measure do not depend on which side is the reference', () => {
    check(
      'symmetric text metrics',
      RUNS,
      fc.property(unicode, unicode, (a, b) => {
        const ab = rougeLScore(a, b);
        const ba = rougeLScore(b, a);
        return (
          exactMatchScore(a, b) === exactMatchScore(b, a) &&
          tokenF1(a, b) === tokenF1(b, a) &&
          UNITS.every(
            (unit) => levenshteinSimilarity(a, b, { unit }) === levenshteinSimilarity(b, a, { unit }),
          ) &&
          ab.fmeasure === ba.fmeasure &&
          ab.precision === ba.recall &&
          ab.recall === ba.precision
        );
      }),
    );
  });

  it('cosine similarity is symmetric and within [-1, 1] at any magnitude, NaN only for a zero vector', () => {
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
    check(
      'cosine symmetric',
      RUNS,
      fc.property(fc.array(fc.tuple(finite, finite), { minLength: 1, maxLength: 8 }), (pairs) => {
        const a = pairs.map((p) => p[0]);
        const b = pairs.map((p) => p[1]);
        const x = cosineSimilarity(a, b);
        const zero = a.every((v) => v === 0) || b.every((v) => v === 0);
        if (zero) return Number.isNaN(x) && Number.isNaN(cosineSimilarity(b, a));
        return x === cosineSimilarity(b, a) && x >= -1 && x <= 1;
      }),
    );
  });
});

describe('order invariance', () => {
  it('regexMatch: a g / y / gy RegExp (lastIndex left anywhere by the user) scores each row alike in any order', () => {
    const patterns = fc.constantFrom(/a/g, /a/y, /é/gu, /^.$/gsu, /\d+/gy, /日本/g);
    check(
      'regexMatch stateless across rows',
      RUNS,
      fc.property(
        fc.array(unicode, { maxLength: 8 }),
        patterns,
        fc.nat(20),
        fc.boolean(),
        (rows, re, lastIndex, fullMatch) => {
          re.lastIndex = lastIndex;
          const m = regexMatch(re, { fullMatch });
          const forward = rows.map((r) => m.score(ctx(undefined, r)));
          const backward = [...rows].reverse().map((r) => m.score(ctx(undefined, r)));
          const fresh = rows.map((r) => regexMatch(re, { fullMatch }).score(ctx(undefined, r)));
          return (
            JSON.stringify(forward) === JSON.stringify(backward.reverse()) &&
            JSON.stringify(forward) === JSON.stringify(fresh)
          );
        },
      ),
    );
  });

  it('corpus BLEU and chrF aggregate the rows to the same number in any order', () => {
    const metrics = [bleu(), chrf(), chrf({ wordOrder: 2 }), bleu({ tokenize: 'none' })];
    check(
      'corpus aggregate order invariance',
      RUNS,
      fc.property(
        fc.array(fc.tuple(unicode, unicode), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        (rows, rot) => {
          for (const m of metrics) {
            const stats = rows.map(([out, ref]) => (m.score(ctx(ref, out)) as MetricScore).stats ?? []);
            const k = rot % stats.length;
            const rotated = [...stats.slice(k), ...stats.slice(0, k)];
            const a = m.aggregate!(stats);
            if (!Object.is(a, m.aggregate!([...stats].reverse())) || !Object.is(a, m.aggregate!(rotated)))
              return false;
            if (!(Number.isNaN(a) || (a >= 0 && a <= 100 + 1e-9))) return false;
          }
          return true;
        },
      ),
    );
  });
});

describe('outputs and references that are no strings', () => {
  const metrics: Metric[] = [
    exactMatch(),
    f1(),
    rougeL(),
    levenshtein(),
    contains(),
    bleu(),
    chrf(),
    regexMatch(/x/),
    jsonValid(),
    jsonMatch(),
  ];
  const notStrings: unknown[] = [0, 0.1 + 0.2, Number.NaN, null, undefined, true, {}, ['a'], 1n];
  it.each(notStrings.map((v) => [String(v), v]))(
    'an output of %s is a TypeError naming the example',
    (_, v) => {
      for (const m of metrics)
        expect(() => m.score(ctx('ref', v, 'n1')), m.name).toThrow(
          new RegExp(`^Metric \`${m.name}\` expected the output of example "n1" to be a string, got `),
        );
    },
  );
  it('a numeric reference is a TypeError, not String(0.1 + 0.2) compared as text', () => {
    for (const m of [exactMatch(), f1(), rougeL(), levenshtein(), contains(), bleu(), chrf()])
      expect(() => m.score(ctx(0.1 + 0.2, '0.30000000000000004', 'n2')), m.name).toThrow(
        new TypeError(
          `Metric \`${m.name}\` expected \`example.reference\` of example "n2" to be a string or an array of strings, got \`0.30000000000000004\` (number)`,
        ),
      );
  });
  it('every score of a string is a number or { value }, never undefined', () => {
    for (const m of metrics) {
      const v = value(m.score(ctx(m.name === 'json_match' ? { a: 1 } : 'ref', '{"a": 1}')) as MetricScore);
      expect(typeof v, m.name).toBe('number');
    }
  });
});
