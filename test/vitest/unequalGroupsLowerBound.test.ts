// toHaveLowerBoundAtLeast certifies "with 95% confidence the metric is at least x" from the summary's interval. With
// few groups of unequal size that interval was Clopper-Pearson over the groups as equal units, widened to hold the
// mean over rows: 10 singleton groups scoring 1 beside one group of 30 scoring 0 (mean 0.25) reported [0.25, 0.998],
// so the matcher certified 0.25, the estimate itself, from 11 units one of which holds 75% of the rows.
import { describe, expect, it } from 'vitest';
import '../../src/vitest/index.js';
import { evaluate, type Metric } from '../../src/index.js';

const right: Metric = { name: 'right', kind: 'binary', score: ({ example }) => example.input as number };

async function run(hit: number) {
  const data = [
    ...Array.from({ length: 10 }, (_, i) => ({ id: `s${i}`, input: hit, group: `s${i}` })),
    ...Array.from({ length: 30 }, (_, i) => ({ id: `b${i}`, input: 1 - hit, group: 'big' })),
  ];
  return evaluate(data, async () => 'x', [right], { progress: false });
}

describe('toHaveLowerBoundAtLeast on few groups of unequal size', () => {
  it('does not certify the estimate itself (0.25 from 10 singletons at 1 and a group of 30 at 0)', async () => {
    const r = await run(1);
    expect(r.metrics.right!.mean).toBe(0.25);
    expect(() => expect(r).toHaveLowerBoundAtLeast('right', 0.25)).toThrow('korn-graubard');
    expect(r).not.toHaveLowerBoundAtLeast('right', 0.25);
  });

  it('nor anything near it: the lower bound is below 0.1', async () => {
    const r = await run(1);
    expect(r).not.toHaveLowerBoundAtLeast('right', 0.1);
    expect(r).toHaveLowerBoundAtLeast('right', 0.01);
  });

  it('the mirror (0.75): its upper bound is above the estimate too', async () => {
    const r = await run(0);
    expect(r.metrics.right!.mean).toBe(0.75);
    expect(r.metrics.right!.ci.high).toBeGreaterThan(0.75);
    expect(r).not.toHaveLowerBoundAtLeast('right', 0.5);
  });
});
