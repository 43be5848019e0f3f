import { describe, expect, it } from 'vitest';
import { adjustPValues } from '../../src/stats/adjustPValues.js';
import { cohensD } from '../../src/stats/cohensD.js';
import { mcnemarTest, mcnemarTestFromTable } from '../../src/stats/mcnemarTest.js';
import { pairedTTest } from '../../src/stats/pairedTTest.js';
import { wilcoxonSignedRankTest } from '../../src/stats/wilcoxonSignedRankTest.js';
import { expectRel } from './_rel.js';

// Vectors: shared/reference/STATS.md sections 2-4 (scipy 1.17.1; statsmodels mcnemar formulas).
const P = {
  P1: {
    x: [78, 85, 62, 90, 71, 88, 67, 94, 80, 73],
    y: [72, 80, 65, 81, 70, 77, 60, 86, 76, 75],
  },
  P2: {
    x: [12, 9, 7, 15, 11, 8, 14, 10, 13, 6, 9, 16],
    y: [9, 10, 7, 13, 9, 10, 9, 10, 9, 5, 6, 10],
  },
  P3: {
    x: [4, 5, 3, 4, 5, 3, 5, 2, 4, 3, 5, 4, 2, 5, 3, 4, 5, 4, 3, 5],
    y: [3, 3, 4, 3, 2, 2, 3, 4, 3, 2, 3, 3, 3, 2, 2, 2, 4, 3, 4, 3],
  },
} as const;

describe('mcnemarTestFromTable: STATS.md section 2', () => {
  it.each([
    [
      [
        [30, 3],
        [10, 7],
      ],
      0.09228515625,
      2.769230769230769,
      0.0960923294556734,
      3.769230769230769,
      0.0522036353413146,
      0.05737304687500002,
    ],
    [
      [
        [20, 12],
        [12, 6],
      ],
      1.0,
      0.041666666666666664,
      0.8382564863858263,
      0.0,
      1.0,
      1.0,
    ],
    [
      [
        [100, 25],
        [40, 35],
      ],
      0.08168153394154003,
      3.0153846153846153,
      0.08247788747320971,
      3.4615384615384617,
      0.06281184751609843,
      0.06401750413722561,
    ],
    [
      [
        [5, 1],
        [0, 4],
      ],
      1.0,
      0.0,
      1.0,
      1.0,
      0.31731050786291115,
      0.4999999999999999,
    ],
    [
      [
        [10, 0],
        [6, 4],
      ],
      0.03125,
      4.166666666666667,
      0.041226833337163815,
      6.0,
      0.014305878435429641,
      0.015624999999999879,
    ],
  ] as const)('%j', (table, pExact, sCorr, pCorr, sUnc, pUnc, pMid) => {
    const t = table as unknown as number[][];
    const ex = mcnemarTestFromTable(t);
    expect(ex.method).toBe('exact');
    expect(ex.statistic).toBe(Math.min(t[0][1], t[1][0]));
    expectRel(ex.pValue, pExact, 1e-12);
    const c = mcnemarTestFromTable(t, { exact: false });
    expect(c.method).toBe('asymptotic');
    expectRel(c.statistic, sCorr, 1e-12);
    expectRel(c.pValue, pCorr, 1e-12);
    const u = mcnemarTestFromTable(t, { exact: false, correction: false });
    expectRel(u.statistic, sUnc, 1e-12);
    expectRel(u.pValue, pUnc, 1e-12);
    const m = mcnemarTestFromTable(t, { midP: true });
    expect(m.method).toBe('mid-p');
    expectRel(m.pValue, pMid, 1e-12);
  });
  it('b = c = 0 gives p = 1 on every path (documented deviation from statsmodels)', () => {
    const t = [
      [7, 0],
      [0, 3],
    ];
    for (const o of [{}, { exact: false }, { exact: false, correction: false }, { midP: true }]) {
      const r = mcnemarTestFromTable(t, o);
      expect(r.pValue).toBe(1);
      expect(r.statistic).toBe(0);
    }
    expect(mcnemarTestFromTable(t, { exact: false }).note).toMatch(/No discordant pairs/);
  });
  it('deep tail stays accurate (exact p ~ 1e-100)', () => {
    // scipy 1.17.1: stats.binom.cdf(3, 400, 0.5) * 2 = 8.261788365657919e-114
    expectRel(
      mcnemarTestFromTable([
        [0, 3],
        [397, 0],
      ]).pValue,
      8.261788365657919e-114,
      1e-12,
    );
  });
  it('mcnemarTest builds the table from paired 0/1 outcomes', () => {
    const a = [1, 1, 1, 0, 1, 0, 1, 1];
    const b = [0, 0, 0, 0, 1, 1, 1, 0];
    const r = mcnemarTest(a, b);
    expect(r.table).toEqual([
      [2, 4],
      [1, 1],
    ]);
    expect([r.b, r.c, r.n]).toEqual([4, 1, 8]);
    expectRel(r.pValue, mcnemarTestFromTable(r.table).pValue, 0);
    expect(Object.isFrozen(r)).toBe(true);
  });
});

describe('pairedTTest: STATS.md section 3', () => {
  it.each([
    [
      'P1',
      3.129903560222949,
      0.012123584220230884,
      9,
      1.2753215398973796,
      7.924678460102619,
      0.006061792110115442,
    ],
    [
      'P2',
      2.733099544360546,
      0.019470160439035156,
      11,
      0.3731609063733139,
      3.4601724269600194,
      0.009735080219517578,
    ],
    [
      'P3',
      3.343122879619488,
      0.0034164703119847644,
      19,
      0.37393146175753633,
      1.6260685382424636,
      0.0017082351559923822,
    ],
  ] as const)('%s', (name, t, p, df, low, high, pGreater) => {
    const { x, y } = P[name];
    const r = pairedTTest(x, y);
    expectRel(r.statistic, t, 1e-12);
    expectRel(r.pValue, p, 1e-12);
    expect(r.df).toBe(df);
    expectRel(r.ci.low, low, 1e-12);
    expectRel(r.ci.high, high, 1e-12);
    expectRel(pairedTTest(x, y, { alternative: 'greater' }).pValue, pGreater, 1e-12);
    expect(r.method).toBe('t');
  });
  it('constant non-zero differences: t = +-inf, p = 0; all-zero differences: t = NaN, p = NaN', () => {
    const r = pairedTTest([2, 3, 4], [1, 2, 3]);
    expect(r.statistic).toBe(Number.POSITIVE_INFINITY);
    expect(r.pValue).toBe(0);
    const z = pairedTTest([1, 2, 3], [1, 2, 3]);
    expect(z.statistic).toBeNaN();
    expect(z.pValue).toBeNaN();
  });
});

describe('wilcoxonSignedRankTest: STATS.md section 4', () => {
  it.each([
    [
      'P1',
      5.0,
      0.01953125,
      'exact',
      0.01953125,
      0.02182427562605354,
      -2.293412361469315,
      0.024932455602863144,
      -2.242447642325552,
    ],
    [
      'P2',
      5.5,
      0.025390625,
      'permutation',
      0.02734375,
      0.024370603757179417,
      -2.251235844425264,
      0.027801830120072507,
      -2.2000713934155987,
    ],
    [
      'P3',
      35.0,
      0.007149015096469983,
      'asymptotic',
      0.0072956085205078125,
      0.007149015096469983,
      -2.6898219492864297,
      0.007571379932180031,
      -2.670608935362955,
    ],
  ] as const)('%s', (name, w, pAuto, path, pExact, pAsym, zAsym, pCorr, zCorr) => {
    const { x, y } = P[name];
    const auto = wilcoxonSignedRankTest(x, y);
    expect(auto.statistic).toBe(w);
    expect(auto.method).toBe(path);
    expectRel(auto.pValue, pAuto, 1e-12);
    expectRel(wilcoxonSignedRankTest(x, y, { method: 'exact' }).pValue, pExact, 1e-12);
    const as = wilcoxonSignedRankTest(x, y, { method: 'asymptotic' });
    expectRel(as.pValue, pAsym, 1e-12);
    expectRel(as.z as number, zAsym, 1e-12);
    const co = wilcoxonSignedRankTest(x, y, { method: 'asymptotic', correction: true });
    expectRel(co.pValue, pCorr, 1e-12);
    expectRel(co.z as number, zCorr, 1e-12);
  });
  it('P2 pratt and zsplit (STATS.md p-values are the normal approximation)', () => {
    const { x, y } = P.P2;
    const pr = wilcoxonSignedRankTest(x, y, { zeroMethod: 'pratt', method: 'asymptotic' });
    expect(pr.statistic).toBe(9.5);
    expectRel(pr.pValue, 0.027095190389446938, 1e-12);
    const zs = wilcoxonSignedRankTest(x, y, { zeroMethod: 'zsplit', method: 'asymptotic' });
    expect(zs.statistic).toBe(11);
    expectRel(zs.pValue, 0.027634358798249086, 1e-12);
    // 'auto' with zeros and n = 12 runs the permutation test: scipy 1.17.1 gives 0.029296875 for both.
    for (const zeroMethod of ['pratt', 'zsplit'] as const) {
      const r = wilcoxonSignedRankTest(x, y, { zeroMethod });
      expect(r.method).toBe('permutation');
      expect(r.pValue).toBe(0.029296875);
    }
  });
  it('edges: all zeros -> 1, five equal positives -> 0.0625, [1, 2, 3] exact -> 0.25', () => {
    expect(wilcoxonSignedRankTest([0, 0, 0, 0], [0, 0, 0, 0]).pValue).toBe(1);
    expect(wilcoxonSignedRankTest([1, 1, 1, 1, 1], [0, 0, 0, 0, 0]).pValue).toBe(0.0625);
    expect(wilcoxonSignedRankTest([1, 2, 3], [0, 0, 0], { method: 'exact' }).pValue).toBe(0.25);
  });
});

describe("cohensD: STATS.md section 4 (d_z and Hedges' g_z)", () => {
  it.each([
    ['P1', 0.9897624106974509, 0.9049256326376693],
    ['P2', 0.7889778788293025, 0.733932910538886],
    ['P3', 0.747545001596402, 0.7176432015325459],
  ] as const)('%s', (name, d, g) => {
    const { x, y } = P[name];
    const r = cohensD(x, y);
    expect(r.type).toBe('d_z');
    expectRel(r.d, d, 1e-12);
    expectRel(r.g, g, 1e-12);
  });
  it('unpaired pooled-sd d_s with its g', () => {
    // (mean 4 - mean 6.5) / sqrt((3*var([1,3,4,8]) + 4*var([2,2.5,7,9,12]))/7), J = 1 - 3/(4*7 - 1);
    // numpy 2.4.6: var(ddof=1) = 8.666666666666666 and 18.25.
    const a = [1, 3, 4, 8];
    const b = [2, 2.5, 7, 9, 12];
    const sp = Math.sqrt((3 * (26 / 3) + 4 * 18.25) / 7);
    const r = cohensD(a, b, { paired: false });
    expect(r.type).toBe('d_s');
    expectRel(r.d, -2.5 / sp, 1e-12);
    expectRel(r.g, (-2.5 / sp) * (1 - 3 / 27), 1e-12);
  });
});

describe('adjustPValues', () => {
  it('holm, bonferroni, bh against hand-computed values (R p.adjust)', () => {
    const p = [0.01, 0.04, 0.03, 0.2];
    expect(adjustPValues(p, 'bonferroni')).toEqual([0.04, 0.16, 0.12, 0.8]);
    const h = adjustPValues(p, 'holm');
    for (const [i, w] of [0.04, 0.09, 0.09, 0.2].entries()) expectRel(h[i], w, 1e-15);
    const bh = adjustPValues(p, 'bh');
    for (const [i, w] of [0.04, 0.05333333333333334, 0.05333333333333334, 0.2].entries())
      expectRel(bh[i], w, 1e-15);
    expect(adjustPValues(p, 'none')).toEqual(p);
  });
  it('NaN passes through and does not count', () => {
    const r = adjustPValues([0.01, Number.NaN, 0.02], 'bonferroni');
    expect(r[1]).toBeNaN();
    expect([r[0], r[2]]).toEqual([0.02, 0.04]);
  });
});
