// adjustPValues against statsmodels multipletests' formulas (fixtures/gen_holm.py: 66 seeded vectors with ties, exact
// 0 and 1, tiny values, lengths 1 to 40), and the invariants any family-wise adjustment keeps, as seeded properties:
// adjusted >= raw, <= 1, monotone in the raw order, equivariant under a shuffle, Holm <= Bonferroni.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adjustPValues } from '../../src/stats/adjustPValues.js';
import { expectRel } from './_rel.js';

interface Case {
  readonly p: number[];
  readonly holm: number[];
  readonly bonferroni: number[];
  readonly bh: number[];
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/holm.json', import.meta.url), 'utf8')) as {
  reference: string;
  cases: Case[];
};

describe('adjustPValues against statsmodels multipletests (formulas in numpy)', () => {
  it('names its reference and holds the edge vectors', () => {
    expect(fixture.reference).toContain('multipletests');
    expect(fixture.cases.length).toBe(66);
  });
  it.each(['holm', 'bonferroni', 'bh'] as const)('%s: every case to 1e-12 relative', (method) => {
    for (const [k, c] of fixture.cases.entries()) {
      const got = adjustPValues(c.p, method);
      for (const [i, want] of c[method].entries()) expectRel(got[i]!, want, 1e-12, `case ${k}[${i}]`);
    }
  });
});

describe('adjustPValues invariants (seeded properties)', () => {
  const pv = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1, 0.05, 0.025, 0.01));
  const vectors = fc.array(pv, { minLength: 1, maxLength: 30 });
  it('Holm: >= raw, <= 1, monotone in the raw order, <= Bonferroni; ties share one value', () => {
    fc.assert(
      fc.property(vectors, (p) => {
        const h = adjustPValues(p, 'holm');
        const b = adjustPValues(p, 'bonferroni');
        for (let i = 0; i < p.length; i++) {
          expect(h[i]!).toBeGreaterThanOrEqual(p[i]!);
          expect(h[i]!).toBeLessThanOrEqual(1);
          expect(h[i]!).toBeLessThanOrEqual(b[i]!);
          for (let j = 0; j < p.length; j++) {
            if (p[i]! < p[j]!) expect(h[i]!).toBeLessThanOrEqual(h[j]!);
            if (p[i] === p[j]) expect(h[i]).toBe(h[j]);
          }
        }
      }),
      { seed: 44_2026, numRuns: 300 },
    );
  });
  it('every method is equivariant under a shuffle of its input', () => {
    const shuffled = vectors.chain((p) =>
      fc.tuple(fc.constant(p), fc.shuffledSubarray([...p.keys()], { minLength: p.length })),
    );
    fc.assert(
      fc.property(shuffled, fc.constantFrom('holm', 'bonferroni', 'bh', 'none' as const), ([p, order], m) => {
        const a = adjustPValues(p, m);
        const b = adjustPValues(
          order.map((i) => p[i]!),
          m,
        );
        for (const [k, i] of order.entries()) expect(b[k]).toBe(a[i]);
      }),
      { seed: 44_2026, numRuns: 300 },
    );
  });
});
