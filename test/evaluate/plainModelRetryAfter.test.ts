// A model that calls its provider itself is retried whole by the runtime's retry policy; a 429 it lets through is
// waited out as the provider asked, as for a call through evalgate: up to retry.maxWaitMs, and a longer wait fails
// the row at once. Regression: the row's retry used only the back-off, so a 429 asking for retry-after: 1 (openai
// SDK, its own retries off) was sent again after 216 ms, and one asking for an hour was retried three times.
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { evaluate, type Metric } from '../../src/index.js';
import { startFailingThenOk, type TestServer } from '../calls/_misbehavingServer.js';

const one: Metric = { name: 'one', kind: 'binary', score: () => 1 };
const opts = { progress: false, resamples: 100, retry: { baseMs: 10, maxMs: 20 } } as const;

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server answering `status` (429 by default) with `headers` to its first `limited` requests, and a plain model calling it. */
async function serve(limited: number, headers: Record<string, string>, status = 429) {
  const started = await startFailingThenOk(limited, status, headers);
  server = started.server;
  const at = started.at;
  const client = new OpenAI({ baseURL: server.url, apiKey: 'k', maxRetries: 0 });
  const model = async (input: unknown) => {
    const r = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: String(input) }],
    });
    return r.choices[0]?.message.content ?? '';
  };
  return { at, model };
}

describe("a plain model's 429", () => {
  it.each([
    ['retry-after: 1', { 'retry-after': '1' }, 1000],
    ['retry-after-ms: 300', { 'retry-after-ms': '300' }, 300],
    [
      'an exhausted bucket (x-ratelimit-reset-requests: 300ms)',
      { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '300ms' },
      300,
    ],
  ])('%s is waited out before the row is tried again', async (_name, headers, waitMs) => {
    const { at, model } = await serve(1, headers);
    const r = await evaluate([{ id: 'a', input: 'q' }], model, [one], opts);
    expect(r.nFailed).toBe(0);
    expect(r.examples[0]?.retries).toBe(1);
    expect(at).toHaveLength(2);
    expect(at[1]! - at[0]!, 'the gap the server saw between the attempts').toBeGreaterThanOrEqual(waitMs - 5);
  });

  it('a wait longer than retry.maxWaitMs fails the row at once', async () => {
    const { at, model } = await serve(10, { 'retry-after': '3600' });
    const r = await evaluate([{ id: 'a', input: 'q' }], model, [one], { ...opts, maxFailureRate: 1 });
    expect(at).toHaveLength(1);
    expect(r.examples[0]?.retries).toBe(0);
    expect(r.examples[0]?.error?.name).toBe('RateLimitError');
  });

  it('a wait is still bounded by rowTimeoutMs', async () => {
    const { at, model } = await serve(10, { 'retry-after': '30' });
    const started = performance.now();
    const r = await evaluate([{ id: 'a', input: 'q' }], model, [one], {
      ...opts,
      rowTimeoutMs: 300,
      maxFailureRate: 1,
    });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(r.nFailed).toBe(1);
    expect(at.length).toBeLessThanOrEqual(2);
  });
});
