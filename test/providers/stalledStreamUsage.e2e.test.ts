// A stream that stalls (its status 200, its headers and some events with tokens, then nothing until the call's
// timeout) is a failed attempt, but the provider has read the prompt and generated the part that came: it bills
// them, as it bills a stream cut off or failed midway (test/providers/brokenStreamUsage). Regression: the attempt's
// timeout threw away the text that had come, so a stalled stream counted 0 tokens in the run's totals, its token
// budget and its TPM window (the window kept the call's estimate instead of what it spent).
import http from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { evaluate, type Metric, rateLimiter, wrapAnthropic, wrapOpenAI } from '../../src/index.js';
import { HUNG, within } from '../_within.js';

const sse = (events: [string | undefined, unknown][]) =>
  events
    .map(
      ([event, data]) => `${event === undefined ? '' : `event: ${event}\n`}data: ${JSON.stringify(data)}\n\n`,
    )
    .join('');

/** The head of an Anthropic message stream: message_start reports 3 input tokens and 1 output token, then 'par'. */
const anthropicHead = sse([
  [
    'message_start',
    {
      type: 'message_start',
      message: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-3-5-haiku-20241022',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 3, output_tokens: 1 },
      },
    },
  ],
  [
    'content_block_start',
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
  ],
  [
    'content_block_delta',
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'par' } },
  ],
]);
/** The head of a chat stream, without usage: one chunk 'par'. */
const chatHead = sse([
  [
    undefined,
    {
      id: 'c1',
      object: 'chat.completion.chunk',
      created: 0,
      model: 'gpt-4o-mini',
      choices: [{ index: 0, delta: { role: 'assistant', content: 'par' }, finish_reason: null }],
    },
  ],
]);

let url = '';
let received = 0;
let close: () => Promise<void>;
beforeAll(async () => {
  // Every stream stalls after its head: the response is never ended (close() destroys the connections).
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write((req.url ?? '').includes('/messages') ? anthropicHead : chatHead);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
});
afterAll(() => close());
beforeEach(() => {
  received = 0;
});

const any: Metric = { name: 'any', kind: 'binary', score: () => 1 };
const messages = [{ role: 'user' as const, content: 'q' }];

function claude() {
  const c = wrapAnthropic(new Anthropic({ baseURL: url, apiKey: 'k', maxRetries: 0 }));
  return () => c.messages.stream({ model: 'claude-3-5-haiku-20241022', max_tokens: 8, messages }).finalText();
}

function gpt() {
  const c = wrapOpenAI(new OpenAI({ baseURL: `${url}/v1`, apiKey: 'k', maxRetries: 0 }));
  return async () => {
    let text = '';
    for await (const ch of await c.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true }))
      text += ch.choices[0]?.delta.content ?? '';
    return text;
  };
}

async function run(model: () => Promise<string>, more: Record<string, unknown> = {}) {
  const going = evaluate([{ id: 'a', input: 'q' }], model, [any], {
    progress: false,
    resamples: 10,
    maxFailureRate: 1,
    timeoutMs: 300,
    retry: { maxRetries: 0, baseMs: 1, maxMs: 5 },
    ...more,
  });
  const r = await within(going, 20_000);
  expect(r, 'the run ended').not.toBe(HUNG);
  return r as Awaited<typeof going>;
}

describe('the tokens of a stream that stalled until its timeout are counted', () => {
  it('an Anthropic stream: the usage message_start reported (3 in, 1 out), priced', async () => {
    const r = await run(claude());
    expect(r.nFailed).toBe(1);
    expect(r.examples[0]?.error?.message).toContain('timed out after 300 ms');
    expect(r.totals).toMatchObject({ requests: 1, inputTokens: 3, outputTokens: 1 });
    // claude-3-5-haiku: $0.80 / $4 per 1M tokens.
    const want = (3 * 0.8 + 1 * 4) / 1e6;
    expect(
      Math.abs(r.totals.costUsd - want),
      `costUsd ${r.totals.costUsd}, want ${want}`,
    ).toBeLessThanOrEqual(1e-9 * want);
  });

  it('a chat stream without usage: the estimate of its prompt and of the text that came', async () => {
    const r = await run(gpt());
    expect(r.nFailed).toBe(1);
    expect(r.totals.requests).toBe(1);
    expect(r.totals.inputTokens, 'the prompt, estimated').toBeGreaterThan(0);
    expect(r.totals.outputTokens, "'par'").toBe(1);
  });

  it('budget.maxTokens sees them: no retry is sent once the stalled stream spent it', async () => {
    const r = await run(claude(), {
      budget: { maxTokens: 4 },
      retry: { maxRetries: 3, baseMs: 1, maxMs: 5 },
    });
    expect(received, 'requests the server received').toBe(1);
    expect(r.run.stoppedBy).toBe('budget');
    expect(r.totals).toMatchObject({ requests: 1, retries: 0, inputTokens: 3, outputTokens: 1 });
  });

  it('the TPM window counts what the stream spent, not the call estimate', async () => {
    const limiter = rateLimiter({ tpm: 100_000, expectedOutputTokens: 5_000 });
    const r = await run(claude(), { rateLimit: limiter });
    expect(r.totals.requests).toBe(1);
    expect(limiter.usage().tokens, 'tokens in the window').toBe(4);
  });
});
