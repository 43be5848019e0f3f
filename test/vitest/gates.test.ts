// The matchers on gated runs (issue 14, item 4): a decided gate passes or fails on its confidence sequence with
// its numbers; an undecided one falls back to the usual interval; failures say whether the estimate is below
// the bar or the interval too wide, with sampleSize()'s count of examples needed.
import { beforeAll, describe, expect, it } from 'vitest';
import { type EvalResult, type Example, evaluate } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';
import { sampleSize } from '../../src/stats/index.js';
import '../../src/vitest/index.js';
import { failureMessage } from './_fixtures.js';

const N = 2000;
const dataset: Example[] = Array.from({ length: N }, (_, i) => ({
  id: `q${i}`,
  input: `question ${i}`,
  reference: `answer ${i}`,
}));
const rightAt = (accuracy: number) => (i: number) => ((i * 7919) % N) / N < accuracy;
const modelAt = (accuracy: number) => async (input: unknown) => {
  const i = Number(String(input).slice('question '.length));
  return rightAt(accuracy)(i) ? `answer ${i}` : 'no idea';
};
const opts = { concurrency: 8, progress: false, resamples: 500 } as const;
const message = failureMessage;

describe('toHaveLowerBoundAtLeast on gated runs', () => {
  let passed: EvalResult;
  let failed: EvalResult;
  beforeAll(async () => {
    [passed, failed] = await Promise.all([
      evaluate(dataset, modelAt(0.9), [exactMatch()], {
        ...opts,
        gate: { metric: 'exact_match', atLeast: 0.7 },
      }),
      evaluate(dataset, modelAt(0.6), [exactMatch()], {
        ...opts,
        gate: { metric: 'exact_match', atLeast: 0.7 },
      }),
    ]);
  });

  it('a decided pass passes, judged on the sequence lower bound', () => {
    expect(passed.gate!.decision).toBe('pass');
    expect(passed).toHaveLowerBoundAtLeast('exact_match', 0.7);
    const g = passed.gate!;
    expect(message(() => expect(passed).not.toHaveLowerBoundAtLeast('exact_match', 0.7))).toContain(
      `but it is ${Number(g.lower.toPrecision(4))}: gate pass after ${g.rows} rows (${g.n} observations of ${N}), 95% confidence sequence`,
    );
    // A bar above the sequence's lower bound fails, whatever the bootstrap interval of the rows that ran says.
    expect(() => expect(passed).toHaveLowerBoundAtLeast('exact_match', g.lower + 1e-6)).toThrow(
      /95% anytime-valid lower bound of "exact_match" to be >= /,
    );
  });

  it('a decided fail fails with its numbers, saying the upper bound is below the bar', () => {
    const g = failed.gate!;
    expect(g.decision).toBe('fail');
    const m = message(() => expect(failed).toHaveLowerBoundAtLeast('exact_match', 0.7));
    expect(m).toContain(`gate fail after ${g.rows} rows`);
    expect(m).toContain(`the upper bound ${Number(g.upper.toPrecision(4))} is below 0.7 too`);
  });

  it('an undecided gate falls back to the bootstrap interval', async () => {
    const r = await evaluate(dataset.slice(0, 40), modelAt(0.9), [exactMatch()], {
      ...opts,
      shuffled: true,
      gate: { metric: 'exact_match', atLeast: 0.7 },
    });
    expect(r.gate!.decision).toBe('undecided');
    const low = r.metrics.exact_match!.ci.low;
    expect(low).toBeGreaterThan(r.gate!.lower);
    // The bootstrap lower bound decides: a bar just under it passes though the sequence never decided.
    expect(r).toHaveLowerBoundAtLeast('exact_match', low);
    const m = message(() => expect(r).toHaveLowerBoundAtLeast('exact_match', low + 1e-9));
    expect(m).toContain('95% CI lower bound of "exact_match"');
    expect(m).toContain('gate undecided after 40 rows');
  });
});

describe('failure messages say why the bound is short', () => {
  it('the estimate itself below the bar', async () => {
    const r = await evaluate(dataset.slice(0, 200), modelAt(0.6), [exactMatch()], opts);
    expect(message(() => expect(r).toHaveLowerBoundAtLeast('exact_match', 0.7))).toContain(
      `the estimate ${r.metrics.exact_match!.mean} is itself below 0.7, so more examples would not help`,
    );
  });

  it('the interval too wide, with the number of examples sampleSize() asks for', async () => {
    const r = await evaluate(dataset.slice(0, 60), modelAt(0.8), [exactMatch()], opts);
    const s = r.metrics.exact_match!;
    expect(s.mean).toBeGreaterThan(0.7);
    expect(s.ci.low).toBeLessThan(0.7);
    const sd = s.stderr * Math.sqrt(s.n);
    const want = sampleSize({
      test: 'paired-t',
      minDetectableEffect: s.mean - 0.7,
      sd,
      alpha: 0.025,
      alternative: 'greater',
      power: 0.8,
    }).n;
    expect(want).toBeGreaterThan(60);
    expect(message(() => expect(r).toHaveLowerBoundAtLeast('exact_match', 0.7))).toContain(
      `is above 0.7 but the interval is too wide: about ${want} examples would be needed to clear it with 80% power`,
    );
  });
});

describe('toBeNonInferior on paired gates', () => {
  let baseline: EvalResult;
  beforeAll(async () => {
    baseline = await evaluate(dataset, modelAt(0.9), [exactMatch()], opts);
  });
  const gated = (accuracy: number, data = dataset, extra = {}) =>
    evaluate(data, modelAt(accuracy), [exactMatch()], {
      ...opts,
      ...extra,
      gate: { baseline, metric: 'exact_match', margin: 0.05 },
    });

  it('a candidate equal to its baseline is non-inferior, on the gate', async () => {
    const r = await gated(0.9);
    expect(r.gate!.decision).toBe('pass');
    expect(r).toBeNonInferior();
    expect(message(() => expect(r).not.toBeNonInferior())).toContain(
      'expected the candidate not to be non-inferior (margin 0.05: lower bound of the difference > -0.05) on "exact_match", but the anytime-valid lower bound is',
    );
  });

  it('a candidate 10 points worse is not, and the message says inferiority was decided', async () => {
    const r = await gated(0.8);
    expect(r.gate!.decision).toBe('fail');
    const m = message(() => expect(r).toBeNonInferior());
    expect(m).toContain(`gate fail after ${r.gate!.rows} rows`);
    expect(m).toContain('is below -0.05');
  });

  it('undecided: fails without a baseline to fall back on, and uses compare() with one', async () => {
    const r = await gated(0.9, dataset.slice(0, 30), { shuffled: true });
    expect(r.gate!.decision).toBe('undecided');
    expect(message(() => expect(r).toBeNonInferior())).toContain(
      'the gate is undecided after the whole dataset (gate undecided after 30 rows',
    );
    // Equal outputs: the paired interval is a point at 0, above -0.05.
    expect(r).toBeNonInferior({ baseline });
  });

  it('a result without a paired gate is refused', async () => {
    const r = await evaluate(dataset.slice(0, 10), modelAt(0.9), [exactMatch()], opts);
    expect(() => expect(r).toBeNonInferior()).toThrow(/or a result with a paired gate/);
  });
});
