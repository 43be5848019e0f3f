// A generate result with no content is an answer when its finish reason says why (the content filter withheld it,
// the token budget ran out): the AI SDK's OpenAI provider gives `content: []` with `content-filter` / `length` for
// a chat completion whose `content` is null, and for a Responses `incomplete` with `output: []`. Through
// wrapAISDKModel that is one request, cached, `text: ''` to the user's code, a row the metric scores; taken for a
// broken answer it would be 1 + maxRetries requests and a failed row. Content null with `stop` is still broken:
// retried and failed. Every installed ai major (7, 6, 5), against servers on 127.0.0.1 each test starts.
import { createOpenAI as createOpenAIv4 } from '@ai-sdk/openai';
import { createOpenAI as createOpenAIv2 } from '@ai-sdk/openai-v2';
import { createOpenAI as createOpenAIv3 } from '@ai-sdk/openai-v3';
import { generateText as generateTextV7 } from 'ai';
import { generateText as generateTextV5 } from 'ai-v5';
import { generateText as generateTextV6 } from 'ai-v6';
import { describe, expect, it } from 'vitest';
import { wrapAISDKModel } from '../../src/ai-sdk/index.js';
import { memoryCache } from '../../src/cache/index.js';
import { evaluate, type Metric } from '../../src/index.js';
import { oneBodyServers } from './_oneBodyServers.js';

const { serve } = oneBodyServers();

const opts = {
  retry: { maxRetries: 3, baseMs: 1, maxMs: 2 },
  resamples: 99,
  progress: false,
  maxFailureRate: 1,
  concurrency: 1,
} as const;
const one = [{ id: 'q1', input: 'Capital of France?' }];
const exact: Metric = { name: 'exact', kind: 'binary', score: ({ output }) => (output === 'Paris' ? 1 : 0) };

const chat = (finish_reason: string) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 0,
  model: 'm',
  choices: [
    { index: 0, message: { role: 'assistant', content: null, refusal: null }, logprobs: null, finish_reason },
  ],
  usage: { prompt_tokens: 7, completion_tokens: 16, total_tokens: 23 },
});
const incomplete = (reason: string) => ({
  id: 'resp_1',
  object: 'response',
  created_at: 0,
  status: 'incomplete',
  error: null,
  incomplete_details: { reason },
  model: 'm',
  output: [],
  usage: { input_tokens: 7, output_tokens: 16, total_tokens: 23 },
});

type Provider = (url: string) => { (id: string): unknown; chat(id: string): unknown };
type Generate = (o: { model: unknown; prompt: string; maxRetries: number }) => Promise<{ text: string }>;
const MAJORS: readonly (readonly [string, Provider, Generate])[] = [
  ['ai 7', (url) => createOpenAIv4({ baseURL: url, apiKey: 'x' }), generateTextV7 as unknown as Generate],
  ['ai 6', (url) => createOpenAIv3({ baseURL: url, apiKey: 'x' }), generateTextV6 as unknown as Generate],
  ['ai 5', (url) => createOpenAIv2({ baseURL: url, apiKey: 'x' }), generateTextV5 as unknown as Generate],
];

const CASES: readonly (readonly [string, 'chat' | 'responses', boolean, unknown])[] = [
  ['chat: content null, content_filter', 'chat', true, chat('content_filter')],
  ['chat: content null, length', 'chat', true, chat('length')],
  [
    'responses: incomplete (max_output_tokens), output []',
    'responses',
    true,
    incomplete('max_output_tokens'),
  ],
  ['responses: incomplete (content_filter), output []', 'responses', true, incomplete('content_filter')],
  ['chat: content null, stop (broken)', 'chat', false, chat('stop')],
];

describe.each(MAJORS)('%s', (_name, provider, generateText) => {
  it.each(CASES)('%s (%s api): an answer is %s', async (_what, api, ok, body) => {
    const server = await serve(body);
    const p = provider(server.url);
    const cache = memoryCache();
    const run = () =>
      evaluate(
        one,
        async () => {
          const model = wrapAISDKModel((api === 'chat' ? p.chat('m') : p('m')) as never);
          return (await generateText({ model, prompt: 'Capital of France?', maxRetries: 0 })).text;
        },
        [exact],
        { ...opts, cache },
      );
    const first = await run();
    if (!ok) {
      expect(server.requests).toBe(4);
      expect(first.nFailed).toBe(1);
      expect(first.examples[0]!.error).toMatchObject({ name: 'ProviderResponseError', status: 200 });
      expect((await cache.stats()).size).toBe(0);
      return;
    }
    expect(first.examples[0]!.error).toBeUndefined();
    expect(first.examples[0]).toMatchObject({ output: '', retries: 0, scores: { exact: 0 } });
    expect(first.nFailed).toBe(0);
    expect(server.requests).toBe(1);
    const second = await run();
    expect(server.requests).toBe(1);
    expect(second.totals.cacheHits).toBe(1);
    expect(second.examples[0]).toMatchObject({ output: '', cached: true });
  });
});
