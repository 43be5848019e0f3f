// For every option combination a user can pass, the corpus score evaluate() and compare() compute from the rows'
// sufficient statistics (the metric's `aggregate`, and the aggregator its recorded aggregation names after a JSON
// round trip) is corpusBleu / corpusChrf on the same rows with the same options. The recorded BLEU order was once
// ignored (NaN or 0 at orders other than 4); this would have caught it.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { Metric, MetricScore } from '../../src/core/types.js';
import { bleu, chrf, corpusAggregator, corpusBleu, corpusChrf } from '../../src/metrics/index.js';
import { check } from './_prop.js';

const words = fc
  .array(fc.constantFrom('the', 'cat', 'Sat', 'on', 'a', 'mat', '.', ',', '1-2', 'café', '猫'), {
    maxLength: 10,
  })
  .map((w) => w.join(' '));
const rows = fc.array(fc.tuple(words, fc.array(words, { minLength: 1, maxLength: 2 })), {
  minLength: 1,
  maxLength: 5,
});
const bleuOptions = fc.record(
  {
    smooth: fc.constantFrom('exp' as const, 'floor' as const, 'add-k' as const, 'none' as const),
    smoothValue: fc.double({ min: 0, max: 1, noNaN: true }),
    lowercase: fc.boolean(),
    tokenize: fc.constantFrom('13a' as const, 'none' as const),
    maxNgramOrder: fc.integer({ min: 1, max: 6 }),
    effectiveOrder: fc.boolean(),
  },
  { requiredKeys: [] },
);
const chrfOptions = fc.record(
  {
    charOrder: fc.integer({ min: 1, max: 8 }),
    wordOrder: fc.integer({ min: 0, max: 3 }),
    beta: fc.double({ min: 0, max: 5, noNaN: true }),
    lowercase: fc.boolean(),
    whitespace: fc.boolean(),
    epsSmoothing: fc.boolean(),
  },
  { requiredKeys: [] },
);

const signal = new AbortController().signal;
function statsOf(m: Metric, rs: readonly [string, string[]][]): number[][] {
  return rs.map(([h, refs]) => {
    const s = m.score({ example: { id: 'x', input: '', reference: refs }, output: h, signal } as never);
    return [...((s as MetricScore).stats ?? [])];
  });
}
const same = (a: number, b: number) => Object.is(a, b);

describe('corpus aggregation equals the corpus functions for every option', () => {
  it('BLEU', () => {
    check(
      'bleu aggregate = corpusBleu',
      300,
      fc.property(rows, bleuOptions, (rs, o) => {
        const m = bleu(o);
        const stats = statsOf(m, rs);
        const want = corpusBleu(
          rs.map(([h]) => h),
          rs.map(([, r]) => r),
          { ...o, effectiveOrder: false },
        ).score;
        const own = m.aggregate!(stats);
        const recorded = corpusAggregator(JSON.parse(JSON.stringify(m.aggregation)))!(stats);
        if (!same(own, want) || !same(recorded, want))
          throw new Error(`${JSON.stringify(o)}: aggregate ${own}, recorded ${recorded}, corpusBleu ${want}`);
      }),
    );
  });

  it('chrF', () => {
    check(
      'chrf aggregate = corpusChrf',
      300,
      fc.property(rows, chrfOptions, (rs, o) => {
        const m = chrf(o);
        const stats = statsOf(m, rs);
        const want = corpusChrf(
          rs.map(([h]) => h),
          rs.map(([, r]) => r),
          o,
        ).score;
        const own = m.aggregate!(stats);
        const recorded = corpusAggregator(JSON.parse(JSON.stringify(m.aggregation)))!(stats);
        if (!same(own, want) || !same(recorded, want))
          throw new Error(`${JSON.stringify(o)}: aggregate ${own}, recorded ${recorded}, corpusChrf ${want}`);
        if (!(want >= 0 && want <= 100 + 1e-9)) throw new Error(`${JSON.stringify(o)}: corpus chrF ${want}`);
      }),
    );
  });
});
