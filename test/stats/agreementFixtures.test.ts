import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { _clopperPearson } from '../../src/stats/_internal/clopperPearson.js';
import {
  cohensKappa,
  kendallTau,
  krippendorffAlpha,
  labelsNeeded,
  ppiMean,
  roganGladen,
  spearman,
} from '../../src/stats/index.js';
import { expectPpi, expectRel } from './_rel.js';

// Fixtures from test/stats/fixtures/gen_agreement.py and gen_ppi.py (versions recorded in `meta`).
type Num = number | 'NaN' | 'Infinity' | '-Infinity';
const num = (v: Num): number => (typeof v === 'number' ? v : Number(v));
const agreement = JSON.parse(readFileSync(new URL('./fixtures/agreement.json', import.meta.url), 'utf8')) as {
  meta: Record<string, string | number>;
  kappa: {
    a: number[];
    b: number[];
    weights: 'linear' | 'quadratic' | null;
    labels?: number[];
    kappa: Num;
  }[];
  alpha: {
    data: (number | null)[][];
    level: 'nominal' | 'ordinal' | 'interval' | 'ratio';
    alpha: Num;
    doctest?: number;
    digits?: number;
  }[];
  rank: { x: number[]; y: number[]; rho: Num; rho_p: Num; tau: Num; tau_p: Num; ties: boolean }[];
  clopperPearson: { k: number; n: number; confidence: number; low: Num; high: Num }[];
};
interface PpiOut {
  lambda: number;
  estimate: number;
  stderr: number;
  low: number;
  high: number;
  p: number;
}
const ppi = JSON.parse(readFileSync(new URL('./fixtures/ppi.json', import.meta.url), 'utf8')) as {
  meta: Record<string, string | number>;
  ppi: ({ human: number[]; judge: number[]; unlabeled: number[]; confidence: number; auto: PpiOut } & Record<
    string,
    unknown
  >)[];
  roganGladen: {
    human: number[];
    judge: number[];
    unlabeled: number[];
    confidence: number;
    sensitivity: number;
    specificity: number;
    judgeRate: number;
    raw: number;
    stderr: number;
    estimate: number;
    low: number;
    high: number;
  }[];
  labelsNeeded: {
    correlation: number;
    N: number;
    halfWidth: number;
    confidence: number;
    sd: number;
    n: number;
    exact: number;
    classical: number;
  }[];
};

describe('fixtures record their reference versions', () => {
  it('scipy 1.17 and numpy', () => {
    expect(String(agreement.meta.scipy)).toMatch(/^1\.17\./);
    expect(String(ppi.meta.scipy)).toMatch(/^1\.17\./);
    expect(agreement.meta.numpy).toBeTypeOf('string');
  });
});

describe('cohensKappa = scikit-learn cohen_kappa_score formula', () => {
  it.each(agreement.kappa.map((c, i) => [i, c] as const))('case %i', (_, c) => {
    const r = cohensKappa(c.a, c.b, {
      ...(c.weights === null ? {} : { weights: c.weights }),
      ...(c.labels === undefined ? {} : { labels: c.labels }),
    });
    expectRel(r.kappa, num(c.kappa), 1e-9);
  });
});

describe('krippendorffAlpha = coincidence-matrix formulas and the fast-krippendorff doctests', () => {
  it.each(agreement.alpha.map((c, i) => [i, c] as const))('case %i', (_, c) => {
    const r = krippendorffAlpha(c.data, { level: c.level });
    expectRel(r.alpha, num(c.alpha), 1e-9);
    if (c.doctest !== undefined && c.digits !== undefined)
      expect(Number(r.alpha.toFixed(c.digits))).toBe(c.doctest);
  });
  it('category names at the nominal level: the fast-krippendorff string doctest (0.743)', () => {
    const names = ['very low', 'low', 'mid', 'high', 'very high'];
    const doc2 = agreement.alpha.find((c) => c.doctest === 0.815)!.data;
    const asNames = doc2.map((row) => row.map((v) => (v === null ? null : names[v - 1]!)));
    const r = krippendorffAlpha(asNames, { level: 'nominal' });
    expect(Number(r.alpha.toFixed(3))).toBe(0.743);
    expectRel(r.alpha, krippendorffAlpha(doc2, { level: 'nominal' }).alpha, 1e-12);
    expect(() => krippendorffAlpha(asNames, { level: 'ordinal' })).toThrow(TypeError);
  });
  it('the four fast-krippendorff doctest values are covered', () => {
    expect(agreement.alpha.filter((c) => c.doctest !== undefined).map((c) => c.doctest)).toEqual([
      0.691358, 0.810845, 0.815, 0.797,
    ]);
  });
});

describe('spearman / kendallTau = scipy.stats.spearmanr / kendalltau', () => {
  it.each(agreement.rank.map((c, i) => [i, c] as const))('case %i', (_, c) => {
    const s = spearman(c.x, c.y);
    expectRel(s.rho, num(c.rho), 1e-9, 'rho');
    expectRel(s.pValue, num(c.rho_p), 1e-9, 'spearman p');
    const t = kendallTau(c.x, c.y);
    expectRel(t.tau, num(c.tau), 1e-9, 'tau');
    expectRel(t.pValue, num(c.tau_p), 1e-9, 'kendall p');
    if (c.ties) expect(t.method).toBe('asymptotic');
  });
  it('picks the exact p-value beyond n = 33 when at most one pair is discordant (scipy rule)', () => {
    const last = agreement.rank[agreement.rank.length - 1];
    expect(last.x.length).toBe(40);
    expect(kendallTau(last.x, last.y).method).toBe('exact');
  });
});

describe('Clopper-Pearson = scipy.stats.beta.ppf', () => {
  it.each(agreement.clopperPearson.map((c, i) => [i, c] as const))('case %i', (_, c) => {
    const [low, high] = _clopperPearson(c.k, c.n, c.confidence);
    expectRel(low, num(c.low), 1e-9, 'low');
    expectRel(high, num(c.high), 1e-9, 'high');
  });
});

describe('ppiMean = ppi_py ppi_mean_pointestimate / ppi_mean_ci formulas', () => {
  it.each(ppi.ppi.map((c, i) => [i, c] as const))('case %i', (_, c) => {
    const check = (r: ReturnType<typeof ppiMean>, want: PpiOut): void => {
      expectPpi(r, want);
      expect(r.ci.method).toBe('ppi++');
    };
    const labeled = { human: c.human, judge: c.judge };
    check(ppiMean(labeled, c.unlabeled, { confidence: c.confidence }), c.auto);
    for (const lam of [0, 0.5, 1])
      check(
        ppiMean(labeled, c.unlabeled, { confidence: c.confidence, lambda: lam }),
        c[`lam${lam === 0.5 ? '0.5' : `${lam}.0`}`] as PpiOut,
      );
  });
});

describe('roganGladen = delta-method formulas (gen_ppi.py)', () => {
  it.each(ppi.roganGladen.map((c, i) => [i, c] as const))('case %i', (_, c) => {
    const r = roganGladen({ human: c.human, judge: c.judge }, c.unlabeled, { confidence: c.confidence });
    expectRel(r.sensitivity, c.sensitivity, 1e-12);
    expectRel(r.specificity, c.specificity, 1e-12);
    expectRel(r.raw, c.raw, 1e-9, 'raw');
    expectRel(r.stderr, c.stderr, 1e-9, 'stderr');
    expectRel(r.estimate, c.estimate, 1e-9, 'estimate');
    expectRel(r.ci.low, c.low, 1e-9, 'low');
    expectRel(r.ci.high, c.high, 1e-9, 'high');
  });
});

describe('labelsNeeded = the PPI++ variance at the optimal lambda (gen_ppi.py)', () => {
  it.each(ppi.labelsNeeded.map((c, i) => [i, c] as const))('case %i', (_, c) => {
    const r = labelsNeeded({
      correlation: c.correlation,
      N: c.N,
      halfWidth: c.halfWidth,
      confidence: c.confidence,
      sd: c.sd,
    });
    expectRel(r.exact, c.exact, 1e-9);
    expect(r.n).toBe(c.n);
    expect(r.classicalN).toBe(c.classical);
  });
});
