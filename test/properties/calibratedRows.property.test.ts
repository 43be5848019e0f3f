/**
 * The calibrated estimate of a grouped run is the row-level PPI++ estimate whatever the groups and wherever the
 * labels fall (drawn row by row): with lambda as reported, mean = lambda * mean(judge over unlabeled rows) +
 * mean(human - lambda * judge over labeled rows), clipped to the bounds, and its standard error the cluster-robust
 * one, sqrt(sum over clusters of (sum of the cluster's rows' shares)^2), a row's share being
 * (human - lambda * judge - that mean) / labeled rows, or lambda * (judge - its mean) / unlabeled rows. Computed here
 * from the rows, apart from calibrationUnits and ppiMean, which work on units. nLabeled counts the groups with a label
 * and the labeled rows in no group; nUnlabeled the others. A segment's calibrated estimate is the same over the
 * segment's rows alone (a group split by segments is a cluster in each).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CalibratedSummary, evaluate } from '../../src/index.js';
import { expectRel } from '../stats/_rel.js';
import { check, outputScoreMetrics } from './_prop.js';

const graded = outputScoreMetrics[1]!; // 'graded': the output, bounds [0, 1]
const grid = fc.integer({ min: 0, max: 4 }).map((k) => k / 4);
const row = fc.record({
  judge: grid,
  human: grid,
  labeled: fc.boolean(),
  segment: fc.constantFrom('a', 'b'),
});
const run = fc.record({
  groups: fc.array(fc.array(row, { minLength: 1, maxLength: 12 }), { maxLength: 10 }),
  alone: fc.array(row, { minLength: 10, maxLength: 50 }),
});

interface Row {
  readonly judge: number;
  readonly human: number;
  readonly labeled: boolean;
  readonly segment: string;
  readonly cluster: string | null;
}

/** Checks `c` against the row-level estimate over `rows`; false when there is no estimate (too few labels). */
function expectRowLevel(c: CalibratedSummary | undefined, rows: readonly Row[], where: string): boolean {
  const unitOf = (r: Row, i: number) => r.cluster ?? `row${i}`;
  const labeledUnits = new Set(rows.flatMap((r, i) => (r.labeled ? [unitOf(r, i)] : []))).size;
  if (c === undefined) {
    expect(labeledUnits, where).toBeLessThan(10);
    return false;
  }
  const L = rows.filter((r) => r.labeled);
  const U = rows.filter((r) => !r.labeled);
  const lam = c.lambda;
  const rbar = L.reduce((s, r) => s + r.human - lam * r.judge, 0) / L.length;
  const fbar = U.length === 0 ? 0 : U.reduce((s, r) => s + r.judge, 0) / U.length;
  const raw = (U.length === 0 ? 0 : lam * fbar) + rbar;
  expectRel(c.mean, Math.min(1, Math.max(0, raw)), 1e-9, `${where} mean`);
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
  expectRel(c.stderr, Math.sqrt(total), 1e-9, `${where} stderr`);
  const unlabeledUnits =
    new Set(U.map((r) => r.cluster).filter((k) => k !== null && !L.some((l) => l.cluster === k))).size +
    U.filter((r) => r.cluster === null).length;
  expect([c.nLabeled, c.nUnlabeled], where).toEqual([labeledUnits, unlabeledUnits]);
  return true;
}

describe('calibrated estimate of grouped runs (property)', () => {
  it('is the row-level estimate with the cluster-robust standard error, overall and per segment', async () => {
    let estimated = 0;
    let partlyLabeled = 0;
    let segments = 0;
    await check(
      'calibrated estimate = row-level PPI++, cluster-robust stderr (overall and per segment)',
      150,
      fc.asyncProperty(run, async ({ groups, alone }) => {
        const rows: Row[] = [
          ...groups.flatMap((g, k) => g.map((r) => ({ ...r, cluster: `g${k}` }))),
          ...alone.map((r) => ({ ...r, cluster: null })),
        ];
        const ds = rows.map((r, i) => ({
          id: `q${i}`,
          input: r.judge,
          metadata: { segment: r.segment },
          ...(r.cluster === null ? {} : { group: r.cluster }),
          ...(r.labeled ? { labels: { graded: r.human } } : {}),
        }));
        const res = await evaluate(ds, async (x) => String(x), [graded], {
          progress: false,
          resamples: 99,
          segmentBy: (e) => String((e.metadata as { segment: string }).segment),
        });
        if (!expectRowLevel(res.metrics.graded!.calibrated, rows, 'overall')) return;
        estimated++;
        if (groups.some((g) => g.some((r) => r.labeled) && g.some((r) => !r.labeled))) partlyLabeled++;
        for (const label of ['a', 'b']) {
          const summary = res.segments?.[label]?.graded;
          if (summary === undefined) continue;
          if (
            expectRowLevel(
              summary.calibrated,
              rows.filter((r) => r.segment === label),
              `segment ${label}`,
            )
          )
            segments++;
        }
      }),
    );
    // The property ran on estimates, most with groups holding labeled and unlabeled rows, and on segments.
    expect(estimated).toBeGreaterThan(100);
    expect(partlyLabeled).toBeGreaterThan(50);
    expect(segments).toBeGreaterThan(50);
  }, 120_000);
});
