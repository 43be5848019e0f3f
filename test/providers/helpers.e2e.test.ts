// Issue 20: the SDK helpers that used to bypass the runtime (parse, stream helpers, withResponse / asResponse,
// Anthropic's messages.stream()) go through it inside a run — counted, cached, replayed, limited — against the
// project's mock server; two base URLs with one cache each get their own requests; streams carry tokens.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryCache } from '../../src/cache/index.js';
import {
  type CacheStore,
  evaluate,
  type Metric,
  type Model,
  wrapAnthropic,
  wrapOpenAI,
} from '../../src/index.js';
import { type MockServer, startMockServer } from '../../src/testing/index.js';

let a: MockServer;
let b: MockServer;
beforeAll(async () => {
  a = await startMockServer({ table: { q: 'from A' } });
  b = await startMockServer({ table: { q: 'from B' } });
});
afterAll(async () => {
  await a.close();
  await b.close();
});

const text: Metric = { name: 'nonEmpty', kind: 'binary', score: ({ output }) => (output.length > 0 ? 1 : 0) };
const rows = [{ id: 'r1', input: 'q' }];
const opts = { progress: false, resamples: 10, retry: { maxRetries: 0 } } as const;
const oa = (s: MockServer) => wrapOpenAI(new OpenAI({ baseURL: s.url, apiKey: 'sk-test' }));
const an = (s: MockServer) => wrapAnthropic(new Anthropic({ baseURL: s.origin, apiKey: 'sk-ant-test' }));
const messages = [{ role: 'user' as const, content: 'q' }];

const helpers: [string, (s: MockServer) => Model][] = [
  [
    'chat.completions.parse',
    (s) => async () =>
      (await oa(s).chat.completions.parse({ model: 'mock-model', messages })).choices[0]!.message.content ??
      '',
  ],
  [
    'chat.completions.create().withResponse()',
    (s) => async () => {
      const { data, response } = await oa(s)
        .chat.completions.create({ model: 'mock-model', messages })
        .withResponse();
      expect(response.status).toBe(200);
      return data.choices[0]!.message.content ?? '';
    },
  ],
  [
    'chat.completions.create().asResponse()',
    (s) => async () => {
      const response = await oa(s).chat.completions.create({ model: 'mock-model', messages }).asResponse();
      const body = (await response.json()) as { choices: { message: { content: string } }[] };
      return body.choices[0]!.message.content;
    },
  ],
  [
    'chat.completions.stream',
    (s) => async () => {
      const stream = oa(s).chat.completions.stream({ model: 'mock-model', messages });
      return (await stream.finalChatCompletion()).choices[0]!.message.content ?? '';
    },
  ],
  [
    'chat.completions.create({ stream: true })',
    (s) => async () => {
      let out = '';
      let sawUsage = false;
      for await (const chunk of await oa(s).chat.completions.create({
        model: 'mock-model',
        messages,
        stream: true,
      })) {
        out += chunk.choices[0]?.delta.content ?? '';
        // The user did not ask for usage: the chunk evalgate asked for is not shown.
        if ('usage' in chunk) sawUsage = true;
      }
      expect(sawUsage).toBe(false);
      return out;
    },
  ],
  [
    'responses.parse',
    (s) => async () => (await oa(s).responses.parse({ model: 'mock-model', input: 'q' })).output_text,
  ],
  [
    'responses.stream',
    (s) => async () =>
      (await oa(s).responses.stream({ model: 'mock-model', input: 'q' }).finalResponse()).output_text,
  ],
  [
    'anthropic messages.stream()',
    (s) => async () => {
      const msg = await an(s)
        .messages.stream({ model: 'mock-model', max_tokens: 32, messages })
        .finalMessage();
      const block = msg.content[0]!;
      return block.type === 'text' ? block.text : '';
    },
  ],
  [
    'anthropic messages.create().withResponse()',
    (s) => async () => {
      const { data } = await an(s)
        .messages.create({ model: 'mock-model', max_tokens: 32, messages })
        .withResponse();
      const block = data.content[0]!;
      return block.type === 'text' ? block.text : '';
    },
  ],
];

describe.each(helpers)('%s inside a run', (_name, modelFor) => {
  it('is counted with tokens, cached, and replayed', async () => {
    const cache: CacheStore = memoryCache();
    const before = a.stats.requests;
    const first = await evaluate(rows, modelFor(a), [text], { ...opts, cache });
    expect(first.examples[0]!.error).toBeUndefined();
    expect(first.examples[0]!.output).toBe('from A');
    expect(a.stats.requests - before).toBe(1);
    expect(first.totals.requests).toBe(1);
    expect(first.totals.inputTokens).toBeGreaterThan(0);
    expect(first.totals.outputTokens).toBeGreaterThan(0);
    expect(first.examples[0]!.usage?.estimated).toBeUndefined();
    const second = await evaluate(rows, modelFor(a), [text], { ...opts, cache });
    expect(second.examples[0]!.output).toBe('from A');
    expect(second.totals).toMatchObject({ requests: 0, cacheHits: 1 });
    const replay = await evaluate(rows, modelFor(a), [text], {
      ...opts,
      cache: { store: cache, mode: 'replay' },
    });
    expect(replay.examples[0]!.output).toBe('from A');
    expect(a.stats.requests - before).toBe(1);
  });

  it('is held to maxRequests', async () => {
    const before = a.stats.requests;
    const many = Array.from({ length: 6 }, (_, i) => ({ id: `m${i}`, input: 'q', metadata: { i } }));
    const r = await evaluate(many, modelFor(a), [text], {
      ...opts,
      concurrency: 1,
      budget: { maxRequests: 2 },
    });
    expect(a.stats.requests - before).toBeLessThanOrEqual(2);
    expect(r.totals.requests).toBe(a.stats.requests - before);
  });
});

describe('the endpoint is part of the cache key', () => {
  it('two base URLs sharing one cache each get their own requests and answers', async () => {
    const cache = memoryCache();
    const ba = a.stats.requests;
    const bb = b.stats.requests;
    const model =
      (s: MockServer): Model =>
      async () =>
        (await oa(s).chat.completions.create({ model: 'mock-model', messages })).choices[0]!.message
          .content ?? '';
    const ra = await evaluate(rows, model(a), [text], { ...opts, cache });
    const rb = await evaluate(rows, model(b), [text], { ...opts, cache });
    expect(ra.examples[0]!.output).toBe('from A');
    expect(rb.examples[0]!.output).toBe('from B');
    expect(a.stats.requests - ba).toBe(1);
    expect(b.stats.requests - bb).toBe(1);
    expect(rb.totals.cacheHits).toBe(0);
  });

  it('the API key is not part of the key: another key on the same endpoint hits', async () => {
    const cache = memoryCache();
    const model =
      (key: string): Model =>
      async () =>
        (
          await wrapOpenAI(new OpenAI({ baseURL: a.url, apiKey: key })).chat.completions.create({
            model: 'mock-model',
            messages,
          })
        ).choices[0]!.message.content ?? '';
    await evaluate(rows, model('sk-one'), [text], { ...opts, cache });
    const r = await evaluate(rows, model('sk-two'), [text], { ...opts, cache });
    expect(r.totals).toMatchObject({ requests: 0, cacheHits: 1 });
  });
});

describe('calls after evaluate() returns', () => {
  it('a call a model left running is refused before it is sent, and its rejection is the caller’s', async () => {
    const client = oa(a);
    let late: Promise<unknown> | undefined;
    await evaluate(
      rows,
      async () => {
        late = new Promise((r) => setTimeout(r, 50)).then(() =>
          client.chat.completions.create({ model: 'mock-model', messages }),
        );
        late.catch(() => {});
        return 'x';
      },
      [text],
      opts,
    );
    const before = a.stats.requests;
    const err = await late!.catch((e) => e);
    expect(err).toMatchObject({ code: 'E_RUN_CLOSED' });
    expect(a.stats.requests).toBe(before);
  });
});

describe('a nested evaluate()', () => {
  it('is refused with a clear error inside a row; the outer run records it and sends nothing for it', async () => {
    const before = a.stats.requests;
    const outer = await evaluate(
      rows,
      async () => {
        const inner = await evaluate(
          rows,
          async () =>
            (await oa(a).chat.completions.create({ model: 'mock-model', messages })).choices[0]!.message
              .content ?? '',
          [text],
          opts,
        );
        return String(inner.n);
      },
      [text],
      { ...opts, maxFailureRate: 1 },
    );
    expect(outer.examples[0]!.error).toMatchObject({ name: 'NestedRunError', code: 'E_NESTED_RUN' });
    expect(outer.examples[0]!.error!.message).toMatch(
      /inside the model or a metric of another evaluate\(\) run/,
    );
    expect(a.stats.requests).toBe(before);
  });
});
