import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ppiMean } from '../../src/stats/index.js';
import { expectPpi, expectRel, type PpiReference } from './_rel.js';

// Fixtures from test/stats/fixtures/gen_ppi_weighted.py (numpy/scipy; versions in `meta`): clusters of rows of
// unequal sizes, each cluster one item weighted by its rows.
interface Out extends PpiReference {
  effectiveN: number;
}
const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/ppi_weighted.json', import.meta.url), 'utf8'),
) as {
  meta: Record<string, unknown>;
  cases: ({
    human: number[];
    judge: number[];
    unlabeled: number[];
    weights: number[];
    unlabeledWeights: number[];
    confidence: number;
  } & Record<string, unknown>)[];
};

describe('ppiMean with sample weights = ppi_py weighted estimate and lambda, linearized variance (gen_ppi_weighted.py)', () => {
  it('was generated with scipy 1.17', () => {
    expect(String(fixture.meta.scipy)).toMatch(/^1\.17\./);
    expect(fixture.cases.length).toBe(32);
  });

  it.each(fixture.cases.map((c, i) => [i, c] as const))('case %i', (_, c) => {
    const check = (r: ReturnType<typeof ppiMean>, want: Out): void => {
      expectPpi(r, want);
      expectRel(r.effectiveN, want.effectiveN, 1e-9, 'effectiveN');
    };
    const labeled = { human: c.human, judge: c.judge };
    const weights = { weights: c.weights, unlabeledWeights: c.unlabeledWeights };
    check(ppiMean(labeled, c.unlabeled, { confidence: c.confidence, ...weights }), c.auto as Out);
    for (const lam of [0, 0.5, 1])
      check(
        ppiMean(labeled, c.unlabeled, { confidence: c.confidence, lambda: lam, ...weights }),
        c[`lam${lam === 0.5 ? '0.5' : `${lam}.0`}`] as Out,
      );
  });
});

const item = fc.double({ min: 0, max: 1, noNaN: true });
const sample = fc.record({
  human: fc.array(item, { minLength: 2, maxLength: 30 }),
  judgeNoise: fc.array(fc.double({ min: -0.3, max: 0.3, noNaN: true }), { minLength: 30, maxLength: 30 }),
  unlabeled: fc.array(item, { minLength: 1, maxLength: 40 }),
});

describe('ppiMean with sample weights: properties (seeded)', () => {
  it('equal weights (any value, per set) give the unweighted numbers exactly', () => {
    fc.assert(
      fc.property(
        sample,
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 50 }),
        ({ human, judgeNoise, unlabeled }, a, b) => {
          const judge = human.map((h, i) => h + judgeNoise[i]!);
          const plain = ppiMean({ human, judge }, unlabeled);
          const even = ppiMean({ human, judge }, unlabeled, {
            weights: human.map(() => a),
            unlabeledWeights: unlabeled.map(() => b),
          });
          expect(even).toEqual(plain);
        },
      ),
      { seed: 20261207, numRuns: 300 },
    );
  });

  it('weights scaled by a constant change nothing; reordering the items changes nothing (to rounding)', () => {
    fc.assert(
      fc.property(
        sample,
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 70, maxLength: 70 }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        ({ human, judgeNoise, unlabeled }, sizes, c) => {
          const judge = human.map((h, i) => h + judgeNoise[i]!);
          const weights = human.map((_, i) => sizes[i]!);
          const unlabeledWeights = unlabeled.map((_, i) => sizes[30 + i]!);
          const r = ppiMean({ human, judge }, unlabeled, { weights, unlabeledWeights });
          const scaled = ppiMean({ human, judge }, unlabeled, {
            weights: weights.map((w) => w * c),
            unlabeledWeights: unlabeledWeights.map((w) => w * c),
          });
          const rev = ppiMean(
            { human: [...human].reverse(), judge: [...judge].reverse() },
            [...unlabeled].reverse(),
            {
              weights: [...weights].reverse(),
              unlabeledWeights: [...unlabeledWeights].reverse(),
            },
          );
          for (const other of [scaled, rev]) {
            for (const k of ['estimate', 'stderr', 'lambda'] as const)
              expect(Math.abs(other[k] - r[k])).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(r[k])));
          }
        },
      ),
      { seed: 20261208, numRuns: 300 },
    );
  });

  it('with every item labeled and lambda 0, the estimate is the weighted mean of the labels (a mean over rows)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(item, fc.integer({ min: 1, max: 60 })), { minLength: 2, maxLength: 40 }),
        (units) => {
          const human = units.map(([h]) => h);
          const weights = units.map(([, m]) => m);
          const r = ppiMean({ human, judge: human }, human, {
            lambda: 0,
            weights,
            unlabeledWeights: weights,
          });
          const rows = units.reduce((a, [, m]) => a + m, 0);
          const total = units.reduce((a, [h, m]) => a + h * m, 0);
          expect(Math.abs(r.estimate - total / rows)).toBeLessThanOrEqual(1e-12);
        },
      ),
      { seed: 20261209, numRuns: 300 },
    );
  });

  it('refuses weights of the wrong length, and weights that are not finite and > 0', () => {
    const labeled = { human: [1, 0, 1], judge: [1, 1, 1] };
    expect(() => ppiMean(labeled, [1, 0], { weights: [1, 2] })).toThrow(RangeError);
    expect(() => ppiMean(labeled, [1, 0], { unlabeledWeights: [1, 2, 3] })).toThrow(RangeError);
    expect(() => ppiMean(labeled, [1, 0], { weights: [1, 0, 2] })).toThrow(
      /weights\[1\]` to be a finite number > 0/,
    );
    expect(() => ppiMean(labeled, [1, 0], { weights: [1, -1, 2] })).toThrow(RangeError);
    expect(() => ppiMean(labeled, [1, 0], { unlabeledWeights: [1, Number.POSITIVE_INFINITY] })).toThrow(
      RangeError,
    );
    expect(() => ppiMean(labeled, [1, 0], { weights: 'abc' as never })).toThrow(TypeError);
  });
});

/**
 * Seeded simulation: 60 clusters of unequal sizes (1 + geometric(0.1) rows) whose accuracy falls with their size, a
 * judge biased by +0.05 with noise, 40% of the clusters labeled at random. The target is the mean over rows. Weighted
 * by rows the 95% interval covers it at about its nominal rate; the clusters taken as equal units (the unweighted
 * estimate of the mean of cluster means) almost never do.
 */
describe('ppiMean weighted by cluster rows: coverage of the row mean (simulation, seeded)', () => {
  it('covers the row mean at ~95% weighted, and the equal-weight estimate does not', () => {
    let s = 0x2545f491;
    const rand = (): number => {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      return (s >>> 0) / 4294967296;
    };
    const normal = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    const reps = 1500;
    let weightedCover = 0;
    let equalCover = 0;
    let runs = 0;
    for (let r = 0; r < reps; r++) {
      const C = 60;
      const sizes: number[] = [];
      const human: number[] = [];
      const judge: number[] = [];
      let rows = 0;
      let total = 0;
      for (let c = 0; c < C; c++) {
        const m = 1 + Math.floor(Math.log(1 - rand()) / Math.log(0.9));
        const p = Math.min(0.95, Math.max(0.05, 0.95 - 0.03 * m));
        let k = 0;
        for (let i = 0; i < m; i++) if (rand() < p) k++;
        sizes.push(m);
        human.push(k / m);
        judge.push(Math.min(1, Math.max(0, k / m + 0.05 + 0.1 * normal())));
        rows += m;
        total += m * p;
      }
      const target = total / rows;
      const lab = sizes.map(() => rand() < 0.4);
      const nl = lab.filter(Boolean).length;
      if (nl < 5 || nl === C) continue;
      runs++;
      const pick = <T>(xs: T[], want: boolean) => xs.filter((_, i) => lab[i] === want);
      const labeled = { human: pick(human, true), judge: pick(judge, true) };
      const w = ppiMean(labeled, pick(judge, false), {
        weights: pick(sizes, true),
        unlabeledWeights: pick(sizes, false),
      });
      if (w.ci.low <= target && target <= w.ci.high) weightedCover++;
      const e = ppiMean(labeled, pick(judge, false));
      if (e.ci.low <= target && target <= e.ci.high) equalCover++;
    }
    expect(runs).toBeGreaterThan(1400);
    expect(weightedCover / runs).toBeGreaterThan(0.92);
    expect(weightedCover / runs).toBeLessThan(0.97);
    expect(equalCover / runs).toBeLessThan(0.05);
  });
});
