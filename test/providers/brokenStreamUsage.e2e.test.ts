// A stream that fails after its status 200 (cut off before its last event, or failed midway by an error event) is
// a failed attempt, but the provider has read the prompt and generated the part that came: it bills them. Those
// tokens count in the run's totals and its token and cost budgets, as the usage the stream reported so far
// (Anthropic's message_start), or the tokenizer's estimate of the prompt and of the text that came. Regression: a
// failed stream counted nothing, so a provider cutting every stream spent the budget without the run seeing it:
// maxTokens 4 and four cut streams of 4 tokens each sent all four retries, and totals said 0 tokens.
import http from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { evaluate, type Metric, wrapAnthropic, wrapOpenAI } from '../../src/index.js';

const sse = (events: [string | undefined, unknown][]) =>
  events
    .map(
      ([event, data]) => `${event === undefined ? '' : `event: ${event}\n`}data: ${JSON.stringify(data)}\n\n`,
    )
    .join('');

/** An Anthropic message stream: message_start reports 3 input tokens and 1 output token, then one delta 'par'. */
const anthropicHead: [string, unknown][] = [
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
];
const anthropicTail: [string, unknown][] = [
  [
    'content_block_delta',
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'is' } },
  ],
  ['content_block_stop', { type: 'content_block_stop', index: 0 }],
  [
    'message_delta',
    {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: 2 },
    },
  ],
  ['message_stop', { type: 'message_stop' }],
];
const overloaded: [string, unknown] = [
  'error',
  { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
];
const chatHead: [undefined, unknown][] = [
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
];

type Fault = 'cut' | 'error';
let url = '';
let received = 0;
/** How the next requests' streams fail, one entry per request (then whole). */
let faults: Fault[] = [];
let close: () => Promise<void>;
beforeAll(async () => {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      const fault = faults.shift();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if ((req.url ?? '').includes('/messages'))
        res.end(
          sse(
            fault === undefined
              ? [...anthropicHead, ...anthropicTail]
              : fault === 'cut'
                ? anthropicHead
                : [...anthropicHead, overloaded],
          ),
        );
      else res.end(sse(chatHead)); // always cut
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
  faults = [];
});

const any: Metric = { name: 'any', kind: 'binary', score: () => 1 };
const messages = [{ role: 'user' as const, content: 'q' }];

function claude() {
  const c = wrapAnthropic(new Anthropic({ baseURL: url, apiKey: 'k', maxRetries: 0 }));
  return () => c.messages.stream({ model: 'claude-3-5-haiku-20241022', max_tokens: 8, messages }).finalText();
}

const run = (model: () => Promise<string>, more: Record<string, unknown> = {}) =>
  evaluate([{ id: 'a', input: 'q' }], model, [any], {
    progress: false,
    resamples: 10,
    maxFailureRate: 1,
    retry: { maxRetries: 3, baseMs: 1, maxMs: 5 },
    ...more,
  });

describe('the tokens of a stream that failed after its status 200 are counted', () => {
  it.each(['cut', 'error'] as const)('a stream %s, then a whole one: both counted', async (fault) => {
    faults = [fault];
    const r = await run(claude());
    expect(r.examples[0]?.output).toBe('paris');
    expect(received).toBe(2);
    // message_start of each (3 in, 1 out), and the whole stream's message_delta (2 out).
    expect(r.totals).toMatchObject({ requests: 2, retries: 1, inputTokens: 6, outputTokens: 3 });
    // Priced like any call of the model (claude-3-5-haiku: $0.80 / $4 per 1M tokens).
    const want = (6 * 0.8 + 3 * 4) / 1e6;
    expect(
      Math.abs(r.totals.costUsd - want),
      `costUsd ${r.totals.costUsd}, want ${want}`,
    ).toBeLessThanOrEqual(1e-9 * want);
  });

  it('every stream cut: the row fails, and the four attempts are counted', async () => {
    faults = ['cut', 'cut', 'cut', 'cut'];
    const r = await run(claude());
    expect(r.nFailed).toBe(1);
    expect(r.totals).toMatchObject({ requests: 4, inputTokens: 12, outputTokens: 4 });
  });

  it('budget.maxTokens sees them: no retry is sent once the cut streams spent it', async () => {
    faults = ['cut', 'cut', 'cut', 'cut'];
    const r = await run(claude(), { budget: { maxTokens: 4 } });
    expect(received, 'requests the server received').toBe(1);
    expect(r.run.stoppedBy).toBe('budget');
    expect(r.totals).toMatchObject({ requests: 1, inputTokens: 3, outputTokens: 1 });
  });

  it('a chat stream cut before its usage chunk: counted by the estimate of its prompt and its text', async () => {
    const c = wrapOpenAI(new OpenAI({ baseURL: `${url}/v1`, apiKey: 'k', maxRetries: 0 }));
    const r = await run(
      async () => {
        let text = '';
        for await (const ch of await c.chat.completions.create({
          model: 'gpt-4o-mini',
          messages,
          stream: true,
        }))
          text += ch.choices[0]?.delta.content ?? '';
        return text;
      },
      { retry: { maxRetries: 1, baseMs: 1, maxMs: 5 } },
    );
    expect(r.nFailed).toBe(1);
    expect(received).toBe(2);
    expect(r.totals.requests).toBe(2);
    expect(r.totals.inputTokens, 'the prompt, estimated, twice').toBeGreaterThan(0);
    expect(r.totals.outputTokens, "'par' twice").toBe(2);
  });
});
