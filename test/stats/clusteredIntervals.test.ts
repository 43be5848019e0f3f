// Korn and Graubard's interval of a clustered proportion (clusteredProportionInterval), the summary's route for few
// binary units of unequal size, and Hoeffding's interval of a size-weighted mean (clusteredMeanInterval).
//
// Which duplication leaves the interval alone: p = A / M and v = sum_c (y_c - p m_c)^2 / M^2 are unchanged when every
// cluster's rows are repeated k times (y, m, A and M all times k), so n_eff and the interval are exactly the same.
// Repeating the rows of some clusters only moves p (a cluster whose rows all agree has mean 0 or 1, not p) and the
// interval with it, so it is a different interval; unless p is 0 or 1, where the units are the clusters whatever
// their sizes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clopperPearsonInterval } from '../../src/stats/boundedMeanInterval.js';
import { clusteredMeanInterval, clusteredProportionInterval } from '../../src/stats/clusteredMeanInterval.js';
import { expectRel } from './_rel.js';

const params = { seed: 20261207, numRuns: 300 };

/** Clusters of 0/1 rows: each cluster's rows (1 to 7 of them), 2 to 20 clusters. */
const clustersArb = (agree: boolean) =>
  fc.array(
    fc
      .integer({ min: 1, max: 7 })
      .chain((m) =>
        agree
          ? fc.integer({ min: 0, max: 1 }).map((v) => Array<number>(m).fill(v))
          : fc.array(fc.integer({ min: 0, max: 1 }), { minLength: m, maxLength: m }),
      ),
    { minLength: 2, maxLength: 20 },
  );

function rowsOf(clusters: readonly (readonly number[])[], times: (c: number) => number) {
  const values: number[] = [];
  const labels: string[] = [];
  clusters.forEach((rows, c) => {
    for (let t = 0; t < times(c); t++)
      for (const v of rows) {
        values.push(v);
        labels.push(`c${c}`);
      }
  });
  return { values, labels };
}

const interval = (r: { values: number[]; labels: string[] }) =>
  clusteredProportionInterval(r.values, r.labels, 0.95);

describe('clusteredProportionInterval', () => {
  it('every cluster repeated k times, rows agreeing within each (the summary route): exactly the same interval', () => {
    fc.assert(
      fc.property(clustersArb(true), fc.integer({ min: 2, max: 5 }), (clusters, k) => {
        expect(interval(rowsOf(clusters, () => k))).toEqual(interval(rowsOf(clusters, () => 1)));
      }),
      params,
    );
  });

  it('rows of any kind: the same interval unless the cap n_eff <= M binds, which k copies raise to kM', () => {
    const seen = { same: 0, capped: 0 };
    fc.assert(
      fc.property(clustersArb(false), fc.integer({ min: 2, max: 5 }), (clusters, k) => {
        const once = rowsOf(clusters, () => 1);
        const A = once.values.reduce((a, v) => a + v, 0);
        const M = once.values.length;
        const p = A / M;
        let ss = 0;
        for (const rows of clusters) ss += (rows.reduce((a, v) => a + v, 0) - p * rows.length) ** 2;
        const raw = (p * (1 - p) * M * M) / ss; // Korn-Graubard's n_eff before the cap (Infinity when ss = 0)
        const a = interval(once);
        const b = interval(rowsOf(clusters, () => k));
        if (p === 0 || p === 1 || raw < M * (1 - 1e-9)) {
          expect(b).toEqual(a);
          seen.same++;
        } else if (raw > M * (1 + 1e-9)) {
          seen.capped++;
          // Negatively correlated rows within clusters: capped at the M rows once, at min(raw, kM) with k copies.
          expect([a.low, a.high]).toEqual(Object.values(clopperPearsonInterval(A, M, 0.95)));
          expect(b.high - b.low).toBeLessThan(a.high - a.low);
        }
      }),
      params,
    );
    expect(seen.same).toBeGreaterThan(50);
    expect(seen.capped).toBeGreaterThan(5);
  });

  it('one cluster repeated, its rows all agreeing and p strictly inside (0, 1): the estimate and interval move', () => {
    fc.assert(
      fc.property(clustersArb(true), fc.nat(), fc.integer({ min: 2, max: 5 }), (clusters, pick, k) => {
        const once = rowsOf(clusters, () => 1);
        const p = once.values.reduce((a, v) => a + v, 0) / once.values.length;
        fc.pre(p > 0 && p < 1);
        const c = pick % clusters.length;
        const twice = rowsOf(clusters, (i) => (i === c ? k : 1));
        expect(twice.values.reduce((a, v) => a + v, 0) / twice.values.length).not.toBe(p);
        expect(interval(twice)).not.toEqual(interval(once));
      }),
      params,
    );
  });

  it('p = 0 or 1: any cluster repeated leaves it alone (the clusters are the units)', () => {
    fc.assert(
      fc.property(
        clustersArb(true),
        fc.nat(),
        fc.integer({ min: 2, max: 5 }),
        fc.boolean(),
        (clusters, pick, k, one) => {
          const same = clusters.map((r) => r.map(() => (one ? 1 : 0)));
          const c = pick % same.length;
          const want = clopperPearsonInterval(one ? same.length : 0, same.length, 0.95);
          const got = interval(rowsOf(same, (i) => (i === c ? k : 1)));
          expect([got.low, got.high]).toEqual([want.low, want.high]);
        },
      ),
      params,
    );
  });

  it('units of unequal size are Korn-Graubard; of one size, rows agreeing within each, Clopper-Pearson over them', () => {
    expect(interval(rowsOf([[1], [0, 0]], () => 1)).method).toBe('korn-graubard');
    expect(
      interval(
        rowsOf(
          [
            [1, 1],
            [0, 0],
            [1, 1],
          ],
          () => 1,
        ),
      ),
    ).toEqual({
      ...clopperPearsonInterval(2, 3, 0.95),
      method: 'clopper-pearson',
    });
  });

  it.each([
    [[], 'Expected `values` to hold at least one observation, got []'],
    [[0, 0.5], 'Expected `values[1]` to be 0 or 1, got 0.5 (number)'],
  ])('refuses %j', (values, message) => {
    expect(() =>
      clusteredProportionInterval(
        values,
        values.map(() => 'a'),
        0.95,
      ),
    ).toThrow(message);
  });
});

describe('clusteredMeanInterval', () => {
  it("units of unequal size: the row mean -/+ (hi - lo) sqrt(sum w^2 ln(2/alpha) / 2), Hoeffding's bound", () => {
    // Ten units of one row and ten of three, every row 0.5: row mean 0.5, sum w^2 = (10 + 90) / 40^2 = 1/16.
    const labels = [
      ...Array.from({ length: 10 }, (_, i) => `s${i}`),
      ...Array.from({ length: 30 }, (_, i) => `t${i % 10}`),
    ];
    const iv = clusteredMeanInterval(Array(40).fill(0.5), labels, [0, 1], 0.95);
    const half = Math.sqrt(((1 / 16) * Math.log(40)) / 2);
    expect(iv.method).toBe('hoeffding');
    expectRel(iv.low, 0.5 - half);
    expectRel(iv.high, 0.5 + half);
    // Clipped to the bounds: rows 0.2, 0.4 | 0.9 on [-1, 1] at 90%.
    expect(clusteredMeanInterval([0.2, 0.4, 0.9], ['a', 'a', 'b'], [-1, 1], 0.9)).toEqual({
      low: -1,
      high: 1,
      method: 'hoeffding',
    });
  });

  it('one unit of 75% of the rows certifies nothing: [lo, hi]', () => {
    // The reproduction's bounded twin: one unit of 30 rows at 0.05, ten of one row at 0.95.
    const values = [...Array(10).fill(0.95), ...Array(30).fill(0.05)];
    const labels = [...Array.from({ length: 10 }, (_, i) => `s${i}`), ...Array(30).fill('big')];
    expect(clusteredMeanInterval(values, labels, [0, 1], 0.95)).toEqual({
      low: 0,
      high: 1,
      method: 'hoeffding',
    });
  });
});
