// A metric that declares no bounds has no finite-sample interval: on few rows its bootstrap interval is the spread
// of those rows, and on constant scores it is the point itself. Neither is evidence for a lower bound, so
// toHaveLowerBoundAtLeast refuses them (failing under `.not` too) and says to declare `bounds`; the summary warns
// that the interval is unreliable. Regression: one example scoring 3 on an unbounded metric gave the interval
// [3, 3] and `toHaveLowerBoundAtLeast('len', 3)` passed on it; two examples (3 and 4) passed it on [3, 4].
import { describe, expect, it } from 'vitest';
import '../../src/vitest/index.js';
import { evaluate, type Metric } from '../../src/index.js';

const opts = { progress: false, resamples: 999 } as const;
const echo = async (input: unknown) => String(input);
/** 3 on even inputs, 4 on odd ones; unbounded unless `bounds` is given. */
const len = (bounds?: [number, number]): Metric => ({
  name: 'len',
  kind: 'continuous',
  ...(bounds === undefined ? {} : { bounds }),
  score: ({ output }) => 3 + (Number(output) % 2),
});
const rows = (n: number, step = 1) => Array.from({ length: n }, (_, i) => ({ id: `r${i}`, input: i * step }));

describe('an unbounded metric on few rows or constant scores', () => {
  it.each([
    ['one example', rows(1)],
    ['two examples', rows(2)],
    ['29 examples', rows(29)],
    ['40 examples, every score 3', rows(40, 2)],
  ])('%s: the lower bound is not certified, either way', async (_name, data) => {
    const r = await evaluate(data, echo, [len()], opts);
    expect(r.metrics.len!.ci.low).toBeGreaterThanOrEqual(3);
    expect(() => expect(r).toHaveLowerBoundAtLeast('len', 3)).toThrow(/declares no `bounds`/);
    expect(() => expect(r).not.toHaveLowerBoundAtLeast('len', 3)).toThrow(/declares no `bounds`/);
    expect(r.metrics.len!.warning).toMatch(/declares no `bounds`|every score is 3/);
  });

  it('few rows: the summary says the interval is unreliable and how to get one', async () => {
    const r = await evaluate(rows(5), echo, [len()], opts);
    expect(r.metrics.len!.warning).toMatch(/only 5 scored examples \(< 30\).*declares no `bounds`/);
  });

  it('with bounds, the finite-sample interval decides (here: not certified at 3)', async () => {
    const r = await evaluate(rows(2), echo, [len([0, 10])], opts);
    expect(r.metrics.len!.ci.method).toBe('bounded-mean');
    expect(r).not.toHaveLowerBoundAtLeast('len', 3);
  });

  it('30 varied rows of an unbounded metric: the bootstrap interval is used as before', async () => {
    const r = await evaluate(rows(30), echo, [len()], opts);
    expect(r.metrics.len!.ci.method).toBe('bca');
    expect(r.metrics.len!.warning).toBeUndefined();
    expect(r).toHaveLowerBoundAtLeast('len', 3);
  });
});
