// A metric that returns a non-number on more than 5% of its rows (`{ value: false }` where it means 0) is broken,
// as one scoring outside its bounds is: the rows it did score are the ones it got right, so its summary is not
// data. Before, on 300 rows scoring 1 on a third of them, a gate `atLeast: 0.75` passed after 84 rows (the
// `false` were dropped) and stopped the run; on 40 rows toHaveLowerBoundAtLeast(0.75) passed on the interval
// [0.77, 1] of the 14 right ones.
import { describe, expect, it } from 'vitest';
import '../../src/vitest/index.js';
import { evaluate, type Metric } from '../../src/index.js';

const ds = Array.from({ length: 40 }, (_, i) => ({ id: `e${i}`, input: i }));
const many = Array.from({ length: 300 }, (_, i) => ({ id: `e${i}`, input: i }));
/** 1 on every third row, `{ value: false }` on the others (a JavaScript metric returning a boolean for 0). */
const falseForZero: Metric = {
  name: 'm',
  kind: 'binary',
  score: ({ example }) =>
    (example.input as number) % 3 === 0 ? 1 : ({ value: false } as unknown as { value: number }),
};
const opts = { progress: false, resamples: 199 } as const;

describe('a metric returning non-numbers on more than 5% of its rows', () => {
  it('is broken: its summary says so, with a warning naming both counts', async () => {
    const r = await evaluate(ds, async () => 'x', [falseForZero], opts);
    expect(r.metrics.m!.broken).toEqual({ outOfBounds: 0, notNumber: 26, n: 40 });
    expect(r.warnings).toContain(
      'metric `m` is broken: 26 of 40 scores were refused (26 not a number, 0 outside its declared bounds) (more than 5%); fix the metric or its `bounds` — its summary is not data, and gates and matchers refuse it',
    );
  });

  it('a gate on it does not pass, and toHaveLowerBoundAtLeast fails naming it', async () => {
    const r = await evaluate(many, async () => 'x', [falseForZero], {
      ...opts,
      gate: { metric: 'm', atLeast: 0.75 },
    });
    expect(r.gate!.decision).toBe('undecided');
    expect(r.gate!.refused).toBe(
      'metric `m` is broken: 200 of 300 scores were refused (200 not a number, 0 outside its declared bounds)',
    );
    expect(r.run.stoppedBy).toBeNull();
    const plain = await evaluate(ds, async () => 'x', [falseForZero], opts);
    expect(() => expect(plain).toHaveLowerBoundAtLeast('m', 0.75)).toThrow(/26 not a number/);
  });

  it('a few non-numbers (at most 5%) leave it whole, with the warning', async () => {
    const few: Metric = {
      name: 'm',
      kind: 'binary',
      score: ({ example }) => ((example.input as number) === 7 ? (true as unknown as number) : 1),
    };
    const r = await evaluate(ds, async () => 'x', [few], opts);
    expect(r.metrics.m!.broken).toBeUndefined();
    expect(r.metrics.m!.nMissing).toBe(1);
  });
});
