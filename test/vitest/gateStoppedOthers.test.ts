// A run its gate stopped early ran the rows the gate's data chose: the gate's own confidence sequence is valid at
// that stopping time, a fixed-sample interval of another metric over those rows is not (its coverage rests on a
// sample size fixed in advance). toHaveLowerBoundAtLeast certified such a metric on the rows that ran; it now
// fails, under `.not` too, as it does on a run stopped by its budget, and the result warns. A gate that stays
// undecided (the whole dataset ran) leaves every metric as it was.
import { beforeAll, describe, expect, it } from 'vitest';
import { type EvalResult, type Example, evaluate, type Metric } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';
import '../../src/vitest/index.js';
import { failureMessage } from './_fixtures.js';

const N = 2000;
const dataset: Example[] = Array.from({ length: N }, (_, i) => ({ id: `q${i}`, input: i, reference: 'yes' }));
// Right on 9 of every 10 examples, answering at length 3 or 2.
const model = async (input: unknown) => ((input as number) % 10 === 0 ? 'no' : 'yes');
const short: Metric = { name: 'short', kind: 'binary', score: ({ output }) => (output.length <= 3 ? 1 : 0) };
const message = failureMessage;
const early = (r: EvalResult) => (r.warnings ?? []).filter((w) => w.startsWith('the run stopped when its'));

describe('metrics other than the gate’s, on a run the gate stopped early', () => {
  let stopped: EvalResult;
  let whole: EvalResult;
  beforeAll(async () => {
    const opts = { concurrency: 1, progress: false, resamples: 300 } as const;
    stopped = await evaluate(dataset, model, [exactMatch(), short], {
      ...opts,
      gate: { metric: 'exact_match', atLeast: 0.7 },
    });
    // 0.9 right: a gate at 0.9 cannot decide before the end.
    whole = await evaluate(dataset.slice(0, 200), model, [exactMatch(), short], {
      ...opts,
      gate: { metric: 'exact_match', atLeast: 0.9 },
    });
  });

  it('the gate’s metric is judged on its sequence; the other is not certified, either way', () => {
    expect(stopped.run.stoppedBy).toBe('decided');
    expect(stopped.n).toBeLessThan(N);
    expect(stopped).toHaveLowerBoundAtLeast('exact_match', 0.7);
    // Every answer is short: the fixed-sample lower bound over the rows that ran is far above 0.5.
    expect(stopped.metrics.short!.ci.low).toBeGreaterThan(0.5);
    const head = `the run stopped when its gate on "exact_match" decided, after ${stopped.n} of ${N} rows`;
    expect(message(() => expect(stopped).toHaveLowerBoundAtLeast('short', 0.5))).toContain(head);
    expect(message(() => expect(stopped).not.toHaveLowerBoundAtLeast('short', 0.5))).toContain(head);
    expect(early(stopped)).toEqual([
      `the run stopped when its gate on \`exact_match\` decided, after ${stopped.n} of ${N} rows: the intervals of \`short\` are over rows the gate's data chose and are not valid at that stopping time (toHaveLowerBoundAtLeast does not certify them); gate on the metric you assert on, or run the whole dataset`,
    ]);
  });

  it('an undecided gate (the whole dataset ran): no warning, every metric certified as usual', () => {
    expect(whole.gate!.decision).toBe('undecided');
    expect(whole.n).toBe(200);
    expect(early(whole)).toEqual([]);
    expect(whole).toHaveLowerBoundAtLeast('short', 0.5);
  });
});
