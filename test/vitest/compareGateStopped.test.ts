// compare() of a run its gate stopped early: the rows that ran were chosen by the gate's data, so the fixed-sample
// interval of a difference over them is not valid at that stopping time (only the gate's confidence sequence is),
// as toHaveLowerBoundAtLeast already holds for a single run. The comparison certified non-inferiority at margin
// 0.25 from 39 rows (interval [-0.205, -0.026]) where the gate's own bound, 0.7016 - 1 = -0.298, does not.
import { beforeAll, describe, expect, it } from 'vitest';
import { compare, type EvalResult, type Example, evaluate } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';
import '../../src/vitest/index.js';
import { failureMessage } from './_fixtures.js';

const N = 2000;
const dataset: Example[] = Array.from({ length: N }, (_, i) => ({ id: `q${i}`, input: i, reference: 'yes' }));
// Right on 9 of every 10 examples; the baseline is right on all of them.
const candidate = async (input: unknown) => ((input as number) % 10 === 0 ? 'no' : 'yes');
const message = failureMessage;

describe('compare() with a run its gate stopped early', () => {
  let baseline: EvalResult;
  let stopped: EvalResult;
  beforeAll(async () => {
    const opts = { concurrency: 1, progress: false, resamples: 999 } as const;
    baseline = await evaluate(dataset, async () => 'yes', [exactMatch()], opts);
    stopped = await evaluate(dataset, candidate, [exactMatch()], {
      ...opts,
      gate: { metric: 'exact_match', atLeast: 0.7 },
    });
  });

  it('is partial: no matcher passes on it, under .not either', () => {
    expect(stopped.run.stoppedBy).toBe('decided');
    expect(stopped.n).toBe(39);
    const c = compare(baseline, stopped, { allowUnpaired: true, margin: 0.25 });
    // The gate's bound on the difference from a baseline of 1 is gate.lower - 1, below -0.25.
    expect(stopped.gate!.lower - 1).toBeLessThan(-0.25);
    expect(c.partial).toBe(
      `the candidate run was stopped by its gate after 39 of ${N} rows (the rows that ran were chosen by the gate's data: a fixed-sample comparison over them is not valid at that stopping time)`,
    );
    expect(message(() => expect(c).toBeNonInferior())).toContain('a partial run never passes a gate');
    expect(message(() => expect(c).not.toBeNonInferior())).toContain('a partial run never passes a gate');
    const swapped = compare(stopped, baseline, { allowUnpaired: true });
    expect(swapped.partial).toMatch(/^the baseline run was stopped by its gate after 39 of 2000 rows/);
  });

  it('a gate that stayed undecided (the whole dataset ran) leaves the comparison whole', async () => {
    const few = dataset.slice(0, 39);
    const whole = await evaluate(few, candidate, [exactMatch()], {
      concurrency: 1,
      progress: false,
      resamples: 999,
      gate: { metric: 'exact_match', atLeast: 0.9 },
    });
    expect([whole.gate!.decision, whole.n]).toEqual(['undecided', 39]);
    expect(compare(baseline, whole, { allowUnpaired: true }).partial).toBeUndefined();
  });
});
