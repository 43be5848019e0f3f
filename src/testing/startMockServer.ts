import { setMaxListeners } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { _answerChat, _chatPromptTokens, _forcedTool, _validateChatBody } from './_chat.js';
import { _answerEmbeddings, _embeddingInputs } from './_embeddings.js';
import { _bodyHash, _decideRateFault, type _ResolvedFault, _resolveFault } from './_faults.js';
import { _HttpError } from './_httpError.js';
import { type _Admission, _formatReset, _RateWindow } from './_rateWindow.js';
import { _validateOptions } from './_validateOptions.js';
import { _messageText } from './countMockTokens.js';
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
];

/**
 * Starts an OpenAI-compatible mock server for offline tests, examples and benchmarks.
 *
 * It serves `POST /v1/chat/completions` (plain and streamed, `n` choices, `logprobs`, tools, `response_format`),
 * `POST /v1/embeddings` (float and base64) and `GET /v1/models`, in the wire format of the official openai v6
 * SDK, so `new OpenAI({ baseURL: server.url, apiKey: 'test' })` talks to it unchanged. Unknown routes get a 404
 * with an OpenAI error body.
 *
 * Answers are deterministic: the `respond` function, else the `table` keyed by the last user message, else the
 * `fallback` (by default an echo of the last user message, shaped as JSON when `response_format` asks for it).
 * A forced `tool_choice` yields a tool call whose arguments are the answer when it is a JSON object, else a
 * minimal instance of the tool's parameter schema. Usage counts tokens with gpt-tokenizer (see
 * {@link countMockTokens}).
 *
 * Each model request goes through, in order: body validation (400), the `rateLimit` window (429, immediate),
 * fault selection (`faults`), the latency wait (`latencyMs`, cut short when the client disconnects), then the
 * fault or the answer. Nothing is computed for a client that has gone away.
 *
 * Faults: `'429'` carries `retry-after` (seconds, may be fractional), `retry-after-ms`, and
 * `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` (limits from `rateLimit`, else 500 requests and
 * 200000 tokens); `'500'` an OpenAI error body; `'hang'` never answers until the client aborts or `close()`;
 * `'malformed'` answers 200 with invalid JSON; `'disconnect'` destroys the socket. For "some requests fail,
 * retries succeed" use `faults: { rate429: 0.3, faultOnce: true }` (or `keyBy: 'body'`): decisions are keyed
 * by the body's hash and attempt number, so a retry of the same body draws again, whatever the arrival order.
 *
 * The request log records each request's arrival time (`performance.now()` and `Date.now()`), route, status,
 * tokens, parsed body and a redacted API key hint; {@link maxInWindow} turns it into peak RPM / TPM.
 *
 * @param options - See {@link MockServerOptions}.
 * @returns A {@link MockServer} that is listening.
 * @throws TypeError / RangeError for malformed options, naming the option; the listen error (e.g. EADDRINUSE).
 * @example
 * ```ts
 * import OpenAI from 'openai';
 * import { startMockServer } from 'evalgate/testing';
 *
 * const server = await startMockServer({ table: { 'Capital of France?': 'Paris' } });
 * const client = new OpenAI({ baseURL: server.url, apiKey: 'test' });
 * const r = await client.chat.completions.create({
 *   model: 'mock-model',
 *   messages: [{ role: 'user', content: 'Capital of France?' }],
 * });
 * r.choices[0].message.content; // => 'Paris'
 * server.stats.requests; // => 1
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
    c.byRoute[route] = (c.byRoute[route] ?? 0) + 1;
    const auth = req.headers.authorization;
    const key =
      typeof auth === 'string' && /^Bearer\s+/i.test(auth) ? auth.replace(/^Bearer\s+/i, '') : undefined;
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
    const sendJson = (status: number, body: unknown, extra: Record<string, string> = {}) => {
      if (signal.aborted || res.headersSent) return;
      const text = JSON.stringify(body);
      setStatus(status);
      res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
        'x-request-id': `req_mock_${entry.seq}`,
        'openai-processing-ms': String(Math.round(performance.now() - at)),
        ...extra,
      });
      res.end(text);
    };
    const sendError = (e: _HttpError, extra: Record<string, string> = {}) =>
      sendJson(e.status, e.body(), extra);

    try {
      if (route === 'unknown') throw new _HttpError(404, `Invalid URL (${method} ${path})`);
      if (route === '/v1/models') {
        const models = settings.models ?? ['mock-model', 'mock-embedding'];
        sendJson(200, { object: 'list', data: models.map(_modelObject) });
        return;
      }
      if (route === '/v1/models/{model}') {
        const id = decodeURIComponent(path.slice('/v1/models/'.length));
        const models = settings.models ?? ['mock-model', 'mock-embedding'];
        if (!models.includes(id))
          throw new _HttpError(404, `The model '${id}' does not exist`, 'model', 'model_not_found');
        sendJson(200, _modelObject(id));
        return;
      }

      // Model routes: chat completions and embeddings.
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
      const isChat = route === '/v1/chat/completions';
      if (isChat) _validateChatBody(body);
      const promptTokens = isChat ? _chatPromptTokens(body) : _embeddingInputs(body).tokens;

      const index = modelIndex++;
      const hash = _bodyHash(body);
      const attempt = attempts.get(hash) ?? 0;
      attempts.set(hash, attempt + 1);
      const request = _mockRequest(route, body, index, attempt, req, signal, isChat);

      let admission: _Admission | undefined;
      const limits = settings.rateLimit;
      if (limits !== undefined && (limits.rpm !== undefined || limits.tpm !== undefined)) {
        admission = window.admit(at, promptTokens, limits);
        if (!admission.ok) {
          if (gen === generation) c.rateLimited++;
          entry.fault = 'rate-limit';
          const what = admission.reason === 'tokens' ? 'tokens per min (TPM)' : 'requests per min (RPM)';
          const limit = admission.reason === 'tokens' ? admission.limitTokens : admission.limitRequests;
          sendJson(
            429,
            {
              error: {
                message: `Rate limit reached for ${_modelName(body)} on ${what}: Limit ${limit}. Please try again in ${_formatReset(admission.retryAfterMs)}.`,
                type: admission.reason,
                param: null,
                code: 'rate_limit_exceeded',
              },
            },
            { ..._retryHeaders(admission.retryAfterMs), ..._rateHeaders(admission) },
          );
          return;
        }
      }

      const fault = _pickFault(settings, request, index, hash, attempt);
      const latency = settings.latencyMs;
      const ms = typeof latency === 'function' ? latency(request) : (latency ?? 0);
      if (typeof ms !== 'number' || !(ms >= 0) || ms === Number.POSITIVE_INFINITY)
        throw new Error(`latencyMs returned ${String(ms)}, expected a finite number >= 0`);
      if (ms > 0) await _sleep(ms, signal);
      if (signal.aborted) return;
      if (fault !== undefined) {
        injectFault(fault, entry.stream);
        return;
      }

      const rateHeaders = admission === undefined ? {} : _rateHeaders(admission);
      if (isChat) {
        const outcome = await _answerChat(request, settings, Math.floor(Date.now() / 1000));
        if (signal.aborted) return;
        if (outcome.fault !== undefined) {
          injectFault(_resolveFault(outcome.fault), entry.stream);
          return;
        }
        recordTokens(outcome.promptTokens, outcome.completionTokens, admission);
        if (outcome.chunks === undefined) {
          sendJson(200, outcome.completion, rateHeaders);
          return;
        }
        setStatus(200);
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache',
          'x-request-id': `req_mock_${entry.seq}`,
          ...rateHeaders,
        });
        const delay = settings.streamChunkDelayMs ?? 0;
        for (const chunk of outcome.chunks) {
          if (signal.aborted) return;
          res.write(`data: ${JSON.stringify(chunk)}\n\n`);
          if (delay > 0) await _sleep(delay, signal);
        }
        if (!signal.aborted) res.end('data: [DONE]\n\n');
        return;
      }
      const { json, promptTokens: embeddingTokens } = await _answerEmbeddings(request, settings);
      if (signal.aborted) return;
      recordTokens(embeddingTokens, 0, admission);
      sendJson(200, json, rateHeaders);
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
      sendJson(500, {
        error: {
          message: `The mock server's option function threw: ${message}`,
          type: 'server_error',
          param: null,
          code: 'mock_function_error',
        },
      });
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

    function injectFault(fault: _ResolvedFault, stream: boolean): void {
      entry.fault = fault.type;
      if (gen === generation) {
        c.faults.total++;
        c.faults[fault.type]++;
      }
      switch (fault.type) {
        case '429': {
          const faults = typeof settings.faults === 'object' ? settings.faults : undefined;
          const retryMs = fault.retryAfterMs ?? faults?.retryAfterMs ?? 100;
          const limitRequests = settings.rateLimit?.rpm ?? 500;
          const limitTokens = settings.rateLimit?.tpm ?? 200_000;
          sendJson(
            429,
            {
              error: {
                message:
                  fault.message ?? 'Rate limit reached for requests (injected by the evalgate mock server).',
                type: 'requests',
                param: null,
                code: 'rate_limit_exceeded',
              },
            },
            {
              ..._retryHeaders(retryMs),
              'x-ratelimit-limit-requests': String(limitRequests),
              'x-ratelimit-remaining-requests': '0',
              'x-ratelimit-reset-requests': _formatReset(retryMs),
              'x-ratelimit-limit-tokens': String(limitTokens),
              'x-ratelimit-remaining-tokens': String(limitTokens),
              'x-ratelimit-reset-tokens': '0ms',
            },
          );
          return;
        }
        case '500':
          sendJson(fault.status ?? 500, {
            error: {
              message:
                fault.message ??
                'The server had an error while processing your request. Sorry about that! (injected by the evalgate mock server)',
              type: 'server_error',
              param: null,
              code: null,
            },
          });
          return;
        case 'hang':
          // No response: the request stays open until the client aborts or close() destroys the socket.
          return;
        case 'malformed': {
          setStatus(200);
          if (stream) {
            res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
            res.end(`data: {"id": "chatcmpl-mock-${entry.seq}", "choices": [\n\n`);
          } else {
            const text = `{"id": "chatcmpl-mock-${entry.seq}", "object": "chat.completion", "choices": [{"index": 0,`;
            res.writeHead(200, {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(text),
            });
            res.end(text);
          }
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

function _modelName(body: Readonly<Record<string, unknown>>): string {
  return typeof body.model === 'string' ? body.model : 'the model';
}

function _route(method: string, path: string): string {
  if (method === 'POST' && path === '/v1/chat/completions') return '/v1/chat/completions';
  if (method === 'POST' && path === '/v1/embeddings') return '/v1/embeddings';
  if (method === 'GET' && path === '/v1/models') return '/v1/models';
  if (method === 'GET' && /^\/v1\/models\/[^/]+$/.test(path)) return '/v1/models/{model}';
  return 'unknown';
}

function _modelObject(id: string): Record<string, unknown> {
  return { id, object: 'model', created: 1_700_000_000, owned_by: 'evalgate-mock' };
}

function _mockRequest(
  route: string,
  body: Record<string, unknown>,
  index: number,
  attempt: number,
  req: IncomingMessage,
  signal: AbortSignal,
  isChat: boolean,
): MockRequest {
  const messages = (Array.isArray(body.messages) ? body.messages : []) as {
    role?: unknown;
    content?: unknown;
  }[];
  let lastUserMessage = '';
  let systemMessage = '';
  if (isChat) {
    for (let i = messages.length - 1; i >= 0; i--) {
      if (messages[i]?.role === 'user') {
        lastUserMessage = _messageText(messages[i]);
        break;
      }
    }
    const system = messages.find((m) => m?.role === 'system' || m?.role === 'developer');
    systemMessage = system === undefined ? '' : _messageText(system);
  } else {
    const input = body.input;
    lastUserMessage =
      typeof input === 'string'
        ? input
        : Array.isArray(input) && typeof input[0] === 'string'
          ? input[0]
          : '';
  }
  const format = body.response_format;
  return Object.freeze({
    route,
    body,
    model: typeof body.model === 'string' ? body.model : '',
    lastUserMessage,
    systemMessage,
    responseFormat:
      format !== null && typeof format === 'object'
        ? (format as Readonly<Record<string, unknown>>)
        : undefined,
    tools: Array.isArray(body.tools) ? (body.tools as Readonly<Record<string, unknown>>[]) : undefined,
    forcedTool: isChat ? _forcedTool(body) : undefined,
    choiceIndex: 0,
    index,
    attempt,
    headers: req.headers,
    signal,
  });
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

function _rateHeaders(a: _Admission): Record<string, string> {
  const h: Record<string, string> = {};
  if (a.limitRequests !== undefined) {
    h['x-ratelimit-limit-requests'] = String(a.limitRequests);
    h['x-ratelimit-remaining-requests'] = String(a.remainingRequests);
    h['x-ratelimit-reset-requests'] = _formatReset(a.resetRequestsMs);
  }
  if (a.limitTokens !== undefined) {
    h['x-ratelimit-limit-tokens'] = String(a.limitTokens);
    h['x-ratelimit-remaining-tokens'] = String(a.remainingTokens);
    h['x-ratelimit-reset-tokens'] = _formatReset(a.resetTokensMs);
  }
  return h;
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
function _sleep(ms: number, signal: AbortSignal): Promise<void> {
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
