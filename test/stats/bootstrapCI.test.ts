import { describe, expect, it } from 'vitest';
import {
  _accelerationFromJackknife,
  _intervalFromDistribution,
} from '../../src/stats/_internal/bootstrapInterval.js';
import { bootstrapCI } from '../../src/stats/bootstrapCI.js';
import { expectRel } from './_rel.js';

// Vectors: shared/reference/STATS.md section 1 (scipy 1.17.1 scipy.stats.bootstrap, bootstrap_result with n_resamples=0).
const A1 = [10, 12, 12.5, 12.5, 13.9, 15, 21, 22, 23, 34, 50, 81, 89, 121, 134, 213];
const A1_THETA = 53.99375;
const A1_B = [
  38.5, 45.2, 29.9, 52.0, 47.3, 41.1, 36.6, 58.4, 44.0, 49.9, 33.2, 61.7, 42.8, 39.4, 55.1, 46.6, 40.2, 50.5,
  35.3, 66.0,
];
const A1_A = 0.06152886961259406;
const mean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / x.length;
const sd = (x: Float64Array) => {
  const m = mean(x);
  return Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / (x.length - 1));
};
const median = (x: Float64Array) => {
  const s = Float64Array.from(x).sort();
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};
const interval = (
  b: readonly number[],
  theta: number,
  a: number,
  method: 'bca' | 'percentile' | 'basic',
  cl = 0.95,
  alt: 'two-sided' | 'less' | 'greater' = 'two-sided',
) => _intervalFromDistribution(Float64Array.from(b), theta, a, method, cl, alt);

describe('bootstrapCI: STATS.md A1 (acceleration)', () => {
  it('a(mean) from the O(n) jackknife', () => {
    const r = bootstrapCI(A1, { resamples: 10 });
    expectRel(r.estimate, A1_THETA, 1e-12);
    expectRel(r.acceleration as number, A1_A, 1e-12);
  });
  it('a(sd, ddof=1) and a(median) from the generic jackknife', () => {
    expectRel(
      bootstrapCI(A1, { resamples: 10, statistic: sd }).acceleration as number,
      0.13858802506111242,
      1e-12,
    );
    expect(bootstrapCI(A1, { resamples: 10, statistic: median }).acceleration).toBe(0);
  });
});

describe('bootstrapCI: STATS.md A1 intervals from a given distribution', () => {
  it('z0, SE and the BCa levels', () => {
    const r = interval(A1_B, A1_THETA, A1_A, 'bca');
    expectRel(r.z0, 0.8416212335729143, 1e-12);
    expectRel(r.stderr, 9.604893215658908, 1e-12);
    expectRel(r.levels[0], 0.4188945714299537, 1e-12);
    expectRel(r.levels[1], 0.9999881441499456, 1e-12);
  });
  it.each([
    ['bca', 0.95, 42.7302946571875, 65.99903137705056],
    ['percentile', 0.95, 31.4675, 63.957499999999996],
    ['basic', 0.95, 44.03, 76.52],
    ['bca', 0.9, 45.30801841686719, 65.99352144884827],
    ['percentile', 0.9, 33.035000000000004, 61.915000000000006],
    ['basic', 0.9, 46.07249999999999, 74.95249999999999],
  ] as const)('%s at %s', (method, cl, low, high) => {
    const r = interval(A1_B, A1_THETA, A1_A, method, cl);
    expectRel(r.low, low, 1e-12);
    expectRel(r.high, high, 1e-12);
  });
  it("95% 'less' BCa is (-inf, the 90% two-sided upper bound)", () => {
    const r = interval(A1_B, A1_THETA, A1_A, 'bca', 0.95, 'less');
    expect(r.low).toBe(Number.NEGATIVE_INFINITY);
    expectRel(r.high, 65.99352144884827, 1e-12);
    const g = interval(A1_B, A1_THETA, A1_A, 'bca', 0.95, 'greater');
    expect(g.high).toBe(Number.POSITIVE_INFINITY);
    expectRel(g.low, 45.30801841686719, 1e-12);
  });
  it('ties count half in z0', () => {
    const r = interval([30, 40, A1_THETA, A1_THETA, A1_THETA, 50, 60, 70], A1_THETA, A1_A, 'bca');
    expectRel(r.z0, 0.1573106846101707, 1e-12);
    expectRel(r.low, 34.998763233773886, 1e-12);
    expectRel(r.high, 69.66576382168208, 1e-12);
  });
  it('every bootstrap value above or below theta gives NaN bounds', () => {
    for (const b of [
      [60, 65, 70, 75, 80],
      [20, 25, 30, 35, 40],
    ]) {
      const r = interval(b, A1_THETA, A1_A, 'bca');
      expect(r.low).toBeNaN();
      expect(r.high).toBeNaN();
    }
  });
});

describe('bootstrapCI: STATS.md A2-A4', () => {
  it('A2 jackknife acceleration and the z0 = 0 interval', () => {
    const a = _accelerationFromJackknife([Float64Array.from([4.75, 4.5, 4.25, 4.0, 2.5])]);
    expectRel(a, 0.0848528137423857, 1e-12);
    expectRel(
      bootstrapCI([1, 2, 3, 4, 10], { resamples: 5 }).acceleration as number,
      0.0848528137423857,
      1e-12,
    );
    const b = Array.from({ length: 11 }, (_, i) => 2 + 0.4 * i);
    const r = interval(b, 4, a, 'bca');
    expect(r.z0).toBe(0);
    expectRel(r.low, 2.1857259427394977, 1e-12);
    expectRel(r.high, 5.96254852063438, 1e-12);
    const p = interval(b, 4, a, 'percentile');
    expectRel(p.low, 2.1, 1e-12);
    expectRel(p.high, 5.9, 1e-12);
  });
  const x = [9, 7, 8, 6, 12, 5, 8, 7];
  const y = [8, 7, 6, 7, 7, 4, 6, 7];
  const meanDiff = (a: Float64Array, b: Float64Array) => mean(a) - mean(b);
  it('A3 paired acceleration and interval', () => {
    const r = bootstrapCI([x, y], { paired: true, statistic: meanDiff, resamples: 20 });
    expectRel(r.estimate, 1.25, 1e-12);
    expectRel(r.acceleration as number, 0.055960088892764326, 1e-12);
    const b = [0.25, 0.5, 0.625, 0.75, 0.875, 1.0, 1.125, 1.25, 1.25, 1.375, 1.5, 1.75, 2.0, 2.5];
    const iv = interval(b, 1.25, r.acceleration as number, 'bca');
    expectRel(iv.low, 0.49413049994238184, 1e-12);
    expectRel(iv.high, 2.470670154191998, 1e-12);
    const pc = interval(b, 1.25, 0, 'percentile');
    expectRel(pc.low, 0.33125000000000004, 1e-12);
    expectRel(pc.high, 2.3375000000000004, 1e-12);
  });
  it('A4 two unpaired samples: multi-sample acceleration', () => {
    const r = bootstrapCI(
      [
        [1, 3, 4, 8],
        [2, 2.5, 7, 9, 12],
      ],
      { statistic: meanDiff, resamples: 20 },
    );
    expectRel(r.acceleration as number, 0.005960067210586632, 1e-12);
  });
});

describe('bootstrapCI: degenerate data', () => {
  it('constant data: BCa NaN with a warning, SE 0, percentile (3, 3)', () => {
    const r = bootstrapCI([3, 3, 3, 3, 3, 3, 3, 3]);
    expect(r.low).toBeNaN();
    expect(r.high).toBeNaN();
    expect(r.stderr).toBe(0);
    expect(r.warning).toMatch(/0\/0/);
    const p = bootstrapCI([3, 3, 3, 3, 3, 3, 3, 3], { method: 'percentile' });
    expect([p.low, p.high]).toEqual([3, 3]);
    expect(p.warning).toBeUndefined();
  });
  it('a single observation gives NaN bounds, never a throw', () => {
    const r = bootstrapCI([5]);
    expect(r.estimate).toBe(5);
    expect(r.low).toBeNaN();
    expect(typeof r.warning).toBe('string');
  });
  it('a statistic returning NaN is reported, not sorted into the interval', () => {
    const r = bootstrapCI([1, 2, 3, 4], { statistic: (v) => (v[0] > 2 ? Number.NaN : v[0]), resamples: 50 });
    expect(r.low).toBeNaN();
    expect(r.warning).toMatch(/NaN on \d+ of 50/);
  });
});
