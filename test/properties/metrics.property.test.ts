// Invariants of evalgate/metrics as properties (issue 19): every score lies within the metric's bounds for any
// Unicode text, and a perfect output scores the metric's maximum, never missing.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { Metric } from '../../src/core/types.js';
import {
  bleu,
  chrf,
  contains,
  exactMatch,
  f1,
  levenshtein,
  rougeL,
  sentenceBleu,
  sentenceChrf,
} from '../../src/metrics/index.js';
import { check, text } from './_prop.js';

const signal = new AbortController().signal;
function score(m: Metric, reference: string, output: string): number {
  const r = m.score({ example: { id: 'x', input: '', reference }, output, signal, trial: 0 } as never) as
    | number
    | { value: number };
  return typeof r === 'number' ? r : r.value;
}
const metrics: readonly Metric[] = [exactMatch(), f1(), rougeL(), levenshtein(), bleu(), chrf(), contains()];
const rangeOf = (m: Metric): readonly [number, number] => m.bounds ?? [0, 1];
/** The documented rounding tolerance of the bounds rule (evaluate() clamps within it). */
const within = (v: number, [lo, hi]: readonly [number, number]) => {
  const tol = 1e-9 * (hi - lo);
  return v >= lo - tol && v <= hi + tol;
};

describe('metric properties', () => {
  it('every score is finite or NaN-missing by design, and within its bounds, for arbitrary Unicode text', () => {
    check(
      'metric score within bounds',
      300,
      fc.property(text, text, (ref, out) => {
        for (const m of metrics) {
          const v = score(m, ref, out);
          if (Number.isNaN(v)) continue; // a declared "missing" (e.g. no reference tokens), never out of range
          if (!within(v, rangeOf(m)))
            throw new Error(`${m.name}(${JSON.stringify(out)}, ${JSON.stringify(ref)}) = ${v}`);
        }
      }),
    );
  });

  it('a perfect output scores the maximum and is never missing (text with at least one word)', () => {
    const worded = text.filter((s) => /[\p{L}\p{N}]/u.test(s));
    check(
      'perfect output scores the maximum',
      300,
      fc.property(worded, (ref) => {
        for (const m of [exactMatch(), levenshtein(), chrf(), contains()]) {
          const v = score(m, ref, ref);
          const hi = rangeOf(m)[1];
          if (!(Math.abs(v - hi) <= 1e-9 * hi))
            throw new Error(`${m.name} of a perfect output ${JSON.stringify(ref)} = ${v}`);
        }
      }),
    );
  });

  it('sentence BLEU and chrF of a perfect output are 100 up to rounding', () => {
    const words = fc
      .array(fc.constantFrom('the', 'cat', 'sat', 'on', 'mat', 'dog', 'ran', 'far', 'away', 'home'), {
        minLength: 4,
        maxLength: 40,
      })
      .map((w) => w.join(' '));
    check(
      'perfect sentence BLEU/chrF = 100',
      300,
      fc.property(words, (s) => {
        const b = sentenceBleu(s, [s]).score;
        const c = sentenceChrf(s, [s]).score;
        if (Math.abs(b - 100) > 1e-7 || Math.abs(c - 100) > 1e-7) throw new Error(`${b} ${c}`);
      }),
    );
  });
});
