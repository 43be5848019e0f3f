// A model that calls its provider itself is retried whole by the row, within rowTimeoutMs. Regression: when the
// wait before the retry (the provider's Retry-After, or the back-off) reached past the row's deadline, the row
// slept until the deadline and then called the model once more: a request sent at the deadline (aborted a
// millisecond later) and, for a 429, sent long before the wait the provider asked for. A retry whose wait does not
// fit in the row's time is not made: the row fails at once with the provider's error.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { evaluate, type Metric } from '../../src/index.js';
import { HUNG, within } from '../_within.js';
import { chatModel, startFailingThenOk, type TestServer } from '../calls/_misbehavingServer.js';

const one: Metric = { name: 'one', kind: 'binary', score: () => 1 };

let server: TestServer | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await server?.close();
  server = undefined;
});

/** A server answering `status` with `headers` to its first `failing` requests, and a plain model calling it. */
async function serve(failing: number, status: number, headers: Record<string, string>) {
  const started = await startFailingThenOk(failing, status, headers);
  server = started.server;
  return { at: started.at, model: chatModel(server.url, false) };
}

describe("a plain model's retry that does not fit in rowTimeoutMs", () => {
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
      rowTimeoutMs: 400,
      maxFailureRate: 1,
      retry: { baseMs: 1_000_000, maxMs: 1_000_000 },
    });
    const r = await within(run);
    expect(r, 'the run ended').not.toBe(HUNG);
    const result = r as Awaited<typeof run>;
    // Give a late request time to arrive before counting what the server saw.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(at, 'requests the server received').toHaveLength(1);
    expect(result.examples[0]?.retries).toBe(0);
    expect(result.totals.retries).toBe(0);
    expect(result.examples[0]?.error?.message).toContain(String(status));
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
    expect(r.examples[0]?.retries).toBe(1);
  });
});
