/**
 * compare(r, r) of a labeled run: the calibrated difference of a run with itself is known exactly (every pair has
 * the same output, judge score and label on both sides), as the raw one is, so it is non-inferior at every margin
 * >= 0 and toBeNonInferior(), which judges the calibrated interval first, passes. Before, the degenerate-labels rule
 * (every labeled difference 0: the bounded-mean interval of those differences) gave [-1, 1] on 10 labeled rows and
 * [-0.075, 0.075] on 200 of 200, so an unchanged system failed its non-inferiority gate once it had labels. Found by
 * test/properties/seams.property.test.ts ('compare(r, r) is exact …'), whose shrunk case is the first one here.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compare,
  type EvalResult,
  type Example,
  evaluate,
  loadResult,
  type Metric,
  saveResult,
} from '../../src/index.js';
import '../../src/vitest/index.js';

const graded: Metric = {
  name: 'graded',
  kind: 'continuous',
  bounds: [0, 1],
  score: ({ output }) => Number(output),
};
const em: Metric = { name: 'em', kind: 'binary', score: ({ output }) => (Number(output) >= 0.5 ? 1 : 0) };

/** `n` examples scoring `scoreOf(i)`; those `labeled(i)` carry a human label `labelOf(i)` on both metrics. */
function run(
  n: number,
  scoreOf: (i: number) => number,
  labeled: (i: number) => boolean,
  labelOf: (i: number) => number = scoreOf,
  options: { trials?: number; group?: (i: number) => string | undefined } = {},
): Promise<EvalResult> {
  const ds: Example[] = Array.from({ length: n }, (_, i) => {
    const group = options.group?.(i);
    const label = labelOf(i);
    return {
      id: `q${i}`,
      input: i,
      ...(group === undefined ? {} : { group }),
      ...(labeled(i) ? { labels: { graded: label, em: label >= 0.5 ? 1 : 0 } } : {}),
    };
  });
  return evaluate(ds, async (i) => String(scoreOf(i as number)), [em, graded], {
    progress: false,
    resamples: 199,
    trials: options.trials ?? 1,
  });
}

describe('compare(r, r) of a labeled run', () => {
  it.each([
    [
      '10 rows, every one labeled 0 and scoring 0',
      () =>
        run(
          10,
          () => 0,
          () => true,
        ),
    ],
    [
      '200 rows, every one labeled',
      () =>
        run(
          200,
          (i) => (i % 5) / 4,
          () => true,
          (i) => (i % 3) / 2,
        ),
    ],
    [
      '200 rows, 20 labeled (the judge and the humans disagree)',
      () =>
        run(
          200,
          (i) => (i % 5) / 4,
          (i) => i % 10 === 0,
          (i) => (i % 3) / 2,
        ),
    ],
    [
      '40 examples x 2 trials in groups of unequal size, half labeled',
      () =>
        run(
          40,
          (i) => (i % 4) / 4,
          (i) => i % 2 === 0,
          (i) => i % 2,
          {
            trials: 2,
            group: (i) => (i < 12 ? `g${i % 3}` : undefined),
          },
        ),
    ],
  ])('%s: calibrated difference exactly 0, [0, 0], non-inferior; toBeNonInferior passes', async (_, make) => {
    const r = await make();
    for (const margin of [0, 0.05]) {
      const cmp = compare(r, r, { margin, resamples: 199 });
      for (const name of ['em', 'graded']) {
        const c = cmp.metrics[name]!.calibrated!;
        expect(c, name).toBeDefined();
        expect([c.difference, c.ci.low, c.ci.high, c.pValue, c.stderr]).toEqual([0, 0, 0, 1, 0]);
        expect(c.ci.method).toBe('point');
        expect(c.nonInferior).toBe(true);
        expect(c.significant).toBe(false);
      }
      expect(cmp).toBeNonInferior({ margin });
      expect(cmp).not.toBeSignificantlyBetter();
    }
  });

  it('a rerun with the same outputs is the same run; one output changed is not', async () => {
    const labeled = (i: number) => i % 10 === 0;
    const base = await run(200, (i) => (i % 5) / 4, labeled);
    const again = await run(200, (i) => (i % 5) / 4, labeled);
    expect(compare(base, again, { margin: 0.05 }).metrics.graded!.calibrated!.ci).toMatchObject({
      low: 0,
      high: 0,
    });
    // Row 7 (unlabeled) answers 0.75 where the baseline said 0.5 and the judge scores it the same: no longer
    // identical outputs. Its human difference is unknown, so 20 labels do not certify a point.
    const judgeBlind: Metric = { ...graded, score: ({ output }) => Math.min(0.5, Number(output)) };
    const runWith = (shift: boolean) =>
      evaluate(
        Array.from({ length: 200 }, (_, i) => ({
          id: `q${i}`,
          input: i,
          ...(labeled(i) ? { labels: { graded: 0.5 } } : {}),
        })),
        async (i) => String(shift && i === 7 ? 0.75 : 0.5),
        [judgeBlind],
        { progress: false, resamples: 199 },
      );
    const c = compare(await runWith(false), await runWith(true), { margin: 0.05 }).metrics.graded!;
    expect(c.difference).toBe(0); // the judge saw no change
    expect(c.calibrated!.ci.low).toBeLessThan(-0.05);
    expect(c.calibrated!.nonInferior).toBe(false);
  });
});

describe('compare(r, r) of a labeled run whose records were streamed to a file', () => {
  // With `output`, the records are in the JSONL file and `examples` is empty: the outputs cannot be compared, and
  // compare(r, r) took the general PPI++ interval (about +-0.06 here), so an unchanged system failed its
  // non-inferiority gate at margin 0. The same result (the same object, or the same saved run loaded twice) is
  // the same run: its pairs are identical.
  const streamed = async (file: string) => {
    const ds: Example[] = Array.from({ length: 200 }, (_, i) => ({
      id: `q${i}`,
      input: i,
      ...(i % 10 === 0 ? { labels: { graded: (i % 3) / 2 } } : {}),
    }));
    return evaluate(ds, async (i) => String(((i as number) % 5) / 4), [graded], {
      progress: false,
      resamples: 199,
      output: file,
    });
  };

  it('is exact for the same object and for the same saved run loaded twice; another run is not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evalgate-self-'));
    const r = await streamed(join(dir, 'a.jsonl'));
    expect(r.examples).toEqual([]);
    for (const margin of [0, 0.02]) {
      const c = compare(r, r, { margin, resamples: 199 }).metrics.graded!.calibrated!;
      expect([c.difference, c.ci.low, c.ci.high, c.ci.method]).toEqual([0, 0, 0, 'point']);
      expect(compare(r, r, { margin, resamples: 199 })).toBeNonInferior({ margin });
    }
    await saveResult(r, join(dir, 'a.json'));
    const [l1, l2] = [await loadResult(join(dir, 'a.json')), await loadResult(join(dir, 'a.json'))];
    expect(compare(l1, l2, { resamples: 199 }).metrics.graded!.calibrated!.ci.method).toBe('point');
    // A second run with the same outputs, streamed to another file: its records are not read, so it is not
    // known to be the same: the general interval, centred on 0.
    const other = await streamed(join(dir, 'b.jsonl'));
    const c = compare(r, other, { resamples: 199 }).metrics.graded!.calibrated!;
    expect(c.ci.method).not.toBe('point');
    expect(c.ci.low).toBeLessThan(0);
  });
});
