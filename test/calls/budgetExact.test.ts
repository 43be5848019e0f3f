// maxRequests is exact under concurrency: calls released together from a wait (the rate limiter, the concurrency
// gate, a provider's hold of the gate) each see the count of requests sent when they are sent, not when their wait
// ended, so no more than `maxRequests` requests ever leave.
import fc from 'fast-check';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { CallEngine, type CallOutcome } from '../../src/calls/callRuntime.js';
import { BudgetExceededError } from '../../src/errors.js';
import { evaluate, openaiModel } from '../../src/index.js';
import { echoDataset, echoMatch } from '../cache/_fixtures.js';
import { check } from '../properties/_prop.js';
import { answer, startServer } from './_misbehavingServer.js';

const signal = new AbortController().signal;

/** Starts `calls` calls in one tick on `rt`; resolves with how many were sent and how each ended. */
async function burst(rt: CallEngine, calls: number) {
  let sent = 0;
  const send = async (): Promise<CallOutcome<string>> => {
    sent++;
    await new Promise((r) => setTimeout(r, 1));
    return { value: 'ok', usage: { inputTokens: 1, outputTokens: 1 } };
  };
  const settled = await Promise.allSettled(
    Array.from({ length: calls }, (_, i) => rt.call({ kind: 'model', exampleId: `e${i}` }, send, signal)),
  );
  return { sent, settled };
}

describe('maxRequests is exact when calls are released from a wait together', () => {
  it('two calls admitted by a rate limiter at once: maxRequests 1 sends one (the shrunk case below)', async () => {
    const rt = new CallEngine({ budget: { maxRequests: 1 }, rateLimit: { rpm: 1000 } });
    const { sent, settled } = await burst(rt, 2);
    expect(sent).toBe(1);
    expect(rt.totals.requests).toBe(1);
    const refused = settled.filter((s) => s.status === 'rejected').map((s) => s.reason);
    expect(refused).toHaveLength(1);
    for (const err of refused) {
      expect(err).toBeInstanceOf(BudgetExceededError);
      expect((err as Error).message).toBe('Budget reached: 1 of maxRequests 1 requests sent');
    }
  });

  it('property: a burst of calls sends min(calls, maxRequests), whatever the gate and the limiter', async () => {
    await check(
      'burst of calls under maxRequests',
      300,
      fc.asyncProperty(
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 1, max: 12 }),
        fc.oneof(fc.constant(Number.POSITIVE_INFINITY), fc.integer({ min: 1, max: 4 })),
        fc.boolean(),
        async (maxRequests, calls, concurrency, limited) => {
          const rt = new CallEngine({
            budget: { maxRequests },
            concurrency,
            ...(limited ? { rateLimit: { rpm: 1000 } } : {}),
          });
          const { sent, settled } = await burst(rt, calls);
          const want = Math.min(calls, maxRequests);
          if (sent !== want || rt.totals.requests !== want)
            throw new Error(`sent ${sent}, counted ${rt.totals.requests}, want ${want}`);
          const refused = settled.filter((s) => s.status === 'rejected');
          if (
            refused.length !== calls - want ||
            refused.some((s) => !(s.reason instanceof BudgetExceededError))
          )
            throw new Error(`refused ${refused.length} of ${calls}, want ${calls - want} budget errors`);
        },
      ),
    );
  });

  it('through evaluate() and the openai SDK: a 429 that holds the gate releases its waiters together, none past the limit', async () => {
    // The first request is told the request bucket is empty for 150 ms: the gate holds every new call, and
    // releases as many as it has room for at once when the hold ends.
    const server = await startServer((_req, res, n) => {
      if (n === 0)
        return answer(res, 429, '{}', {
          'x-ratelimit-remaining-requests': '0',
          'x-ratelimit-reset-requests': '150ms',
        });
      setTimeout(() => answer(res), 20);
    });
    try {
      const client = new OpenAI({ baseURL: server.url, apiKey: 'x' });
      const r = await evaluate(echoDataset(40), openaiModel({ model: 'gpt-4o-mini', client }), [echoMatch], {
        progress: false,
        resamples: 100,
        concurrency: 8,
        budget: { maxRequests: 10 },
        retry: { baseMs: 1 },
      });
      expect(r.run.stoppedBy).toBe('budget');
      expect(server.requests).toBe(10);
      expect(r.totals.requests).toBe(10);
    } finally {
      await server.close();
    }
  });
});
