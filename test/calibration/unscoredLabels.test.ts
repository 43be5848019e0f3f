// Human labels on rows whose metric gave no score (it threw there) cannot be used: a labeled pair needs both
// numbers. The run says how many labels were lost, and when too few are left for a calibrated estimate it says
// so, instead of leaving a labeled judge silently uncalibrated.
import { describe, expect, it } from 'vitest';
import { type Example, evaluate, type Metric } from '../../src/index.js';

/** A judge that throws where `fails(input)` holds (its score is missing there), else scores the input's parity. */
const judgeFailingOn = (fails: (x: number) => boolean): Metric => ({
  name: 'judge',
  kind: 'binary',
  score: (c) => {
    const x = Number(c.example.input);
    if (fails(x)) throw new Error('judge: unparseable verdict');
    return x % 2;
  },
});

/** 40 rows, the 20 at odd positions labeled. */
const rows: Example[] = Array.from({ length: 40 }, (_, i) => ({
  id: `e${i}`,
  input: i,
  ...(i % 2 === 1 ? { labels: { judge: i % 4 === 1 ? 1 : 0 } } : {}),
}));

const run = (fails: (x: number) => boolean) =>
  evaluate(rows, async (x) => String(x), [judgeFailingOn(fails)], { progress: false, maxFailureRate: 1 });

const about = (warnings: readonly string[] | undefined) =>
  (warnings ?? []).filter((w) => w.includes('no score on') || w.includes('human labels on only'));

describe('labels on rows the metric did not score', () => {
  it('are counted in a warning; the estimate uses the rest', async () => {
    // Inputs divisible by 3: 7 of the 20 labeled (odd) rows, 13 left.
    const r = await run((x) => x % 3 === 0);
    expect(r.metrics.judge!.calibrated?.nLabeled).toBe(13);
    expect(about(r.warnings)).toEqual([
      'metric `judge` has no score on 7 of its 20 labeled rows (the metric failed there): those labels are not used, and if the failures are not at random the calibrated estimate is biased',
    ]);
  });

  it('too few left: no calibrated estimate, and the warnings say why', async () => {
    // Inputs below 22: 11 of the 20 labeled rows, 9 left (fewer than the 10 a calibrated estimate needs).
    const r = await run((x) => x < 22);
    expect(r.metrics.judge!.calibrated).toBeUndefined();
    expect(about(r.warnings)).toEqual([
      'metric `judge` has no score on 11 of its 20 labeled rows (the metric failed there): those labels are not used, and if the failures are not at random the calibrated estimate is biased',
      'metric `judge` has human labels on only 9 scored rows: at least 10 are needed for a calibrated estimate',
    ]);
  });

  it('a metric that scored every labeled row gets neither warning', async () => {
    const r = await run(() => false);
    expect(r.metrics.judge!.calibrated?.nLabeled).toBe(20);
    expect(about(r.warnings)).toEqual([]);
  });
});
