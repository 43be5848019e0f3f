/**
 * The certifying matchers on a candidate that failed rows its baseline answered. compare() drops a row failed on
 * either side from every metric (a failure has no score), and a paired gate skips it, so a candidate that crashes on
 * its hardest rows was certified on the rows it chose to answer: 4 crashes on 100 rows the baseline got right, and
 * toBeNonInferior({ margin: 0.02 }) passed on the other 96, equal to the baseline. Such rows now make compare()'s
 * `nonInferior` false and toBeNonInferior fail, naming how many, unless `allowCandidateFailures: true` (in compare()
 * or the matcher) asks for a verdict on the rows both runs answered. Failures in the baseline only (the candidate
 * answered more) do not block. toBeSignificantlyBetter and toHaveNoSegmentRegression test the rows both answered,
 * as the comparison's `significant` and `regressed` do.
 */
import { describe, expect, it } from 'vitest';
import '../../src/vitest/index.js';
import type { Metric } from '../../src/core/types.js';
import { evaluate } from '../../src/evaluate.js';
import { compare } from '../../src/result/compare.js';
import { _formatSummary, _markdownOf, type EvalgateSummary } from '../../src/vitest/EvalgateSummary.js';
import { recordEval } from '../../src/vitest/recordEval.js';
import { failureMessage } from './_fixtures.js';

const N = 100;
const dataset = Array.from({ length: N }, (_, i) => ({ id: `q${i}`, input: i, reference: 'ok' }));
const right: Metric = { name: 'right', kind: 'binary', score: ({ output }) => (output === 'ok' ? 1 : 0) };
const quiet = { progress: false, resamples: 200 } as const;
/** Right on every row. */
const baselineModel = async () => 'ok';
/** Right on every row but the `crashes` first ones, where it throws (under maxFailureRate 0.05). */
const crashingOn = (crashes: number) => async (input: unknown) => {
  if ((input as number) < crashes) throw new Error('the candidate pipeline crashed on this input');
  return 'ok';
};
const message = failureMessage;
const said = 'the candidate failed 4 of 100 paired rows its baseline answered';

describe('a candidate that failed rows its baseline answered', () => {
  it('is not non-inferior, by the flag and the matcher, unless asked', async () => {
    const base = await evaluate(dataset, baselineModel, [right], quiet);
    const cand = await evaluate(dataset, crashingOn(4), [right], quiet);
    expect([base.nFailed, cand.nFailed]).toEqual([0, 4]);
    const c = compare(base, cand, { margin: 0.02, resamples: 200 });
    expect(c.failedOnOneSide).toEqual({ baseline: 0, candidate: 4 });
    // The 96 rows both answered are identical: their interval alone sees no loss, but the verdict is not given.
    expect(c.metrics.right).toMatchObject({ n: 96, difference: 0, nonInferior: false });
    expect(c.metrics.right!.ci.low).toBeGreaterThan(-0.02);

    expect(message(() => expect(c).toBeNonInferior())).toBe(
      `expected a comparison that can pass toBeNonInferior(), but ${said}: the comparison drops them, so its verdict does not see them (a candidate failing its hardest rows looks as good as its baseline). Fix the failures, or pass \`{ allowCandidateFailures: true }\` to judge the rows both runs answered`,
    );
    // Under .not too: no evidence either way.
    expect(message(() => expect(c).not.toBeNonInferior())).toContain(said);

    // Asked for, in the matcher or in compare(): the verdict on the rows both runs answered, as before.
    expect(c).toBeNonInferior({ allowCandidateFailures: true });
    const allowed = compare(base, cand, { margin: 0.02, resamples: 200, allowCandidateFailures: true });
    expect(allowed.failedOnOneSide).toEqual({ baseline: 0, candidate: 4, allowed: true });
    expect(allowed.metrics.right!.nonInferior).toBe(true);
    expect(allowed).toBeNonInferior();
    expect(() => expect(allowed).toBeNonInferior({ allowCandidateFailures: false })).toThrow(said);
    expect(() => expect(c).toBeNonInferior({ allowCandidateFailures: 'yes' as never })).toThrow(
      'Expected `allowCandidateFailures` to be a boolean, got `"yes"` (string)',
    );
    expect(() => compare(base, cand, { allowCandidateFailures: 1 as never })).toThrow(
      'Expected `allowCandidateFailures` to be a boolean',
    );
  });

  it("are named in the vitest reporter's table and step summary", async (context) => {
    const base = await evaluate(dataset, baselineModel, [right], quiet);
    const cand = await evaluate(dataset, crashingOn(4), [right], quiet);
    recordEval(compare(base, cand, { resamples: 200 }), 'crashing candidate', context);
    const recorded = context.task.meta.evalgate!.at(-1)!;
    expect(recorded).toMatchObject({ kind: 'comparison', failedOnOneSide: { baseline: 0, candidate: 4 } });
    const summary: EvalgateSummary = {
      kind: 'evalgate-vitest-summary',
      schemaVersion: 1,
      reason: 'passed',
      evals: [{ ...recorded, test: 'a test', file: 'a.test.ts', state: 'passed' }],
      totals: {
        results: 0,
        comparisons: 1,
        requests: 0,
        costUsd: 0,
        cacheHits: 0,
        cacheMisses: 0,
        failedRows: 0,
      },
    };
    const line = '100 paired rows, 4 failed in the candidate only (dropped from the comparison)';
    expect(_formatSummary(summary)).toContain(`crashing candidate: ${line}`);
    expect(_markdownOf(summary)).toContain(`- crashing candidate: ${line}`);
  });

  it('failures in the baseline only do not block: the candidate answered more', async () => {
    const base = await evaluate(dataset, crashingOn(4), [right], quiet);
    const cand = await evaluate(dataset, baselineModel, [right], quiet);
    const c = compare(base, cand, { margin: 0.02, resamples: 200 });
    expect(c.failedOnOneSide).toEqual({ baseline: 4, candidate: 0 });
    expect(c.metrics.right!.nonInferior).toBe(true);
    expect(c).toBeNonInferior();
  });

  it('is not certified by a paired gate that skipped its failed rows', async () => {
    const big = Array.from({ length: 2000 }, (_, i) => ({ id: `q${i}`, input: i, reference: 'ok' }));
    const opts = { progress: false, resamples: 200, concurrency: 4 } as const;
    const baseline = await evaluate(big, baselineModel, [right], opts);
    // Crashes on every 40th example (2.5% of rows, under maxFailureRate): the gate skips them and decides "pass".
    const crashEvery40 = async (input: unknown) => {
      if ((input as number) % 40 === 0) throw new Error('the candidate pipeline crashed on this input');
      return 'ok';
    };
    const r = await evaluate(big, crashEvery40, [right], {
      ...opts,
      gate: { baseline, metric: 'right', margin: 0.05 },
    });
    expect(r.gate!.decision).toBe('pass');
    expect(r.nFailed).toBeGreaterThan(0);
    const m = message(() => expect(r).toBeNonInferior());
    expect(m).toContain(
      `the candidate failed ${r.nFailed} of its ${r.n} rows (examples its baseline answered): the paired gate skips them, so its decision does not see them`,
    );
    expect(r).toBeNonInferior({ allowCandidateFailures: true });
  });
});
