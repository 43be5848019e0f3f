import OpenAI, { type APIError } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { type MockFaultRates, type MockServer, startMockServer } from '../../src/testing/index.js';

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(
  options: Parameters<typeof startMockServer>[0] = {},
  clientOptions: { maxRetries?: number } = {},
) {
  server = await startMockServer(options);
  return {
    server,
    client: new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0, ...clientOptions }),
  };
}

const ask = (client: OpenAI, content = 'x', options: OpenAI.RequestOptions = {}) =>
  client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content }] }, options);

async function until(check: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const t0 = performance.now();
  while (!check()) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('fault injection', () => {
  it('429 carries retry-after, retry-after-ms and x-ratelimit headers as the SDK exposes them', async () => {
    const { server, client } = await start({
      faults: () => ({ type: '429', retryAfterMs: 1500 }),
      rateLimit: { rpm: 1000 },
    });
    const err = await ask(client).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const e = err as APIError;
    expect(e.status).toBe(429);
    expect(e.headers?.get('retry-after')).toBe('1.5');
    expect(e.headers?.get('retry-after-ms')).toBe('1500');
    expect(e.headers?.get('x-ratelimit-limit-requests')).toBe('1000');
    expect(e.headers?.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(e.headers?.get('x-ratelimit-reset-requests')).toBe('1.5s');
    expect(e.headers?.get('x-ratelimit-limit-tokens')).toBe('200000');
    expect(e.headers?.get('x-ratelimit-remaining-tokens')).toBe('200000');
    expect(e.headers?.get('x-ratelimit-reset-tokens')).toBe('0ms');
    expect(e.code).toBe('rate_limit_exceeded');
    expect(server.stats.faults['429']).toBe(1);
    expect(server.stats.faults.total).toBe(1);
    expect(server.requests[0].fault).toBe('429');
  });

  it('uses faults.retryAfterMs (default 100 ms) for rate-based 429s', async () => {
    const { server, client } = await start({ faults: { rate429: 1 } });
    const e1 = (await ask(client).catch((e: unknown) => e)) as APIError;
    expect(e1.headers?.get('retry-after-ms')).toBe('100');
    expect(e1.headers?.get('retry-after')).toBe('0.1');
    server.setOptions({ faults: { rate429: 1, retryAfterMs: 2000 } });
    const e2 = (await ask(client).catch((e: unknown) => e)) as APIError;
    expect(e2.headers?.get('retry-after')).toBe('2');
  });

  it('500 sends an OpenAI error body (and other 5xx statuses on request)', async () => {
    const { server, client } = await start({ faults: () => '500' });
    const err = (await ask(client).catch((e: unknown) => e)) as APIError;
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect(err.status).toBe(500);
    expect(err.type).toBe('server_error');
    expect(err.message).toMatch(/^500 The server had an error/);
    server.setOptions({ faults: () => ({ type: '500', status: 503, message: 'overloaded' }) });
    const e503 = (await ask(client).catch((e: unknown) => e)) as APIError;
    expect(e503.status).toBe(503);
    expect(e503.message).toBe('503 overloaded');
    expect(server.stats.byStatus).toEqual({ '500': 1, '503': 1 });
  });

  it('malformed answers 200 with invalid JSON: the SDK throws, plain and streaming', async () => {
    const { server } = await start({ faults: () => 'malformed' });
    // The SDK logs an unparsable SSE payload before throwing; keep test output clean.
    const client = new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0, logLevel: 'off' });
    await expect(ask(client)).rejects.toThrow(SyntaxError);
    const stream = await client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    const consume = async () => {
      for await (const _ of stream) {
        // drain
      }
    };
    await expect(consume()).rejects.toThrow(SyntaxError);
    expect(server.stats.byStatus['200']).toBe(2);
    expect(server.stats.faults.malformed).toBe(2);
  });

  it('disconnect drops the connection: the SDK reports a connection error', async () => {
    const { server, client } = await start({ faults: () => 'disconnect' });
    const err = await ask(client).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIConnectionError);
    await until(() => server.stats.inFlight === 0, 'the dropped request to close');
    expect(server.stats.byStatus['0']).toBe(1);
  });

  it('hang never answers: the client times out and the server sees the abort', async () => {
    const { server, client } = await start({ faults: () => 'hang' });
    const t0 = performance.now();
    const err = await ask(client, 'x', { timeout: 150 }).catch((e: unknown) => e);
    const elapsed = performance.now() - t0;
    expect(err).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect(elapsed, `timed out after ${elapsed.toFixed(1)} ms`).toBeGreaterThanOrEqual(140);
    await until(() => server.stats.inFlight === 0, 'the hung request to close');
    const entry = server.requests[0];
    expect(entry.aborted).toBe(true);
    expect(entry.status).toBe(0);
    expect(entry.fault).toBe('hang');
  });

  it('close() returns while requests hang, and the clients see connection errors', async () => {
    const { server, client } = await start({ faults: () => 'hang' });
    const pending = Array.from({ length: 3 }, (_, i) => ask(client, `h${i}`).catch((e: unknown) => e));
    await until(() => server.stats.inFlight === 3, 'three hung requests');
    await server.close();
    const errors = await Promise.all(pending);
    for (const e of errors) expect(e).toBeInstanceOf(OpenAI.APIConnectionError);
    expect(server.stats.inFlight).toBe(0);
    await server.close(); // idempotent
  });

  it('does no work for a client that leaves during the latency wait', async () => {
    let calls = 0;
    const { server, client } = await start({
      latencyMs: 300,
      respond: () => {
        calls++;
        return 'late';
      },
    });
    const controller = new AbortController();
    const pending = ask(client, 'x', { signal: controller.signal }).catch((e: unknown) => e);
    await until(() => server.stats.inFlight === 1, 'the request to arrive');
    controller.abort();
    expect(await pending).toBeInstanceOf(OpenAI.APIUserAbortError);
    await until(() => server.stats.inFlight === 0, 'the aborted request to close');
    await new Promise((r) => setTimeout(r, 350));
    expect(calls).toBe(0);
    expect(server.stats.completionTokens).toBe(0);
    expect(server.requests[0].aborted).toBe(true);
  });

  it('gives the same fault sequence for the same seed and a different one for another seed', async () => {
    const rates: MockFaultRates = { rate429: 0.3, rate500: 0.1, seed: 42 };
    const { server, client } = await start({ faults: rates });
    const run = async () => {
      const out: string[] = [];
      for (let i = 0; i < 40; i++) {
        const r = await ask(client, `q${i}`).then(
          () => 'ok',
          (e: APIError) => String(e.status),
        );
        out.push(r);
      }
      return out;
    };
    const first = await run();
    server.reset();
    const second = await run();
    expect(second).toEqual(first);
    const n429 = first.filter((x) => x === '429').length;
    const n500 = first.filter((x) => x === '500').length;
    expect(n429).toBeGreaterThan(0);
    expect(n500).toBeGreaterThan(0);
    expect(n429 + n500).toBeLessThan(40);
    expect(server.stats.faults['429']).toBe(n429);
    server.reset();
    server.setOptions({ faults: { ...rates, seed: 43 } });
    expect(await run()).not.toEqual(first);
  });

  it('faultOnce: 30% of requests get a 429 and every SDK retry succeeds', async () => {
    const { server, client } = await start(
      { faults: { rate429: 0.3, seed: 1, faultOnce: true, retryAfterMs: 1 } },
      { maxRetries: 2 },
    );
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        ask(client, `item ${i}`).then((r) => r.choices[0].message.content),
      ),
    );
    expect(results).toEqual(Array.from({ length: 30 }, (_, i) => `item ${i}`));
    const faults = server.stats.faults['429'];
    expect(faults).toBeGreaterThan(0);
    expect(server.stats.requests).toBe(30 + faults);
    expect(server.stats.byStatus['200']).toBe(30);
    // The SDK's retry counter shows the retried attempts were the faulted bodies' second tries.
    const retried = server.requests.filter((e) => e.headers['x-stainless-retry-count'] === '1');
    expect(retried).toHaveLength(faults);
    expect(retried.every((e) => e.status === 200)).toBe(true);
  });

  it("keyBy 'body' faults the same requests whatever the arrival order", async () => {
    const { server, client } = await start({ faults: { rate500: 0.5, seed: 'abc', keyBy: 'body' } });
    const texts = Array.from({ length: 16 }, (_, i) => `t${i}`);
    const failed = async (order: string[]) => {
      const out = new Set<string>();
      for (const t of order) await ask(client, t).catch(() => out.add(t));
      return out;
    };
    const forward = await failed(texts);
    server.reset();
    const backward = await failed([...texts].reverse());
    expect([...backward].sort()).toEqual([...forward].sort());
    expect(forward.size).toBeGreaterThan(0);
    expect(forward.size).toBeLessThan(16);
  });

  it('a reply may carry a fault, and the fault function sees the arrival index', async () => {
    const indexes: number[] = [];
    const { server, client } = await start({
      faults: (_req, index) => {
        indexes.push(index);
        return undefined;
      },
      respond: (req) => (req.attempt === 0 ? { fault: '500' } : 'second time lucky'),
    });
    await expect(ask(client, 'same')).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    expect((await ask(client, 'same')).choices[0].message.content).toBe('second time lucky');
    expect(indexes).toEqual([0, 1]);
    expect(server.stats.faults['500']).toBe(1);
  });
});
