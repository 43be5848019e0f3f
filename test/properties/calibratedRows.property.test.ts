/**
 * The calibrated estimate of a grouped run is the row-level PPI++ estimate whatever the groups and wherever the
 * labels fall (drawn row by row): with lambda as reported, mean = lambda * mean(judge over unlabeled rows) +
 * mean(human - lambda * judge over labeled rows), clipped to the bounds, and its standard error the cluster-robust
 * one, sqrt(sum over clusters of (sum of the cluster's rows' shares)^2), a row's share being
 * (human - lambda * judge - that mean) / labeled rows, or lambda * (judge - its mean) / unlabeled rows. Computed here
 * from the rows, apart from calibrationUnits and ppiMean, which work on units. nLabeled counts the groups with a label
 * and the labeled rows in no group; nUnlabeled the others.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, type Metric } from '../../src/index.js';
import { check } from './_prop.js';

const graded: Metric = {
  name: 'graded',
  kind: 'continuous',
  bounds: [0, 1],
  score: ({ output }) => Number(output),
};
const grid = fc.integer({ min: 0, max: 4 }).map((k) => k / 4);
const row = fc.record({ judge: grid, human: grid, labeled: fc.boolean() });
const run = fc.record({
  groups: fc.array(fc.array(row, { minLength: 1, maxLength: 12 }), { maxLength: 10 }),
  alone: fc.array(row, { minLength: 10, maxLength: 50 }),
});

function rel(got: number, want: number, what: string): void {
  if (!(Math.abs(got - want) <= 1e-9 * Math.max(1e-12, Math.abs(want))))
    throw new Error(`${what}: got ${got}, want ${want}`);
}

describe('calibrated estimate of grouped runs (property)', () => {
  it('is the row-level estimate with the cluster-robust standard error', async () => {
    let estimated = 0;
    let partlyLabeled = 0;
    await check(
      'calibrated estimate = row-level PPI++, cluster-robust stderr',
      150,
      fc.asyncProperty(run, async ({ groups, alone }) => {
        const rows = [
          ...groups.flatMap((g, k) => g.map((r) => ({ ...r, cluster: `g${k}` as string | null }))),
          ...alone.map((r) => ({ ...r, cluster: null as string | null })),
        ];
        if (rows.length === 0) return;
        const ds = rows.map((r, i) => ({
          id: `q${i}`,
          input: r.judge,
          ...(r.cluster === null ? {} : { group: r.cluster }),
          ...(r.labeled ? { labels: { graded: r.human } } : {}),
        }));
        const res = await evaluate(ds, async (x) => String(x), [graded], { progress: false, resamples: 99 });
        const c = res.metrics.graded!.calibrated;
        const labeledUnits = new Set(rows.filter((r) => r.labeled).map((r, i) => r.cluster ?? `row${i}`))
          .size;
        if (c === undefined) {
          expect(labeledUnits).toBeLessThan(10);
          return;
        }
        estimated++;
        if (groups.some((g) => g.some((r) => r.labeled) && g.some((r) => !r.labeled))) partlyLabeled++;
        const L = rows.filter((r) => r.labeled);
        const U = rows.filter((r) => !r.labeled);
        const lam = c.lambda;
        const rbar = L.reduce((s, r) => s + r.human - lam * r.judge, 0) / L.length;
        const fbar = U.length === 0 ? 0 : U.reduce((s, r) => s + r.judge, 0) / U.length;
        const raw = (U.length === 0 ? 0 : lam * fbar) + rbar;
        rel(c.mean, Math.min(1, Math.max(0, raw)), 'mean');
        const sums = new Map<string, number>();
        let total = 0;
        for (const r of rows) {
          const share = r.labeled
            ? (r.human - lam * r.judge - rbar) / L.length
            : (lam * (r.judge - fbar)) / U.length;
          if (r.cluster === null) total += share * share;
          else sums.set(r.cluster, (sums.get(r.cluster) ?? 0) + share);
        }
        for (const s of sums.values()) total += s * s;
        rel(c.stderr, Math.sqrt(total), 'stderr');
        const unlabeledUnits =
          new Set(U.map((r) => r.cluster).filter((k) => k !== null && !L.some((l) => l.cluster === k))).size +
          U.filter((r) => r.cluster === null).length;
        expect([c.nLabeled, c.nUnlabeled]).toEqual([
          new Set(L.map((r, i) => r.cluster ?? `row${i}`)).size,
          unlabeledUnits,
        ]);
        expect(labeledUnits).toBe(c.nLabeled);
      }),
    );
    // The property ran on estimates, most with groups holding labeled and unlabeled rows.
    expect(estimated).toBeGreaterThan(100);
    expect(partlyLabeled).toBeGreaterThan(50);
  }, 120_000);
});
