// roganGladen where a proportion is 0 or 1 (one unlabeled item, a judge perfect on the labels, a strict judge that
// says 0 on every unlabeled item): the delta method's binomial variances vanish there, and the interval claimed a
// certainty no sample gives ([0, 0] from a judge with specificity 1 and unlabeled 0s, whatever the counts).
// Against gen_rogan_gladen_edges.py (Clopper-Pearson bounds from scipy.stats.beta.ppf, scipy 1.17), and the
// interval's invariants as seeded properties.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { _normPpf } from '../../src/stats/_internal/special.js';
import { roganGladen } from '../../src/stats/index.js';
import { expectRel } from './_rel.js';

interface EdgeCase {
  readonly name: string;
  readonly human: number[];
  readonly judge: number[];
  readonly unlabeled: number[];
  readonly confidence: number;
  readonly low: number;
  readonly high: number;
  readonly method: string;
}
const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/rogan_gladen_edges.json', import.meta.url), 'utf8'),
) as { readonly meta: { readonly scipy: string }; readonly cases: readonly EdgeCase[] };
const FC = { seed: 20261207, numRuns: 400 };
const clip = (v: number) => Math.min(1, Math.max(0, v));

describe('roganGladen with a proportion at 0 or 1 = gen_rogan_gladen_edges.py', () => {
  it('was generated with scipy 1.17', () => {
    expect(fixture.meta.scipy).toMatch(/^1\.17\./);
    expect(fixture.cases.length).toBe(10);
  });
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = roganGladen({ human: c.human, judge: c.judge }, c.unlabeled, { confidence: c.confidence });
    expectRel(r.ci.low, c.low, 1e-9, 'low');
    expectRel(r.ci.high, c.high, 1e-9, 'high');
    expect(r.ci.method).toBe(c.method);
  });
  it('a strict judge saying 0 on 500 unlabeled items is not a certified 0', () => {
    const human = [1, 1, 1, 1, 1, 1, ...Array<number>(14).fill(0)];
    const judge = [1, 1, 1, 1, 0, 0, ...Array<number>(14).fill(0)];
    const r = roganGladen({ human, judge }, Array<number>(500).fill(0));
    expect(r.estimate).toBe(0);
    expect(r.ci.high).toBeGreaterThan(0);
  });
});

describe('roganGladen interval invariants (seeded properties)', () => {
  const binary = (min: number, max: number) =>
    fc.array(fc.integer({ min: 0, max: 1 }), { minLength: min, maxLength: max });
  const inputs = fc
    .tuple(binary(2, 40), binary(2, 40), binary(1, 80))
    .filter(([h]) => h.includes(0) && h.includes(1));
  const delta = (r: ReturnType<typeof roganGladen>, confidence = 0.95) => {
    const z = _normPpf(1 - (1 - confidence) / 2);
    return { low: clip(r.raw - z * r.stderr), high: clip(r.raw + z * r.stderr) };
  };

  it('never narrower than the delta method, holds the estimate, and is never a point', () => {
    fc.assert(
      fc.property(inputs, ([h, j0, u]) => {
        const j = h.map((_, i) => j0[i % j0.length] as number);
        const r = roganGladen({ human: h, judge: j }, u);
        fc.pre(Number.isFinite(r.raw));
        const d = delta(r);
        expect(r.ci.low).toBeLessThanOrEqual(d.low);
        expect(r.ci.high).toBeGreaterThanOrEqual(d.high);
        expect(r.ci.low).toBeLessThanOrEqual(r.estimate);
        expect(r.ci.high).toBeGreaterThanOrEqual(r.estimate);
        expect(r.ci.high).toBeGreaterThan(r.ci.low);
      }),
      FC,
    );
  });

  it('is the delta method exactly when the unlabeled rate is inside (0, 1) and the variance is not 0', () => {
    fc.assert(
      fc.property(inputs, ([h, j0, u]) => {
        const j = h.map((_, i) => j0[i % j0.length] as number);
        const r = roganGladen({ human: h, judge: j }, u);
        fc.pre(Number.isFinite(r.raw) && r.judgeRate > 0 && r.judgeRate < 1 && r.stderr > 0);
        expect(r.ci).toEqual({ ...delta(r), level: 0.95, method: 'rogan-gladen-delta' });
      }),
      FC,
    );
  });

  it('a perfect judge: the interval narrows as labels grow', () => {
    const widthWith = (k: number) => {
      const h = [...Array<number>(k).fill(1), ...Array<number>(k).fill(0)];
      const r = roganGladen({ human: h, judge: h }, Array<number>(1000).fill(0));
      return r.ci.high - r.ci.low;
    };
    const widths = [5, 20, 80, 320].map(widthWith);
    for (let i = 1; i < widths.length; i++) expect(widths[i]).toBeLessThan(widths[i - 1] as number);
    expect(widths[0]).toBe(1);
  });
});
