// ppiMean at the edges a user reaches (a perfect judge, a constant judge, constant labels, n = 2 or 3, fewer
// unlabeled items than labeled ones, scores near 1e6, labels of -0), against gen_ppi_edges.py (ppi_py's formulas,
// scipy 1.17.1), and its invariants as seeded properties.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ppiMean } from '../../src/stats/index.js';
import { expectRel, type PpiReference } from './_rel.js';

interface EdgeCase {
  readonly name: string;
  readonly human: number[];
  readonly judge: number[];
  readonly unlabeled: number[];
  readonly confidence: number;
  readonly [lambda: string]: unknown;
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/ppi_edges.json', import.meta.url), 'utf8')) as {
  readonly scipy: string;
  readonly cases: readonly EdgeCase[];
};
const FC = { seed: 20261207, numRuns: 400 };

function expectReference(r: ReturnType<typeof ppiMean>, want: PpiReference, label: string): void {
  expectRel(r.lambda, want.lambda, 1e-9, `${label} lambda`);
  expectRel(r.estimate, want.estimate, 1e-9, `${label} estimate`);
  expectRel(r.stderr, want.stderr, 1e-9, `${label} stderr`);
  expectRel(r.ci.low, want.low, 1e-9, `${label} low`);
  expectRel(r.ci.high, want.high, 1e-9, `${label} high`);
  expectRel(r.pValue, want.p, 1e-9, `${label} p`);
}

describe('ppiMean at the edges = gen_ppi_edges.py (ppi_py formulas)', () => {
  it('was generated with scipy 1.17', () => {
    expect(fixture.scipy).toMatch(/^1\.17\./);
    expect(fixture.cases.length).toBe(14);
  });
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const labeled = { human: c.human, judge: c.judge };
    const o = { confidence: c.confidence };
    expectReference(ppiMean(labeled, c.unlabeled, o), c.auto as PpiReference, `${name} auto`);
    for (const lambda of [0, 0.5, 1])
      expectReference(
        ppiMean(labeled, c.unlabeled, { ...o, lambda }),
        c[`lam${lambda.toFixed(1)}`] as PpiReference,
        `${name} lambda ${lambda}`,
      );
  });
});

describe('ppiMean with a constant judge', () => {
  // Seven 0.7s average 0.7000000000000001 in floating point: the pooled variance was ~1e-33, not 0, and lambda the
  // ratio of two rounding errors. Before: 0.7 gave lambda 0.027281746031746035 and no note, 0.1 lambda 0 and no note.
  it.each([0.7, 0.1, 0.3, 1 / 3, -0.7, 1e6 + 0.1])(
    'every judge score %s: lambda 0, and the note says why',
    (c) => {
      const human = [1, 0, 1, 1, 0, 0.5, 0.2];
      const r = ppiMean({ human, judge: human.map(() => c) }, [c, c, c, c, c]);
      expect(r.lambda).toBe(0);
      expect(r.note).toMatch(/constant/);
      const classical = ppiMean({ human, judge: human.map(() => c) }, [c, c, c, c, c], { lambda: 0 });
      expect([r.estimate, r.stderr]).toEqual([classical.estimate, classical.stderr]);
    },
  );
});

describe('ppiMean on scores without spread that are not binary fractions', () => {
  // The mean of equal numbers need not be one of them in floating point (seven 0.7s average 0.7000000000000001):
  // the variance of equal scores came out ~1e-33 instead of 0, so a judge matching every label and scoring every
  // unlabeled item 0.7 got a standard error of 6.3e-17 instead of 0 (an interval of that width, which the run's
  // zero-width fallback did not see), and constant labels of 0.7 a finite effectiveN instead of NaN.
  const human = [0.1, 0.3, 0.7, 0.9, 0.7, 0.1, 0.3, 0.7, 0.9, 0.7];
  it.each([0.7, 0.1, 1 / 3])(
    'a perfect judge, every unlabeled score %s: stderr exactly 0 (lambda 1)',
    (c) => {
      const unlabeled = new Array<number>(200).fill(c);
      const r = ppiMean({ human, judge: human }, unlabeled);
      expect([r.lambda, r.stderr, r.ci.low, r.ci.high]).toEqual([1, 0, r.estimate, r.estimate]);
      const weighted = ppiMean({ human, judge: human }, unlabeled, {
        weights: human.map((_, i) => 1 + (i % 3)),
        unlabeledWeights: unlabeled.map((_, i) => 1 + (i % 2)),
        lambda: 1,
      });
      expect(weighted.stderr).toBe(0);
      const clustered = ppiMean({ human, judge: human }, unlabeled, {
        lambda: 1,
        clusters: { labeled: human.map((_, i) => i % 4), unlabeled: unlabeled.map((_, i) => i % 7) },
      });
      expect(clustered.stderr).toBe(0);
    },
  );
  it.each([0.7, 0.1])('labels all %s: effectiveN is NaN, as documented for constant labels', (c) => {
    const r = ppiMean({ human: new Array<number>(7).fill(c), judge: [0, 1, 0, 1, 1, 0, 1] }, [0, 1, 1]);
    expect(r.effectiveN).toBeNaN();
    expect(r.stderr).toBe(0);
  });
});

const score = fc.double({ min: -5, max: 5, noNaN: true, noDefaultInfinity: true });
const data = fc.record({
  pairs: fc.array(fc.tuple(score, score), { minLength: 2, maxLength: 40 }),
  unlabeled: fc.array(score, { minLength: 1, maxLength: 80 }),
});
const classical = (h: readonly number[]) => {
  const m = h.reduce((s, x) => s + x, 0) / h.length;
  const v = h.reduce((s, x) => s + (x - m) ** 2, 0) / h.length;
  return { estimate: m, stderr: Math.sqrt(v / h.length) };
};
const close = (got: number, want: number, tol = 1e-12) =>
  expect(Math.abs(got - want)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want)));

describe('ppiMean invariants (seeded properties)', () => {
  it('lambda fixed at 0 is the classical estimate and interval of the labels', () => {
    fc.assert(
      fc.property(data, ({ pairs, unlabeled }) => {
        const human = pairs.map((p) => p[0]);
        const r = ppiMean({ human, judge: pairs.map((p) => p[1]) }, unlabeled, { lambda: 0 });
        const c = classical(human);
        close(r.estimate, c.estimate);
        close(r.stderr, c.stderr);
      }),
      FC,
    );
  });

  it('lambda 1 with a judge off by a constant recovers the human mean of the unlabeled items', () => {
    fc.assert(
      fc.property(
        fc.array(score, { minLength: 2, maxLength: 40 }),
        fc.array(score, { minLength: 1, maxLength: 80 }),
        fc.double({ min: -3, max: 3, noNaN: true }),
        (human, unlabeledHuman, offset) => {
          const r = ppiMean(
            { human, judge: human.map((h) => h + offset) },
            unlabeledHuman.map((h) => h + offset),
            { lambda: 1 },
          );
          close(r.estimate, classical(unlabeledHuman).estimate, 1e-9);
          // The rectifier Y - f is the constant -offset: only the unlabeled spread is left.
          close(r.stderr, classical(unlabeledHuman.map((h) => h + offset)).stderr, 1e-6);
        },
      ),
      FC,
    );
  });

  it('the interval is estimate -/+ z stderr around the estimate, and contains it', () => {
    fc.assert(
      fc.property(
        data,
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        ({ pairs, unlabeled }, confidence) => {
          const r = ppiMean({ human: pairs.map((p) => p[0]), judge: pairs.map((p) => p[1]) }, unlabeled, {
            confidence,
          });
          expect(r.ci.low).toBeLessThanOrEqual(r.estimate);
          expect(r.estimate).toBeLessThanOrEqual(r.ci.high);
          close(r.ci.high - r.estimate, r.estimate - r.ci.low, 1e-9);
          expect(r.lambda).toBeGreaterThanOrEqual(0);
          expect(r.lambda).toBeLessThanOrEqual(1);
        },
      ),
      FC,
    );
  });

  it('reordering the labeled pairs, or the unlabeled items, changes nothing (to rounding)', () => {
    fc.assert(
      fc.property(data, fc.integer(), ({ pairs, unlabeled }, s) => {
        const shuffle = <T>(xs: readonly T[]) =>
          xs
            .map((x, i) => [x, ((i + 1) * 7919 + s) % 104729] as const)
            .sort((a, b) => a[1] - b[1])
            .map((x) => x[0]);
        const a = ppiMean({ human: pairs.map((p) => p[0]), judge: pairs.map((p) => p[1]) }, unlabeled);
        const q = shuffle(pairs);
        const b = ppiMean({ human: q.map((p) => p[0]), judge: q.map((p) => p[1]) }, shuffle(unlabeled));
        close(b.lambda, a.lambda, 1e-9);
        close(b.estimate, a.estimate, 1e-9);
        close(b.stderr, a.stderr, 1e-9);
      }),
      FC,
    );
  });

  // judge == human on every labeled item. With v, V the labeled and unlabeled variances, lambda = v / ((1 + n/N)
  // var_ddof1(all judge scores)) and (n + N) var_ddof1 >= n v + N V, so the PPI++ variance lambda^2 V/N +
  // (1 - lambda)^2 v/n is at most the classical v/n when v (2n - N) + V (2N - n) >= 0, which holds for
  // N/2 <= n <= 2N (and whenever lambda is clipped to 1). Outside, it need not: the fixture's "n 100, N 10" case is
  // wider than the classical interval, as ppi_py's is, since lambda's formula assumes both sets share one variance.
  it('the fixture case n 100, N 10: a perfect judge gives a wider interval than the labels alone', () => {
    const c = fixture.cases.find((x) => x.name.startsWith('perfect judge, n 100, N 10'))!;
    const r = ppiMean({ human: c.human, judge: c.judge }, c.unlabeled);
    expect(r.stderr).toBeGreaterThan(classical(c.human).stderr);
  });

  it('a perfect judge is never worse than the labels alone when N/2 <= n <= 2N', () => {
    fc.assert(
      fc.property(
        fc.array(score, { minLength: 2, maxLength: 40 }),
        fc.array(score, { minLength: 1, maxLength: 80 }),
        (human, unlabeled) => {
          fc.pre(unlabeled.length * 2 >= human.length && human.length * 2 >= unlabeled.length);
          const r = ppiMean({ human, judge: human }, unlabeled);
          expect(r.stderr).toBeLessThanOrEqual(classical(human).stderr * (1 + 1e-12));
        },
      ),
      FC,
    );
  });
});
