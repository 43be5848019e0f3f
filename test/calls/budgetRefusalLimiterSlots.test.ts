// A call the budget refuses is never sent, so it must not take a slot of a rate limiter shared with other runs.
// Regression: with `rateLimit` set, calls were admitted by the limiter first and the budget refused them a step
// later (after the wait, against the requests counted meanwhile); the lease was then released as a finished
// request, so it stayed counted for a whole window: maxRequests 3 at concurrency 16 sent 3 requests and left 16
// of the shared limiter's slots taken for a minute, slowing every run sharing it by 13 requests never sent.
import { describe, expect, it } from 'vitest';
import { CallEngine, markNotSent } from '../../src/calls/callRuntime.js';
import { rateLimiter } from '../../src/calls/index.js';
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

describe('a shared rate limiter counts only the requests sent', () => {
  it.each([2, 4, 16].flatMap((concurrency) => [1, 3, 8].map((maxRequests) => [concurrency, maxRequests])))(
    'concurrency %i, maxRequests %i: the limiter holds exactly the requests sent',
    async (concurrency, maxRequests) => {
      const shared = rateLimiter({ rpm: 1000, tpm: 1_000_000 });
      const r = await evaluate(data, model, metrics, {
        progress: false,
        resamples: 20,
        concurrency,
        budget: { maxRequests },
        rateLimit: shared,
      });
      expect(r.totals.requests, 'requests sent').toBe(maxRequests);
      expect(r.run.stoppedBy).toBe('budget');
      const used = shared.usage();
      expect(used.requests, 'slots the shared limiter still counts').toBe(maxRequests);
      expect(used.queued).toBe(0);
    },
  );

  it('a lease given back unused frees its slot and its tokens at once; a released one stays counted', () => {
    let now = 0;
    const limiter = rateLimiter({ rpm: 2, tpm: 100, windowMs: 1000, now: () => now });
    const a = limiter.tryAcquire(40)!;
    const b = limiter.tryAcquire(40)!;
    expect(limiter.tryAcquire(1)).toBeUndefined();
    a.cancel!();
    expect(limiter.usage()).toEqual({ requests: 1, tokens: 40, queued: 0 });
    a.release(); // after cancel: nothing more
    a.cancel!();
    expect(limiter.usage()).toEqual({ requests: 1, tokens: 40, queued: 0 });
    b.release(7);
    b.cancel!(); // after release: the request was sent, it stays counted
    now = 10;
    expect(limiter.usage()).toEqual({ requests: 1, tokens: 7, queued: 0 });
    now = 1010;
    expect(limiter.usage()).toEqual({ requests: 0, tokens: 0, queued: 0 });
  });

  it('a sender that failed before its request left gives its slot back unused', async () => {
    const shared = rateLimiter({ rpm: 10, tpm: 1000 });
    const rt = new CallEngine({ rateLimit: shared, retry: { maxRetries: 0 } });
    const refused = markNotSent(new Error('the SDK refused to build the request'));
    await expect(
      rt.call({ kind: 'model' }, async () => Promise.reject(refused), new AbortController().signal),
    ).rejects.toBe(refused);
    expect(rt.totals.requests).toBe(0);
    expect(shared.usage()).toEqual({ requests: 0, tokens: 0, queued: 0 });
  });
});
