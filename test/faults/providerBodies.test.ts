// GitHub issue 11, cases 11, 13 and 14: providers that answer 200 with nothing usable (no choices, an error
// object, a body cut off mid-JSON, invalid JSON) or 500 forever, driven through the official openai SDK — via
// openaiModel() and via wrapOpenAI(client) in a custom pipeline — against small servers on 127.0.0.1 that each
// test starts and closes. Every such attempt fails, is retried, is never cached, and the record names a typed
// ProviderResponseError with what the provider said.
import { mkdtempSync, rmSync } from 'node:fs';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { memoryCache, sqliteCache } from '../../src/cache/index.js';
import { type CacheStore, evaluate, type Model, openaiModel, wrapOpenAI } from '../../src/index.js';
import { COMPLETION, startServer, type TestServer } from '../calls/_misbehavingServer.js';

const dir = mkdtempSync(join(tmpdir(), 'evalgate-bodies-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let servers: TestServer[] = [];
async function serve(handle: (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void) {
  const s = await startServer(handle);
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

const json = (body: string) => (_req: http.IncomingMessage, res: http.ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(body);
};
const sdk = (url: string) => new OpenAI({ baseURL: url, apiKey: 'x', maxRetries: 0 });
const retry = { maxRetries: 2, baseMs: 1, maxMs: 2 };
const opts = { retry, resamples: 99, progress: false, maxFailureRate: 1, concurrency: 1 } as const;
const one = [{ id: 'q1', input: 'Capital of France?' }];
const metric = {
  name: 'len',
  kind: 'continuous' as const,
  score: ({ output }: { output: string }) => output.length,
};

/** The two ways a user reaches the SDK: openaiModel(), and a pipeline of their own over a wrapped client. */
const routes: [string, (url: string) => Model][] = [
  ['openaiModel()', (url) => openaiModel({ model: 'm', client: sdk(url) })],
  [
    'wrapOpenAI(client) in a pipeline',
    (url) => {
      const openai = wrapOpenAI(sdk(url));
      return async (input, { signal }) => {
        const res = await openai.chat.completions.create(
          { model: 'm', messages: [{ role: 'user', content: String(input) }] },
          { signal },
        );
        return res.choices[0]?.message.content ?? '';
      };
    },
  ],
];

const EMPTY = JSON.stringify({ id: 'x', object: 'chat.completion', created: 0, model: 'm', choices: [] });
const ERROR_OBJECT = JSON.stringify({ error: { message: 'upstream overloaded', type: 'server_error' } });

describe.each(routes)('%s', (_, modelFor) => {
  it.each<[string, () => CacheStore]>([
    ['memoryCache', () => memoryCache()],
    ['sqliteCache', () => sqliteCache(join(dir, `c-${Math.random().toString(36).slice(2)}.sqlite`))],
  ])('{"choices": []} on 200: failed, retried, never cached (%s)', async (_name, makeCache) => {
    const server = await serve(json(EMPTY));
    const cache = makeCache();
    try {
      const first = await evaluate(one, modelFor(server.url), [metric], { ...opts, cache });
      expect(server.requests).toBe(3);
      const [rec] = first.examples;
      expect(rec!.output).toBeNull();
      expect(rec!.error).toMatchObject({
        name: 'ProviderResponseError',
        code: 'E_PROVIDER_RESPONSE',
        status: 200,
      });
      expect(rec!.error!.message).toContain('"choices":[]');
      expect(rec!.retries).toBe(2);
      expect(first.nFailed).toBe(1);
      expect(await cache.stats()).toMatchObject({ size: 0, writes: 0 });
      // A second run with the same cache sends the request again: nothing was kept for it.
      const second = await evaluate(one, modelFor(server.url), [metric], { ...opts, cache });
      expect(server.requests).toBe(6);
      expect(second.totals.cacheHits).toBe(0);
      expect(await cache.stats()).toMatchObject({ size: 0, writes: 0 });
    } finally {
      await cache.close();
    }
  });

  it('an error object on 200 keeps the provider message and status, and is retried', async () => {
    const server = await serve(json(ERROR_OBJECT));
    const cache = memoryCache();
    const result = await evaluate(one, modelFor(server.url), [metric], { ...opts, cache });
    expect(server.requests).toBe(3);
    const rec = result.examples[0]!;
    expect(rec.error).toEqual({
      name: 'ProviderResponseError',
      code: 'E_PROVIDER_RESPONSE',
      status: 200,
      message:
        'chat.completions.create: Provider response (HTTP 200) is an error object: "upstream overloaded"',
    });
    expect(rec.retries).toBe(2);
    expect((await cache.stats()).size).toBe(0);
  });

  it('an error object on 200 followed by a good answer: the retry succeeds and only it is cached', async () => {
    const server = await serve((req, res, n) => json(n === 0 ? ERROR_OBJECT : COMPLETION)(req, res));
    const cache = memoryCache();
    const result = await evaluate(one, modelFor(server.url), [metric], { ...opts, cache });
    expect(server.requests).toBe(2);
    expect(result.examples[0]).toMatchObject({ output: 'Paris', retries: 1 });
    expect(result.examples[0]!.error).toBeUndefined();
    expect(await cache.stats()).toMatchObject({ size: 1, writes: 1 });
  });

  it.each([
    [
      'a body cut off mid-JSON (socket destroyed)',
      (_req: http.IncomingMessage, res: http.ServerResponse) => {
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': String(COMPLETION.length),
        });
        res.write(COMPLETION.slice(0, COMPLETION.length / 2));
        setTimeout(() => res.destroy(), 5);
      },
      /^Provider response \(HTTP 200\) body was cut off before its end for example "q1" \(/,
    ],
    [
      'invalid JSON on 200',
      json('{"id": "x", "choices": [ oops'),
      /^Provider response \(HTTP 200\) is not valid JSON for example "q1" \(SyntaxError: /,
    ],
  ])('%s: ProviderResponseError, retried maxRetries times', async (_name, handle, message) => {
    const server = await serve(handle);
    const cache = memoryCache();
    const result = await evaluate(one, modelFor(server.url), [metric], { ...opts, cache });
    expect(server.requests).toBe(retry.maxRetries + 1);
    const rec = result.examples[0]!;
    expect(rec.error).toMatchObject({
      name: 'ProviderResponseError',
      code: 'E_PROVIDER_RESPONSE',
      status: 200,
    });
    expect(rec.error!.message).toMatch(message);
    expect(rec.retries).toBe(2);
    expect(result.totals.retries).toBe(2);
    expect((await cache.stats()).size).toBe(0);
  });
});

describe('failed rows record the retries the totals counted', () => {
  it.each(routes)(
    '500 forever, maxRetries 3, through %s: each record says 3, totals say 3 per row',
    async (_, modelFor) => {
      const server = await serve((_req, res) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'boom' } }));
      });
      const rows = [
        { id: 'a', input: 'x' },
        { id: 'b', input: 'y' },
      ];
      const result = await evaluate(rows, modelFor(server.url), [metric], {
        ...opts,
        retry: { maxRetries: 3, baseMs: 1, maxMs: 2 },
      });
      expect(server.requests).toBe(8);
      expect(result.nFailed).toBe(2);
      for (const rec of result.examples) {
        expect(rec.retries).toBe(3);
        expect(rec.error).toMatchObject({ status: 500 });
      }
      expect(result.totals.retries).toBe(6);
    },
  );

  it('a plain model function that throws a retryable error: record and totals agree', async () => {
    let calls = 0;
    const model: Model = async () => {
      calls++;
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    };
    const result = await evaluate(one, model, [metric], {
      ...opts,
      retry: { maxRetries: 3, baseMs: 1, maxMs: 2 },
    });
    expect(calls).toBe(4);
    expect(result.examples[0]!.retries).toBe(3);
    expect(result.totals.retries).toBe(3);
  });
});
