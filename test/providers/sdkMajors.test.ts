/**
 * The SDKs a user brings, at the major npm installs today and at the previous one (installed side by side
 * through npm aliases: `openai-v6`, `ai-v6` with `@ai-sdk/openai-v3`, and `ai-v5` with `@ai-sdk/openai-v2`): every evalgate entry point that takes
 * a client works with both, against the mock server, and a client check is structural (a client from another
 * copy of the package, which `instanceof` refuses, passes; an object without the method fails, naming the
 * installed openai and the supported range). The types are checked too: this file passes both majors' clients
 * to `wrapOpenAI` and `openaiModel` without casts (tsc would reject a `#private` mismatch).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOpenAI as createOpenAIv4 } from '@ai-sdk/openai';
import { createOpenAI as createOpenAIv2 } from '@ai-sdk/openai-v2';
import { createOpenAI as createOpenAIv3 } from '@ai-sdk/openai-v3';
import { generateText as generateTextV7, streamText as streamTextV7 } from 'ai';
import { generateText as generateTextV5, streamText as streamTextV5 } from 'ai-v5';
import { generateText as generateTextV6, streamText as streamTextV6 } from 'ai-v6';
import OpenAI7 from 'openai';
import OpenAI6 from 'openai-v6';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wrapAISDKModel } from '../../src/ai-sdk/index.js';
import { memoryCache } from '../../src/cache/index.js';
import { evaluate, openaiModel, wrapOpenAI } from '../../src/index.js';
import { llmJudge } from '../../src/judge/index.js';
import { embeddingSimilarity, exactMatch, openaiEmbedder } from '../../src/metrics/index.js';
import { type MockServer, startMockServer } from '../../src/testing/index.js';

const version = (pkg: string) =>
  (
    JSON.parse(readFileSync(new URL(`../../node_modules/${pkg}/package.json`, import.meta.url), 'utf8')) as {
      version: string;
    }
  ).version;

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer({
    respond: (req) =>
      req.systemMessage.includes('evaluator') ? JSON.stringify({ reason: 'fine', score: 4 }) : undefined,
  });
});
afterAll(async () => {
  await server.close();
});

const dataset = Array.from({ length: 6 }, (_, i) => ({ id: `q${i}`, input: `q ${i}`, reference: `q ${i}` }));

const OPENAI_MAJORS = [
  ['openai 7', version('openai'), (url: string) => new OpenAI7({ baseURL: url, apiKey: 'test' })],
  ['openai 6', version('openai-v6'), (url: string) => new OpenAI6({ baseURL: url, apiKey: 'test' })],
] as const;

describe.each(OPENAI_MAJORS)('%s (%s)', (_name, installed, make) => {
  it('is the major it claims to be', () => {
    expect(installed.split('.')[0]).toBe(_name.split(' ')[1]);
  });

  it('openaiModel, an llmJudge and openaiEmbedder with its client: one run, cached on the rerun', async () => {
    const client = make(server.url);
    const cache = memoryCache();
    const metrics = [
      exactMatch(),
      llmJudge({ client, model: 'mock-judge', rubric: 'Correct.' }),
      embeddingSimilarity({ embed: openaiEmbedder({ client, model: 'mock-embedding' }) }),
    ];
    server.reset();
    const model = openaiModel({ client, model: 'mock-model' });
    const first = await evaluate(dataset, model, metrics, { cache, progress: false });
    expect(first.metrics.exact_match!.mean).toBe(1);
    expect(first.metrics.llm_judge!.mean).toBe(4);
    expect(first.metrics.embedding_similarity!.mean).toBeGreaterThan(0.99);
    expect(first.nFailed).toBe(0);
    expect(first.totals.byKind!.model.calls).toBe(dataset.length);
    expect(first.totals.byKind!.judge.calls).toBe(dataset.length);
    expect(first.totals.byKind!.embedding.calls).toBeGreaterThan(0);
    expect(server.stats.requests).toBe(first.totals.requests);
    server.reset();
    const again = await evaluate(dataset, model, metrics, { cache, progress: false });
    expect(server.stats.requests).toBe(0);
    expect(again.scores).toEqual(first.scores);
  });

  it('wrapOpenAI: chat, responses and embeddings through the run, the plain client outside it', async () => {
    // One call site for both majors (a union of two clients' overloads is not callable): typed as 7 here; the
    // types of each major are checked below.
    const openai = wrapOpenAI(make(server.url) as OpenAI7);
    server.reset();
    const result = await evaluate(
      dataset,
      async (input) => {
        const q = String(input);
        await openai.embeddings.create({ model: 'mock-embedding', input: q });
        const r = await openai.responses.create({ model: 'mock-model', input: q });
        const c = await openai.chat.completions.create({
          model: 'mock-model',
          messages: [{ role: 'user', content: r.output_text }],
        });
        return c.choices[0]!.message.content ?? '';
      },
      [exactMatch()],
      { progress: false },
    );
    expect(result.metrics.exact_match!.mean).toBe(1);
    expect(result.totals.requests).toBe(3 * dataset.length);
    expect(server.stats.byRoute).toEqual({
      '/v1/embeddings': dataset.length,
      '/v1/responses': dataset.length,
      '/v1/chat/completions': dataset.length,
    });
    const outside = await openai.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(outside.choices[0]!.message.content).toBe('hi');
  });

  it('an HTTP 429 from this major is retried and a 400 is not (errors recognised without instanceof)', async () => {
    const faulty = await startMockServer({ faults: { rate429: 1, seed: 1 } });
    try {
      const model = openaiModel({ client: make(faulty.url), model: 'mock-model' });
      const r = await evaluate(dataset.slice(0, 2), model, [exactMatch()], {
        progress: false,
        maxFailureRate: 1,
        retry: { maxRetries: 2, baseMs: 1, maxMs: 2 },
      });
      expect(r.nFailed).toBe(2);
      expect(r.examples.every((e) => e.retries === 2)).toBe(true);
    } finally {
      await faulty.close();
    }
    // A 400 from a server the test starts: not retried.
    let hits = 0;
    const http = createServer((_req, res) => {
      hits++;
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'bad request', type: 'invalid_request_error' } }));
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = http.address() as AddressInfo;
      const bad = openaiModel({ client: make(`http://127.0.0.1:${port}/v1`), model: 'mock-model' });
      const r = await evaluate(dataset.slice(0, 1), bad, [exactMatch()], {
        progress: false,
        maxFailureRate: 1,
        retry: { maxRetries: 2, baseMs: 1, maxMs: 2 },
      });
      expect(r.nFailed).toBe(1);
      expect(r.examples[0]!.retries).toBe(0);
      expect(JSON.stringify(r.examples[0]!.error)).toMatch(/400/);
      expect(hits).toBe(1);
    } finally {
      await new Promise((resolve) => http.close(resolve));
    }
  });
});

describe('client checks are structural', () => {
  it('a client of either major passes every check; an object without the method names the installed openai', () => {
    for (const [, , make] of OPENAI_MAJORS) {
      const client = make(server.url);
      expect(() => openaiModel({ client, model: 'm' })).not.toThrow();
      expect(() => openaiEmbedder({ client, model: 'm' })).not.toThrow();
      expect(() => llmJudge({ client, model: 'm', rubric: 'r' })).not.toThrow();
    }
    // A client of the previous major is not an instance of the current one: instanceof would have refused it.
    expect(make6()).not.toBeInstanceOf(OpenAI7);
    const chatOnly = { chat: { completions: { create: async () => ({}) } } };
    expect(() => openaiModel({ client: chatOnly as never, model: 'm' })).not.toThrow();
    expect(() => openaiEmbedder({ client: chatOnly as never, model: 'm' })).toThrow(
      new TypeError(
        `Expected \`client\` to be an OpenAI client (openai ^6.0.0 || ^7.0.0) with a \`embeddings.create\` method, got \`object\` (object) without it (installed: openai ${version('openai')})`,
      ),
    );
    expect(() => wrapOpenAI(42 as never)).toThrow(
      new TypeError(
        'Expected `client` to be an OpenAI client (openai ^6.0.0 || ^7.0.0, with `chat.completions`), got `42` (number)',
      ),
    );
  });
});

describe('types: each major keeps its own type and fits every option (tsc checks this file)', () => {
  it('wrapOpenAI, the client options and wrapAISDKModel accept both majors without casts', () => {
    const w7: OpenAI7 = wrapOpenAI(new OpenAI7({ apiKey: 'k', baseURL: server.url }));
    const w6: OpenAI6 = wrapOpenAI(new OpenAI6({ apiKey: 'k', baseURL: server.url }));
    const metrics = [
      llmJudge({ client: w6, model: 'm', rubric: 'r' }),
      llmJudge({ client: w7, model: 'm', rubric: 'r' }),
      embeddingSimilarity({ embed: openaiEmbedder({ client: new OpenAI6({ apiKey: 'k' }), model: 'm' }) }),
    ];
    expect(metrics.map((m) => m.name)).toEqual(['llm_judge', 'llm_judge', 'embedding_similarity']);
    expect([openaiModel({ client: w6, model: 'm' }), openaiModel({ client: w7, model: 'm' })]).toHaveLength(
      2,
    );
    const m7: Parameters<typeof generateTextV7>[0]['model'] = wrapAISDKModel(
      createOpenAIv4({ apiKey: 'k' })('m'),
    );
    const m6: Parameters<typeof generateTextV6>[0]['model'] = wrapAISDKModel(
      createOpenAIv3({ apiKey: 'k' })('m'),
    );
    const s7: Parameters<typeof streamTextV7>[0]['model'] = wrapAISDKModel(
      createOpenAIv4({ apiKey: 'k' }).chat('m'),
    );
    const s6: Parameters<typeof streamTextV6>[0]['model'] = wrapAISDKModel(
      createOpenAIv3({ apiKey: 'k' }).chat('m'),
    );
    expect([m7, m6, s7, s6].map((m) => (typeof m === 'string' ? m : m.specificationVersion))).toEqual([
      'v4',
      'v3',
      'v4',
      'v3',
    ]);
  });
});

function make6() {
  return new OpenAI6({ baseURL: 'http://127.0.0.1:9/v1', apiKey: 'test' });
}

/** One call shape for both majors' functions (a union of their overloads is not callable); typed per major below. */
type Call = { model: unknown; prompt: string; maxRetries: number };
type Generate = (o: Call) => Promise<{ text: string }>;
type Stream = (o: Call) => { text: PromiseLike<string> };

const AI_MAJORS = [
  [
    'ai 7 (@ai-sdk/openai 4, specification v4)',
    version('ai'),
    'v4',
    (url: string) => createOpenAIv4({ baseURL: url, apiKey: 'test' }),
    generateTextV7 as unknown as Generate,
    streamTextV7 as unknown as Stream,
  ],
  [
    'ai 6 (@ai-sdk/openai 3, specification v3)',
    version('ai-v6'),
    'v3',
    (url: string) => createOpenAIv3({ baseURL: url, apiKey: 'test' }),
    generateTextV6 as unknown as Generate,
    streamTextV6 as unknown as Stream,
  ],
  [
    'ai 5 (@ai-sdk/openai 2, specification v2)',
    version('ai-v5'),
    'v2',
    (url: string) => createOpenAIv2({ baseURL: url, apiKey: 'test' }),
    generateTextV5 as unknown as Generate,
    streamTextV5 as unknown as Stream,
  ],
] as const;

describe.each(AI_MAJORS)('%s', (name, installed, spec, provider, generateText, streamText) => {
  it('is the major it claims to be', () => {
    expect(installed.split('.')[0]).toBe(name.split(' ')[1]);
  });

  it('wrapAISDKModel: generateText and streamText go through the run, cached and replayed', async () => {
    const p = provider(server.url);
    const responses = wrapAISDKModel(p('mock-model'));
    const chat = wrapAISDKModel(p.chat('mock-model'));
    expect(responses.specificationVersion).toBe(spec);
    expect(chat.modelId).toBe('mock-model');
    const run = async (model: typeof responses, stream: boolean, cache: ReturnType<typeof memoryCache>) =>
      evaluate(
        dataset,
        async (input) =>
          stream
            ? await streamText({ model, prompt: String(input), maxRetries: 0 }).text
            : (await generateText({ model, prompt: String(input), maxRetries: 0 })).text,
        [exactMatch()],
        { cache, progress: false },
      );
    for (const [model, stream] of [
      [responses, false],
      [chat, false],
      [responses, true],
    ] as const) {
      const cache = memoryCache();
      server.reset();
      const live = await run(model, stream, cache);
      expect(live.metrics.exact_match!.mean).toBe(1);
      expect(live.totals.requests).toBe(dataset.length);
      expect(server.stats.requests).toBe(dataset.length);
      server.reset();
      const rerun = await run(model, stream, cache);
      expect(server.stats.requests).toBe(0);
      expect(rerun.totals.cacheHits).toBe(dataset.length);
      expect(rerun.scores).toEqual(live.scores);
    }
  });

  it('outside a run the wrapped model is the plain model', async () => {
    const model = wrapAISDKModel(provider(server.url)('mock-model'));
    server.reset();
    const r = await generateText({ model, prompt: 'hello', maxRetries: 0 });
    expect(r.text).toBe('hello');
    expect(server.stats.requests).toBe(1);
  });
});

describe('wrapAISDKModel refuses what it cannot wrap', () => {
  it.each([
    [null, 'Expected `model` to be an AI SDK language model, got null'],
    [{ doGenerate: 1 }, 'Expected `model` to be an AI SDK language model, got object'],
    [
      { specificationVersion: 'v9', doGenerate() {}, doStream() {} },
      'Expected `model` to be an AI SDK language model of specification v2, v3 or v4 (ai 5, 6 or 7), got specification `v9` (string)',
    ],
  ])('%j', (model, message) => {
    expect(() => wrapAISDKModel(model as never)).toThrow(new TypeError(message));
  });
});
