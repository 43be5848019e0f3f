// A call through evalgate is retried by the runtime, within the row's rowTimeoutMs. Regression: when the wait before
// the retry (the provider's retry-after / retry-after-ms, or the back-off) reached past the row's deadline, the call
// slept until the row timed out and the row failed with a TimeoutError (rowTimeoutMs), hiding the provider's error.
// A retry whose wait does not fit in the row's time is not made: the call fails at once with the provider's error,
// as a plain model's row retry does (test/run/rowRetryDeadline).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { evaluate, type Metric } from '../../src/index.js';
import { HUNG, within } from '../_within.js';
import { chatModel, startFailingThenOk, type TestServer } from './_misbehavingServer.js';

const one: Metric = { name: 'one', kind: 'binary', score: () => 1 };

let server: TestServer | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await server?.close();
  server = undefined;
});

/** A server answering `status` with `headers` to its first `failing` requests, and a model calling it through evalgate. */
async function serve(failing: number, status: number, headers: Record<string, string>) {
  const started = await startFailingThenOk(failing, status, headers);
  server = started.server;
  return { at: started.at, model: chatModel(server.url, true) };
}

describe("a call's retry that does not fit in rowTimeoutMs", () => {
  it.each([
    ['a 429 asking for retry-after: 30 (under retry.maxWaitMs)', 429, { 'retry-after': '30' }],
    ['a 429 asking for retry-after-ms: 20000', 429, { 'retry-after-ms': '20000' }],
    ['a 503 asking for retry-after: 30', 503, { 'retry-after': '30' }],
    ['a 503 whose back-off (900 000 ms) is longer than the row', 503, {}],
  ])('%s: not sent again; the row fails with the provider error', async (_name, status, headers) => {
    vi.spyOn(Math, 'random').mockReturnValue(0.9);
    const { at, model } = await serve(10, status, headers);
    const run = evaluate([{ id: 'a', input: 'q' }], model, [one], {
      progress: false,
      resamples: 100,
      rowTimeoutMs: 1500,
      maxFailureRate: 1,
      retry: { baseMs: 1_000_000, maxMs: 1_000_000 },
    });
    const r = await within(run);
    expect(r, 'the run ended').not.toBe(HUNG);
    const result = r as Awaited<typeof run>;
    // Give a late request time to arrive before counting what the server saw.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(at, 'requests the server received').toHaveLength(1);
    expect(result.totals.requests).toBe(1);
    expect(result.totals.retries).toBe(0);
    expect(result.examples[0]?.retries).toBe(0);
    const error = result.examples[0]?.error;
    expect(error?.name, 'the provider error, not the row timeout').not.toBe('TimeoutError');
    expect(error?.status).toBe(status);
    expect(error?.message).toContain(String(status));
  });

  it('a wait that fits is still made: retry-after-ms: 100 with rowTimeoutMs 5000', async () => {
    const { at, model } = await serve(1, 429, { 'retry-after-ms': '100' });
    const r = await evaluate([{ id: 'a', input: 'q' }], model, [one], {
      progress: false,
      resamples: 100,
      rowTimeoutMs: 5000,
      retry: { baseMs: 10, maxMs: 20 },
    });
    expect(r.nFailed).toBe(0);
    expect(at).toHaveLength(2);
    expect(r.totals.retries).toBe(1);
    expect(r.examples[0]?.retries).toBe(1);
  });
});
