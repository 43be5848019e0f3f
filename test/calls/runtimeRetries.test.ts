import { describe, expect, it } from 'vitest';
import { CallEngine, type CallOutcome } from '../../src/calls/callRuntime.js';
import { rateLimiter } from '../../src/calls/index.js';
import { BudgetExceededError, RateLimitError, TimeoutError } from '../../src/errors.js';

const signal = new AbortController().signal;
const httpError = (status: number, headers: Record<string, string> = {}) =>
  Object.assign(new Error(`HTTP ${status}`), { status, headers: new Headers(headers) });

/** A sender that fails with the given errors in turn, then answers. */
function script(...failures: unknown[]) {
  const s = {
    calls: 0,
    send: async (): Promise<CallOutcome<string>> => {
      const f = failures[s.calls++];
      if (f !== undefined) throw f;
      return { value: 'ok', usage: { inputTokens: 10, outputTokens: 5 } };
    },
  };
  return s;
}

function recordSleeps() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

describe('runtime retries', () => {
  it('retries 429, 5xx, resets and timeouts with full-jitter back-off', async () => {
    const { waits, sleep } = recordSleeps();
    const rt = new CallEngine({
      sleep,
      random: () => 0.5,
      retry: { maxRetries: 4, baseMs: 100, maxMs: 250 },
    });
    const s = script(
      httpError(500),
      Object.assign(new Error('reset'), { code: 'ECONNRESET' }),
      httpError(503),
      new TimeoutError('t', 1),
    );
    const r = await rt.call({ kind: 'model' }, s.send, signal);
    expect(r).toMatchObject({ value: 'ok', retries: 4, cached: false });
    expect(waits).toEqual([50, 100, 125, 125]);
    expect(rt.totals).toMatchObject({ requests: 5, retries: 4 });
  });

  it('honours retry-after (even above maxMs) and retry-after-ms', async () => {
    const { waits, sleep } = recordSleeps();
    const rt = new CallEngine({ sleep, random: () => 0, retry: { maxRetries: 3, baseMs: 10, maxMs: 100 } });
    const s = script(httpError(429, { 'retry-after': '2' }), httpError(429, { 'retry-after-ms': '30' }));
    await rt.call({ kind: 'model' }, s.send, signal);
    expect(waits).toEqual([2000, 30]);
  });

  it('without retry-after, waits for the reset of an exhausted bucket', async () => {
    const { waits, sleep } = recordSleeps();
    const rt = new CallEngine({ sleep, random: () => 0 });
    const s = script(
      httpError(429, { 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '75ms' }),
    );
    await rt.call({ kind: 'model' }, s.send, signal);
    expect(waits).toEqual([75]);
  });

  it.each([400, 401, 403, 404])('never retries %d', async (status) => {
    const { waits, sleep } = recordSleeps();
    const rt = new CallEngine({ sleep });
    const err = httpError(status);
    const s = script(err);
    await expect(rt.call({ kind: 'model' }, s.send, signal)).rejects.toBe(err);
    expect(s.calls).toBe(1);
    expect(waits).toEqual([]);
  });

  it('gives up with RateLimitError after maxRetries 429s', async () => {
    const { sleep } = recordSleeps();
    const rt = new CallEngine({ sleep, retry: { maxRetries: 2 } });
    const s = script(httpError(429), httpError(429), httpError(429, { 'retry-after': '1' }));
    const err = (await rt
      .call({ kind: 'judge', exampleId: 'e9' }, s.send, signal)
      .catch((e) => e)) as RateLimitError;
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err.message).toBe('Rate limited on every one of 3 attempts for example "e9"');
    expect(err.retryAfterMs).toBe(1000);
    expect(err.exampleId).toBe('e9');
  });

  it('halves its concurrency on 429 and grows it back on successes', async () => {
    const { sleep } = recordSleeps();
    const rt = new CallEngine({ sleep, concurrency: 8 });
    expect(rt.concurrency?.limit).toBe(8);
    await rt.call({ kind: 'model' }, script(httpError(429)).send, signal);
    expect(rt.concurrency?.limit).toBeGreaterThanOrEqual(4);
    expect(rt.concurrency?.limit).toBeLessThan(5);
    for (let i = 0; i < 100; i++) await rt.call({ kind: 'model' }, script().send, signal);
    expect(rt.concurrency?.limit).toBe(8);
  });

  it('keeps at most `concurrency` sends in flight', async () => {
    const rt = new CallEngine({ concurrency: 3 });
    let inFlight = 0;
    let peak = 0;
    const send = async (): Promise<CallOutcome<number>> => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return { value: 1 };
    };
    await Promise.all(Array.from({ length: 20 }, () => rt.call({ kind: 'model' }, send, signal)));
    expect(peak).toBe(3);
  });

  it('aborting stops the retries at once', async () => {
    const ac = new AbortController();
    const rt = new CallEngine({ retry: { maxRetries: 5, baseMs: 10_000, maxMs: 10_000 }, random: () => 1 });
    const p = rt.call({ kind: 'model' }, script(httpError(500)).send, ac.signal);
    setTimeout(() => ac.abort(new Error('cancelled')), 10);
    await expect(p).rejects.toThrow('cancelled');
  });
});

describe('runtime budget and pricing', () => {
  it('maxRequests is exact, retries included, and nothing is sent past it', async () => {
    const { sleep } = recordSleeps();
    const rt = new CallEngine({ sleep, budget: { maxRequests: 3 } });
    await rt.call({ kind: 'model' }, script(httpError(500)).send, signal); // 2 requests
    await rt.call({ kind: 'model' }, script().send, signal); // 3
    const s = script();
    const err = (await rt
      .call({ kind: 'model', exampleId: 'x' }, s.send, signal)
      .catch((e) => e)) as BudgetExceededError;
    expect(err).toBeInstanceOf(BudgetExceededError);
    expect(err.limit).toBe('maxRequests');
    expect(err.message).toBe('Budget reached: 3 of maxRequests 3 requests sent');
    expect(err.exampleId).toBe('x');
    expect(s.calls).toBe(0);
  });

  it('maxTokens and maxCostUsd stop new calls once reached', async () => {
    const rtT = new CallEngine({ budget: { maxTokens: 30 } });
    await rtT.call({ kind: 'model' }, script().send, signal);
    await rtT.call({ kind: 'model' }, script().send, signal);
    await expect(rtT.call({ kind: 'model' }, script().send, signal)).rejects.toMatchObject({
      limit: 'maxTokens',
    });
    const rtC = new CallEngine({
      budget: { maxCostUsd: 0.0015 },
      pricing: { mine: { inputPerMillion: 50, outputPerMillion: 100 } },
    });
    const spec = { kind: 'model' as const, model: 'mine' };
    const r = await rtC.call(spec, script().send, signal);
    expect(r.costUsd).toBe((10 * 50 + 5 * 100) / 1e6);
    await rtC.call(spec, script().send, signal);
    expect(rtC.totals.costUsd).toBe(2 * ((10 * 50 + 5 * 100) / 1e6));
    await expect(rtC.call(spec, script().send, signal)).rejects.toMatchObject({ limit: 'maxCostUsd' });
  });

  it('prices from the default table, a dated snapshot, or not at all; never overrides a sender cost', async () => {
    const rt = new CallEngine();
    const priced = async (model: string) =>
      (await rt.call({ kind: 'model', model }, script().send, signal)).costUsd;
    expect(await priced('gpt-4o')).toBe((10 * 2.5 + 5 * 10) / 1e6);
    expect(await priced('gpt-4o-mini-2024-07-18')).toBe((10 * 0.15 + 5 * 0.6) / 1e6);
    expect(await priced('my-local-llama')).toBeUndefined();
    const r = await rt.call(
      { kind: 'model', model: 'gpt-4o' },
      async () => ({ value: 1, usage: { inputTokens: 1, outputTokens: 1 }, costUsd: 7 }),
      signal,
    );
    expect(r.costUsd).toBe(7);
    // The model comes from the request when the spec has none.
    const fromRequest = await rt.call(
      { kind: 'model', request: { model: 'gpt-4.1-nano' } },
      script().send,
      signal,
    );
    expect(fromRequest.costUsd).toBe((10 * 0.1 + 5 * 0.4) / 1e6);
  });

  it.each([
    [
      { budget: { maxCostUsd: -1 } },
      RangeError,
      'Expected `budget.maxCostUsd` to be a number in [0, Infinity], got `-1` (number)',
    ],
    [
      { budget: { maxTokens: 'many' } },
      TypeError,
      'Expected `budget.maxTokens` to be an integer >= 0 (or Infinity), got `"many"` (string)',
    ],
    [
      { budget: { maxRequests: 1.5 } },
      RangeError,
      'Expected `budget.maxRequests` to be an integer >= 0 (or Infinity), got `1.5` (number)',
    ],
    [
      { pricing: { m: { inputPerMillion: -1, outputPerMillion: 0 } } },
      RangeError,
      'Expected `pricing["m"].inputPerMillion` to be a finite number >= 0, got `-1` (number)',
    ],
    [{ pricing: { m: 3 } }, TypeError, 'Expected `pricing["m"]` to be an options object, got `3` (number)'],
    [
      { concurrency: 0 },
      RangeError,
      'Expected `concurrency` to be an integer >= 1 (or Infinity), got `0` (number)',
    ],
    [
      { retry: { maxRetries: -1 } },
      RangeError,
      'Expected `retry.maxRetries` to be an integer >= 0, got `-1` (number)',
    ],
  ])('rejects bad options (%#)', (opts, Err, message) => {
    expect(() => new CallEngine(opts as never)).toThrow(new Err(message));
  });
});

describe('runtime rate limit', () => {
  it('estimates tokens with gpt-tokenizer and reconciles them with usage', async () => {
    const rt = new CallEngine({ rateLimit: { tpm: 10_000, windowMs: 60_000 } });
    const request = {
      model: 'gpt-4o-mini',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'Capital of France?' }],
    };
    let seenDuring = 0;
    await rt.call(
      { kind: 'model', request },
      async () => {
        seenDuring = rt.limiter?.usage().tokens ?? -1;
        return { value: 'Paris', usage: { inputTokens: 4, outputTokens: 1 } };
      },
      signal,
    );
    // 4 text tokens (o200k_base) + 3 per message + 3 reply priming + max_tokens 50.
    expect(seenDuring).toBe(60);
    expect(rt.limiter?.usage().tokens).toBe(5);
  });

  it('uses spec.estimatedTokens when given, and a limiter shared between runtimes', async () => {
    const shared = rateLimiter({ rpm: 2, tpm: 1000, windowMs: 60_000 });
    const a = new CallEngine({ rateLimit: shared });
    const b = new CallEngine({ rateLimit: shared });
    await a.call({ kind: 'model', estimatedTokens: 300 }, async () => ({ value: 1 }), signal);
    await b.call({ kind: 'model', estimatedTokens: 200 }, async () => ({ value: 1 }), signal);
    expect(shared.usage()).toEqual({ requests: 2, tokens: 500, queued: 0 });
    const ac = new AbortController();
    const third = a.call({ kind: 'model' }, async () => ({ value: 1 }), ac.signal);
    await new Promise((r) => setTimeout(r, 10));
    expect(shared.usage().queued).toBe(1);
    ac.abort(new Error('enough'));
    await expect(third).rejects.toThrow('enough');
  });
});
