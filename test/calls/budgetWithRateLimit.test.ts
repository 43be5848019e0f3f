// `budget.maxRequests` is exact ("checked as each request is sent"), also when the calls wait for a rate limiter
// first. Regression: with `rateLimit` set, a call was admitted after its wait and counted as sent a microtask
// later, so calls admitted in between saw the old count: maxRequests 8 at concurrency 16 sent 15 requests. Every
// cluster worker runs its calls through a limiter (the stop guard), so one worker sent 9 of maxRequests 8.
import { describe, expect, it } from 'vitest';
import { type Example, evaluate, type Metric, type Model } from '../../src/index.js';

const model: Model = async (input, ctx) =>
  (
    await ctx.call({ request: { q: input }, api: 'budget.local' }, async () => ({
      value: `echo ${String(input)}`,
      usage: { inputTokens: 1, outputTokens: 1 },
    }))
  ).value;
const metrics: readonly Metric[] = [{ name: 'one', kind: 'binary', score: () => 1 }];
const data: Example[] = Array.from({ length: 30 }, (_, i) => ({ id: `e${i}`, input: `q${i}` }));

describe('budget.maxRequests with a rate limit', () => {
  it.each([2, 4, 8, 16].flatMap((concurrency) => [3, 8, 9].map((maxRequests) => [concurrency, maxRequests])))(
    'concurrency %i, maxRequests %i: exactly maxRequests requests, the run stopped by its budget',
    async (concurrency, maxRequests) => {
      const r = await evaluate(data, model, metrics, {
        progress: false,
        resamples: 20,
        concurrency,
        budget: { maxRequests },
        rateLimit: { rpm: 100_000 },
      });
      expect(r.totals.requests, 'requests sent').toBe(maxRequests);
      expect(r.n).toBe(maxRequests);
      expect(r.run.stoppedBy).toBe('budget');
    },
  );
});
