// compare() looks up a corpus metric's aggregator by the metric's name, in the caller's `aggregators` record and
// in the aggregation the results recorded: a metric named like a property every object inherits (`constructor`,
// `toString`) must find only what is really there, never Object or Function.prototype.toString.
import { describe, expect, it } from 'vitest';
import { corpusAggregator } from '../../src/metrics/corpusAggregation.js';
import { compare } from '../../src/result/compare.js';
import { makeResult } from '../stats/_makeResult.js';

const stats = (k: number) => Array.from({ length: 12 }, (_, i) => [(i * k) % 5, 5]);

describe('a corpus metric named like an inherited property', () => {
  it.each(['constructor', 'toString', 'valueOf', 'hasOwnProperty'])(
    '"%s" without an aggregator is compared as any corpus metric without one',
    (name) => {
      const make = (k: number, metric: string) =>
        makeResult({
          metrics: { [metric]: stats(k).map((r) => r[0]! / r[1]!) },
          stats: { [metric]: stats(k) },
          aggregation: { [metric]: 'corpus' },
          kinds: { [metric]: 'continuous' },
        });
      const m = compare(make(2, name), make(3, name), { resamples: 200 }).metrics[name]!;
      const plain = compare(make(2, 'plain'), make(3, 'plain'), { resamples: 200 }).metrics.plain!;
      expect(plain.note).toMatch(/a corpus metric without an aggregator/);
      expect([m.test, m.testMethod, m.difference, m.pValue, m.ci, m.note]).toEqual([
        plain.test,
        plain.testMethod,
        plain.difference,
        plain.pValue,
        plain.ci,
        plain.note,
      ]);
    },
  );

  it.each(['constructor', 'toString', '__proto__'])(
    'a recorded aggregation with the id "%s" is not an aggregator',
    (id) => {
      expect(corpusAggregator({ kind: 'corpus', id, options: {} })).toBeUndefined();
    },
  );
});
