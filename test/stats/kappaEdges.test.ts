// cohensKappa at the edges of its input: ratings of two types, -0, relabeled classes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cohensKappa, type Rating } from '../../src/stats/index.js';

const FC = { seed: 20261207, numRuns: 300 };

describe('cohensKappa refuses numbers and strings mixed (scikit-learn: "Mix of label input types")', () => {
  // Before: labels 2, 10 and "1a" were ordered by a comparison that is not transitive (2 < 10 < "1a" < 2), so the
  // label order, and the quadratic kappa, followed the order of the items: 0, 0.2222222222222223 and -0.25 for
  // three orders of the same six pairs. And a judge's 1 against a human's "1" (a label read from a CSV) was a
  // disagreement: kappa 0.33333333333333337 for raters that agree on every item.
  it.each<[string, Rating[], Rating[], Rating[] | undefined, RegExp]>([
    [
      'in one rater',
      [2, 10, '1a'],
      [2, 10, 10],
      undefined,
      /`2` \(number\) at `a\[0\]` and `"1a"` \(string\) at `a\[2\]`/,
    ],
    [
      'across the raters',
      [1, 1, 0, 0],
      ['1', '1', '0', '0'],
      undefined,
      /`1` \(number\) at `a\[0\]` and `"1"` \(string\) at `b\[0\]`/,
    ],
    ['in `labels`', ['x', 'y'], ['x', 'x'], ['x', 'y', 3], /at `labels\[2\]`/],
  ])('%s', (_, a, b, labels, message) => {
    expect(() => cohensKappa(a, b, labels === undefined ? {} : { labels })).toThrow(TypeError);
    expect(() => cohensKappa(a, b, labels === undefined ? {} : { labels })).toThrow(message);
  });

  it('the order of the items does not decide a weighted kappa (was 0, 0.2222222222222223, -0.25)', () => {
    const a: Rating[] = [2, 10, '1a', 2, '1a', 10];
    const b: Rating[] = [10, '1a', 2, 2, 10, 10];
    for (const p of [
      [0, 1, 2, 3, 4, 5],
      [1, 2, 0, 3, 4, 5],
      [2, 0, 1, 3, 4, 5],
    ])
      expect(() =>
        cohensKappa(
          p.map((i) => a[i]!),
          p.map((i) => b[i]!),
          { weights: 'quadratic' },
        ),
      ).toThrow(/all numbers or all strings/);
  });
});

describe('cohensKappa invariants (seeded properties)', () => {
  const pairs = fc
    .integer({ min: 1, max: 50 })
    .chain((n) =>
      fc.tuple(
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n }),
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n }),
      ),
    );

  it('nominal kappa does not change when the classes are renamed (to strings, or permuted numbers)', () => {
    fc.assert(
      fc.property(
        pairs,
        fc.shuffledSubarray([0, 1, 2, 3, 4], { minLength: 5, maxLength: 5 }),
        ([a, b], perm) => {
          const k = cohensKappa(a, b);
          const named = ['pass', 'fail', 'partial', 'n/a', '日本'];
          const ks = cohensKappa(
            a.map((v) => named[v]!),
            b.map((v) => named[v]!),
          );
          const kp = cohensKappa(
            a.map((v) => perm[v]!),
            b.map((v) => perm[v]!),
          );
          for (const other of [ks, kp]) {
            expect(other.n).toBe(k.n);
            expect(other.observedAgreement).toBe(k.observedAgreement);
            if (Number.isNaN(k.kappa)) expect(other.kappa).toBeNaN();
            else expect(Math.abs(other.kappa - k.kappa)).toBeLessThanOrEqual(1e-12);
          }
        },
      ),
      FC,
    );
  });

  it('-0 is the label 0', () => {
    fc.assert(
      fc.property(pairs, fc.constantFrom(undefined, 'linear' as const, 'quadratic' as const), ([a, b], w) => {
        const o = w === undefined ? {} : { weights: w };
        const k = cohensKappa(a, b, o);
        const z = cohensKappa(
          a.map((v) => (v === 0 ? -0 : v)),
          b,
          o,
        );
        expect(z.labels).toEqual(k.labels);
        if (Number.isNaN(k.kappa)) expect(z.kappa).toBeNaN();
        else expect(z.kappa).toBe(k.kappa);
      }),
      FC,
    );
  });
});
