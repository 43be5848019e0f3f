// Issue 20, item 2 ("the endpoint is part of the key") through the AI SDK: two providers of one model name behind
// two base URLs (two deployments, a proxy A/B, two vLLM servers serving fine-tunes under one name), one cache. The
// key was the provider's name, the model id and the call options, so the second deployment got 0 requests and
// its "answers" were the first's: an A/B that compared the cache with itself. Each base URL now gets its own
// requests (language models: generate and stream; embedding models), for `ai` 7, 6 and 5 (@ai-sdk/openai 4, 3, 2);
// a rerun of either is answered from the cache; an entry written under the key without the endpoint is a miss
// with one warning, never a wrong hit; a model that names no endpoint (a hand-made one) keys as before.
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
  generateText(o: object): Promise<{ text: string }>;
  streamText(o: object): { text: PromiseLike<string> };
  embed(o: object): Promise<{ embedding: number[] }>;
}
type Provider = (url: string) => { chat(id: string): unknown; embedding(id: string): unknown };

const MAJORS: [string, AiMajor, Provider][] = [
  ['ai 7', ai7 as unknown as AiMajor, (url) => createOpenAIv4({ baseURL: url, apiKey: 'k' }) as never],
  ['ai 6', ai6 as unknown as AiMajor, (url) => createOpenAIv3({ baseURL: url, apiKey: 'k' }) as never],
  ['ai 5', ai5 as unknown as AiMajor, (url) => createOpenAIv2({ baseURL: url, apiKey: 'k' }) as never],
];

/** Each path: the wrapped model it uses, and the model function over it. */
const PATHS: Record<
  string,
  [(p: ReturnType<Provider>) => unknown, (ai: AiMajor, model: unknown) => (input: unknown) => Promise<string>]
> = {
  generateText: [
    (p) => p.chat('mock-model'),
    (ai, model) => async (input) =>
      (await ai.generateText({ model, prompt: String(input), maxRetries: 0 })).text,
  ],
  streamText: [
    (p) => p.chat('mock-model'),
    (ai, model) => async (input) => await ai.streamText({ model, prompt: String(input), maxRetries: 0 }).text,
  ],
  embed: [
    (p) => p.embedding('mock-embedding'),
    (ai, model) => async (input) =>
      JSON.stringify((await ai.embed({ model, value: String(input), maxRetries: 0 })).embedding),
  ],
};

const cases = MAJORS.flatMap(([major, ai, provider]) =>
  Object.entries(PATHS).map(([path, [pick, fn]]) => [`${major}: ${path}`, ai, provider, pick, fn] as const),
);

/** The same server under another host name: another base URL, as two deployments are. */
const otherHost = (url: string) => url.replace('127.0.0.1', 'localhost');

describe.each(cases)('%s, two base URLs and one cache', (_name, ai, provider, pick, fn) => {
  const runAt = async (url: string, cache: CacheStore) => {
    const model = wrapAISDKModel(pick(provider(url)) as never);
    const before = server.stats.requests;
    const r = await evaluate(rows, fn(ai, model), [any], { cache, progress: false });
    return { sent: server.stats.requests - before, hits: r.totals.cacheHits, warnings: r.warnings };
  };

  it('each base URL gets its own requests; a rerun of either is answered from the cache', async () => {
    const cache = memoryCache();
    expect((await runAt(server.url, cache)).sent).toBe(rows.length);
    const other = await runAt(otherHost(server.url), cache);
    expect(other.sent, 'the second deployment is asked, not answered from the first').toBe(rows.length);
    expect(other.hits).toBe(0);
    expect((await runAt(server.url, cache)).sent).toBe(0);
    expect((await runAt(otherHost(server.url), cache)).sent).toBe(0);
  });
});

describe('an entry written under the key without the endpoint', () => {
  it('is a miss with one warning, never a wrong hit; a model naming no endpoint keys as before', async () => {
    const cache = memoryCache();
    const real = createOpenAIv4({ baseURL: server.url, apiKey: 'k' }).chat('mock-model');
    // A model that names no endpoint (no `config`), of the same provider and id: its key is the one an earlier
    // evalgate wrote for every AI SDK model.
    const own = (value: unknown) => ({ value, configurable: true, writable: true });
    const bare = Object.create(real, {
      config: own(undefined),
      provider: own(real.provider),
      modelId: own(real.modelId),
      doGenerate: own((o: never) => real.doGenerate(o)),
    }) as object;
    const fn = (m: unknown) => async (input: unknown) =>
      (await ai7.generateText({ model: m as never, prompt: String(input), maxRetries: 0 })).text;
    const runWith = async (m: unknown) => {
      const before = server.stats.requests;
      const r = await evaluate(rows, fn(wrapAISDKModel(m as never)), [any], { cache, progress: false });
      return { sent: server.stats.requests - before, warnings: r.warnings };
    };
    expect((await runWith(bare)).sent).toBe(rows.length);
    expect((await runWith(bare)).sent, 'a model naming no endpoint: cached as before').toBe(0);
    const withEndpoint = await runWith(real);
    expect(withEndpoint.sent, 'not answered from the entries without the endpoint').toBe(rows.length);
    expect(
      (withEndpoint.warnings ?? []).filter((w) => /earlier evalgate.*did not include the endpoint/.test(w)),
    ).toHaveLength(1);
    expect((await runWith(real)).sent).toBe(0);
  });
});
