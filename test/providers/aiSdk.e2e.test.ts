// Issue 20, item 1 ("the AI SDK paths are covered end to end against the mock"): for `ai` 7, 6 and 5 (the last two
// as the npm aliases `ai-v6` / `ai-v5`, each with its own @ai-sdk/openai), every everyday path of a model wrapped
// with wrapAISDKModel — generateText and streamText on the Responses and the Chat model, generateObject and
// streamObject — is counted (the run's totals equal the requests the mock received), carries tokens (streams
// included), is cached (a rerun sends nothing) and replayed (replay mode sends nothing and gives the same outputs).
import { createOpenAI as createOpenAIv4 } from '@ai-sdk/openai';
import { createOpenAI as createOpenAIv2 } from '@ai-sdk/openai-v2';
import { createOpenAI as createOpenAIv3 } from '@ai-sdk/openai-v3';
import * as ai7 from 'ai';
import * as ai5 from 'ai-v5';
import * as ai6 from 'ai-v6';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { wrapAISDKModel } from '../../src/ai-sdk/index.js';
import { memoryCache } from '../../src/cache/index.js';
import { type CacheStore, evaluate, type Metric } from '../../src/index.js';
import { type MockServer, startMockServer } from '../../src/testing/index.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer();
});
afterAll(() => server.close());

const rows = Array.from({ length: 3 }, (_, i) => ({ id: `q${i}`, input: `q ${i}` }));
const nonEmpty: Metric = {
  name: 'nonEmpty',
  kind: 'binary',
  score: ({ output }) => (output.length > 0 ? 1 : 0),
};
const schema = z.object({ answer: z.string() });

/** The functions of one `ai` major, called with one shape (a union of the majors' overloads is not callable). */
interface AiMajor {
  generateText(o: object): Promise<{ text: string }>;
  streamText(o: object): { text: PromiseLike<string> };
  generateObject(o: object): Promise<{ object: unknown }>;
  streamObject(o: object): { object: PromiseLike<unknown>; partialObjectStream: AsyncIterable<unknown> };
}
type Provider = (url: string) => ((id: string) => unknown) & { chat(id: string): unknown };

const MAJORS: [string, AiMajor, Provider][] = [
  ['ai 7', ai7 as unknown as AiMajor, (url) => createOpenAIv4({ baseURL: url, apiKey: 'k' }) as never],
  ['ai 6', ai6 as unknown as AiMajor, (url) => createOpenAIv3({ baseURL: url, apiKey: 'k' }) as never],
  ['ai 5', ai5 as unknown as AiMajor, (url) => createOpenAIv2({ baseURL: url, apiKey: 'k' }) as never],
];

/** The paths, each a model function of a wrapped Responses model and a wrapped Chat model. */
const PATHS: Record<
  string,
  (ai: AiMajor, m: { responses: unknown; chat: unknown }) => (input: unknown) => Promise<string>
> = {
  'generateText (Responses)': (ai, m) => async (input) =>
    (await ai.generateText({ model: m.responses, prompt: String(input), maxRetries: 0 })).text,
  'generateText (Chat)': (ai, m) => async (input) =>
    (await ai.generateText({ model: m.chat, prompt: String(input), maxRetries: 0 })).text,
  'streamText (Responses)': (ai, m) => async (input) =>
    await ai.streamText({ model: m.responses, prompt: String(input), maxRetries: 0 }).text,
  'streamText (Chat)': (ai, m) => async (input) =>
    await ai.streamText({ model: m.chat, prompt: String(input), maxRetries: 0 }).text,
  'generateObject (Chat)': (ai, m) => async (input) =>
    JSON.stringify(
      (await ai.generateObject({ model: m.chat, schema, prompt: String(input), maxRetries: 0 })).object,
    ),
  // streamObject is lazy: its object settles once its stream is read.
  'streamObject (Chat)': (ai, m) => async (input) => {
    const r = ai.streamObject({ model: m.chat, schema, prompt: String(input), maxRetries: 0 });
    for await (const _ of r.partialObjectStream);
    return JSON.stringify(await r.object);
  },
};

const cases = MAJORS.flatMap(([major, ai, provider]) =>
  Object.entries(PATHS).map(([path, model]) => [`${major}: ${path}`, ai, provider, model] as const),
);

describe.each(cases)('%s through wrapAISDKModel', (_name, ai, provider, path) => {
  it('is counted with tokens, cached, and replayed with the same outputs', async () => {
    const p = provider(server.url);
    const model = path(ai, {
      responses: wrapAISDKModel(p('mock-model') as never),
      chat: wrapAISDKModel(p.chat('mock-model') as never),
    });
    const cache: CacheStore = memoryCache();
    const run = (mode: 'read-write' | 'replay') =>
      evaluate(rows, model, [nonEmpty], { cache: { store: cache, mode }, progress: false, resamples: 10 });
    server.reset();
    const live = await run('read-write');
    expect(live.examples.map((e) => e.error)).toEqual(rows.map(() => undefined));
    expect(live.metrics.nonEmpty!.mean).toBe(1);
    expect(server.stats.requests).toBe(rows.length);
    expect(live.totals.requests).toBe(rows.length);
    // Tokens come from the response's (or the stream's) own usage, not an estimate.
    expect(live.totals.inputTokens).toBeGreaterThan(0);
    expect(live.totals.outputTokens).toBeGreaterThan(0);
    for (const e of live.examples) {
      expect(e.usage?.outputTokens).toBeGreaterThan(0);
      expect(e.usage?.estimated).toBeUndefined();
    }
    for (const mode of ['read-write', 'replay'] as const) {
      const again = await run(mode);
      expect(again.totals).toMatchObject({ requests: 0, cacheHits: rows.length });
      expect(again.examples.map((e) => e.output)).toEqual(live.examples.map((e) => e.output));
    }
    expect(server.stats.requests).toBe(rows.length);
  });
});
