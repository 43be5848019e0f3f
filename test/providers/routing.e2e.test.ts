// Issue 20, item 1: what the every-method test found, each pinned here against a server that counts what it
// receives — a request is counted only once it is sent (an SDK that refuses to build it sends nothing); a poll
// helper finishes inside a run and replays its reads in order; a client made by withOptions() is routed; the query
// an SDK writes into a path is part of the key; nothing is sent after evaluate() returns; no rejection of
// withResponse() / asResponse() goes unhandled; an unwrapped client inside a run is warned about with the right
// advice, and a wrapped client's helpers are not.
import http from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { memoryCache } from '../../src/cache/index.js';
import { evaluate, type Metric, wrapAnthropic, wrapOpenAI } from '../../src/index.js';
import { type MockServer, startMockServer } from '../../src/testing/index.js';
import { startCaptureServer } from './_sdkMethods.js';

let capture: Awaited<ReturnType<typeof startCaptureServer>>;
let mock: MockServer;
/** A server that answers every request with HTTP 401 and counts them. */
let denied: { url: string; count: number; close(): Promise<void> };

beforeAll(async () => {
  capture = await startCaptureServer();
  mock = await startMockServer({ table: { q: 'answer' } });
  let count = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      count++;
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  denied = {
    url: `http://127.0.0.1:${port}/v1`,
    get count() {
      return count;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
});
afterAll(async () => {
  await capture.close();
  await mock.close();
  await denied.close();
});

// Every test here also proves that no rejection went unhandled while it ran.
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(async () => {
  // Rejections are reported after the microtask queue drains: give them a turn of the event loop.
  await new Promise((r) => setTimeout(r, 20));
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

const one: Metric = { name: 'one', kind: 'binary', score: () => 1 };
const rows = [{ id: 'r1', input: 'q' }];
const opts = { progress: false, resamples: 10, retry: { maxRetries: 0 }, maxFailureRate: 1 } as const;
const messages = [{ role: 'user' as const, content: 'q' }];

describe('a request is counted only once it is sent', () => {
  it('an admin method on a client without an admin key throws in the SDK: counted 0, sent 0', async () => {
    const client = wrapOpenAI(new OpenAI({ baseURL: capture.url, apiKey: 'sk-test', maxRetries: 0 }));
    const before = capture.requests.length;
    const r = await evaluate(
      rows,
      async () => JSON.stringify(await client.admin.organization.projects.list()),
      [one],
      opts,
    );
    expect(r.examples[0]!.error?.message).toMatch(/authentication method|adminAPIKey/);
    expect(capture.requests.length - before).toBe(0);
    expect(r.totals.requests).toBe(0);
    expect(r.totals.retries).toBe(0);
  });

  it('the same client with the key sends and counts one request', async () => {
    const client = wrapOpenAI(
      new OpenAI({ baseURL: capture.url, apiKey: 'sk-test', adminAPIKey: 'sk-admin', maxRetries: 0 }),
    );
    const before = capture.requests.length;
    const r = await evaluate(
      rows,
      async () => JSON.stringify(await client.admin.organization.projects.list()),
      [one],
      opts,
    );
    expect(r.examples[0]!.error).toBeUndefined();
    expect(capture.requests.length - before).toBe(1);
    expect(r.totals.requests).toBe(1);
  });
});

describe('poll helpers inside a run', () => {
  it('createAndPoll reads until the status changes, and a rerun and replay play the reads back with 0 requests', async () => {
    capture.reset();
    const client = wrapOpenAI(
      new OpenAI({ baseURL: capture.url, apiKey: 'sk-test', maxRetries: 0, defaultQuery: { t: 'poll' } }),
    );
    const model = async () => {
      const file = await client.vectorStores.files.createAndPoll(
        'vs_1',
        { file_id: 'file_1' },
        { pollIntervalMs: 1 },
      );
      return String(file.status);
    };
    const cache = memoryCache();
    const before = capture.requests.length;
    const first = await evaluate(rows, model, [one], { ...opts, cache, timeoutMs: 5000 });
    expect(first.examples[0]!.output).toBe('completed');
    // One create, a read that is in progress, a read that is completed.
    expect(capture.requests.slice(before).map((r) => r.method)).toEqual(['POST', 'GET', 'GET']);
    expect(first.totals.requests).toBe(3);
    for (const mode of ['read-write', 'replay'] as const) {
      const again = await evaluate(rows, model, [one], { ...opts, cache: { store: cache, mode } });
      expect(again.examples[0]!.output).toBe('completed');
      expect(again.totals).toMatchObject({ requests: 0, cacheHits: 3 });
    }
    expect(capture.requests.length - before).toBe(3);
  });
});

describe('clients made from a wrapped client', () => {
  it('withOptions() returns a routed client: counted, then cached', async () => {
    const client = wrapOpenAI(new OpenAI({ baseURL: mock.url, apiKey: 'sk-test' })).withOptions({
      timeout: 10_000,
    });
    const model = async () =>
      (await client.chat.completions.create({ model: 'mock-model', messages })).choices[0]!.message.content ??
      '';
    const cache = memoryCache();
    const before = mock.stats.requests;
    const first = await evaluate(rows, model, [one], { ...opts, cache });
    expect(first.examples[0]!.output).toBe('answer');
    expect(first.totals.requests).toBe(1);
    const second = await evaluate(rows, model, [one], { ...opts, cache });
    expect(second.totals).toMatchObject({ requests: 0, cacheHits: 1 });
    expect(mock.stats.requests - before).toBe(1);
  });
});

describe('the query an SDK writes into the path is part of the key', () => {
  it('beta.responses.create (/responses?beta=true) and responses.create with one body keep their own entries', async () => {
    const client = wrapOpenAI(new OpenAI({ baseURL: capture.url, apiKey: 'sk-test', maxRetries: 0 }));
    const body = { model: 'mock-model', input: 'same' };
    const cache = memoryCache();
    const before = capture.requests.length;
    const r = await evaluate(
      rows,
      async () => {
        await client.responses.create(body);
        await client.beta.responses.create(body as never);
        return 'ok';
      },
      [one],
      { ...opts, cache },
    );
    expect(r.examples[0]!.error).toBeUndefined();
    expect(capture.requests.slice(before).map((x) => x.path)).toEqual([
      '/v1/responses',
      '/v1/responses?beta=true',
    ]);
    expect(r.totals).toMatchObject({ requests: 2, cacheHits: 0 });
  });
});

describe('after evaluate() returns, nothing is sent', () => {
  const late: Record<string, (c: OpenAI) => PromiseLike<unknown>> = {
    'chat.completions.create': (c: OpenAI) => c.chat.completions.create({ model: 'mock-model', messages }),
    'chat.completions.stream().finalChatCompletion()': (c: OpenAI) =>
      c.chat.completions.stream({ model: 'mock-model', messages }).finalChatCompletion(),
    'withResponse()': (c: OpenAI) =>
      c.chat.completions.create({ model: 'mock-model', messages }).withResponse(),
    'asResponse()': (c: OpenAI) => c.chat.completions.create({ model: 'mock-model', messages }).asResponse(),
    'embeddings.create': (c: OpenAI) => c.embeddings.create({ model: 'mock-embed', input: 'q' }),
  };
  it.each(Object.entries(late))(
    '%s started after the run is refused with RunClosedError',
    async (_n, call) => {
      const client = wrapOpenAI(new OpenAI({ baseURL: mock.url, apiKey: 'sk-test' }));
      let started: Promise<unknown> | undefined;
      await evaluate(
        rows,
        async () => {
          // Started by the row, sent only after the run has returned.
          started = new Promise((r) => setTimeout(r, 30)).then(() => call(client) as Promise<unknown>);
          return 'x';
        },
        [one],
        opts,
      );
      const before = mock.stats.requests;
      const err = await started!.then(
        () => undefined,
        (e: unknown) => e,
      );
      // The stream helpers wrap what the request threw in an OpenAIError whose cause it is.
      const closed =
        (err as { name?: string }).name === 'RunClosedError' ? err : (err as { cause?: unknown }).cause;
      expect(closed).toMatchObject({ name: 'RunClosedError', code: 'E_RUN_CLOSED' });
      expect((err as Error).message).toMatch(/after its evaluate\(\) run had returned; nothing was sent/);
      expect(mock.stats.requests).toBe(before);
    },
  );
});

describe('withResponse() / asResponse() failures are the row’s, never unhandled', () => {
  const shapes = {
    'openai withResponse()': (url: string) => async () => {
      const c = wrapOpenAI(new OpenAI({ baseURL: url, apiKey: 'sk-test' }));
      const { data } = await c.chat.completions.create({ model: 'mock-model', messages }).withResponse();
      return data.choices[0]!.message.content ?? '';
    },
    'openai asResponse()': (url: string) => async () => {
      const c = wrapOpenAI(new OpenAI({ baseURL: url, apiKey: 'sk-test' }));
      const response = await c.chat.completions.create({ model: 'mock-model', messages }).asResponse();
      return String(response.status);
    },
    'anthropic messages.stream()': (url: string) => async () => {
      const c = wrapAnthropic(new Anthropic({ baseURL: url.replace(/\/v1$/, ''), apiKey: 'sk-ant-test' }));
      const msg = await c.messages.stream({ model: 'mock-model', max_tokens: 8, messages }).finalMessage();
      return msg.content[0]?.type === 'text' ? msg.content[0].text : '';
    },
  } as const;

  it.each(Object.entries(shapes))(
    '%s: a 401 fails the row, is sent once and counted once',
    async (_n, model) => {
      const before = denied.count;
      const r = await evaluate(rows, model(denied.url), [one], opts);
      expect(r.examples[0]!.error).toMatchObject({ status: 401 });
      expect(denied.count - before).toBe(1);
      expect(r.totals.requests).toBe(1);
    },
  );

  it.each(Object.entries(shapes))(
    '%s: a replay miss ends the run with ReplayMissError, nothing sent',
    async (_n, model) => {
      const before = mock.stats.requests;
      const err = await evaluate(rows, model(mock.url), [one], {
        ...opts,
        cache: { store: memoryCache(), mode: 'replay' },
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toMatchObject({ name: 'ReplayMissError', code: 'E_REPLAY_MISS' });
      expect(mock.stats.requests).toBe(before);
    },
  );
});

describe('an unwrapped official client inside a run', () => {
  const cacheWarning =
    /the model made no call through evalgate.*wrap its client \(wrapOpenAI, wrapAnthropic, wrapAISDKModel\)/;

  it('is not seen by the run (its request is sent and not counted) and the run says to wrap it', async () => {
    const plain = new OpenAI({ baseURL: mock.url, apiKey: 'sk-test' });
    const before = mock.stats.requests;
    const r = await evaluate(
      rows,
      async () =>
        (await plain.chat.completions.create({ model: 'mock-model', messages })).choices[0]!.message
          .content ?? '',
      [one],
      { ...opts, cache: memoryCache() },
    );
    expect(mock.stats.requests - before).toBe(1);
    expect(r.totals.requests).toBe(0);
    expect(r.warnings?.some((w) => cacheWarning.test(w))).toBe(true);
  });

  it('a wrapped client’s helpers (parse, stream) are counted, and the run does not tell the user to wrap it', async () => {
    const client = wrapOpenAI(new OpenAI({ baseURL: mock.url, apiKey: 'sk-test' }));
    const r = await evaluate(
      rows,
      async () => {
        const parsed = await client.chat.completions.parse({ model: 'mock-model', messages });
        const streamed = await client.chat.completions
          .stream({ model: 'mock-model', messages })
          .finalChatCompletion();
        return `${parsed.choices[0]!.message.content}${streamed.choices[0]!.message.content}`;
      },
      [one],
      { ...opts, cache: memoryCache() },
    );
    expect(r.examples[0]!.output).toBe('answeranswer');
    expect(r.totals.requests).toBe(2);
    expect(r.warnings?.some((w) => /wrap/.test(w)) ?? false).toBe(false);
  });
});
