// The calibrated (PPI++) estimate of a grouped run took each group as one unit and every unit as an equal part: with
// groups of unequal size it estimated the mean of the groups' means, not the mean over rows the metric reports. One
// group of 30 examples scoring 1 and ten groups of one example scoring 0, every example labeled as scored (a perfect
// judge): the metric's mean 0.75, the "calibrated" mean 0.0909 with the interval [0, 0.261] — excluding the mean of
// the human labels themselves. compare()'s calibrated difference likewise. Each unit now weighs the rows it stands
// for (ppiMean's `weights`): the estimate is a mean over rows, whatever the groups' sizes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare, type Example, evaluate, type Metric } from '../../src/index.js';

/** A binary judge that scores what the example's input says (so the test decides every score). */
const judge: Metric = { name: 'judge', kind: 'binary', score: (ctx) => Number(ctx.example.input) };
const run = (examples: Example[]) =>
  evaluate(examples, async () => '', [judge], { progress: false, resamples: 200, seed: 3 });

/** Examples of `groups` (sizes), example j of group g scoring and labeled `value(g, j)`. */
function grouped(
  sizes: readonly number[],
  value: (g: number, j: number) => number,
  label = value,
): Example[] {
  return sizes.flatMap((m, g) =>
    Array.from({ length: m }, (_, j) => ({
      id: `g${g}-${j}`,
      input: value(g, j),
      group: `g${g}`,
      labels: { judge: label(g, j) },
    })),
  );
}

describe('the calibrated estimate of a grouped run is a mean over rows', () => {
  it('one group of 30 and ten of one, every example labeled as scored: the calibrated mean is the metric mean', async () => {
    const r = await run(grouped([30, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], (g) => (g === 0 ? 1 : 0)));
    const m = r.metrics.judge!;
    expect(m.mean).toBe(0.75);
    const cal = m.calibrated!;
    expect(cal.nLabeled).toBe(11);
    expect(Math.abs(cal.mean - 0.75)).toBeLessThanOrEqual(1e-12);
    expect(cal.ci.low).toBeLessThan(0.75);
    expect(cal.ci.high).toBeGreaterThanOrEqual(0.75);
  });

  it('every row labeled: the calibrated mean is the mean of the labels over rows, for any group sizes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 10, maxLength: 25 }),
        fc.array(fc.boolean(), { minLength: 300, maxLength: 300 }),
        fc.array(fc.boolean(), { minLength: 300, maxLength: 300 }),
        async (sizes, scores, labels) => {
          let k = 0;
          const flat = sizes.map((m) => Array.from({ length: m }, () => k++));
          const at = (g: number, j: number) => flat[g]![j]!;
          const r = await run(
            grouped(
              sizes,
              (g, j) => (scores[at(g, j)] ? 1 : 0),
              (g, j) => (labels[at(g, j)] ? 1 : 0),
            ),
          );
          const rows = k;
          let sum = 0;
          for (let i = 0; i < rows; i++) sum += labels[i] ? 1 : 0;
          const cal = r.metrics.judge!.calibrated;
          expect(cal).toBeDefined();
          expect(Math.abs(cal!.mean - sum / rows)).toBeLessThanOrEqual(1e-12);
        },
      ),
      { seed: 20261207, numRuns: 40 },
    );
  });

  it('compare(): with every pair labeled, the calibrated difference is the mean human difference over pairs', async () => {
    // The same 11 groups; the candidate gets the big group's 30 examples wrong and the ten small ones right.
    const sizes = [30, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
    const base = await run(grouped(sizes, (g) => (g === 0 ? 1 : 0)));
    const cand = await run(grouped(sizes, (g) => (g === 0 ? 0 : 1)));
    const c = compare(base, cand);
    const m = c.metrics.judge!;
    // 30 pairs -1 and 10 pairs +1 over 40 pairs.
    expect(m.difference).toBe(-0.5);
    expect(m.calibrated).toBeDefined();
    expect(Math.abs(m.calibrated!.difference - -0.5)).toBeLessThanOrEqual(1e-12);
    expect(m.calibrated!.ci.low).toBeLessThan(-0.5);
    expect(m.calibrated!.ci.high).toBeGreaterThan(-0.5);
    // A difference of two binary scores lies in [-1, 1], and so does its interval (the normal one reached -1.27).
    expect(m.calibrated!.ci.low).toBeGreaterThanOrEqual(-1);
    expect(m.calibrated!.ci.high).toBeLessThanOrEqual(1);
  });
});
