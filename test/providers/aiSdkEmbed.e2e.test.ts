// The AI SDK's embed() and embedMany() send through an embedding model (`openai.embedding(...)`), not a language
// model: wrapped with wrapAISDKModel, each doEmbed call goes through the run like every other request — counted as an
// embedding call with its tokens, cached (a rerun sends nothing), replayed (replay mode sends nothing and gives the
// same vectors) — for `ai` 7, 6 and 5; outside a run the wrapped model is the plain one.
import { createOpenAI as createOpenAIv4 } from '@ai-sdk/openai';
import { createOpenAI as createOpenAIv2 } from '@ai-sdk/openai-v2';
import { createOpenAI as createOpenAIv3 } from '@ai-sdk/openai-v3';
import * as ai7 from 'ai';
import * as ai5 from 'ai-v5';
import * as ai6 from 'ai-v6';
import { describe, expect, it } from 'vitest';
import { wrapAISDKModel } from '../../src/ai-sdk/index.js';
import { memoryCache } from '../../src/cache/index.js';
import { type CacheStore, evaluate } from '../../src/index.js';
import { aiSdkSuite } from './_aiSdkSuite.js';

const { server, rows, any } = aiSdkSuite();

interface AiMajor {
  embed(o: object): Promise<{ embedding: number[] }>;
  embedMany(o: object): Promise<{ embeddings: number[][] }>;
}
type Provider = (url: string) => { embedding(id: string): unknown };

const MAJORS: [string, AiMajor, Provider][] = [
  ['ai 7', ai7 as unknown as AiMajor, (url) => createOpenAIv4({ baseURL: url, apiKey: 'k' }) as never],
  ['ai 6', ai6 as unknown as AiMajor, (url) => createOpenAIv3({ baseURL: url, apiKey: 'k' }) as never],
  ['ai 5', ai5 as unknown as AiMajor, (url) => createOpenAIv2({ baseURL: url, apiKey: 'k' }) as never],
];

/** Each path: a model function (the vectors as JSON) and the requests it sends per row. */
const PATHS: Record<string, [(ai: AiMajor, model: unknown) => (input: unknown) => Promise<string>, number]> =
  {
    embed: [
      (ai, model) => async (input) =>
        JSON.stringify((await ai.embed({ model, value: String(input), maxRetries: 0 })).embedding),
      1,
    ],
    'embedMany, two calls of at most two values': [
      (ai, model) => async (input) =>
        JSON.stringify(
          (await ai.embedMany({ model, values: [`${input} a`, `${input} b`, `${input} c`], maxRetries: 0 }))
            .embeddings,
        ),
      2,
    ],
  };

const cases = MAJORS.flatMap(([major, ai, provider]) =>
  Object.entries(PATHS).map(
    ([path, [model, calls]]) => [`${major}: ${path}`, ai, provider, model, calls] as const,
  ),
);

describe.each(cases)('%s through wrapAISDKModel', (_name, ai, provider, path, calls) => {
  it('is counted with tokens, cached, and replayed with the same vectors', async () => {
    const base = provider(server.url).embedding('mock-embedding') as { maxEmbeddingsPerCall?: unknown };
    // embedMany splits its values into calls of `maxEmbeddingsPerCall` each.
    const model = wrapAISDKModel(Object.assign(Object.create(base), { maxEmbeddingsPerCall: 2 }) as never);
    const fn = path(ai, model);
    const cache: CacheStore = memoryCache();
    const run = (mode: 'read-write' | 'replay') =>
      evaluate(rows, fn, [any], { cache: { store: cache, mode }, progress: false, resamples: 10 });
    server.reset();
    const live = await run('read-write');
    expect(live.examples.map((e) => e.error)).toEqual(rows.map(() => undefined));
    expect(server.stats.requests).toBe(rows.length * calls);
    expect(live.totals.requests).toBe(rows.length * calls);
    expect(live.totals.byKind?.embedding.calls).toBe(rows.length * calls);
    expect(live.totals.inputTokens).toBeGreaterThan(0);
    for (const e of live.examples) expect(JSON.parse(String(e.output)).length).toBeGreaterThan(0);
    for (const mode of ['read-write', 'replay'] as const) {
      const again = await run(mode);
      expect(again.totals).toMatchObject({ requests: 0, cacheHits: rows.length * calls });
      expect(again.examples.map((e) => e.output)).toEqual(live.examples.map((e) => e.output));
    }
    expect(server.stats.requests).toBe(rows.length * calls);
  });

  it('outside a run the wrapped model is the plain model', async () => {
    const model = wrapAISDKModel(provider(server.url).embedding('mock-embedding') as never);
    server.reset();
    const plain = await path(ai, provider(server.url).embedding('mock-embedding'))('hello');
    expect(await path(ai, model)('hello')).toBe(plain);
    // One request each: the plain model takes every value in one call.
    expect(server.stats.requests).toBe(2);
  });
});

describe('a wrapped embedding model', () => {
  const fake = (embeddings: number[][], spec = 'v3') => ({
    specificationVersion: spec,
    provider: 'fake',
    modelId: 'fake-embedding',
    maxEmbeddingsPerCall: 10,
    supportsParallelCalls: true,
    sent: 0,
    async doEmbed() {
      this.sent++;
      return { embeddings, usage: { tokens: 3 }, warnings: [] };
    },
  });

  it('fails a call whose response has another number of vectors than values, uncached', async () => {
    const model = fake([[1, 0]]);
    const wrapped = wrapAISDKModel(model as never);
    const cache = memoryCache();
    const run = () =>
      evaluate(
        [{ id: 'a', input: 'x' }],
        async () =>
          JSON.stringify(
            (await ai7.embedMany({ model: wrapped, values: ['x', 'y'], maxRetries: 0 })).embeddings,
          ),
        [any],
        { cache, progress: false, resamples: 10, maxFailureRate: 1, retry: { maxRetries: 0 } },
      );
    const first = await run();
    expect(first.examples[0]?.error?.message).toBe('fake: the response has 1 embeddings for 2 values');
    const again = await run();
    expect(again.totals.cacheHits).toBe(0);
    expect(model.sent).toBe(2);
  });

  it('of another specification version is refused, named as an embedding model', () => {
    expect(() => wrapAISDKModel(fake([], 'v9') as never)).toThrow(
      new TypeError(
        'Expected `model` to be an AI SDK embedding model of specification v2, v3 or v4 (ai 5, 6 or 7), got specification `v9` (string)',
      ),
    );
  });
});
