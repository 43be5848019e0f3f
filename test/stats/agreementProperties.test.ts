import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { _averageRanks, _pearson } from '../../src/stats/_internal/ranks.js';
import {
  cohensKappa,
  judgeAgreement,
  kendallTau,
  krippendorffAlpha,
  labelsNeeded,
  mean,
  ppiMean,
  roganGladen,
  spearman,
} from '../../src/stats/index.js';
import { expectRel } from './_rel.js';

// Invariants of the agreement and calibration statistics, as seeded property tests.
const params = { seed: 20261204, numRuns: 300 };
const labelsArb = (k: number, min = 2, max = 60) =>
  fc.array(fc.integer({ min: 0, max: k - 1 }), { minLength: min, maxLength: max });
const pairArb = (k: number) =>
  fc
    .integer({ min: 2, max: 60 })
    .chain((n) =>
      fc.tuple(
        fc.array(fc.integer({ min: 0, max: k - 1 }), { minLength: n, maxLength: n }),
        fc.array(fc.integer({ min: 0, max: k - 1 }), { minLength: n, maxLength: n }),
      ),
    );
const weightsArb = fc.constantFrom(undefined, 'linear' as const, 'quadratic' as const);

describe('cohensKappa', () => {
  it('identical ratings with at least two labels give kappa = 1', () => {
    fc.assert(
      fc.property(labelsArb(5), weightsArb, (a, w) => {
        fc.pre(new Set(a).size >= 2);
        expect(cohensKappa(a, a, w === undefined ? {} : { weights: w }).kappa).toBe(1);
      }),
      params,
    );
  });
  it('is symmetric in the two raters and bounded by [-1, 1]', () => {
    fc.assert(
      fc.property(pairArb(4), weightsArb, ([a, b], w) => {
        const o = w === undefined ? {} : { weights: w };
        const k1 = cohensKappa(a, b, o).kappa;
        const k2 = cohensKappa(b, a, o).kappa;
        if (Number.isNaN(k1)) expect(k2).toBeNaN();
        else {
          expect(Math.abs(k1 - k2)).toBeLessThanOrEqual(1e-12);
          expect(k1).toBeGreaterThanOrEqual(-1 - 1e-12);
          expect(k1).toBeLessThanOrEqual(1 + 1e-12);
        }
      }),
      params,
    );
  });
  it('does not depend on the order of the items', () => {
    fc.assert(
      fc.property(pairArb(3), fc.integer(), ([a, b], s) => {
        const perm = a
          .map((_, i) => i)
          .sort((i, j) => ((i * 7919 + s) % 97) - ((j * 7919 + s) % 97) || i - j);
        const k1 = cohensKappa(a, b).kappa;
        const k2 = cohensKappa(
          perm.map((i) => a[i]),
          perm.map((i) => b[i]),
        ).kappa;
        if (Number.isNaN(k1)) expect(k2).toBeNaN();
        else expect(Math.abs(k1 - k2)).toBeLessThanOrEqual(1e-12);
      }),
      params,
    );
  });
  it('rejects bad input with typed errors', () => {
    expect(() => cohensKappa([1, 2], [1])).toThrow(RangeError);
    expect(() => cohensKappa([1, 2], [1, {} as unknown as number])).toThrow(TypeError);
    expect(() => cohensKappa([1, 2], [1, 2], { weights: 'cubic' as 'linear' })).toThrow(
      `Expected \`weights\` to be one of 'linear' | 'quadratic', got \`"cubic"\` (string)`,
    );
    expect(cohensKappa([1, 1], [1, 1]).note).toMatch(/undefined/);
  });
});

describe('krippendorffAlpha', () => {
  const matrixArb = fc
    .tuple(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 3, max: 30 }))
    .chain(([m, u]) =>
      fc.array(
        fc.array(fc.option(fc.integer({ min: 1, max: 5 }), { nil: null, freq: 5 }), {
          minLength: u,
          maxLength: u,
        }),
        {
          minLength: m,
          maxLength: m,
        },
      ),
    );
  const levels = fc.constantFrom(
    'nominal' as const,
    'ordinal' as const,
    'interval' as const,
    'ratio' as const,
  );
  it('is at most 1, and exactly 1 when every rater agrees on every unit', () => {
    fc.assert(
      fc.property(matrixArb, levels, (data, level) => {
        const values = new Set(data.flat().filter((v) => v !== null));
        const pairable = data[0].some((_, u) => data.filter((r) => r[u] !== null).length >= 2);
        fc.pre(values.size >= 2 && pairable);
        const r = krippendorffAlpha(data, { level });
        if (!Number.isNaN(r.alpha)) expect(r.alpha).toBeLessThanOrEqual(1 + 1e-12);
        // full agreement: copy row 0 into every row (where row 0 has a value)
        const same = data.map(() => data[0].slice());
        const vals0 = new Set(data[0].filter((v) => v !== null));
        if (vals0.size >= 2) expect(krippendorffAlpha(same, { level }).alpha).toBeCloseTo(1, 12);
      }),
      params,
    );
  });
  it('does not depend on the order of raters or units', () => {
    fc.assert(
      fc.property(matrixArb, levels, (data, level) => {
        const values = new Set(data.flat().filter((v) => v !== null));
        const pairable = data[0].some((_, u) => data.filter((r) => r[u] !== null).length >= 2);
        fc.pre(values.size >= 2 && pairable);
        const a = krippendorffAlpha(data, { level }).alpha;
        const b = krippendorffAlpha(
          [...data].reverse().map((r) => [...r].reverse()),
          { level },
        ).alpha;
        if (Number.isNaN(a)) expect(b).toBeNaN();
        else expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-10);
      }),
      params,
    );
  });
  it('two raters, nominal, no missing: alpha equals a small-sample-corrected Scott pi (not above kappa + 1/n)', () => {
    expect(() => krippendorffAlpha([[1, 1, 1]], {})).toThrow(RangeError);
    expect(() =>
      krippendorffAlpha(
        [
          [1, 2, null],
          [null, null, 1],
        ],
        {},
      ),
    ).toThrow('Expected at least one unit rated by two or more raters, got none');
    expect(() => krippendorffAlpha([[1, 2], [1]], {})).toThrow(RangeError);
  });
});

describe('spearman / kendallTau', () => {
  const pairs = fc
    .integer({ min: 3, max: 50 })
    .chain((n) =>
      fc.tuple(
        fc.array(fc.integer({ min: -20, max: 20 }), { minLength: n, maxLength: n }),
        fc.array(fc.integer({ min: -20, max: 20 }), { minLength: n, maxLength: n }),
      ),
    );
  it('spearman is the Pearson correlation of the average ranks, symmetric, with p in [0, 1]', () => {
    fc.assert(
      fc.property(pairs, ([a, b]) => {
        const s = spearman(a, b);
        if (Number.isNaN(s.rho)) return;
        expectRel(s.rho, _pearson(_averageRanks(a), _averageRanks(b)), 1e-12);
        expect(Math.abs(spearman(b, a).rho - s.rho)).toBeLessThanOrEqual(1e-12);
        expect(s.pValue).toBeGreaterThanOrEqual(0);
        expect(s.pValue).toBeLessThanOrEqual(1);
      }),
      params,
    );
  });
  it('both are invariant under strictly increasing transforms and flip sign under negation', () => {
    fc.assert(
      fc.property(pairs, ([a, b]) => {
        const t = kendallTau(a, b);
        if (Number.isNaN(t.tau)) return;
        const a3 = a.map((v) => v ** 3 + 2 * v);
        expect(Math.abs(kendallTau(a3, b).tau - t.tau)).toBeLessThanOrEqual(1e-12);
        expect(
          Math.abs(
            kendallTau(
              a.map((v) => -v),
              b,
            ).tau + t.tau,
          ),
        ).toBeLessThanOrEqual(1e-12);
        expect(Math.abs(spearman(a3, b).rho - spearman(a, b).rho)).toBeLessThanOrEqual(1e-12);
        expect(t.pValue).toBeGreaterThanOrEqual(0);
        expect(t.pValue).toBeLessThanOrEqual(1);
      }),
      params,
    );
  });
  it('identical samples without ties give rho = tau = 1', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer(), { minLength: 2, maxLength: 40 }), (a) => {
        expect(Math.abs(spearman(a, a).rho - 1)).toBeLessThanOrEqual(1e-15);
        // scipy divides by two square roots, so 10 / sqrt(10) / sqrt(10) = 0.9999999999999999 there too
        expect(Math.abs(kendallTau(a, a).tau - 1)).toBeLessThanOrEqual(1e-15);
      }),
      params,
    );
  });
  it('regression (shrunk by fast-check): tau of [0, -1, -2, -3, -4] with itself rounds like scipy', () => {
    const a = [0, -1, -2, -3, -4];
    expect(kendallTau(a, a).tau).toBe(10 / Math.sqrt(10) / Math.sqrt(10));
    expect(kendallTau(a, a).method).toBe('exact');
  });
  it('constant input gives NaN with a note', () => {
    expect(spearman([1, 1, 1], [1, 2, 3]).note).toMatch(/constant/);
    expect(kendallTau([1, 1, 1], [1, 2, 3]).note).toMatch(/constant/);
    expect(() => kendallTau([1, 1, 2], [1, 2, 3], { method: 'exact' })).toThrow(RangeError);
  });
});

describe('ppiMean', () => {
  const dataArb = fc.tuple(
    fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 40 }),
    fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 80 }),
  );
  it('a perfect judge (judge = human) gives the classical mean of all items with lambda = 1', () => {
    fc.assert(
      fc.property(dataArb, ([human, unl]) => {
        fc.pre(new Set([...human, ...unl]).size >= 2);
        const r = ppiMean({ human, judge: human }, unl, { lambda: 1 });
        expectRel(r.estimate, mean(unl), 1e-9);
      }),
      params,
    );
  });
  it('a perfect judge scoring every item (labeled ones included) gives the classical mean of all and its z-interval', () => {
    fc.assert(
      fc.property(dataArb, ([human, rest]) => {
        const all = [...human, ...rest];
        fc.pre(new Set(all).size >= 2);
        const r = ppiMean({ human, judge: human }, all, { lambda: 1 });
        const m = mean(all);
        expectRel(r.estimate, m, 1e-9);
        const sd = Math.sqrt(all.reduce((s, v) => s + (v - m) ** 2, 0) / all.length);
        // the rectifier Y - f is 0 on every labeled item: only the judge's sampling is left
        expect(Math.abs(r.stderr - sd / Math.sqrt(all.length))).toBeLessThanOrEqual(1e-12);
      }),
      params,
    );
  });
  it('lambda = 0 gives the labeled mean and its z-interval', () => {
    fc.assert(
      fc.property(
        dataArb,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 40, maxLength: 40 }),
        ([human, unl], j) => {
          const judge = human.map((_, i) => j[i]);
          const r = ppiMean({ human, judge }, unl, { lambda: 0 });
          expect(Math.abs(r.estimate - mean(human))).toBeLessThanOrEqual(1e-12);
          const m = mean(human);
          const sd = Math.sqrt(human.reduce((s, v) => s + (v - m) ** 2, 0) / human.length);
          expect(Math.abs(r.stderr - sd / Math.sqrt(human.length))).toBeLessThanOrEqual(1e-12);
        },
      ),
      params,
    );
  });
  it('auto lambda lies in [0, 1]; the interval contains the estimate; bounds clip and say so', () => {
    fc.assert(
      fc.property(
        dataArb,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 40, maxLength: 40 }),
        ([human, unl], j) => {
          const judge = human.map((_, i) => j[i]);
          const r = ppiMean({ human, judge }, unl, { bounds: [0, 1] });
          expect(r.lambda).toBeGreaterThanOrEqual(0);
          expect(r.lambda).toBeLessThanOrEqual(1);
          expect(r.ci.low).toBeLessThanOrEqual(r.estimate + 1e-12);
          expect(r.ci.high).toBeGreaterThanOrEqual(r.estimate - 1e-12);
          expect(r.ci.low).toBeGreaterThanOrEqual(0);
          expect(r.ci.high).toBeLessThanOrEqual(1);
          const free = ppiMean({ human, judge }, unl);
          expect(r.clipped).toBe(free.ci.low < 0 || free.ci.high > 1);
        },
      ),
      params,
    );
  });
  it('a constant judge falls back to lambda 0 with a note; bad options are typed errors', () => {
    const r = ppiMean({ human: [1, 0, 1], judge: [1, 1, 1] }, [1, 1]);
    expect(r.lambda).toBe(0);
    expect(r.note).toMatch(/constant/);
    expect(() => ppiMean({ human: [1, 0], judge: [1, 0] }, [1], { lambda: 2 })).toThrow(
      'Expected `lambda` to be a number in [0, 1], got `2` (number)',
    );
    expect(() => ppiMean({ human: [1, 0], judge: [1] }, [1])).toThrow(RangeError);
    expect(() => ppiMean({ human: [1, 0], judge: [1, 0] }, [], {})).toThrow(RangeError);
    expect(() => ppiMean({ human: [1, 0], judge: [1, 0] }, [1], { confidence: 1.5 })).toThrow(
      'Expected `confidence` to be a number in (0, 1), got `1.5` (number)',
    );
  });
});

describe('roganGladen', () => {
  it('a perfect judge returns the judge rate on the unlabeled set', () => {
    fc.assert(
      fc.property(labelsArb(2, 2, 50), labelsArb(2, 1, 100), (h, u) => {
        fc.pre(h.includes(0) && h.includes(1));
        const r = roganGladen({ human: h, judge: h }, u);
        expectRel(r.estimate, mean(u), 1e-12);
        expect(r.ci.low).toBeLessThanOrEqual(r.estimate);
        expect(r.ci.high).toBeGreaterThanOrEqual(r.estimate);
      }),
      params,
    );
  });
  it('a chance-level judge gives NaN with a note; one human class is refused', () => {
    expect(roganGladen({ human: [1, 0, 1, 0], judge: [1, 1, 0, 0] }, [1]).note).toMatch(
      /no better than chance/,
    );
    expect(() => roganGladen({ human: [1, 1], judge: [1, 0] }, [1])).toThrow(/both human classes/);
  });
});

describe('labelsNeeded', () => {
  it('is decreasing in |correlation| and never above the classical count', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 0.99, noNaN: true }),
        fc.integer({ min: 10, max: 100000 }),
        (rho, N) => {
          const a = labelsNeeded({ correlation: rho, N, halfWidth: 0.03 });
          const b = labelsNeeded({ correlation: Math.min(1, rho + 0.01), N, halfWidth: 0.03 });
          expect(b.exact).toBeLessThanOrEqual(a.exact + 1e-9);
          expect(a.n).toBeLessThanOrEqual(a.classicalN);
        },
      ),
      params,
    );
  });
});

describe('judgeAgreement', () => {
  it('a judge equal to the humans has accuracy 1, kappa 1 and alpha 1', () => {
    fc.assert(
      fc.property(labelsArb(2, 4, 40), (h) => {
        fc.pre(h.includes(0) && h.includes(1));
        const r = judgeAgreement(h, h, { kind: 'binary', resamples: 200 });
        expect(r.accuracy?.estimate).toBe(1);
        expect(r.kappa?.estimate).toBe(1);
        expect(r.alpha.estimate).toBeCloseTo(1, 12);
        expect(r.tpr?.estimate).toBe(1);
        expect(r.tnr?.estimate).toBe(1);
      }),
      { seed: 1, numRuns: 60 },
    );
  });
  it('skips items the judge did not score (null, NaN)', () => {
    const r = judgeAgreement([1, null, 0, Number.NaN, 1, 0], [1, 1, 0, 0, 1, 1], {
      kind: 'binary',
      resamples: 200,
    });
    expect(r.n).toBe(4);
    expect(r.accuracy?.estimate).toBe(0.75);
    expect(() => judgeAgreement([1, '1' as unknown as number], [1, 1], { kind: 'binary' })).toThrow(
      TypeError,
    );
  });
  it('is reproducible with a seed, skips unlabeled items and reports the human ceiling', () => {
    const judge = [1, 2, 3, 4, 5, 3, 2, 4, 5, 1, 2, 3, 4, 4, 2, 1, 5, 3, 3, 2];
    const human = judge.map((v, i) => (i % 5 === 4 ? null : [v, i % 3 === 0 ? Math.min(5, v + 1) : v]));
    const a = judgeAgreement(judge, human, { kind: 'ordinal', seed: 7 });
    const b = judgeAgreement(judge, human, { kind: 'ordinal', seed: 7 });
    expect(a).toEqual(b);
    expect(a.n).toBe(16);
    expect(a.humanCeiling?.raters).toBe(2);
    expect(a.humanCeiling?.items).toBe(16);
    expect(a.spearman?.method).toBe('bca');
    expect(a.accuracy?.method).toBe('clopper-pearson');
    expect(() => judgeAgreement([1, 0], [1, 2], { kind: 'binary' })).toThrow(RangeError);
    expect(() => judgeAgreement([1, 0], [1, 0], { kind: 'nominal' as 'binary' })).toThrow(TypeError);
  });
});
