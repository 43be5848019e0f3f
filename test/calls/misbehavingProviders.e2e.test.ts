// GitHub issue 11: the call runtime against misbehaving providers. Each test starts a small node:http server on
// 127.0.0.1 (or uses a port with nothing listening) and drives the real openai SDK through runtime.call().
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryCache } from '../../src/cache/index.js';
import { attemptsOf, CallEngine } from '../../src/calls/callRuntime.js';
import { ConnectionFailedError, ProviderResponseError, RateLimitError } from '../../src/errors.js';
import { answer, chatSender, client, deadPort, startServer, type TestServer } from './_misbehavingServer.js';

const signal = new AbortController().signal;
const spec = { kind: 'model' as const, exampleId: 'e1' };

let servers: TestServer[] = [];
async function serve(handle: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(handle);
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

function recordSleeps() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

describe('provider waits are capped by retry.maxWaitMs', () => {
  it.each([
    ['retry-after: 3600', { 'retry-after': '3600' }, 3_600_000, '3600000 ms (1 h)'],
    ['retry-after-ms of a day', { 'retry-after-ms': '86400000' }, 86_400_000, '86400000 ms (1 d)'],
    [
      'x-ratelimit-reset-requests of an hour',
      { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1h' },
      3_600_000,
      '3600000 ms (1 h)',
    ],
  ])(
    '%s fails the call at once with a RateLimitError naming retry.maxWaitMs',
    async (_, headers, ms, text) => {
      const server = await serve((_req, res) =>
        answer(res, 429, JSON.stringify({ error: { message: 'slow down' } }), headers),
      );
      const { sleep, waits } = recordSleeps();
      const rt = new CallEngine({ sleep, retry: { maxRetries: 5 } });
      const err = await rt.call(spec, chatSender(client(server.url).openai), signal).catch((e) => e);
      expect(err).toBeInstanceOf(RateLimitError);
      expect(err.message).toBe(
        `Provider asked to wait ${text} before retrying for example "e1", longer than retry.maxWaitMs (60000 ms); gave up after 1 attempt`,
      );
      expect(err.retryAfterMs).toBe(ms);
      expect(err.status).toBe(429);
      expect(err.cause).toBeInstanceOf(OpenAI.RateLimitError);
      expect(server.requests).toBe(1);
      expect(waits).toEqual([]);
      expect(attemptsOf(err)).toBe(1);
    },
  );

  it('a wait up to maxWaitMs is honoured, even above maxMs', async () => {
    const server = await serve((_req, res, n) =>
      n === 0 ? answer(res, 429, '{}', { 'retry-after-ms': '1500' }) : answer(res),
    );
    const { sleep, waits } = recordSleeps();
    const rt = new CallEngine({ sleep, random: () => 0, retry: { maxMs: 100, maxWaitMs: 1500 } });
    const r = await rt.call(spec, chatSender(client(server.url).openai), signal);
    expect(r).toMatchObject({ value: 'Paris', retries: 1 });
    expect(waits).toEqual([1500]);
  });

  it('the concurrency gate hold of an exhausted bucket is capped too', async () => {
    const server = await serve((_req, res, n) =>
      n === 0
        ? answer(res, 429, '{}', { 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '1h' })
        : answer(res),
    );
    const rt = new CallEngine({ concurrency: 4, retry: { maxWaitMs: 30 } });
    const send = chatSender(client(server.url).openai);
    await expect(rt.call(spec, send, signal)).rejects.toBeInstanceOf(RateLimitError);
    // Uncapped, the gate would hold this call for an hour; the guard signal turns that into a failure here.
    const guard = AbortSignal.timeout(10_000);
    const r = await rt.call({ kind: 'model', exampleId: 'e2' }, send, guard);
    expect(r.value).toBe('Paris');
    expect(guard.aborted).toBe(false);
  });

  it.each([
    [
      { maxWaitMs: -1 },
      RangeError,
      'Expected `retry.maxWaitMs` to be a number in [0, Infinity], got `-1` (number)',
    ],
    [
      { maxWaitMs: '1s' },
      TypeError,
      'Expected `retry.maxWaitMs` to be a number in [0, Infinity], got `"1s"` (string)',
    ],
    [
      { maxConsecutiveConnectionFailures: 0 },
      RangeError,
      'Expected `retry.maxConsecutiveConnectionFailures` to be an integer >= 1 (or Infinity), got `0` (number)',
    ],
    [
      { maxConsecutiveConnectionFailures: 2.5 },
      RangeError,
      'Expected `retry.maxConsecutiveConnectionFailures` to be an integer >= 1 (or Infinity), got `2.5` (number)',
    ],
    [{ maxMs: -5 }, RangeError, 'Expected `retry.maxMs` to be a number in [0, Infinity), got `-5` (number)'],
  ])('rejects retry %o', (retry, Err, message) => {
    expect(() => new CallEngine({ retry } as never)).toThrow(new Err(message));
  });
});

describe('connection failures trip the runtime', () => {
  it('connection refused on every call: 100 calls at concurrency 8 fail fast, naming the host, with bounded attempts', async () => {
    const port = await deadPort();
    const { openai, counter } = client(`http://127.0.0.1:${port}/v1`);
    const rt = new CallEngine({ concurrency: 8 }); // default retry: maxRetries 3, baseMs 500, trip after 10
    const send = chatSender(openai);
    const errors = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        rt.call({ kind: 'model', exampleId: `e${i}` }, send, signal).then(
          () => undefined,
          (e: unknown) => e,
        ),
      ),
    );
    for (const err of errors) {
      expect(err).toBeInstanceOf(ConnectionFailedError);
      const e = err as ConnectionFailedError;
      expect(e.code).toBe('E_CONNECTION');
      expect(e.host).toBe(`127.0.0.1:${port}`);
      expect(e.causeCode).toBe('ECONNREFUSED');
      expect(e.failures).toBe(10);
    }
    const first = errors[0] as ConnectionFailedError;
    expect(first.message).toBe(
      `Cannot connect to 127.0.0.1:${port}: ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:${port}); 10 connection failures in a row with no successful call in between (retry.maxConsecutiveConnectionFailures: 10), so no further request is sent`,
    );
    expect(first.exampleId).toBe('e0');
    expect(first.cause).toBeInstanceOf(OpenAI.APIConnectionError);
    // At most the 10 that tripped it plus the 7 others in flight at that moment: nothing is sent afterwards.
    expect(counter.fetches).toBeGreaterThanOrEqual(10);
    expect(counter.fetches).toBeLessThanOrEqual(10 + 8 - 1);
    expect(rt.totals.requests).toBe(counter.fetches);
    // Tripped for the rest of the run: a later call sends nothing.
    await expect(rt.call(spec, send, signal)).rejects.toBeInstanceOf(ConnectionFailedError);
    expect(counter.fetches).toBe(rt.totals.requests);
  });

  it('a response from the server in between resets the count', async () => {
    const live = await serve((_req, res) => answer(res));
    const port = await deadPort();
    const dead = chatSender(client(`http://127.0.0.1:${port}/v1`).openai);
    const ok = chatSender(client(live.url).openai);
    const rt = new CallEngine({ retry: { maxRetries: 0, maxConsecutiveConnectionFailures: 3 } });
    const outcome = (send: typeof ok) =>
      rt.call(spec, send, signal).then(
        (r) => r.value,
        (e: unknown) => (e instanceof ConnectionFailedError ? 'tripped' : (e as Error).constructor.name),
      );
    const seen: string[] = [];
    for (const send of [dead, dead, ok, dead, dead, dead, ok]) seen.push(await outcome(send));
    expect(seen).toEqual([
      'APIConnectionError',
      'APIConnectionError',
      'Paris',
      'APIConnectionError',
      'APIConnectionError',
      'tripped',
      'tripped',
    ]);
    expect(live.requests).toBe(1);
  });

  it('a TLS failure names its cause, and the host from CallSpec.endpoint (TLS errors carry none)', async () => {
    // An https client against a plain-http server: OpenSSL fails the handshake.
    const plain = await serve((_req, res) => answer(res));
    const endpoint = `https://127.0.0.1:${plain.port}/v1`;
    const rt = new CallEngine({ retry: { maxRetries: 5, baseMs: 1, maxConsecutiveConnectionFailures: 2 } });
    const err = await rt
      .call({ ...spec, endpoint }, chatSender(client(endpoint).openai), signal)
      .catch((e) => e);
    expect(err).toBeInstanceOf(ConnectionFailedError);
    expect(err.host).toBe(`127.0.0.1:${plain.port}`);
    expect(err.causeCode).toMatch(/^ERR_SSL_/);
    expect(err.message).toMatch(
      new RegExp(
        `^Cannot connect to 127\\.0\\.0\\.1:${plain.port}: ERR_SSL_\\w+ \\(.*\\); 2 connection failures in a row`,
      ),
    );
    expect(attemptsOf(err)).toBe(2);
  });
});

describe('transient errors from the SDK itself', () => {
  it("the SDK's own timeout (APIConnectionTimeoutError, name 'Error') is retried", async () => {
    const server = await serve((_req, res, n) => {
      if (n > 0) answer(res); // the first request is never answered
    });
    const { openai, counter } = client(server.url, { timeout: 100 });
    const rt = new CallEngine({ timeoutMs: 10_000, retry: { baseMs: 1 } });
    const r = await rt.call(spec, chatSender(openai), signal);
    expect(r).toMatchObject({ value: 'Paris', retries: 1 });
    expect(counter.fetches).toBe(2);
    expect(server.requests).toBe(2);
  });
});

describe('bad bodies are ProviderResponseErrors, retried and never cached', () => {
  it('a truncated body (TypeError: terminated) is retried; the last one surfaces typed, with its cause', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '400' });
      res.write('{"id":"chatcmpl-1","choi');
      setTimeout(() => res.socket?.destroy(), 5);
    });
    const rt = new CallEngine({ retry: { maxRetries: 2, baseMs: 1 } });
    const err = await rt.call(spec, chatSender(client(server.url).openai), signal).catch((e) => e);
    expect(err).toBeInstanceOf(ProviderResponseError);
    expect(err.code).toBe('E_PROVIDER_RESPONSE');
    expect(err.message).toBe(
      'Provider response body was cut off before its end for example "e1" (TypeError: terminated; other side closed [UND_ERR_SOCKET])',
    );
    expect(err.cause).toBeInstanceOf(TypeError);
    expect(err.cause.message).toBe('terminated');
    expect(server.requests).toBe(3);
    expect(attemptsOf(err)).toBe(3);
    expect(rt.totals.retries).toBe(2);
  });

  it('invalid JSON on a 200 (SyntaxError) is retried until a good answer', async () => {
    const server = await serve((_req, res, n) =>
      n === 0 ? answer(res, 200, '{"id": "chatcmpl-1", "choi') : answer(res),
    );
    const store = memoryCache();
    const rt = new CallEngine({ cache: store, retry: { baseMs: 1 } });
    const r = await rt.call({ ...spec, request: { q: 1 } }, chatSender(client(server.url).openai), signal);
    expect(r).toMatchObject({ value: 'Paris', retries: 1, cached: false });
    expect(server.requests).toBe(2);
  });

  it('invalid JSON every time surfaces as a ProviderResponseError with the SyntaxError as cause', async () => {
    const server = await serve((_req, res) => answer(res, 200, 'not json at all'));
    const rt = new CallEngine({ retry: { maxRetries: 1, baseMs: 1 } });
    const err = await rt.call(spec, chatSender(client(server.url).openai), signal).catch((e) => e);
    expect(err).toBeInstanceOf(ProviderResponseError);
    expect(err.cause).toBeInstanceOf(SyntaxError);
    expect(err.message).toBe(
      `Provider response is not valid JSON for example "e1" (SyntaxError: ${err.cause.message})`,
    );
    expect(attemptsOf(err)).toBe(2);
  });

  it.each([
    [
      'a JSON error object on a 200',
      JSON.stringify({ error: { message: 'upstream overloaded', type: 'server_error' } }),
      'upstream overloaded',
      'Provider response (HTTP 200) is an error object: "upstream overloaded"',
    ],
    [
      'a body with no choices',
      JSON.stringify({ id: 'x', object: 'chat.completion', choices: [] }),
      undefined,
      'Provider response (HTTP 200) has no choices: {"id":"x","object":"chat.completion","choices":[]}',
    ],
  ])(
    '%s fails the attempt (providerBodyError): retried, never cached',
    async (_, body, providerMessage, message) => {
      const server = await serve((_req, res, n) => (n < 2 ? answer(res, 200, body) : answer(res)));
      const store = memoryCache();
      const request = { model: 'm', q: 'capital' };
      const failing = new CallEngine({ cache: store, retry: { maxRetries: 1, baseMs: 1 } });
      const send = chatSender(client(server.url).openai);
      const err = await failing.call({ ...spec, request }, send, signal).catch((e) => e);
      expect(err).toBeInstanceOf(ProviderResponseError);
      expect(err.message).toBe(message);
      expect(err.status).toBe(200);
      expect(err.providerMessage).toBe(providerMessage);
      expect(err.bodyExcerpt).toBe(body.slice(0, 200));
      expect(attemptsOf(err)).toBe(2);
      expect((await store.stats()).size).toBe(0);
      // The third request answers properly: that one is cached, and a rerun is a hit.
      const ok = await failing.call({ ...spec, request }, send, signal);
      expect(ok).toMatchObject({ value: 'Paris', cached: false, retries: 0 });
      expect((await failing.call({ ...spec, request }, send, signal)).cached).toBe(true);
      expect(server.requests).toBe(3);
    },
  );
});

describe('attempts are reported on failure', () => {
  it('a call that fails after retries says how many attempts it made, as the totals counted', async () => {
    const server = await serve((_req, res) =>
      answer(res, 503, JSON.stringify({ error: { message: 'busy' } })),
    );
    const rt = new CallEngine({ retry: { maxRetries: 3, baseMs: 1 } });
    const err = await rt.call(spec, chatSender(client(server.url).openai), signal).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect(attemptsOf(err)).toBe(4);
    expect((attemptsOf(err) ?? 0) - 1).toBe(rt.totals.retries);
    expect(rt.totals.retries).toBe(3);
    expect(server.requests).toBe(4);
  });

  it('a call that is not retried made one attempt; values that are not objects have no count', async () => {
    const server = await serve((_req, res) =>
      answer(res, 400, JSON.stringify({ error: { message: 'bad' } })),
    );
    const rt = new CallEngine();
    const err = await rt.call(spec, chatSender(client(server.url).openai), signal).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(attemptsOf(err)).toBe(1);
    expect(attemptsOf(new Error('never thrown by a call'))).toBeUndefined();
    expect(attemptsOf('text')).toBeUndefined();
  });
});
