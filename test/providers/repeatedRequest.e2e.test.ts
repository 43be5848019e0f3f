// A pipeline that sends the same request several times in one row wants several answers: self-consistency (a
// majority over n samples), a judge averaged over repeated calls, a loop that asks again until the answer parses.
// The plain client sends each; so does the wrapped one, cache or no cache: the n-th identical request of a row is
// its own call and its own cache entry (the first keeps the key it always had), a rerun answers each from the
// cache in order, and replay plays them back in order. Identical requests of different rows still share one call.

import { createOpenAI } from '@ai-sdk/openai';
import Anthropic from '@anthropic-ai/sdk';
import * as ai from 'ai';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { wrapAISDKModel } from '../../src/ai-sdk/index.js';
import { memoryCache } from '../../src/cache/index.js';
import { evaluate, type Metric, type ModelContext, wrapAnthropic, wrapOpenAI } from '../../src/index.js';
import { type MockServer, startMockServer } from '../../src/testing/index.js';

let server: MockServer;
let sample = 0;
beforeAll(async () => {
  server = await startMockServer({ respond: () => `sample ${sample++}` });
});
beforeEach(() => {
  sample = 0;
});
afterAll(() => server.close());

const any: Metric = { name: 'any', kind: 'binary', score: () => 1 };
const question = [{ role: 'user' as const, content: 'q' }];

/** Each SDK: one request that a row sends several times, answering the sample it got. */
const SENDERS: [string, () => () => Promise<string>][] = [
  [
    'openai chat.completions.create',
    () => {
      const client = wrapOpenAI(new OpenAI({ baseURL: server.url, apiKey: 'k', maxRetries: 0 }));
      return async () =>
        (await client.chat.completions.create({ model: 'm', temperature: 1, messages: question })).choices[0]
          ?.message.content ?? '';
    },
  ],
  [
    'anthropic messages.create',
    () => {
      const client = wrapAnthropic(
        new Anthropic({ baseURL: server.url.replace(/\/v1$/, ''), apiKey: 'k', maxRetries: 0 }),
      );
      return async () => {
        const block = (await client.messages.create({ model: 'm', max_tokens: 16, messages: question }))
          .content[0];
        return block?.type === 'text' ? block.text : '';
      };
    },
  ],
  [
    'ai generateText',
    () => {
      const model = wrapAISDKModel(createOpenAI({ baseURL: server.url, apiKey: 'k' }).chat('m'));
      return async () => (await ai.generateText({ model, prompt: 'q', temperature: 1, maxRetries: 0 })).text;
    },
  ],
  [
    'ai streamText',
    () => {
      const model = wrapAISDKModel(createOpenAI({ baseURL: server.url, apiKey: 'k' }).chat('m'));
      return async () => await ai.streamText({ model, prompt: 'q', temperature: 1, maxRetries: 0 }).text;
    },
  ],
];

describe.each(SENDERS)('%s, sent five times in one row', (_name, make) => {
  it('gets five answers with a cache as without, and the same five from the cache and in replay', async () => {
    const send = make();
    // Three one after the other, then two at once.
    const model = async () =>
      JSON.stringify([await send(), await send(), await send(), ...(await Promise.all([send(), send()]))]);
    const cache = memoryCache();
    const run = (mode?: 'read-write' | 'replay') =>
      evaluate([{ id: 'a', input: 'q' }], model, [any], {
        progress: false,
        resamples: 10,
        ...(mode === undefined ? {} : { cache: { store: cache, mode } }),
      });
    server.reset();
    const plain = await run();
    expect(JSON.parse(String(plain.examples[0]?.output))).toEqual([
      'sample 0',
      'sample 1',
      'sample 2',
      'sample 3',
      'sample 4',
    ]);
    const live = await run('read-write');
    expect(server.stats.requests, 'each of the five is sent, cache or no cache').toBe(10);
    expect(live.totals.requests).toBe(5);
    expect(new Set(JSON.parse(String(live.examples[0]?.output))).size, 'five distinct samples').toBe(5);
    for (const mode of ['read-write', 'replay'] as const) {
      const again = await run(mode);
      expect(again.totals).toMatchObject({ requests: 0, cacheHits: 5 });
      expect(again.examples[0]?.output).toBe(live.examples[0]?.output);
    }
    expect(server.stats.requests).toBe(10);
  });
});

describe('a loop that asks again until the answer is usable', () => {
  it('ends with a cache as without one', async () => {
    const client = wrapOpenAI(new OpenAI({ baseURL: server.url, apiKey: 'k', maxRetries: 0 }));
    const untilThird = async () => {
      for (let attempt = 1; attempt <= 10; attempt++) {
        const answer =
          (await client.chat.completions.create({ model: 'm', messages: question })).choices[0]?.message
            .content ?? '';
        if (answer === 'sample 2') return `${answer} after ${attempt}`;
      }
      return 'gave up';
    };
    const r = await evaluate([{ id: 'a', input: 'q' }], untilThird, [any], {
      progress: false,
      resamples: 10,
      cache: memoryCache(),
    });
    expect(r.examples[0]?.output).toBe('sample 2 after 3');
  });
});

describe('ctx.call with the same request twice in a row', () => {
  it('sends both, and identical requests of different rows share one call', async () => {
    let sent = 0;
    const model = async (input: unknown, ctx: ModelContext) => {
      const ask = () =>
        ctx.call({ request: { q: input } }, async () => ({ value: `answer ${sent++}` })).then((r) => r.value);
      return `${await ask()} ${await ask()}`;
    };
    const cache = memoryCache();
    const rows = [
      { id: 'a', input: 'q' },
      { id: 'b', input: 'q' },
    ];
    const opts = { progress: false, resamples: 10, concurrency: 1 } as const;
    const live = await evaluate(rows, model, [any], { ...opts, cache });
    expect(sent, 'two per row, the second row answered by the first').toBe(2);
    expect(live.examples.map((e) => e.output)).toEqual(['answer 0 answer 1', 'answer 0 answer 1']);
    const replay = await evaluate(rows, model, [any], { ...opts, cache: { store: cache, mode: 'replay' } });
    expect(sent).toBe(2);
    expect(replay.examples.map((e) => e.output)).toEqual(live.examples.map((e) => e.output));
  });
});

describe('a request that failed, made again', () => {
  // The failed call wrote no entry: the request made again after it takes its place, so a rerun (whose first
  // call is answered) and replay find the entry the retry wrote.
  it.each([
    ['ctx.call', 'ctx'],
    ['openai chat.completions.create after a 500', 'openai'],
  ] as const)('%s: the retry is answered again from the cache and in replay', async (_name, via) => {
    let attempts = 0;
    server.setOptions({ faults: (_req, index) => (index === 0 ? { type: '500', status: 500 } : undefined) });
    server.reset();
    const client = wrapOpenAI(new OpenAI({ baseURL: server.url, apiKey: 'k', maxRetries: 0 }));
    const ask = (ctx: ModelContext): Promise<string> =>
      via === 'ctx'
        ? ctx
            .call({ request: { q: 'q' } }, async () => {
              if (attempts++ === 0) throw new Error('the first attempt fails');
              return { value: `answer ${attempts}` };
            })
            .then((r) => r.value)
        : client.chat.completions
            .create({ model: 'm', messages: question })
            .then((r) => r.choices[0]?.message.content ?? '');
    const model = async (_input: unknown, ctx: ModelContext) => {
      try {
        return await ask(ctx);
      } catch {
        return `again: ${await ask(ctx)}`;
      }
    };
    const cache = memoryCache();
    const opts = { progress: false, resamples: 10, retry: { maxRetries: 0 } } as const;
    try {
      const live = await evaluate([{ id: 'a', input: 'q' }], model, [any], { ...opts, cache });
      expect(String(live.examples[0]?.output)).toMatch(/^again: /);
      for (const mode of ['read-write', 'replay'] as const) {
        const again = await evaluate([{ id: 'a', input: 'q' }], model, [any], {
          ...opts,
          cache: { store: cache, mode },
        });
        expect(again.examples[0]?.error).toBeUndefined();
        expect(again.totals.requests).toBe(0);
        expect(again.examples[0]?.output, 'the retry’s answer, now the first call’s').toBe(
          String(live.examples[0]?.output).replace(/^again: /, ''),
        );
      }
    } finally {
      server.setOptions({ faults: undefined });
    }
  });
});
