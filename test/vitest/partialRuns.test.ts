/**
 * Gates pass on evidence only: a run stopped by its budget (or an abort) holds part of its dataset and fails
 * every matcher with the reason; a perfect continuous metric passes; a metric with nothing scored fails.
 */
import { describe, expect, it } from 'vitest';
import '../../src/vitest/index.js';
import type { Metric, Model } from '../../src/core/types.js';
import { evaluate } from '../../src/evaluate.js';
import { exactMatch } from '../../src/metrics/exactMatch.js';
import { formatResultTable } from '../../src/report/formatResultTable.js';
import { compare } from '../../src/result/compare.js';
import { boundedMeanInterval } from '../../src/stats/boundedMeanInterval.js';

const data = Array.from({ length: 100 }, (_, i) => ({ id: `e${i}`, input: String(i), reference: String(i) }));
/** A pipeline making one call per example through ctx.call (priced, so the budget sees it). */
const echo: Model = async (input, ctx) =>
  (
    await ctx.call({ request: { input } }, async () => ({
      value: String(input),
      usage: { inputTokens: 10, outputTokens: 10 },
      costUsd: 0.01,
    }))
  ).value;
const f1: Metric = { name: 'f1', kind: 'continuous', bounds: [0, 1], score: () => 1 };

describe('partial and degenerate runs at the gate', () => {
  it('a budget-stopped run fails every matcher with "stopped by budget after N of M rows"', async () => {
    const r = await evaluate(data, echo, [exactMatch(), f1], {
      concurrency: 1,
      budget: { maxRequests: 40 },
      progress: false,
    });
    expect(r.run.stoppedBy).toBe('budget');
    expect(r.n).toBe(40);
    expect(r.run.rowsPlanned).toBe(100);
    expect(r.metrics.exact_match!.mean).toBe(1);
    const reason = 'stopped by budget after 40 of 100 rows';
    expect(() => expect(r).toHaveLowerBoundAtLeast('exact_match', 0.5)).toThrow(reason);
    expect(() => expect(r).toHaveLowerBoundAtLeast('f1', 0.5)).toThrow(reason);
    const full = await evaluate(data, echo, [exactMatch(), f1], { progress: false });
    const cmp = compare(full, r, { margin: 0.02, allowUnpaired: true, resamples: 200 });
    expect(cmp.partial).toBe(`the candidate run was ${reason}`);
    expect(() => expect(cmp).toBeNonInferior()).toThrow(reason);
    expect(() => expect(cmp).toBeSignificantlyBetter()).toThrow(reason);
    expect(formatResultTable(r)).toContain(`${reason}: a partial run, no gate passes on it`);
  });

  it('all-equal bounded continuous scores get the finite-sample bounded-mean interval, not a point', async () => {
    // Issue 19: this test used to expect the point interval [1, 1], so 20 perfect rows "certified" 0.9.
    const r = await evaluate(data.slice(0, 20), async (x) => String(x), [f1], { progress: false });
    const want = boundedMeanInterval(Array(20).fill(1), [0, 1], 0.95);
    expect(r.metrics.f1!.ci).toMatchObject({ low: want.low, high: 1, level: 0.95, method: 'bounded-mean' });
    expect(want.low).toBeGreaterThan(0.6);
    expect(want.low).toBeLessThan(0.9);
    expect(r).toHaveLowerBoundAtLeast('f1', 0.6);
    expect(() => expect(r).toHaveLowerBoundAtLeast('f1', 0.9)).toThrow(/lower bound of "f1" to be >= 0.9/);
  });

  it('a metric nobody scored cannot pass', async () => {
    const never: Metric = { name: 'judge', kind: 'continuous', score: () => Number.NaN };
    const r = await evaluate(data.slice(0, 10), async (x) => String(x), [never], { progress: false });
    expect(() => expect(r).toHaveLowerBoundAtLeast('judge', 0)).toThrow(
      /"judge" cannot be judged: no row was scored/,
    );
  });

  it('the summary counts the model’s and the judge’s cache hits apart', async () => {
    const judge: Metric = {
      name: 'judged',
      kind: 'binary',
      async score({ output, call }) {
        const r = await call!<number>({ request: { grade: output } }, async () => ({ value: 1 }));
        return r.value;
      },
    };
    const { memoryCache } = await import('../../src/cache/memoryCache.js');
    const cache = memoryCache();
    const plain = async (x: unknown) => String(x);
    await evaluate(data.slice(0, 6), plain, [judge], { cache, progress: false });
    const again = await evaluate(data.slice(0, 6), plain, [judge], { cache, progress: false });
    expect(formatResultTable(again)).toContain('cache hits: judge 6/6');
    expect(again.warnings).toEqual([expect.stringMatching(/the model made no call through evalgate/)]);
  });
});
