// A 503 carrying Retry-After (RFC 9110 §10.2.3: how long the service expects to be unavailable) is waited out as
// a 429's is: up to retry.maxWaitMs before the retry, and a longer wait ends the call at once instead of retrying
// into an outage the server announced. Regression: only a 429's wait was read, so a 503 asking for retry-after: 1
// was retried after the back-off alone (~10 ms here, three times within the announced second) and one asking for
// an hour was retried maxRetries times.
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { evaluate, type Metric, wrapOpenAI } from '../../src/index.js';
import { startFailingThenOk, type TestServer } from './_misbehavingServer.js';

const one: Metric = { name: 'one', kind: 'binary', score: () => 1 };
const opts = {
  progress: false,
  resamples: 100,
  retry: { baseMs: 10, maxMs: 20 },
  maxFailureRate: 1,
} as const;

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server answering 503 with `headers` to its first `failing` requests; a model through evalgate or around it. */
async function serve(failing: number, headers: Record<string, string>, through: 'evalgate' | 'plain') {
  const started = await startFailingThenOk(failing, 503, headers);
  server = started.server;
  const raw = new OpenAI({ baseURL: server.url, apiKey: 'k', maxRetries: 0 });
  const client = through === 'evalgate' ? wrapOpenAI(raw) : raw;
  const model = async (input: unknown) => {
    const r = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: String(input) }],
    });
    return r.choices[0]?.message.content ?? '';
  };
  return { at: started.at, model };
}

describe.each(['evalgate', 'plain'] as const)('a 503 with Retry-After (model %s)', (through) => {
  it.each([
    ['retry-after: 1', { 'retry-after': '1' }, 1000],
    ['retry-after-ms: 300', { 'retry-after-ms': '300' }, 300],
  ])('%s is waited out before the retry', async (_name, headers, waitMs) => {
    const { at, model } = await serve(1, headers, through);
    const r = await evaluate([{ id: 'a', input: 'q' }], model, [one], opts);
    expect(r.nFailed).toBe(0);
    expect(at).toHaveLength(2);
    // Timer granularity: a wait may end a millisecond early as the server measures it.
    expect(at[1]! - at[0]!, 'the gap the server saw between the attempts').toBeGreaterThanOrEqual(waitMs - 5);
  });

  it('a wait longer than retry.maxWaitMs is not retried: the row fails after one request', async () => {
    const { at, model } = await serve(10, { 'retry-after': '3600' }, through);
    const r = await evaluate([{ id: 'a', input: 'q' }], model, [one], opts);
    expect(at).toHaveLength(1);
    expect(r.nFailed).toBe(1);
    // Through evalgate the row's error says why it was not retried; a plain model's row keeps its SDK's error.
    if (through === 'evalgate') {
      expect(r.examples[0]?.error?.name).toBe('ProviderCallError');
      expect(r.examples[0]?.error?.message).toContain('longer than retry.maxWaitMs (60000 ms)');
    } else expect(r.examples[0]?.error?.status).toBe(503);
  });

  it('a 503 without Retry-After keeps the back-off (retried up to maxRetries)', async () => {
    const { at, model } = await serve(10, {}, through);
    const r = await evaluate([{ id: 'a', input: 'q' }], model, [one], {
      ...opts,
      retry: { ...opts.retry, maxRetries: 2 },
    });
    expect(at).toHaveLength(3);
    expect(r.nFailed).toBe(1);
  });
});
