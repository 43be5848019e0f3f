// compare() ran its paired test on the per-cluster MEANS, each cluster one equal unit, while the difference it
// reports is the mean over rows. With groups of unequal size the two need not share a sign: one group of 30 examples
// the candidate gets wrong (right in the baseline) and ten groups of one it gets right: difference -0.5, yet McNemar
// on the 11 group means (1 worse, 10 better) called the candidate significantly BETTER (p = 0.012, significant:
// true). With clusters of unequal size the test now runs on the clusters' totals, whose mean is 0 exactly when the
// rows' mean difference is (equal sizes keep the means, and the numbers they gave).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare, type Example, evaluate, type Metric } from '../../src/index.js';
import { pairedTTest } from '../../src/stats/index.js';

const metric: Metric = { name: 'm', kind: 'binary', score: (ctx) => Number(ctx.example.input) };
const run = (examples: Example[]) =>
  evaluate(examples, async () => '', [metric], { progress: false, resamples: 200, seed: 5 });

/** Examples in groups of `sizes`, example j of group g scoring `value(g, j)`. */
const grouped = (sizes: readonly number[], value: (g: number, j: number) => number): Example[] =>
  sizes.flatMap((m, g) =>
    Array.from({ length: m }, (_, j) => ({ id: `g${g}-${j}`, input: value(g, j), group: `g${g}` })),
  );

describe('compare() with clusters of unequal size tests the mean difference over rows', () => {
  it('one group of 30 worse and ten of one better: not "significantly better"; paired t on the group totals', async () => {
    const sizes = [30, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
    const base = await run(grouped(sizes, (g) => (g === 0 ? 1 : 0)));
    const cand = await run(grouped(sizes, (g) => (g === 0 ? 0 : 1)));
    const m = compare(base, cand).metrics.m!;
    expect(m.difference).toBe(-0.5);
    expect(m.significant).toBe(false);
    expect(m.test).toBe('paired-t');
    // The totals: the big group's 30 rows 1 -> 0, each small group's row 0 -> 1.
    const want = pairedTTest([0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [30, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(m.statistic).toBe(want.statistic);
    expect(m.pValue).toBe(want.pValue);
    expect(m.statistic).toBeLessThan(0);
    expect(m.discordant).toEqual({ baselineOnly: 30, candidateOnly: 10 });
    expect(m.note).toMatch(/11 per-cluster totals/);
  });

  it('the test statistic never points the other way from the difference (property, paired t)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 3, maxLength: 12 }),
        fc.array(fc.boolean(), { minLength: 120, maxLength: 120 }),
        fc.array(fc.boolean(), { minLength: 120, maxLength: 120 }),
        async (sizes, b, c) => {
          let k = 0;
          const flat = sizes.map((m) => Array.from({ length: m }, () => k++));
          const at = (g: number, j: number) => flat[g]![j]!;
          const base = await run(grouped(sizes, (g, j) => (b[at(g, j)] ? 1 : 0)));
          const cand = await run(grouped(sizes, (g, j) => (c[at(g, j)] ? 1 : 0)));
          const m = compare(base, cand, { test: 'paired-t' }).metrics.m!;
          if (m.difference !== 0 && Number.isFinite(m.statistic) && m.statistic !== 0)
            expect(Math.sign(m.statistic)).toBe(Math.sign(m.difference));
        },
      ),
      { seed: 20261207, numRuns: 60 },
    );
  });

  it('equal sizes: the test still runs on the per-cluster means (McNemar on 0/1 means, as before)', async () => {
    const sizes = [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3];
    const base = await run(grouped(sizes, (g) => (g < 6 ? 1 : 0)));
    const cand = await run(grouped(sizes, (g) => (g < 2 ? 1 : g < 6 ? 0 : 1)));
    const m = compare(base, cand).metrics.m!;
    expect(m.test).toBe('mcnemar');
    expect(m.discordant).toEqual({ baselineOnly: 4, candidateOnly: 6 });
    expect(m.note).toMatch(/12 per-cluster means/);
  });
});
