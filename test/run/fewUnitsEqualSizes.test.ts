// A summary of fewer than 30 clustered units whose sizes are all equal (k trials of every example, groups of one
// size) keeps exactly the numbers it had: Clopper-Pearson over the units when every unit's rows agree, else the
// bounded-mean interval of the unit means. Korn and Graubard's effective sample size is exactly the units there;
// only units of unequal size change route (test/evaluate/unequalClusters.test.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Metric } from '../../src/core/types.js';
import { _summarizeMetric } from '../../src/run/summarizeMetric.js';
import { boundedMeanInterval, clopperPearsonInterval } from '../../src/stats/boundedMeanInterval.js';

const params = { seed: 20261207, numRuns: 200 };
const options = { confidence: 0.95, resamples: 999, seed: 'evalgate' };
const binary: Metric = { name: 'b', kind: 'binary', score: () => 0 };
const bounded: Metric = { name: 'c', kind: 'continuous', bounds: [0, 1], score: () => 0 };

/** Units of one size: each unit's value per row (0/1 agreeing within the unit when `agree`), and the labels. */
const unitsArb = (agree: boolean) =>
  fc
    .record({
      size: fc.integer({ min: 1, max: 6 }),
      units: fc.integer({ min: 2, max: 29 }),
      confidence: fc.constantFrom(0.9, 0.95, 0.99),
    })
    .chain(({ size, units, confidence }) =>
      fc.record({
        rows: fc.array(
          agree
            ? fc.integer({ min: 0, max: 1 }).map((v) => Array<number>(size).fill(v))
            : fc.array(fc.integer({ min: 0, max: 1 }), { minLength: size, maxLength: size }),
          { minLength: units, maxLength: units },
        ),
        confidence: fc.constant(confidence),
        singletonsUnlabeled: fc.boolean(),
      }),
    );

function flatten(rows: readonly (readonly number[])[], unlabeled: boolean) {
  const values = rows.flat();
  const clusters = rows.flatMap((r, u) => r.map(() => (unlabeled && r.length === 1 ? null : `u${u}`)));
  return { values, clusters };
}

describe('few units of one size: the numbers of the units as equal observations', () => {
  it('binary, every unit all 0 or all 1: exactly Clopper-Pearson over the units', () => {
    fc.assert(
      fc.property(unitsArb(true), ({ rows, confidence, singletonsUnlabeled }) => {
        const k = rows.filter((r) => r[0] === 1).length;
        fc.pre(k > 0 && k < rows.length);
        const { values, clusters } = flatten(rows, singletonsUnlabeled);
        const s = _summarizeMetric(binary, { values, clusters, nMissing: 0 }, { ...options, confidence });
        const want = clopperPearsonInterval(k, rows.length, confidence);
        expect(s.ci.method).toBe('clopper-pearson');
        expect([s.ci.low, s.ci.high]).toEqual([Math.min(want.low, s.mean), Math.max(want.high, s.mean)]);
      }),
      params,
    );
  });

  it('binary with units that disagree, and a bounded metric: exactly the bounded-mean interval of the unit means', () => {
    fc.assert(
      fc.property(unitsArb(false), fc.boolean(), ({ rows, confidence, singletonsUnlabeled }, asBounded) => {
        const units = rows.map((r) => r.reduce((a, v) => a + v, 0) / r.length);
        fc.pre(units.some((u) => u !== 0 && u !== 1) || asBounded);
        fc.pre(new Set(rows.flat()).size > 1);
        const { values, clusters } = flatten(rows, singletonsUnlabeled);
        const s = _summarizeMetric(
          asBounded ? bounded : binary,
          { values, clusters, nMissing: 0 },
          {
            ...options,
            confidence,
          },
        );
        const want = boundedMeanInterval(units, [0, 1], confidence);
        expect(s.ci.method).toBe('bounded-mean');
        expect([s.ci.low, s.ci.high]).toEqual([Math.min(want.low, s.mean), Math.max(want.high, s.mean)]);
      }),
      { ...params, numRuns: 100 },
    );
  });
});
