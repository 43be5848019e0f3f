// Issue 20, item 3 ("streams show tokens and cost"; "budgets and TPM see streams"): every streamed path — the
// OpenAI chat stream with and without the helper, the Responses stream helper, Anthropic's messages.stream(), and
// the AI SDK's streamText — is counted from the stream's own usage, priced with the run's pricing, held to a token
// budget, and measured by the TPM limiter with the tokens it really used, against the project's mock server.
import { createOpenAI } from '@ai-sdk/openai';
import Anthropic from '@anthropic-ai/sdk';
import AnthropicV0 from '@anthropic-ai/sdk-v0';
import { streamText } from 'ai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wrapAISDKModel } from '../../src/ai-sdk/index.js';
import { memoryCache } from '../../src/cache/index.js';
import {
  evaluate,
  type Metric,
  type Model,
  rateLimiter,
  wrapAnthropic,
  wrapOpenAI,
} from '../../src/index.js';
import { type MockServer, startMockServer } from '../../src/testing/index.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer();
});
afterAll(() => server.close());

const nonEmpty: Metric = {
  name: 'nonEmpty',
  kind: 'binary',
  score: ({ output }) => (output.length > 0 ? 1 : 0),
};
const rows = Array.from({ length: 3 }, (_, i) => ({ id: `s${i}`, input: `stream number ${i}` }));
const opts = { progress: false, resamples: 10, retry: { maxRetries: 0 }, concurrency: 1 } as const;
const PRICE = { inputPerMillion: 2, outputPerMillion: 10 };
const pricing = { 'mock-model': PRICE };

const STREAMS: Record<string, () => Model> = {
  'openai chat.completions.create({ stream: true })': () => {
    const c = wrapOpenAI(new OpenAI({ baseURL: server.url, apiKey: 'sk-test' }));
    return async (input) => {
      let out = '';
      const s = await c.chat.completions.create({
        model: 'mock-model',
        messages: [{ role: 'user', content: String(input) }],
        stream: true,
      });
      for await (const chunk of s) out += chunk.choices[0]?.delta.content ?? '';
      return out;
    };
  },
  'openai chat.completions.stream()': () => {
    const c = wrapOpenAI(new OpenAI({ baseURL: server.url, apiKey: 'sk-test' }));
    return async (input) =>
      (
        await c.chat.completions
          .stream({ model: 'mock-model', messages: [{ role: 'user', content: String(input) }] })
          .finalChatCompletion()
      ).choices[0]!.message.content ?? '';
  },
  'openai responses.stream()': () => {
    const c = wrapOpenAI(new OpenAI({ baseURL: server.url, apiKey: 'sk-test' }));
    return async (input) =>
      (await c.responses.stream({ model: 'mock-model', input: String(input) }).finalResponse()).output_text;
  },
  'anthropic messages.stream()': () => {
    const c = wrapAnthropic(new Anthropic({ baseURL: server.origin, apiKey: 'sk-ant-test' }));
    return async (input) => {
      const msg = await c.messages
        .stream({ model: 'mock-model', max_tokens: 64, messages: [{ role: 'user', content: String(input) }] })
        .finalMessage();
      return msg.content[0]?.type === 'text' ? msg.content[0].text : '';
    };
  },
  'anthropic 0.137 messages.stream()': () => {
    const c = wrapAnthropic(new AnthropicV0({ baseURL: server.origin, apiKey: 'sk-ant-test' }));
    return async (input) => {
      const msg = await c.messages
        .stream({ model: 'mock-model', max_tokens: 64, messages: [{ role: 'user', content: String(input) }] })
        .finalMessage();
      return msg.content[0]?.type === 'text' ? msg.content[0].text : '';
    };
  },
  'ai streamText (wrapAISDKModel)': () => {
    const model = wrapAISDKModel(createOpenAI({ baseURL: server.url, apiKey: 'k' }).chat('mock-model'));
    return async (input) => await streamText({ model, prompt: String(input), maxRetries: 0 }).text;
  },
};

describe.each(Object.entries(STREAMS))('%s', (_name, make) => {
  it('shows the stream’s own tokens and their cost under the run’s pricing', async () => {
    const r = await evaluate(rows, make(), [nonEmpty], { ...opts, pricing });
    expect(r.metrics.nonEmpty!.mean).toBe(1);
    expect(r.totals.requests).toBe(rows.length);
    expect(r.totals.inputTokens).toBeGreaterThan(0);
    expect(r.totals.outputTokens).toBeGreaterThan(0);
    const want =
      (r.totals.inputTokens * PRICE.inputPerMillion + r.totals.outputTokens * PRICE.outputPerMillion) / 1e6;
    expect(Math.abs(r.totals.costUsd - want)).toBeLessThanOrEqual(1e-9 * want);
    for (const e of r.examples) {
      expect(e.usage?.estimated).toBeUndefined();
      expect(e.usage!.outputTokens).toBeGreaterThan(0);
      const cost =
        (e.usage!.inputTokens * PRICE.inputPerMillion + e.usage!.outputTokens * PRICE.outputPerMillion) / 1e6;
      expect(Math.abs(e.costUsd! - cost)).toBeLessThanOrEqual(1e-9 * cost);
    }
  });

  it('is held to a token budget: the run stops once the streams have used it', async () => {
    const probe = await evaluate(rows.slice(0, 1), make(), [nonEmpty], opts);
    const perRow = probe.totals.inputTokens + probe.totals.outputTokens;
    expect(perRow).toBeGreaterThan(0);
    const five = Array.from({ length: 5 }, () => rows[0]!).map((row, i) => ({ ...row, id: `b${i}` }));
    const before = server.stats.requests;
    // Room for one row and a bit: the second row is admitted, the third is refused.
    const r = await evaluate(five, make(), [nonEmpty], { ...opts, budget: { maxTokens: perRow + 1 } });
    expect(r.run.stoppedBy).toBe('budget');
    expect(r.totals.requests).toBe(2);
    expect(server.stats.requests - before).toBe(2);
  });

  it('is measured by the TPM limiter with the tokens it used: a limit of one stream per window spaces them', async () => {
    const probe = await evaluate(rows.slice(0, 1), make(), [nonEmpty], opts);
    const perRow = probe.totals.inputTokens + probe.totals.outputTokens;
    const windowMs = 300;
    // The estimate before sending (input only, no expected output) fits twice; the tokens used fit once.
    const limiter = rateLimiter({ tpm: perRow + 1, windowMs, expectedOutputTokens: 0 });
    const started = performance.now();
    const r = await evaluate(rows, make(), [nonEmpty], { ...opts, rateLimit: limiter });
    const elapsed = performance.now() - started;
    expect(r.totals.requests).toBe(rows.length);
    // Each stream after the first waits for the previous one's tokens to leave the window.
    expect(elapsed).toBeGreaterThanOrEqual((rows.length - 1) * windowMs * 0.95);
  });
});

describe('two base URLs sharing one cache, streamed', () => {
  const streamed: Record<string, (url: string, origin: string) => Model> = {
    'openai chat stream': (url) => {
      const c = wrapOpenAI(new OpenAI({ baseURL: url, apiKey: 'sk-test' }));
      return async (input) =>
        (
          await c.chat.completions
            .stream({ model: 'mock-model', messages: [{ role: 'user', content: String(input) }] })
            .finalChatCompletion()
        ).choices[0]!.message.content ?? '';
    },
    'anthropic messages.stream()': (_url, origin) => {
      const c = wrapAnthropic(new Anthropic({ baseURL: origin, apiKey: 'sk-ant-test' }));
      return async (input) => {
        const msg = await c.messages
          .stream({
            model: 'mock-model',
            max_tokens: 64,
            messages: [{ role: 'user', content: String(input) }],
          })
          .finalMessage();
        return msg.content[0]?.type === 'text' ? msg.content[0].text : '';
      };
    },
  };
  it.each(Object.entries(streamed))(
    '%s: each endpoint gets its own requests and answers',
    async (_n, make) => {
      const a = await startMockServer({ table: { q: 'from A' } });
      const b = await startMockServer({ table: { q: 'from B' } });
      try {
        const cache = memoryCache();
        const one = [{ id: 'q', input: 'q' }];
        const ra = await evaluate(one, make(a.url, a.origin), [nonEmpty], { ...opts, cache });
        const rb = await evaluate(one, make(b.url, b.origin), [nonEmpty], { ...opts, cache });
        expect(ra.examples[0]!.output).toBe('from A');
        expect(rb.examples[0]!.output).toBe('from B');
        expect([a.stats.requests, b.stats.requests]).toEqual([1, 1]);
        expect(rb.totals).toMatchObject({ requests: 1, cacheHits: 0 });
        // And each is a hit for itself.
        const again = await evaluate(one, make(b.url, b.origin), [nonEmpty], { ...opts, cache });
        expect(again.examples[0]!.output).toBe('from B');
        expect(again.totals).toMatchObject({ requests: 0, cacheHits: 1 });
      } finally {
        await a.close();
        await b.close();
      }
    },
  );
});
