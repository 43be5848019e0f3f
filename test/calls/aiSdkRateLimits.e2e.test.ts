// A 429 reaching the runtime from the AI SDK (wrapAISDKModel with @ai-sdk/openai) is a 429 like the openai SDK's:
// its wait is honoured up to retry.maxWaitMs, a longer one fails the call at once, and every attempt rate-limited is
// a RateLimitError. Regression: the runtime read the status only from `status` and the headers only from
// `headers`, while the AI SDK's APICallError carries `statusCode` and `responseHeaders`: a 429 asking for 1 s was
// retried after 36 ms and then 15 ms, an hour's wait was retried at once, and the AIMD gate never backed off.
import { createOpenAI } from '@ai-sdk/openai';
import { generateText } from 'ai';
import { afterEach, describe, expect, it } from 'vitest';
import { wrapAISDKModel } from '../../src/ai-sdk/index.js';
import { evaluate, type Metric } from '../../src/index.js';
import { startFailingThenOk, type TestServer } from './_misbehavingServer.js';

const one: Metric = { name: 'one', kind: 'binary', score: () => 1 };
const opts = { progress: false, resamples: 100, retry: { baseMs: 10, maxMs: 20 } } as const;

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Starts a server answering 429 with `headers` to its first `limited` requests; returns their arrival times. */
async function serve(limited: number, headers: Record<string, string>) {
  const started = await startFailingThenOk(limited, 429, headers);
  server = started.server;
  const at = started.at;
  const model = wrapAISDKModel(createOpenAI({ baseURL: server.url, apiKey: 'k' }).chat('gpt-4o-mini'));
  const run = async (input: unknown) =>
    (await generateText({ model, prompt: String(input), maxRetries: 0 })).text;
  return { at, run };
}

describe('429s from the AI SDK', () => {
  it.each([
    ['retry-after-ms: 300', { 'retry-after-ms': '300' }, 300],
    ['retry-after: 1', { 'retry-after': '1' }, 1000],
  ])('%s is honoured before the retry', async (_name, headers, waitMs) => {
    const { at, run } = await serve(1, headers);
    const r = await evaluate([{ id: 'a', input: 'q' }], run, [one], opts);
    expect(r.nFailed).toBe(0);
    expect(r.examples[0]?.retries).toBe(1);
    expect(at).toHaveLength(2);
    // Timer granularity: a wait may end a millisecond early as the server measures it.
    expect(at[1]! - at[0]!, 'the gap the server saw between the attempts').toBeGreaterThanOrEqual(waitMs - 5);
  });

  it('a wait longer than retry.maxWaitMs fails the call at once, as a RateLimitError naming the option', async () => {
    const { at, run } = await serve(10, { 'retry-after': '3600' });
    const r = await evaluate([{ id: 'a', input: 'q' }], run, [one], { ...opts, maxFailureRate: 1 });
    expect(at).toHaveLength(1);
    const err = r.examples[0]?.error;
    expect(err?.name).toBe('RateLimitError');
    expect(err?.message).toContain('longer than retry.maxWaitMs (60000 ms)');
  });

  it('rate-limited on every attempt: the row fails with a RateLimitError after maxRetries', async () => {
    const { at, run } = await serve(10, { 'retry-after-ms': '1' });
    const r = await evaluate([{ id: 'a', input: 'q' }], run, [one], {
      ...opts,
      retry: { ...opts.retry, maxRetries: 2 },
      maxFailureRate: 1,
    });
    expect(at).toHaveLength(3);
    expect(r.examples[0]?.error?.name).toBe('RateLimitError');
    expect(r.examples[0]?.error?.message).toBe('Rate limited on every one of 3 attempts for example "a"');
  });
});
