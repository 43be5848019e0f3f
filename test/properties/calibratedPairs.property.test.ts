/**
 * compare()'s calibrated difference of two grouped runs is the row-level PPI++ estimate over pairs whatever the
 * groups and wherever the labels fall (row by row, in either run): with lambda as reported, difference =
 * lambda * mean(judge difference over pairs not labeled in both runs) + mean(human difference - lambda * judge
 * difference over pairs labeled in both), clipped to [-1, 1], and its standard error the cluster-robust one over
 * the pairs' groups (see calibratedRows.property.test.ts for the summary). Computed from the pairs, apart from
 * calibrationUnits and ppiMean.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare, evaluate } from '../../src/index.js';
import { expectRel } from '../stats/_rel.js';
import { check, outputScoreMetrics } from './_prop.js';

const graded = outputScoreMetrics[1]!; // 'graded': the output, bounds [0, 1]
const grid = fc.integer({ min: 0, max: 4 }).map((k) => k / 4);
const pair = fc.record({
  judge: fc.tuple(grid, grid),
  human: fc.tuple(grid, grid),
  // Labeled with probability 0.6 in each run: 0.36 in both.
  labeled: fc.tuple(
    fc.nat(9).map((k) => k < 6),
    fc.nat(9).map((k) => k < 6),
  ),
});
const runs = fc.record({
  groups: fc.array(fc.array(pair, { minLength: 1, maxLength: 10 }), { maxLength: 10 }),
  alone: fc.array(pair, { minLength: 20, maxLength: 50 }),
});

describe("compare()'s calibrated difference of grouped runs (property)", () => {
  it('is the row-level estimate over pairs with the cluster-robust standard error', async () => {
    let estimated = 0;
    await check(
      'calibrated difference = row-level PPI++ over pairs, cluster-robust stderr',
      120,
      fc.asyncProperty(runs, async ({ groups, alone }) => {
        const rows = [
          ...groups.flatMap((g, k) => g.map((p) => ({ ...p, cluster: `g${k}` as string | null }))),
          ...alone.map((p) => ({ ...p, cluster: null as string | null })),
        ];
        const side = (s: 0 | 1) =>
          evaluate(
            rows.map((p, i) => ({
              id: `q${i}`,
              input: p.judge[s],
              ...(p.cluster === null ? {} : { group: p.cluster }),
              ...(p.labeled[s] ? { labels: { graded: p.human[s] } } : {}),
            })),
            async (x) => String(x),
            [graded],
            { progress: false, resamples: 99 },
          );
        const [b, c] = [await side(0), await side(1)];
        const cal = compare(b, c, { resamples: 99 }).metrics.graded!.calibrated;
        if (cal === undefined || cal.ci.method === 'point') return;
        estimated++;
        const d = rows.map((p) => p.judge[1] - p.judge[0]);
        const both = rows.map((p) => p.labeled[0] && p.labeled[1]);
        const L = rows.flatMap((_, i) => (both[i] ? [i] : []));
        const U = rows.flatMap((_, i) => (both[i] ? [] : [i]));
        const lam = cal.lambda;
        const h = (i: number) => rows[i]!.human[1] - rows[i]!.human[0];
        const rbar = L.reduce((s, i) => s + h(i) - lam * d[i]!, 0) / L.length;
        const dbar = U.length === 0 ? 0 : U.reduce((s, i) => s + d[i]!, 0) / U.length;
        const raw = (U.length === 0 ? 0 : lam * dbar) + rbar;
        expectRel(cal.difference, Math.min(1, Math.max(-1, raw)), 1e-9, 'difference');
        const sums = new Map<string, number>();
        let total = 0;
        rows.forEach((p, i) => {
          const share = both[i] ? (h(i) - lam * d[i]! - rbar) / L.length : (lam * (d[i]! - dbar)) / U.length;
          if (p.cluster === null) total += share * share;
          else sums.set(p.cluster, (sums.get(p.cluster) ?? 0) + share);
        });
        for (const s of sums.values()) total += s * s;
        expectRel(cal.stderr, Math.sqrt(total), 1e-9, 'stderr');
      }),
    );
    expect(estimated).toBeGreaterThan(80);
  }, 180_000);
});
