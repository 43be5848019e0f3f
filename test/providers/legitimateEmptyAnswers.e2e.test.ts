// 2xx answers that hold no text but are the model's answer, as each API documents it: a chat completion with audio
// output (`content: null`, the answer in `message.audio`), one its content filter or its token budget emptied
// (`finish_reason` `content_filter` / `length`, `content: null`; Azure OpenAI may leave `content` out), a legacy
// `function_call`; a Responses `incomplete` with `output: []`; an Anthropic message with `content: []` and a
// `stop_reason` (`end_turn` after an assistant prefill or a tool result, `max_tokens`, `refusal`, …). Each is one
// request, cached, the SDK's own object handed to the user's code, and, through openaiModel(), an output the metrics
// score. Were they taken for broken bodies, each row would pay 1 + maxRetries requests, then fail and leave the
// metric's mean (a row the model did badly on dropped from it). What is truly broken is still retried and failed:
// no choices, a choice without a message, an empty message that ended with `stop`, `output: []` of a completed or
// failed response, `content: []` without a stop reason or with `tool_use`, an error object, another API's shape.
// Servers on 127.0.0.1 started by each test (the project's mock server where it can give the body), driven through
// both installed majors of each SDK.
import type http from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import Anthropic0 from '@anthropic-ai/sdk-v0';
import OpenAI from 'openai';
import OpenAI6 from 'openai-v6';
import { describe, expect, it } from 'vitest';
import { memoryCache } from '../../src/cache/index.js';
import {
  type EvalResult,
  evaluate,
  type Metric,
  type Model,
  openaiModel,
  wrapAnthropic,
  wrapOpenAI,
} from '../../src/index.js';
import { startMockServer } from '../../src/testing/index.js';
import { startServer, type TestServer } from '../calls/_misbehavingServer.js';
import { oneBodyServers } from './_oneBodyServers.js';

/** Servers answering every request with one body (JSON, status 200), closed after each test. */
const { serve, closeAfterTest } = oneBodyServers();

const MAX_RETRIES = 3;
const opts = {
  retry: { maxRetries: MAX_RETRIES, baseMs: 1, maxMs: 2 },
  resamples: 99,
  progress: false,
  maxFailureRate: 1,
  concurrency: 1,
} as const;
const one = [{ id: 'q1', input: 'Capital of France?' }];
const exact: Metric = {
  name: 'exact',
  kind: 'binary',
  score: ({ output }) => (output === 'Paris' ? 1 : 0),
};

// ---- bodies, in each API's shape ----

const chat = (message: Record<string, unknown>, finish_reason: string) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 0,
  model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', ...message }, logprobs: null, finish_reason }],
  usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 },
});
const response = (status: string, output: unknown[], extra: Record<string, unknown> = {}) => ({
  id: 'resp_1',
  object: 'response',
  created_at: 0,
  status,
  error: null,
  incomplete_details: null,
  model: 'm',
  output,
  usage: { input_tokens: 7, output_tokens: 16, total_tokens: 23 },
  ...extra,
});
const message = (content: unknown[], stop_reason: string | null) => ({
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'm',
  content,
  stop_reason,
  stop_sequence: null,
  usage: { input_tokens: 7, output_tokens: 2 },
});

// ---- the user's code: what it reads from the SDK's object ----

type Api = 'chat' | 'responses' | 'messages';
type Major = readonly [string, (url: string) => unknown];
const OPENAI: readonly Major[] = [
  ['openai 7', (url) => new OpenAI({ baseURL: url, apiKey: 'x', maxRetries: 0 })],
  ['openai 6', (url) => new OpenAI6({ baseURL: url, apiKey: 'x', maxRetries: 0 })],
];
const ANTHROPIC: readonly Major[] = [
  ['@anthropic-ai/sdk 1', (url) => new Anthropic({ baseURL: url.replace(/\/v1$/, ''), apiKey: 'x' })],
  ['@anthropic-ai/sdk 0.137', (url) => new Anthropic0({ baseURL: url.replace(/\/v1$/, ''), apiKey: 'x' })],
];

/** A pipeline of the user's own over a wrapped client of `major`, returning what it read of the answer. */
function pipeline(api: Api, major: Major, url: string): Model {
  if (api === 'messages') {
    const client = wrapAnthropic(major[1](url) as Anthropic);
    return async () => {
      const m = await client.messages.create({
        model: 'm',
        max_tokens: 16,
        messages: [
          { role: 'user', content: 'Capital of France?' },
          { role: 'assistant', content: 'Paris' },
        ],
      });
      return `${m.stop_reason}|${m.content.length}`;
    };
  }
  const client = wrapOpenAI(major[1](url) as OpenAI);
  if (api === 'responses')
    return async () => {
      const r = await client.responses.create({ model: 'm', input: 'Capital of France?' });
      return `${r.status}|${r.incomplete_details?.reason}|${r.output_text}`;
    };
  return async () => {
    const r = await client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'Capital of France?' }],
    });
    const c = r.choices[0]!;
    const said = c.message.content ?? c.message.audio?.transcript ?? c.message.function_call?.arguments ?? '';
    return `${c.finish_reason}|${said}`;
  };
}

/** One row through `model` twice with one cache: the row, the run, the requests the server got after each run. */
async function twice(server: TestServer, model: () => Model) {
  const cache = memoryCache();
  const first = await evaluate(one, model(), [exact], { ...opts, cache });
  const afterFirst = server.requests;
  const size = (await cache.stats()).size;
  const second = await evaluate(one, model(), [exact], { ...opts, cache });
  return { first, second, afterFirst, afterSecond: server.requests, size };
}

/** The run answered once, scored, cached and replayed from the cache. */
function expectAnswered(r: Awaited<ReturnType<typeof twice>>, output: string, score: number): void {
  const rec = r.first.examples[0]!;
  expect(rec.error).toBeUndefined();
  expect(rec).toMatchObject({ output, retries: 0, scores: { exact: score } });
  expect(r.first.nFailed).toBe(0);
  expect(r.first.metrics.exact).toMatchObject({ n: 1, mean: score });
  expect(r.afterFirst).toBe(1);
  expect(r.size).toBe(1);
  expect(r.afterSecond).toBe(1);
  expect(r.second.totals.cacheHits).toBe(1);
  expect(r.second.examples[0]).toMatchObject({ output, cached: true });
}

// ---- answers the APIs document ----

const AUDIO = {
  content: null,
  refusal: null,
  audio: { id: 'audio_1', data: 'UklGRg==', expires_at: 0, transcript: 'Paris' },
};
const LEGIT: readonly (readonly [string, Api, unknown, string, string | undefined])[] = [
  // what, api, body, what the pipeline reads, openaiModel's output (chat only)
  ['chat: audio output (content null, message.audio)', 'chat', chat(AUDIO, 'stop'), 'stop|Paris', 'Paris'],
  [
    'chat: content_filter, content null',
    'chat',
    chat({ content: null, refusal: null }, 'content_filter'),
    'content_filter|',
    '',
  ],
  [
    'chat: content_filter, no content key (Azure OpenAI)',
    'chat',
    chat({}, 'content_filter'),
    'content_filter|',
    '',
  ],
  [
    'chat: length, content null (the budget spent on reasoning)',
    'chat',
    {
      ...chat({ content: null, refusal: null }, 'length'),
      usage: {
        prompt_tokens: 7,
        completion_tokens: 16,
        total_tokens: 23,
        completion_tokens_details: { reasoning_tokens: 16 },
      },
    },
    'length|',
    '',
  ],
  [
    'chat: a legacy function_call (content null)',
    'chat',
    chat(
      { content: null, function_call: { name: 'capital', arguments: '{"city":"Paris"}' } },
      'function_call',
    ),
    'function_call|{"city":"Paris"}',
    '{"city":"Paris"}',
  ],
  [
    'responses: incomplete (max_output_tokens), output []',
    'responses',
    response('incomplete', [], { incomplete_details: { reason: 'max_output_tokens' } }),
    'incomplete|max_output_tokens|',
    undefined,
  ],
  [
    'responses: incomplete (content_filter), output []',
    'responses',
    response('incomplete', [], { incomplete_details: { reason: 'content_filter' } }),
    'incomplete|content_filter|',
    undefined,
  ],
  [
    'messages: content [] after a prefill, end_turn',
    'messages',
    message([], 'end_turn'),
    'end_turn|0',
    undefined,
  ],
  ['messages: content [], max_tokens', 'messages', message([], 'max_tokens'), 'max_tokens|0', undefined],
  ['messages: content [], refusal', 'messages', message([], 'refusal'), 'refusal|0', undefined],
];

describe.each(LEGIT)('%s', (_what, api, body, read, modelOutput) => {
  const majors = api === 'messages' ? ANTHROPIC : OPENAI;
  it.each(majors)('a pipeline over the wrapped %s client: one request, scored, cached', async (...major) => {
    const server = await serve(body);
    const r = await twice(server, () => pipeline(api, major, server.url));
    expectAnswered(r, read, 0);
  });
  if (modelOutput !== undefined)
    it.each(OPENAI)('openaiModel with %s: one request, an output the metric scores', async (...major) => {
      const server = await serve(body);
      const r = await twice(server, () =>
        openaiModel({ model: 'm', client: major[1](server.url) as OpenAI }),
      );
      expectAnswered(r, modelOutput, modelOutput === 'Paris' ? 1 : 0);
    });
});

describe('a filtered answer is scored, not dropped from the mean', () => {
  it("the project's mock server: one row answers, one is filtered (content null); mean 0.5 over 2, nothing failed", async () => {
    const mock = await startMockServer({
      respond: (req) =>
        req.lastUserMessage === 'filtered' ? { content: null, finishReason: 'content_filter' } : 'Paris',
    });
    closeAfterTest(mock);
    const rows = [
      { id: 'a', input: 'answered' },
      { id: 'b', input: 'filtered' },
    ];
    const model = openaiModel({ model: 'm', client: new OpenAI({ baseURL: mock.url, apiKey: 'x' }) });
    const result: EvalResult = await evaluate(rows, model, [exact], opts);
    expect(mock.stats.requests).toBe(2);
    expect(result.nFailed).toBe(0);
    expect(result.examples.map((e) => [e.id, e.output, e.retries])).toEqual([
      ['a', 'Paris', 0],
      ['b', '', 0],
    ]);
    expect(result.metrics.exact).toMatchObject({ n: 2, mean: 0.5 });
    expect(result.totals.retries).toBe(0);
  });
});

// ---- still broken: retried, failed, never cached ----

const BROKEN: readonly (readonly [string, Api, unknown, string])[] = [
  ['chat: no choices', 'chat', { ...chat({}, 'stop'), choices: [] }, 'no choice with content'],
  [
    'chat: a choice without a message',
    'chat',
    { ...chat({}, 'content_filter'), choices: [{ index: 0, finish_reason: 'content_filter' }] },
    'no choice with content',
  ],
  [
    'chat: content null, finish_reason stop, nothing else',
    'chat',
    chat({ content: null, refusal: null }, 'stop'),
    'no choice with content',
  ],
  [
    'chat: tool_calls [] and content null, finish_reason tool_calls',
    'chat',
    chat({ content: null, refusal: null, tool_calls: [] }, 'tool_calls'),
    'no choice with content',
  ],
  ['chat: a body of another shape', 'chat', { answer: 'Paris' }, 'no choice with content'],
  [
    'chat: an error object',
    'chat',
    { error: { message: 'upstream overloaded', type: 'server_error' } },
    'is an error object: "upstream overloaded"',
  ],
  ['responses: completed, output []', 'responses', response('completed', []), 'no output'],
  [
    'responses: failed, output []',
    'responses',
    response('failed', [], { error: { code: 'server_error', message: 'The model failed' } }),
    'is an error object: "The model failed"',
  ],
  [
    'responses: no output list',
    'responses',
    { id: 'resp_1', object: 'response', status: 'incomplete' },
    'no output',
  ],
  ['messages: content [], stop_reason null', 'messages', message([], null), 'has no content'],
  ['messages: content [], stop_reason tool_use', 'messages', message([], 'tool_use'), 'has no content'],
  [
    'messages: no content list',
    'messages',
    { id: 'msg_1', type: 'message', role: 'assistant', stop_reason: 'end_turn' },
    'has no content',
  ],
  [
    'messages: an error object',
    'messages',
    { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    'is an error object: "Overloaded"',
  ],
];

it.each(BROKEN)('%s: retried, failed, never cached', async (_what, api, body, said) => {
  const server = await serve(body);
  const cache = memoryCache();
  const majors = api === 'messages' ? ANTHROPIC : OPENAI;
  const result = await evaluate(one, pipeline(api, majors[0]!, server.url), [exact], { ...opts, cache });
  expect(server.requests).toBe(1 + MAX_RETRIES);
  const rec = result.examples[0]!;
  expect(rec.output).toBeNull();
  expect(rec.error).toMatchObject({ name: 'ProviderResponseError', status: 200 });
  expect(rec.error!.message).toContain(said);
  expect(rec.retries).toBe(MAX_RETRIES);
  expect(result.nFailed).toBe(1);
  expect((await cache.stats()).size).toBe(0);
});

// ---- every stop / finish reason each API defines, with nothing in the answer ----

// `satisfies Record<…>` lists every reason the installed SDK defines: a reason a later SDK adds fails to compile
// until it is decided here.
const CHAT_FINISH = {
  stop: false,
  length: true,
  tool_calls: false,
  content_filter: true,
  function_call: false,
} satisfies Record<OpenAI.Chat.Completions.ChatCompletion.Choice['finish_reason'], boolean>;
const RESPONSE_STATUS = {
  completed: false,
  failed: false,
  // A background response (`background: true`) answers `create` queued or in progress, polled with `retrieve`;
  // a retry would start another paid job.
  in_progress: true,
  cancelled: true,
  queued: true,
  incomplete: true,
} satisfies Record<OpenAI.Responses.ResponseStatus, boolean>;
const MESSAGE_STOP = {
  end_turn: true,
  max_tokens: true,
  stop_sequence: true,
  tool_use: false,
  pause_turn: true,
  refusal: true,
  model_context_window_exceeded: true,
} satisfies Record<Anthropic.Messages.StopReason, boolean>;

const REASONS: readonly (readonly [Api, string, boolean, unknown])[] = [
  ...Object.entries(CHAT_FINISH).map(
    ([r, ok]) => ['chat', r, ok, chat({ content: null, refusal: null }, r)] as const,
  ),
  ...Object.entries(RESPONSE_STATUS).map(([r, ok]) => ['responses', r, ok, response(r, [])] as const),
  ...Object.entries(MESSAGE_STOP).map(([r, ok]) => ['messages', r, ok, message([], r)] as const),
];

it.each(REASONS)('%s ending with %s and nothing in it: an answer is %s', async (api, _reason, ok, body) => {
  const server = await serve(body);
  const majors = api === 'messages' ? ANTHROPIC : OPENAI;
  const result = await evaluate(one, pipeline(api, majors[0]!, server.url), [exact], opts);
  expect({ requests: server.requests, failed: result.nFailed }).toEqual(
    ok ? { requests: 1, failed: 0 } : { requests: 1 + MAX_RETRIES, failed: 1 },
  );
});

// ---- a background response: queued at create, polled until done ----

it('a background response: create answers queued (one request, not retried), retrieve polls it; a rerun from the cache sends nothing', async () => {
  let polls = 0;
  const s = await startServer((req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    if (req.method === 'POST') return res.end(JSON.stringify(response('queued', [])));
    polls++;
    const done = polls % 2 === 0;
    const text = { type: 'output_text', text: 'Paris', annotations: [] };
    const item = { type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', content: [text] };
    res.end(JSON.stringify(done ? response('completed', [item]) : response('in_progress', [])));
  });
  closeAfterTest(s);
  const client = wrapOpenAI(new OpenAI({ baseURL: s.url, apiKey: 'x', maxRetries: 0 }));
  const model: Model = async () => {
    let r = await client.responses.create({ model: 'm', input: 'Capital of France?', background: true });
    const seen = [r.status];
    while (r.status === 'queued' || r.status === 'in_progress') {
      r = await client.responses.retrieve(r.id);
      seen.push(r.status);
    }
    return `${seen.join('>')}|${r.output_text}`;
  };
  const cache = memoryCache();
  const first = await evaluate(one, model, [exact], { ...opts, cache });
  expect(first.examples[0]?.output).toBe('queued>in_progress>completed|Paris');
  expect(s.requests).toBe(3);
  expect(first.nFailed).toBe(0);
  const again = await evaluate(one, model, [exact], { ...opts, cache });
  expect(again.examples[0]?.output).toBe('queued>in_progress>completed|Paris');
  expect(s.requests).toBe(3);
});
