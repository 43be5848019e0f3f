/**
 * A team's own pipeline, as a user writes it: several calls per example through the official clients, wrapped
 * once, with no context threaded through. Against the mock server, on a real SQLite file: every call is cached,
 * replayed, limited and counted; the row itself never is a call, so `concurrency: 1` cannot deadlock.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOpenAI } from '@ai-sdk/openai';
import Anthropic from '@anthropic-ai/sdk';
import { generateText, streamText } from 'ai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wrapAISDKModel } from '../../src/ai-sdk/index.js';
import { sqliteCache } from '../../src/cache/sqliteCache.js';
import type { Model } from '../../src/core/types.js';
import { ReplayMissError } from '../../src/errors.js';
import { evaluate } from '../../src/evaluate.js';
import { exactMatch } from '../../src/metrics/exactMatch.js';
import { wrapAnthropic } from '../../src/providers/wrapAnthropic.js';
import { wrapOpenAI } from '../../src/providers/wrapOpenAI.js';
import { type MockServer, startMockServer } from '../../src/testing/index.js';

let server: MockServer;
let dir: string;
beforeAll(async () => {
  server = await startMockServer({});
  dir = mkdtempSync(join(tmpdir(), 'evalgate-pipelines-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const dataset = Array.from({ length: 8 }, (_, i) => ({
  id: `q${i}`,
  input: `question ${i}`,
  reference: `question ${i}`,
}));
const metrics = [exactMatch()];
const MOCK_PRICES = {
  'mock-embedding': { inputPerMillion: 0.02, outputPerMillion: 0 },
  'claude-test': { inputPerMillion: 3, outputPerMillion: 15 },
};

/** Runs `model` three times on one fresh SQLite file: live, rerun, and replay on an empty cache. */
async function threeRuns(name: string, model: Model, perExample: number) {
  const path = join(dir, name, 'cache.sqlite'); // the folder does not exist yet: the cache creates it
  server.reset();
  const cache = sqliteCache(path);
  // The mock's own model names have no published price: priced here so that no unpriced-call warning is due.
  const live = await evaluate(dataset, model, metrics, {
    concurrency: 1,
    cache,
    progress: false,
    pricing: MOCK_PRICES,
  });
  await cache.close();
  expect(server.stats.requests).toBe(dataset.length * perExample);
  expect(live.totals.requests).toBe(server.stats.requests);
  const kinds = live.totals.byKind!;
  expect(kinds.model.calls + kinds.embedding.calls).toBe(dataset.length * perExample);
  expect(kinds.judge.calls).toBe(0);
  expect(live.metrics.exact_match!.mean).toBe(1);
  expect(live.warnings).toBeUndefined();

  server.reset();
  const again = sqliteCache(path);
  const rerun = await evaluate(dataset, model, metrics, { concurrency: 4, cache: again, progress: false });
  await again.close();
  expect(server.stats.requests).toBe(0);
  expect(rerun.totals.requests).toBe(0);
  expect(rerun.totals.cacheHits).toBe(dataset.length * perExample);
  expect(rerun.examples.every((r) => r.cached)).toBe(true);
  expect(rerun.scores).toEqual(live.scores);

  server.reset();
  const empty = sqliteCache(join(dir, name, 'empty.sqlite'));
  await expect(
    evaluate(dataset, model, metrics, { cache: { store: empty, mode: 'replay' }, progress: false }),
  ).rejects.toBeInstanceOf(ReplayMissError);
  await empty.close();
  expect(server.stats.requests).toBe(0);
  return live;
}

describe('your own pipeline through wrapped clients', () => {
  it('wrapOpenAI: a two-call RAG pipeline at concurrency 1 (chat + embeddings)', async () => {
    const openai = wrapOpenAI(new OpenAI({ baseURL: server.url, apiKey: 'test' }));
    async function rag(question: string): Promise<string> {
      const emb = await openai.embeddings.create({ model: 'mock-embedding', input: question });
      const hint = emb.data[0]!.embedding.length > 0 ? '' : 'no context';
      const answer = await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: `${question}${hint}` }],
      });
      return answer.choices[0]!.message.content ?? '';
    }
    const live = await threeRuns('openai', (input) => rag(String(input)), 2);
    // The embedding call inside the model phase counts as an embedding call, the chat call as the model's.
    expect(live.totals.byKind).toEqual({
      model: { calls: 8, cacheHits: 0 },
      judge: { calls: 0, cacheHits: 0 },
      embedding: { calls: 8, cacheHits: 0 },
    });
    expect(live.examples[0]!.usage?.inputTokens).toBeGreaterThan(0);
  });

  it('wrapOpenAI: the Responses API', async () => {
    const openai = wrapOpenAI(new OpenAI({ baseURL: server.url, apiKey: 'test' }));
    const model: Model = async (input) => {
      const r = await openai.responses.create({ model: 'gpt-4o-mini', input: String(input) });
      return r.output_text;
    };
    await threeRuns('responses', model, 1);
  });

  it('wrapAISDKModel: generateText on the default (responses) model and on .chat()', async () => {
    const provider = createOpenAI({ baseURL: server.url, apiKey: 'test' });
    const responses = wrapAISDKModel(provider('gpt-4o-mini'));
    const chat = wrapAISDKModel(provider.chat('gpt-4o-mini'));
    await threeRuns(
      'ai-responses',
      async (input) => (await generateText({ model: responses, prompt: String(input) })).text,
      1,
    );
    await threeRuns(
      'ai-chat',
      async (input) => (await generateText({ model: chat, prompt: String(input) })).text,
      1,
    );
  });

  it('wrapAISDKModel: streamText is recorded and replayed as its final result', async () => {
    const model = wrapAISDKModel(createOpenAI({ baseURL: server.url, apiKey: 'test' })('gpt-4o-mini'));
    await threeRuns(
      'ai-stream',
      async (input) => {
        const r = streamText({ model, prompt: String(input) });
        return await r.text;
      },
      1,
    );
  });

  it('wrapAnthropic: messages.create', async () => {
    const anthropic = wrapAnthropic(new Anthropic({ baseURL: server.origin, apiKey: 'test' }));
    const model: Model = async (input) => {
      const msg = await anthropic.messages.create({
        model: 'claude-test',
        max_tokens: 64,
        messages: [{ role: 'user', content: String(input) }],
      });
      const block = msg.content[0];
      return block?.type === 'text' ? block.text : '';
    };
    await threeRuns('anthropic', model, 1);
  });

  it('ctx.call: any other client, keyed by the request it declares', async () => {
    const client = new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0 });
    const model: Model = async (input, ctx) => {
      const request = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: String(input) }] };
      const r = await ctx.call<string>({ request }, async (signal) => {
        const res = await client.chat.completions.create(request, { signal });
        return { value: res.choices[0]!.message.content ?? '' };
      });
      return r.value;
    };
    await threeRuns('ctx-call', model, 1);
  });

  it('outside a run a wrapped client is the plain client', async () => {
    server.reset();
    const openai = wrapOpenAI(new OpenAI({ baseURL: server.url, apiKey: 'test' }));
    const res = await openai.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(res.choices[0]!.message.content).toBe('hi');
    expect(server.stats.requests).toBe(1);
    expect(wrapOpenAI(openai)).toBe(openai);
    expect(openai).toBeInstanceOf(OpenAI);
  });
});

describe('honest cache semantics', () => {
  it('replay with a model that makes no call through evalgate throws naming the example; nothing is sent', async () => {
    server.reset();
    const store = sqliteCache(join(dir, 'none', 'cache.sqlite'));
    const err = await evaluate(dataset, async (input) => String(input), metrics, {
      cache: { store, mode: 'replay' },
      concurrency: 8,
      progress: false,
    }).catch((e: unknown) => e);
    await store.close();
    expect(err).toBeInstanceOf(ReplayMissError);
    expect((err as ReplayMissError).exampleId).toBe('q0');
    expect((err as Error).message).toMatch(/without any call through evalgate.*wrapOpenAI/);
    expect(server.stats.requests).toBe(0);
  });

  it('a cache with a model that makes no cacheable call gives a result warning', async () => {
    const store = sqliteCache(join(dir, 'warn', 'cache.sqlite'));
    const r = await evaluate(dataset, async (input) => String(input), metrics, {
      cache: store,
      progress: false,
    });
    await store.close();
    expect(r.warnings).toEqual([
      expect.stringMatching(/^a cache is set, but the model made no call through evalgate/),
    ]);
  });

  it('nested calls at concurrency 1 with a 0 ms call never deadlock, and count once per call', async () => {
    let sent = 0;
    const model: Model = async (input, ctx) => {
      const a = await ctx.call({ request: { q: input, step: 1 } }, async () => {
        sent++;
        return { value: 'x', usage: { inputTokens: 1, outputTokens: 1 } };
      });
      const b = await ctx.call({ request: { q: input, step: 2 } }, async () => {
        sent++;
        return { value: String(input), usage: { inputTokens: 1, outputTokens: 1 } };
      });
      return a.value === 'x' ? b.value : '';
    };
    const r = await evaluate(dataset, model, metrics, { concurrency: 1, timeoutMs: 1_000, progress: false });
    expect(r.nFailed).toBe(0);
    expect(sent).toBe(16);
    expect(r.totals.requests).toBe(16);
    expect(r.totals.inputTokens).toBe(16);
  });
});
