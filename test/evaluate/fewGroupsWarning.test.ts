/**
 * A grouped run's summary warns when its interval rests on fewer than 20 independent units. It counted the groups
 * only: two groups of 3 beside 100 examples in no group (102 units, a cluster bootstrap over 102) warned "only 2
 * groups: … too narrow to trust". The units are the groups and the examples in no group.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, type Metric } from '../../src/index.js';

const score: Metric = { name: 'score', kind: 'continuous', score: ({ output }) => Number(output) % 7 };
const echo = async (x: unknown) => String(x);
const TAIL =
  'an interval from fewer than 20 clusters is too narrow to trust (`group` is for dependent examples, not for slicing results)';

/** `grouped` examples in groups of 3, then `alone` examples in no group. */
function data(grouped: number, alone: number) {
  return Array.from({ length: grouped + alone }, (_, i) => ({
    id: `q${i}`,
    input: i,
    ...(i < grouped ? { group: `g${Math.floor(i / 3)}` } : {}),
  }));
}

describe('the few-clusters warning of a grouped run counts every independent unit', () => {
  it('2 groups beside 100 ungrouped examples: 102 units, no warning', async () => {
    const r = await evaluate(data(6, 100), echo, [score], { resamples: 199, progress: false });
    expect(r.metrics.score!.ci.method).toBe('cluster-bca');
    expect(r.metrics.score!.warning).toBeUndefined();
  });

  it('2 groups beside 10 ungrouped examples: 12 units, said so', async () => {
    const r = await evaluate(data(6, 10), echo, [score], { resamples: 199, progress: false });
    // (beside the note that 16 rows are few for a bootstrap)
    expect(r.metrics.score!.warning).toContain(
      `; only 12 independent units (2 groups and 10 examples in no group): ${TAIL}`,
    );
  });

  it('with trials, an ungrouped example is one unit however many trials it has', async () => {
    const r = await evaluate(data(6, 10), echo, [score], { resamples: 199, progress: false, trials: 3 });
    expect(r.metrics.score!.warning).toBe(
      `only 12 independent units (2 groups and 10 examples in no group): ${TAIL}`,
    );
    const many = await evaluate(data(6, 30), echo, [score], { resamples: 199, progress: false, trials: 3 });
    expect(many.metrics.score!.warning).toBeUndefined();
  });

  it('every example grouped: the groups, as before', async () => {
    const r = await evaluate(data(30, 0), echo, [score], { resamples: 199, progress: false });
    expect(r.metrics.score!.warning).toBe(`only 10 groups: ${TAIL}`);
  });
});
