// A segment's few-rows warning counted rows, not independent units: a segment of 3 examples sampled 20 times
// (60 rows) said nothing, though its interval rests on 3 observations (an example's trials count once, as the
// summary's own few-units rule counts them). Groups count once the same way.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Example, evaluate, type Metric } from '../../src/index.js';

const score: Metric = {
  name: 'score',
  kind: 'continuous',
  bounds: [0, 1],
  score: ({ example }) => ((example.input as number) % 10) / 10,
};
const echo = async () => 'x';
const opts = { progress: false, resamples: 199, segmentBy: 'cat' } as const;

describe('the few-rows warning of a segment counts independent units', () => {
  it('3 examples × 20 trials in a segment: warned, naming 3 units; 40 examples × 1 trial: not', async () => {
    const ds: Example[] = [
      ...Array.from({ length: 3 }, (_, i) => ({ id: `s${i}`, input: i, metadata: { cat: 'small' } })),
      ...Array.from({ length: 40 }, (_, i) => ({ id: `b${i}`, input: i, metadata: { cat: 'big' } })),
    ];
    const r = await evaluate(ds, echo, [score], { ...opts, trials: 20 });
    const small = r.segments!.small!.score!;
    expect(small.n).toBe(60);
    expect(small.warning).toContain(
      'only 3 independent scored units (an example\'s trials, or a group, count once) in segment "small": an interval from fewer than 30 is too narrow to trust',
    );
    expect(r.segments!.big!.score!.warning ?? '').not.toContain('in segment');
  });

  it('a segment of 4 groups of 10 examples: warned, naming 4 units', async () => {
    const ds: Example[] = Array.from({ length: 40 }, (_, i) => ({
      id: `g${i}`,
      input: i,
      group: `doc${i % 4}`,
      metadata: { cat: 'all' },
    }));
    const s = (await evaluate(ds, echo, [score], opts)).segments!.all!.score!;
    expect(s.n).toBe(40);
    expect(s.warning).toContain('only 4 independent scored units');
    expect(s.warning).toContain('in segment "all"');
  });

  it('property: a segment is warned exactly when it has fewer than 30 units, whatever the trials (seeded)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 45 }), fc.integer({ min: 1, max: 4 }), async (n, trials) => {
        const ds: Example[] = Array.from({ length: n }, (_, i) => ({
          id: `e${i}`,
          input: i,
          metadata: { cat: 'c' },
        }));
        const s = (await evaluate(ds, echo, [score], { ...opts, trials })).segments!.c!.score!;
        expect(s.n).toBe(n * trials);
        expect((s.warning ?? '').includes('in segment "c"')).toBe(n < 30);
        if (n < 30) expect(s.warning).toContain(`only ${n} `);
      }),
      { seed: 2223, numRuns: 150 },
    );
  });

  // The case the property shrank to before the fix: one example sampled twice was "2 scored examples".
  it('1 example × 2 trials: one unit', async () => {
    const ds: Example[] = [{ id: 'e0', input: 0, metadata: { cat: 'c' } }];
    const s = (await evaluate(ds, echo, [score], { ...opts, trials: 2 })).segments!.c!.score!;
    expect(s.warning).toContain('only 1 independent scored unit (an example');
  });
});
