// Human labels keyed by a name no metric of the run has (a typo, a metric left out of this run) are not used:
// the run says so in its warnings, naming the key, the first example carrying it and the run's metrics, instead
// of leaving the judge silently uncalibrated.
import { describe, expect, it } from 'vitest';
import { type Example, evaluate, type Metric } from '../../src/index.js';

const judge: Metric = { name: 'judge', kind: 'binary', score: (c) => Number(c.example.input) % 2 };

const rows = (key: string): Example[] =>
  Array.from({ length: 30 }, (_, i) => ({
    id: `e${i}`,
    input: i,
    ...(i % 2 === 1 ? { labels: { [key]: 1 } } : {}),
  }));

const run = (key: string) => evaluate(rows(key), async (x) => String(x), [judge], { progress: false });

describe('labels that name no metric of the run', () => {
  it('are named in a warning (a typo of the judge)', async () => {
    const r = await run('jugde');
    expect(r.metrics.judge!.calibrated).toBeUndefined();
    const stray = (r.warnings ?? []).filter((w) => w.includes('`jugde`'));
    expect(stray).toEqual([
      'human labels name metric `jugde` (first on example "e1"), which this run does not compute (its metrics: `judge`): they are not used',
    ]);
  });

  it('give no such warning when they name the run’s metric', async () => {
    const r = await run('judge');
    expect(r.metrics.judge!.calibrated).toBeDefined();
    expect((r.warnings ?? []).filter((w) => w.includes('does not compute'))).toEqual([]);
  });
});
