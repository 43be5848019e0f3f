// A stream can go wrong after its status 200, with a body that ends cleanly: the connection ends before the
// stream's last event (a proxy's idle timeout, a server gone between chunks: OpenAI chat without a finish_reason or
// [DONE], a Responses stream without response.completed, Anthropic without message_stop), or the provider fails it
// midway with an error event (Anthropic `event: error` overloaded_error, an OpenAI `{"error": …}` chunk, a Responses
// `error` event). Either way the answer is not there: the SDK hands the part that came to the user's code, or
// throws when it reads the error. Such a stream is a failed attempt — retried like a 5xx, never cached (a cached
// one would give the part, or fail the row, on every rerun and in replay without sending anything) — and the row
// gets the stream that completes.
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

/**
 * What goes wrong with a stream after its status 200: `cut` ends it cleanly after the first delta, `error` sends
 * the API's error event there instead of the rest; `undefined` streams 'paris' whole, in two deltas.
 */
type Fault = 'cut' | 'error' | undefined;

/** `events` up to and including the first delta (at `first`), then the fault's tail, or all of them. */
const faulted = <E>(events: E[], first: number, fault: Fault, error: E): E[] =>
  fault === undefined ? events : [...events.slice(0, first + 1), ...(fault === 'error' ? [error] : [])];

const anthropicStream = (fault: Fault) => {
  const events: [string, unknown][] = [
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
  return sse(
    faulted(events, 2, fault, [
      'error',
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    ]),
  );
};

const chunk = (delta: object, finish: string | null) => ({
  id: 'c1',
  object: 'chat.completion.chunk',
  created: 0,
  model: 'm',
  choices: [{ index: 0, delta, finish_reason: finish }],
});
const chatStream = (fault: Fault) => {
  const events: [undefined, unknown][] = [
    [undefined, chunk({ role: 'assistant', content: 'par' }, null)],
    [undefined, chunk({ content: 'is' }, 'stop')],
    [
      undefined,
      { ...chunk({}, null), choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } },
    ],
    [undefined, '[DONE]'],
  ];
  return sse(
    faulted(events, 0, fault, [
      undefined,
      { error: { message: 'The server had an error while processing your request.', type: 'server_error' } },
    ]),
  );
};

const responsesStream = (fault: Fault) => {
  const response = (status: string, text: string) => ({
    id: 'resp_1',
    object: 'response',
    created_at: 0,
    status,
    model: 'm',
    output:
      text === ''
        ? []
        : [
            {
              type: 'message',
              id: 'msg_1',
              status: 'completed',
              role: 'assistant',
              content: [{ type: 'output_text', text, annotations: [] }],
            },
          ],
    usage: status === 'completed' ? { input_tokens: 3, output_tokens: 2, total_tokens: 5 } : null,
  });
  const events: [string, unknown][] = [
    [
      'response.created',
      { type: 'response.created', sequence_number: 0, response: response('in_progress', '') },
    ],
    [
      'response.output_text.delta',
      {
        type: 'response.output_text.delta',
        sequence_number: 1,
        item_id: 'msg_1',
        output_index: 0,
        content_index: 0,
        delta: 'par',
      },
    ],
    [
      'response.output_text.delta',
      {
        type: 'response.output_text.delta',
        sequence_number: 2,
        item_id: 'msg_1',
        output_index: 0,
        content_index: 0,
        delta: 'is',
      },
    ],
    [
      'response.completed',
      { type: 'response.completed', sequence_number: 3, response: response('completed', 'paris') },
    ],
  ];
  return sse(
    faulted(events, 1, fault, [
      'error',
      {
        type: 'error',
        sequence_number: 2,
        code: 'server_error',
        message: 'The server had an error',
        param: null,
      },
    ]),
  );
};

let url = '';
let received = 0;
/** The fault of the next request, once. */
let next: Fault;
let close: () => Promise<void>;
beforeAll(async () => {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      const fault = next;
      next = undefined;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const path = req.url ?? '';
      res.end(
        path.includes('/messages')
          ? anthropicStream(fault)
          : path.includes('/responses')
            ? responsesStream(fault)
            : chatStream(fault),
      );
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
const openai = () => wrapOpenAI(new OpenAI({ baseURL: `${url}/v1`, apiKey: 'k', maxRetries: 0 }));
const anthropic = () => wrapAnthropic(new Anthropic({ baseURL: url, apiKey: 'k', maxRetries: 0 }));

const PATHS: [string, () => () => Promise<string>][] = [
  [
    'anthropic messages.stream().finalText()',
    () => {
      const c = anthropic();
      return () => c.messages.stream({ model: 'm', max_tokens: 8, messages }).finalText();
    },
  ],
  [
    'anthropic messages.create({ stream: true })',
    () => {
      const c = anthropic();
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
      const c = openai();
      return async () => {
        let text = '';
        for await (const ch of await c.chat.completions.create({ model: 'm', messages, stream: true }))
          text += ch.choices[0]?.delta.content ?? '';
        return text;
      };
    },
  ],
  [
    'openai responses.create({ stream: true })',
    () => {
      const c = openai();
      return async () => {
        let text = '';
        for await (const e of await c.responses.create({ model: 'm', input: 'q', stream: true }))
          if (e.type === 'response.output_text.delta') text += e.delta;
        return text;
      };
    },
  ],
];

const CASES = (['cut', 'error'] as const).flatMap((fault) =>
  PATHS.map(
    ([name, make]) =>
      [
        name,
        fault === 'cut' ? 'cut off before its last event' : 'that carries an error event',
        fault,
        make,
      ] as const,
  ),
);

describe.each(CASES)('%s: a stream %s', (_name, _what, fault, make) => {
  it('is retried, not cached; the row gets the whole answer, and the cache replays it', async () => {
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
    next = fault;
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
