// toHaveLowerBoundAtLeast refuses an unbounded metric scored on fewer than 30 examples (its bootstrap interval is
// their spread), but counted rows: 5 examples sampled 10 times (50 rows) passed on the cluster bootstrap of 5
// clusters, where the same 5 examples sampled once are refused. The trials of one example count once.
import { describe, expect, it } from 'vitest';
import '../../src/vitest/index.js';
import { evaluate, type Metric } from '../../src/index.js';

const opts = { progress: false, resamples: 999 } as const;
const len: Metric = {
  name: 'len',
  kind: 'continuous',
  score: ({ example }) => 3 + (example.input as number),
};
const data = Array.from({ length: 5 }, (_, i) => ({ id: `r${i}`, input: i }));

describe('an unbounded metric on few examples with many trials', () => {
  it('5 examples × 10 trials: the lower bound is not certified, either way', async () => {
    const one = await evaluate(data, async () => 'x', [len], opts);
    expect(() => expect(one).toHaveLowerBoundAtLeast('len', 3)).toThrow(/declares no `bounds`/);
    const ten = await evaluate(data, async () => 'x', [len], { ...opts, trials: 10 });
    expect(ten.metrics.len!.n).toBe(50);
    expect(ten.metrics.len!.ci.low).toBeGreaterThanOrEqual(3);
    expect(() => expect(ten).toHaveLowerBoundAtLeast('len', 3)).toThrow(
      /has only 5 scored examples \(< 30\)/,
    );
    expect(() => expect(ten).not.toHaveLowerBoundAtLeast('len', 3)).toThrow(/declares no `bounds`/);
  });
});
