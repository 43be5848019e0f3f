import { setMaxListeners } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { _chatApi } from './_chat.js';
import { _embeddingsApi } from './_embeddings.js';
import { _bodyHash, _decideRateFault, type _ResolvedFault, _resolveFault } from './_faults.js';
import { _HttpError } from './_httpError.js';
import { _messagesApi } from './_messages.js';
import type { _ModelApi, _ParsedBody, _Wire } from './_modelApi.js';
import { _openaiWire } from './_openaiWire.js';
import { type _Admission, _formatReset, _RateWindow } from './_rateWindow.js';
import { _responsesApi } from './_responses.js';
import { _validateOptions } from './_validateOptions.js';
import type {
  MockFault,
  MockFaultType,
  MockRequest,
  MockRequestLogEntry,
  MockServer,
  MockServerOptions,
  MockStats,
} from './types.js';

/** Mutable form of a log entry. */
type _Entry = { -readonly [K in keyof MockRequestLogEntry]: MockRequestLogEntry[K] };

/** Mutable counters; `inFlight` lives outside because it tracks real open requests across resets. */
interface _Counters {
  requests: number;
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  maxInFlight: number;
  faults: { total: number } & Record<MockFaultType, number>;
  rateLimited: number;
  promptTokens: number;
  completionTokens: number;
}

const _LOGGED_HEADERS = [
  'user-agent',
  'content-type',
  'idempotency-key',
  'x-stainless-retry-count',
  'x-stainless-timeout',
  'anthropic-version',
];

/** The model routes, each a thin adapter over the shared pipeline. */
const _MODEL_APIS: Readonly<Record<string, _ModelApi>> = {
  'POST /v1/chat/completions': _chatApi,
  'POST /v1/responses': _responsesApi,
  'POST /v1/messages': _messagesApi,
  'POST /v1/embeddings': _embeddingsApi,
};

/**
 * Starts an OpenAI- and Anthropic-compatible mock server for offline tests, examples and benchmarks.
 *
 * It serves, in the wire format of the official SDKs:
 * - `POST /v1/chat/completions`: plain and streamed, `n` choices, `logprobs`, tools, `response_format`;
 * - `POST /v1/responses` (OpenAI Responses, the default of `@ai-sdk/openai`): `input` as a string or items,
 *   `instructions`, `text.format`, function `tools` / `tool_choice` (answered as `function_call` items),
 *   `include: ['message.output_text.logprobs']`, and `stream: true` (response.created ... response.completed);
 * - `POST /v1/messages` (Anthropic Messages): `system`, `messages`, required `max_tokens`, `tools` /
 *   `tool_choice` (answered as `tool_use` blocks), `output_config.format`, and `stream: true` (message_start ...
 *   message_stop), with errors as `{ type: 'error', error: { type, message } }` and `anthropic-ratelimit-*`
 *   headers;
 * - `POST /v1/embeddings` (float and base64) and `GET /v1/models`.
 *
 * `new OpenAI({ baseURL: server.url })` and `createOpenAI({ baseURL: server.url })` (`server.url` ends in `/v1`)
 * and `new Anthropic({ baseURL: server.origin })` (the SDK adds `/v1` itself) talk to it unchanged. Unknown
 * routes get a 404 with an OpenAI error body.
 *
 * Every model route is a thin adapter over one pipeline. The body is normalized into the same
 * {@link MockRequest} whatever the API (`request.api` says which): conversation, output format and tools in the
 * chat shape. Answers are deterministic: the `respond` function, else the `table` keyed by the last user message,
 * else the `fallback` (by default an echo of the last user message, shaped as JSON when the request asks for
 * JSON output). A forced tool choice yields a tool call whose arguments are the answer when it is a JSON object,
 * else a minimal instance of the tool's parameter schema. Usage counts tokens with gpt-tokenizer (see
 * {@link countMockTokens}), the same way for every API.
 *
 * Each model request goes through, in order: body validation (400), the `rateLimit` window (429, immediate),
 * fault selection (`faults`), the latency wait (`latencyMs`, cut short when the client disconnects), then the
 * fault or the answer. Nothing is computed for a client that has gone away. The window, the fault sequence
 * (arrival index, or body hash and attempt) and the counters are shared by all model routes.
 *
 * Faults: `'429'` carries `retry-after` (seconds, may be fractional), `retry-after-ms`, and
 * `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` (`anthropic-ratelimit-{requests,tokens}-{limit,
 * remaining,reset}` on `/v1/messages`; limits from `rateLimit`, else 500 requests and 200000 tokens); `'500'`
 * the route's error body; `'hang'` never answers until the client aborts or `close()`; `'malformed'` answers
 * 200 with invalid JSON (or an SSE frame whose data is not JSON); `'disconnect'` destroys the socket. For "some
 * requests fail, retries succeed" use `faults: { rate429: 0.3, faultOnce: true }` (or `keyBy: 'body'`):
 * decisions are keyed by the body's hash and attempt number, so a retry of the same body draws again, whatever
 * the arrival order.
 *
 * The request log records each request's arrival time (`performance.now()` and `Date.now()`), route, status,
 * tokens, parsed body and a redacted API key hint (`Authorization: Bearer` or `x-api-key`); {@link maxInWindow}
 * turns it into peak RPM / TPM.
 *
 * @param options - See {@link MockServerOptions}.
 * @returns A {@link MockServer} that is listening.
 * @throws TypeError / RangeError for malformed options, naming the option; the listen error (e.g. EADDRINUSE).
 * @example
 * ```ts
 * import Anthropic from '@anthropic-ai/sdk';
 * import OpenAI from 'openai';
 * import { startMockServer } from 'evalgate/testing';
 *
 * const server = await startMockServer({ table: { 'Capital of France?': 'Paris' } });
 * const openai = new OpenAI({ baseURL: server.url, apiKey: 'test' });
 * const r = await openai.responses.create({ model: 'mock-model', input: 'Capital of France?' });
 * r.output_text; // => 'Paris'
 * const anthropic = new Anthropic({ baseURL: server.origin, apiKey: 'test' });
 * const m = await anthropic.messages.create({
 *   model: 'mock-model',
 *   max_tokens: 64,
 *   messages: [{ role: 'user', content: 'Capital of France?' }],
 * });
 * m.content[0]; // => { type: 'text', text: 'Paris', citations: null }
 * server.stats.byRoute; // => { '/v1/responses': 1, '/v1/messages': 1 }
 * await server.close();
 * ```
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  _validateOptions(options);
  const { port: requestedPort = 0, host = '127.0.0.1', ...initial } = options;
  let settings: MockServerOptions = initial;

  let inFlight = 0;
  let generation = 0;
  // Resolved when the last open request has closed (close() waits for them so stats are final).
  let idleWaiters: (() => void)[] = [];
  const fresh = (): _Counters => ({
    requests: 0,
    byRoute: {},
    byStatus: {},
    maxInFlight: inFlight,
    faults: { total: 0, '429': 0, '500': 0, hang: 0, malformed: 0, disconnect: 0 },
    rateLimited: 0,
    promptTokens: 0,
    completionTokens: 0,
  });
  let counters = fresh();
  let log: _Entry[] = [];
  let modelIndex = 0;
  const attempts = new Map<string, number>();
  const window = new _RateWindow();
  const serverAbort = new AbortController();
  // Every open request listens on it: many listeners are expected, not a leak.
  setMaxListeners(0, serverAbort.signal);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const at = performance.now();
    const gen = generation;
    const c = counters;
    inFlight++;
    c.requests++;
    if (inFlight > c.maxInFlight) c.maxInFlight = inFlight;
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0];
    const route = _route(method, path);
    const api: _ModelApi | undefined = _MODEL_APIS[`${method} ${route}`];
    const wire: _Wire = api ?? _openaiWire;
    c.byRoute[route] = (c.byRoute[route] ?? 0) + 1;
    const key = _apiKey(req);
    const headers: Record<string, string> = {};
    for (const h of _LOGGED_HEADERS) {
      const v = req.headers[h];
      if (typeof v === 'string') headers[h] = v;
    }
    const entry: _Entry = {
      seq: log.length,
      at,
      wallTime: Date.now(),
      durationMs: undefined,
      method,
      path,
      route,
      status: 0,
      aborted: false,
      fault: undefined,
      promptTokens: 0,
      completionTokens: 0,
      stream: false,
      body: undefined,
      hasApiKey: key !== undefined && key.length > 0,
      apiKeyHint:
        key === undefined ? undefined : key.length <= 8 ? key : `${key.slice(0, 3)}...${key.slice(-4)}`,
      headers,
      error: undefined,
    };
    log.push(entry);

    const ac = new AbortController();
    const signal = ac.signal;
    const onServerAbort = () => ac.abort();
    serverAbort.signal.addEventListener('abort', onServerAbort, { once: true });
    res.on('close', () => {
      inFlight--;
      entry.durationMs = performance.now() - at;
      if (!res.writableFinished) entry.aborted = true;
      if (entry.status === 0 && gen === generation) c.byStatus['0'] = (c.byStatus['0'] ?? 0) + 1;
      serverAbort.signal.removeEventListener('abort', onServerAbort);
      ac.abort();
      if (inFlight === 0) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const w of waiters) w();
      }
    });

    const setStatus = (status: number) => {
      entry.status = status;
      if (gen === generation) c.byStatus[status] = (c.byStatus[status] ?? 0) + 1;
    };
    const writeHead = (status: number, type: string, extra: Record<string, string>, length?: number) => {
      setStatus(status);
      res.writeHead(status, {
        'content-type': type,
        ...(length === undefined ? { 'cache-control': 'no-cache' } : { 'content-length': length }),
        ...wire.responseHeaders(entry.seq, performance.now() - at),
        ...extra,
      });
    };
    const sendText = (status: number, type: string, text: string, extra: Record<string, string> = {}) => {
      if (signal.aborted || res.headersSent) return;
      writeHead(status, type, extra, Buffer.byteLength(text));
      res.end(text);
    };
    const sendJson = (status: number, body: unknown, extra: Record<string, string> = {}) =>
      sendText(status, 'application/json', JSON.stringify(body), extra);
    const sendError = (e: _HttpError) => sendJson(e.status, wire.errorBody(e), { ...e.headers });

    try {
      if (route === 'unknown') throw new _HttpError(404, `Invalid URL (${method} ${path})`);
      if (api === undefined) {
        const models = settings.models ?? ['mock-model', 'mock-embedding'];
        if (route === '/v1/models') {
          sendJson(200, { object: 'list', data: models.map(_modelObject) });
          return;
        }
        const id = decodeURIComponent(path.slice('/v1/models/'.length));
        if (!models.includes(id))
          throw new _HttpError(404, `The model '${id}' does not exist`, 'model', 'model_not_found');
        sendJson(200, _modelObject(id));
        return;
      }

      // Model routes: one pipeline, the API's adapter at each end.
      const raw = await _readBody(req);
      if (signal.aborted) return;
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        throw new _HttpError(400, 'We could not parse the JSON body of your request.');
      }
      if (body === null || typeof body !== 'object' || Array.isArray(body))
        throw new _HttpError(400, 'The request body must be a JSON object.');
      if (settings.logBodies !== false) entry.body = body;
      entry.stream = body.stream === true;
      const parsed: _ParsedBody = api.parse(body);

      const index = modelIndex++;
      const hash = _bodyHash(body);
      const attempt = attempts.get(hash) ?? 0;
      attempts.set(hash, attempt + 1);
      const request: MockRequest = Object.freeze({
        route,
        api: api.api,
        body,
        model: typeof body.model === 'string' ? body.model : '',
        ...parsed.fields,
        choiceIndex: 0,
        index,
        attempt,
        headers: req.headers,
        signal,
      });

      let admission: _Admission | undefined;
      const limits = settings.rateLimit;
      if (limits !== undefined && (limits.rpm !== undefined || limits.tpm !== undefined)) {
        admission = window.admit(at, parsed.promptTokens, limits);
        if (!admission.ok) {
          if (gen === generation) c.rateLimited++;
          entry.fault = 'rate-limit';
          const what = admission.reason === 'tokens' ? 'tokens per min (TPM)' : 'requests per min (RPM)';
          const limit = admission.reason === 'tokens' ? admission.limitTokens : admission.limitRequests;
          sendError(
            new _HttpError(
              429,
              `Rate limit reached for ${request.model || 'the model'} on ${what}: Limit ${limit}. Please try again in ${_formatReset(admission.retryAfterMs)}.`,
              null,
              'rate_limit_exceeded',
              {
                type: admission.reason ?? 'requests',
                headers: { ..._retryHeaders(admission.retryAfterMs), ...api.rateHeaders(admission) },
              },
            ),
          );
          return;
        }
      }

      const fault = _pickFault(settings, request, index, hash, attempt);
      const latency = settings.latencyMs;
      const ms = typeof latency === 'function' ? latency(request) : (latency ?? 0);
      if (typeof ms !== 'number' || !(ms >= 0) || ms === Number.POSITIVE_INFINITY)
        throw new Error(`latencyMs returned ${String(ms)}, expected a finite number >= 0`);
      if (ms > 0) await sleep(ms, signal);
      if (signal.aborted) return;
      if (fault !== undefined) {
        injectFault(api, fault);
        return;
      }

      const outcome = await api.answer({
        request,
        promptTokens: parsed.promptTokens,
        settings,
        created: Math.floor(Date.now() / 1000),
      });
      if (signal.aborted) return;
      if (outcome.fault !== undefined) {
        injectFault(api, _resolveFault(outcome.fault));
        return;
      }
      recordTokens(outcome.promptTokens, outcome.completionTokens, admission);
      const rateHeaders = admission === undefined ? {} : api.rateHeaders(admission);
      if (outcome.events === undefined) {
        sendJson(200, outcome.json, rateHeaders);
        return;
      }
      writeHead(200, 'text/event-stream; charset=utf-8', rateHeaders);
      const delay = settings.streamChunkDelayMs ?? 0;
      for (let i = 0; i < outcome.events.length; i++) {
        if (signal.aborted) return;
        if (i > 0 && delay > 0) await sleep(delay, signal);
        if (signal.aborted) return;
        res.write(outcome.events[i]);
      }
      res.end();
    } catch (error) {
      if (error instanceof _HttpError) {
        sendError(error);
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      entry.error = message;
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendError(
        new _HttpError(
          500,
          `The mock server's option function threw: ${message}`,
          null,
          'mock_function_error',
        ),
      );
    }

    function recordTokens(prompt: number, completion: number, admission: _Admission | undefined): void {
      entry.promptTokens = prompt;
      entry.completionTokens = completion;
      if (gen === generation) {
        c.promptTokens += prompt;
        c.completionTokens += completion;
      }
      if (admission?.entry !== undefined) admission.entry.tokens += completion;
    }

    function injectFault(api: _ModelApi, fault: _ResolvedFault): void {
      entry.fault = fault.type;
      if (gen === generation) {
        c.faults.total++;
        c.faults[fault.type]++;
      }
      switch (fault.type) {
        case '429': {
          const faults = typeof settings.faults === 'object' ? settings.faults : undefined;
          const retryMs = fault.retryAfterMs ?? faults?.retryAfterMs ?? 100;
          const limitTokens = settings.rateLimit?.tpm ?? 200_000;
          const state = {
            limitRequests: settings.rateLimit?.rpm ?? 500,
            remainingRequests: 0,
            resetRequestsMs: retryMs,
            limitTokens,
            remainingTokens: limitTokens,
            resetTokensMs: 0,
          };
          sendError(
            new _HttpError(
              429,
              fault.message ?? 'Rate limit reached for requests (injected by the evalgate mock server).',
              null,
              'rate_limit_exceeded',
              { type: 'requests', headers: { ..._retryHeaders(retryMs), ...api.rateHeaders(state) } },
            ),
          );
          return;
        }
        case '500':
          sendError(
            new _HttpError(
              fault.status ?? 500,
              fault.message ??
                'The server had an error while processing your request. Sorry about that! (injected by the evalgate mock server)',
            ),
          );
          return;
        case 'hang':
          // No response: the request stays open until the client aborts or close() destroys the socket.
          return;
        case 'malformed': {
          const stream = entry.stream;
          sendText(
            200,
            stream ? 'text/event-stream; charset=utf-8' : 'application/json',
            api.malformed(entry.seq, stream),
          );
          return;
        }
        case 'disconnect':
          req.socket.destroy();
          return;
      }
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      // handle() answers its own errors; this only guards against a failure while answering one.
      res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(requestedPort, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost =
    host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;

  const mock: MockServer = {
    url: `http://${urlHost}:${port}/v1`,
    origin: `http://${urlHost}:${port}`,
    port,
    get stats(): MockStats {
      return Object.freeze({
        requests: counters.requests,
        byRoute: Object.freeze({ ...counters.byRoute }),
        byStatus: Object.freeze({ ...counters.byStatus }),
        inFlight,
        maxInFlight: counters.maxInFlight,
        faults: Object.freeze({ ...counters.faults }),
        rateLimited: counters.rateLimited,
        promptTokens: counters.promptTokens,
        completionTokens: counters.completionTokens,
      });
    },
    get requests(): readonly MockRequestLogEntry[] {
      return Object.freeze(log.map((e) => Object.freeze({ ...e })));
    },
    reset(): void {
      generation++;
      counters = fresh();
      log = [];
      modelIndex = 0;
      attempts.clear();
      window.clear();
    },
    setOptions(next): void {
      _validateOptions(next, 'setOptions');
      if ('port' in next || 'host' in next)
        throw new TypeError('`port` and `host` cannot be changed on a running server; start another one');
      const merged: Record<string, unknown> = { ...settings };
      for (const [k, v] of Object.entries(next)) {
        if (v === undefined) delete merged[k];
        else merged[k] = v;
      }
      settings = merged as MockServerOptions;
    },
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        serverAbort.abort();
        server.close(() => {
          if (inFlight === 0) resolve();
          else idleWaiters.push(resolve);
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
  return Object.freeze(mock);
}

/** The route a request matched: a model route for its method, a models route for `GET`, else `'unknown'`. */
function _route(method: string, path: string): string {
  if (method === 'POST' && _MODEL_APIS[`POST ${path}`] !== undefined) return path;
  if (method === 'GET' && path === '/v1/models') return '/v1/models';
  if (method === 'GET' && /^\/v1\/models\/[^/]+$/.test(path)) return '/v1/models/{model}';
  return 'unknown';
}

/** The API key: `Authorization: Bearer <key>` (OpenAI) or `x-api-key` (Anthropic). */
function _apiKey(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '');
  const key = req.headers['x-api-key'];
  return typeof key === 'string' ? key : undefined;
}

function _modelObject(id: string): Record<string, unknown> {
  return { id, object: 'model', created: 1_700_000_000, owned_by: 'evalgate-mock' };
}

function _pickFault(
  settings: MockServerOptions,
  request: MockRequest,
  index: number,
  hash: string,
  attempt: number,
): _ResolvedFault | undefined {
  const faults = settings.faults;
  if (faults === undefined) return undefined;
  let chosen: MockFault | undefined;
  if (typeof faults === 'function') chosen = faults(request, index);
  else {
    chosen = faults.decide?.(request, index);
    chosen ??= _decideRateFault(faults, index, hash, attempt);
  }
  return chosen === undefined ? undefined : _resolveFault(chosen);
}

function _retryHeaders(ms: number): Record<string, string> {
  const rounded = Math.max(0, Math.ceil(ms));
  return { 'retry-after': String(rounded / 1000), 'retry-after-ms': String(rounded) };
}

async function _readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of req) chunks.push(chunk as Buffer);
  } catch {
    // The client went away mid-body; the caller checks its signal.
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Resolves after `ms`, or at once when `signal` aborts (callers check `signal.aborted`). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
