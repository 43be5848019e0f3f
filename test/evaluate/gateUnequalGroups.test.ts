// An anytime-valid gate over groups fed the group's mean into the confidence sequence, each group one equal unit,
// while the metric it gates is the mean over examples. With groups of unequal size the two differ: two groups of 90
// examples scoring 0 and 60 single-example groups scoring 1 (mean 0.25 over examples, 0.97 over groups) PASSED a gate
// at 0.7 with lower bound 0.70 (seed 1: after 207 rows, seeds 2 and 3 after 22), and toHaveLowerBoundAtLeast, which
// judges on the gate's bound, would have passed too. Each group now enters the sequence shrunk towards the bar by
// its size (x = bar + (k / kMax)(v - bar)), and the sequence's bounds are mapped back to the mean over examples with
// the factor the index gives (units · kMax / examples): valid bounds on the quantity the run reports.
import { describe, expect, it } from 'vitest';
import { type Example, evaluate, type Metric } from '../../src/index.js';
import { _GateTracker } from '../../src/run/gateTracker.js';
import '../../src/vitest/index.js';

const m: Metric = { name: 'm', kind: 'binary', score: (ctx) => Number(ctx.example.input) };
const gated = (examples: Example[], seed: number, gate: { atLeast: number } | { atMost: number }) =>
  evaluate(examples, async () => '', [m], { progress: false, seed, gate: { metric: 'm', ...gate } });

/** Groups of `sizes`, every example of group g scoring `score(g)`. */
const groups = (sizes: readonly number[], score: (g: number) => number): Example[] =>
  sizes.flatMap((k, g) =>
    Array.from({ length: k }, (_, j) => ({ id: `g${g}-${j}`, input: score(g), group: `g${g}` })),
  );

const twoBigSixtySmall = (big: number, small: number) =>
  groups([90, 90, ...Array.from({ length: 60 }, () => 1)], (g) => (g < 2 ? big : small));

describe('a gate over groups of unequal size bounds the mean over examples', () => {
  it('two groups of 90 at 0 and sixty of one at 1 (mean 0.25) never pass a bar of 0.7; the bounds hold 0.25', async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const r = await gated(twoBigSixtySmall(0, 1), seed, { atLeast: 0.7 });
      expect(r.gate!.decision).not.toBe('pass');
      if (r.gate!.rows === 240) {
        expect(r.gate!.lower).toBeLessThanOrEqual(0.25);
        expect(r.gate!.upper).toBeGreaterThanOrEqual(0.25);
      }
      expect(() => expect(r).toHaveLowerBoundAtLeast('m', 0.7)).toThrow();
    }
  });

  it('the mirror (mean 0.75 over examples, 0.03 over groups) never fails a bar of 0.5', async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const r = await gated(twoBigSixtySmall(1, 0), seed, { atLeast: 0.5 });
      expect(r.gate!.decision).not.toBe('fail');
    }
  });

  it('over random populations where large groups score lower, a wrong decision is rare and a clear one is made (seeded)', async () => {
    let s = 0x1234567;
    const rand = (): number => {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      return (s >>> 0) / 4294967296;
    };
    let wrong = 0;
    let decided = 0;
    const populations = 30;
    for (let p = 0; p < populations; p++) {
      const sizes = Array.from({ length: 40 }, () => 1 + Math.floor(rand() * 20));
      const scores = sizes.map((k) =>
        Array.from({ length: k }, () => (rand() < (k < 6 ? 0.95 : 0.45) ? 1 : 0)),
      );
      const examples = sizes.flatMap((k, g) =>
        Array.from({ length: k }, (_, j) => ({ id: `g${g}-${j}`, input: scores[g]![j]!, group: `g${g}` })),
      );
      const mean = examples.reduce((a, e) => a + (e.input as number), 0) / examples.length;
      const above = await gated(examples, p + 1, { atLeast: Math.min(1, mean + 0.05) });
      if (above.gate!.decision === 'pass') wrong++;
      // Far from the bar the gate still decides, and rightly.
      const below = await gated(examples, p + 1, { atLeast: mean - 0.3 });
      if (below.gate!.decision === 'pass') decided++;
      if (below.gate!.decision === 'fail') wrong++;
    }
    // At 95% a wrong decision has probability at most 5% per run.
    expect(wrong).toBeLessThanOrEqual(3);
    expect(decided).toBeGreaterThanOrEqual(populations / 2);
  });
});

describe('a gate over very many groups of unequal size', () => {
  it('starts with 200,000 groups (their sizes were read with a spread that overflowed the call stack)', () => {
    const gate = new _GateTracker({ metric: 'm', atLeast: 0.5 }, m, 0.95);
    const sizes = Array.from({ length: 200_000 }, (_, u) => 1 + (u % 3));
    expect(() => gate.start(sizes.length, 'seeded', sizes)).not.toThrow();
    // Every unit its own example scoring 1: the bounds still map back within [0, 1].
    const r = gate.result(undefined, 0, 0);
    expect(r.lower).toBeGreaterThanOrEqual(0);
    expect(r.upper).toBeLessThanOrEqual(1);
  });
});
