// A provider can fail a stream after it has started: Anthropic sends `event: error` (`overloaded_error`) mid-stream,
// OpenAI a `data: {"error": …}` chunk. The HTTP status is 200 and the body ends cleanly, but the answer is not
// there: the SDK throws when it reads that event. Such a stream is a failed attempt — retried like a 529 / 500,
// never cached (a cached one would fail the row on every rerun and in replay, without sending anything) — and the
// row gets the stream that completes.
import http from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { memoryCache } from '../../src/cache/index.js';
import { evaluate, type Metric, wrapAnthropic, wrapOpenAI } from '../../src/index.js';

const sse = (events: [string | undefined, unknown][]) =>
  events
    .map(
      ([event, data]) =>
        `${event === undefined ? '' : `event: ${event}\n`}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`,
    )
    .join('');

const anthropicStream = (failing: boolean) =>
  sse([
    [
      'message_start',
      {
        type: 'message_start',
        message: {
          id: 'msg_1',
          type: 'message',
          role: 'assistant',
          model: 'm',
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
    ...(failing
      ? ([['error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }]] as [
          string,
          unknown,
        ][])
      : ([
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
        ] as [string, unknown][])),
  ]);

const chunk = (delta: object, finish: string | null) => ({
  id: 'c1',
  object: 'chat.completion.chunk',
  created: 0,
  model: 'm',
  choices: [{ index: 0, delta, finish_reason: finish }],
});
const openaiStream = (failing: boolean) =>
  sse([
    [undefined, chunk({ role: 'assistant', content: 'par' }, null)],
    ...(failing
      ? ([
          [
            undefined,
            {
              error: {
                message: 'The server had an error while processing your request.',
                type: 'server_error',
              },
            },
          ],
        ] as [undefined, unknown][])
      : ([
          [undefined, chunk({ content: 'is' }, 'stop')],
          [
            undefined,
            {
              ...chunk({}, null),
              choices: [],
              usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
            },
          ],
          [undefined, '[DONE]'],
        ] as [undefined, unknown][])),
  ]);

let url = '';
let received = 0;
let failFirst = 0;
let close: () => Promise<void>;
beforeAll(async () => {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      const failing = failFirst > 0;
      if (failing) failFirst--;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(req.url?.includes('/messages') ? anthropicStream(failing) : openaiStream(failing));
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

const PATHS: [string, () => () => Promise<string>][] = [
  [
    'anthropic messages.stream().finalText()',
    () => {
      const c = wrapAnthropic(new Anthropic({ baseURL: url, apiKey: 'k', maxRetries: 0 }));
      return () => c.messages.stream({ model: 'm', max_tokens: 8, messages }).finalText();
    },
  ],
  [
    'anthropic messages.create({ stream: true })',
    () => {
      const c = wrapAnthropic(new Anthropic({ baseURL: url, apiKey: 'k', maxRetries: 0 }));
      return async () => {
        let text = '';
        for await (const e of await c.messages.create({ model: 'm', max_tokens: 8, messages, stream: true }))
          if (e.type === 'content_block_delta' && e.delta.type === 'text_delta') text += e.delta.text;
        return text;
      };
    },
  ],
  [
    'openai chat.completions.create({ stream: true })',
    () => {
      const c = wrapOpenAI(new OpenAI({ baseURL: `${url}/v1`, apiKey: 'k', maxRetries: 0 }));
      return async () => {
        let text = '';
        for await (const ch of await c.chat.completions.create({ model: 'm', messages, stream: true }))
          text += ch.choices[0]?.delta.content ?? '';
        return text;
      };
    },
  ],
];

describe.each(PATHS)('%s: a stream that carries an error event', (_name, make) => {
  it('is retried, not cached; the row gets the complete stream, and the cache replays it', async () => {
    const send = make();
    const cache = memoryCache();
    const run = (mode: 'read-write' | 'replay') =>
      evaluate([{ id: 'a', input: 'q' }], send, [any], {
        progress: false,
        resamples: 10,
        maxFailureRate: 1,
        cache: { store: cache, mode },
        retry: { maxRetries: 2, baseMs: 1, maxMs: 5 },
      });
    failFirst = 1;
    const live = await run('read-write');
    expect(live.examples[0]?.error).toBeUndefined();
    expect(live.examples[0]?.output).toBe('paris');
    expect(live.totals).toMatchObject({ requests: 2, retries: 1 });
    expect(received).toBe(2);
    for (const mode of ['read-write', 'replay'] as const) {
      const again = await run(mode);
      expect(again.examples[0]?.output).toBe('paris');
      expect(again.totals.requests).toBe(0);
    }
    expect(received).toBe(2);
  });
});
