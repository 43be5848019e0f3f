/**
 * Routes every request of an official `openai` or `@anthropic-ai/sdk` client through the run's call runtime, at
 * the one place where the SDK sends: the client's request method (`makeRequest`, which every resource method,
 * helper — `parse`, `stream`, `withResponse`, `asResponse`, pagination — and every method a later SDK version
 * adds goes through). The SDK keeps doing everything else (building the request, auth, parsing, streams), so
 * what the user's code sees is what the SDK makes of the response, whether it came from the network or the cache.
 *
 * Inside a run one request is one runtime call: its cache key is the endpoint (scheme, host and path; the
 * query without secrets; for Azure the deployment and API version) plus the method and body, never a header or
 * the API key. The SDK's own retries are off (the runtime retries); a streamed response is read whole before
 * it is handed to the SDK, so that it can be retried, counted from its own usage, cached and replayed.
 * @module
 */

import { _isCredentialName, _redactError, _requestSecrets } from '../_internal/redactSecrets.js';
import { _sseData } from '../_internal/sseData.js';
import { cacheKey } from '../cache/cacheKey.js';
import type { AbortNotice } from '../calls/abortNotice.js';
import { markNotSent } from '../calls/callRuntime.js';
import {
  activeScope,
  type CallExtra,
  type CallScope,
  runSending,
  SendingRequest,
  scopedCall,
  sendingRequest,
} from '../calls/callScope.js';
import { countPromptTokens } from '../calls/estimateTokens.js';
import { countMediaTokens } from '../calls/mediaTokens.js';
import { asProviderResponseError, providerBodyError, withBilledUsage } from '../calls/providerBodyError.js';
import type { CallRequest, CallResult, Usage } from '../core/types.js';
import { ProviderResponseError } from '../errors.js';
import { _anySignal, _chatKind } from './_wrapClient.js';

/** The request options the SDK's request method receives (the fields evalgate reads). */
interface SdkOptions {
  readonly method?: string;
  readonly path?: string;
  readonly query?: unknown;
  readonly body?: unknown;
  readonly stream?: boolean;
  readonly signal?: AbortSignal | null;
  readonly baseURL?: string;
  readonly defaultBaseURL?: string;
  readonly __binaryResponse?: boolean;
  readonly [k: string]: unknown;
}

/** What the SDK's request method resolves with (its `APIResponseProps`). */
interface ResponseProps {
  readonly response: Response;
  readonly options: SdkOptions;
  readonly controller: AbortController;
  readonly requestLogID: string;
  readonly retryOfRequestLogID: string | undefined;
  readonly startTime: number;
}

type MakeRequest = (
  this: object,
  options: unknown,
  retriesRemaining: number | null,
  retryOfRequestLogID?: string,
  ...rest: unknown[]
) => Promise<ResponseProps>;

/** One response as it is cached: the status, its content type, its request id, and the body. */
interface StoredResponse {
  readonly status: number;
  readonly type: string;
  readonly id?: string;
  /** Parsed JSON for a JSON body; the text otherwise (a stream's whole SSE text). */
  readonly body?: unknown;
  /** A binary body (`audio.speech`, file contents), base64. */
  readonly base64?: string;
}

/** Which SDK a client comes from: the name of its request-id header, and the wording of errors. */
export type _SdkFlavor = 'openai' | 'anthropic';

const routed = new WeakSet<object>();

/** Whether `client` is already routed (wrapping twice is wrapping once). */
export function _isRouted(client: object): boolean {
  return routed.has(client);
}

/**
 * Installs the router on `client` (an own `makeRequest` that, outside a run, is the SDK's own). Mutates the
 * client: a client routed once is routed everywhere, which is what "one call path" asks.
 * @throws {TypeError} When the client has no request method evalgate knows how to route.
 */
export function _routeRequests<C extends object>(client: C, flavor: _SdkFlavor): C {
  if (routed.has(client)) return client;
  const original = (client as { makeRequest?: unknown }).makeRequest;
  if (typeof original !== 'function')
    throw new TypeError(
      `Expected \`client\` to be an official ${flavor === 'openai' ? 'openai (>= 5)' : '@anthropic-ai/sdk'} client with a request method (makeRequest) evalgate can route, got a client without one: its requests could not be counted, cached or limited`,
    );
  const send = original as MakeRequest;
  watchFetch(client);
  watchAbort(client);
  ownMethod(
    client,
    'makeRequest',
    function makeRequest(this: object, optionsInput: unknown, retries: number | null, ...rest: unknown[]) {
      const scope = activeScope();
      if (scope === undefined)
        return send.call(this, optionsInput, retries, ...(rest as [string | undefined]));
      return routedRequest(this, send, flavor, scope, optionsInput, rest.slice(1));
    },
  );
  if (flavor === 'openai') parseHeldBodies(client);
  routeCopies(client, flavor);
  routed.add(client);
  return client;
}

type ParseResponse = (this: unknown, client: unknown, props: ResponseProps) => unknown;

/**
 * Makes the openai client hand its caller, inside a run, the JSON body evalgate has already parsed (a routed
 * response that holds it, see {@link _ReadResponse}) instead of parsing the body's text again: openai 7 reads a
 * JSON body with `text()` and `JSON.parse`, under a body timer of its own, though the body is in memory. Installed
 * as the client's own `parseResponseWithTimeout` (openai 7's one parse of every response its request method and its
 * helpers return; openai 6 has none and reads JSON with `json()`, which already answers with the held value). The
 * value is the one the SDK would have made (`_request_id` set as the SDK sets it); every other response — a
 * stream, a binary body, a shared or cached text, a call whose signal has aborted, a client logging at `debug` or
 * with workload identity — goes to the SDK's own parse.
 */
function parseHeldBodies(client: object): void {
  const parse = (client as { parseResponseWithTimeout?: unknown }).parseResponseWithTimeout;
  if (typeof parse !== 'function') return;
  ownMethod(
    client,
    'parseResponseWithTimeout',
    function parseHeld(this: unknown, c: unknown, props: ResponseProps) {
      return heldBodyOf(c, props) ?? (parse as ParseResponse).call(this, c, props);
    },
  );
}

/** The held JSON body of a routed response, with the request id the SDK adds (`undefined`: the SDK parses). */
function heldBodyOf(client: unknown, props: ResponseProps): Promise<unknown> | undefined {
  const { response, options } = props;
  if (!(response instanceof _ReadResponse) || options.stream === true || options.__binaryResponse === true)
    return undefined;
  const c = client as { logLevel?: unknown; _workloadIdentityAuth?: unknown } | null;
  if (c?.logLevel === 'debug' || c?._workloadIdentityAuth !== undefined || options.signal?.aborted === true)
    return undefined;
  return _ReadResponse.takeHeld(response)?.then((value) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.defineProperty(value, '_request_id', {
          value: response.headers.get('x-request-id'),
          enumerable: false,
        })
      : value,
  );
}

/**
 * Endpoints by base URL, then path (a URL parse per request is a measurable part of a cache hit; two lookups by
 * the strings the request already holds cost less than one by a string joined from them).
 */
const endpoints = new Map<string, Map<string, string>>();

/**
 * Routes the clients `withOptions()` makes from a routed client: a copy with other options (the SDKs' own
 * helpers make one to authenticate differently, e.g. Anthropic's session tool runner and work poller) sends
 * through the run like the client it was made from.
 */
function routeCopies(client: object, flavor: _SdkFlavor): void {
  const withOptions = (client as { withOptions?: unknown }).withOptions;
  if (typeof withOptions !== 'function') return;
  ownMethod(client, 'withOptions', function withOptionsRouted(this: object, ...args: unknown[]) {
    const copy: unknown = withOptions.apply(this, args);
    return copy !== null && typeof copy === 'object' ? _routeRequests(copy, flavor) : copy;
  });
}

/** Gives `client` an own method `name` in place of the SDK's (not enumerable, as the SDK's methods are not). */
function ownMethod(client: object, name: string, value: (this: object, ...args: never[]) => unknown): void {
  Object.defineProperty(client, name, { configurable: true, writable: true, enumerable: false, value });
}

/**
 * Makes the client's `fetch` (the function both SDKs send every request with) note, for the routed request in
 * progress, that the request left: an SDK that throws before it (missing credentials, a rejected path
 * parameter) sent nothing, and the runtime must not count a request.
 */
function watchFetch(client: object): void {
  const c = client as { fetch?: unknown };
  const fetch = c.fetch;
  // A copy made by `withOptions()` inherits the watched fetch.
  if (typeof fetch !== 'function' || watched.has(fetch)) return;
  c.fetch = function fetchWatched(this: unknown, input: unknown, init?: unknown) {
    const mark = sendingRequest();
    if (mark !== undefined) {
      mark.fetched = true;
      mark.sentUrl = input;
      mark.sentInit = init;
      if (mark.attempt !== undefined)
        return (fetch as Fetch).call(this, input, withSignal(init, mark.attempt, mark.controller));
    }
    return (fetch as Fetch).call(this, input, init);
  };
  watched.add(c.fetch as object);
}

/** The functions this module installed in a client (a watched `fetch`, a watched `_makeAbort`): never wrapped again. */
const watched = new WeakSet<object>();

/**
 * Makes the client's `_makeAbort` (with which both SDKs make, for each request, the function that aborts its
 * controller when the caller's signal aborts or its timeout fires) note that controller on the routed request in
 * progress: the attempt can then abort the request's own controller instead of a signal joining the two being
 * made for every request (see {@link withSignal}). A client without one keeps the joined signal.
 */
function watchAbort(client: object): void {
  const c = client as { _makeAbort?: unknown };
  const makeAbort = c._makeAbort;
  if (typeof makeAbort !== 'function' || watched.has(makeAbort)) return;
  const makeAbortWatched = function makeAbortWatched(this: unknown, controller: unknown): unknown {
    const mark = sendingRequest();
    if (mark !== undefined && controller instanceof AbortController) mark.controller = controller;
    return makeAbort.call(this, controller);
  };
  watched.add(makeAbortWatched);
  ownMethod(client, '_makeAbort', makeAbortWatched);
}

/** A `fetch` as the SDKs call it: a URL and its options. */
type Fetch = (input: unknown, init?: unknown) => unknown;

/**
 * Whether the attempt's signal is joined to the SDK's own at the client's `fetch` rather than handed to the SDK
 * as the request's `signal`: openai 7 joins a request's signal with `AbortSignal.any`, which costs ~45 µs a
 * request in Node 20 (weak references the collector has to clear), most of what a live call adds at high
 * concurrency. Only where every request goes through the watched fetch: an openai client without workload
 * identity (its X.509 transport sends through a fetch of its own). Anthropic's SDK joins with a listener.
 */
function linksAtFetch(client: object, flavor: _SdkFlavor): boolean {
  const c = client as { fetch?: unknown; _workloadIdentityAuth?: unknown };
  return (
    flavor === 'openai' &&
    typeof c.fetch === 'function' &&
    watched.has(c.fetch) &&
    c._workloadIdentityAuth === undefined
  );
}

/**
 * The fetch options with a signal that aborts when the SDK's does and when `attempt` does. Where the SDK's signal
 * is that of the request's own controller (`controller`, as the SDK made it known), the attempt aborts that
 * controller and the options are sent as they are; otherwise one controller is made here, when the request
 * leaves, joined to both by listeners (both live as long as the request, so neither keeps anything alive past
 * it). The options object is the one the SDK built for this fetch (both SDKs build one per request), so its
 * signal is replaced in place rather than copied with every other option.
 */
function withSignal(init: unknown, attempt: AbortNotice, controller: AbortController | undefined): unknown {
  const options = (init !== null && typeof init === 'object' ? init : {}) as { signal?: unknown };
  const own = options.signal;
  if (!(own instanceof AbortSignal)) {
    options.signal = attempt.signal;
    return options;
  }
  if (controller !== undefined && controller.signal === own) {
    if (attempt.aborted) controller.abort(attempt.reason);
    else if (!own.aborted) attempt.onAbort((reason) => controller.abort(reason));
    return options;
  }
  const joined = new AbortController();
  if (attempt.aborted || own.aborted) joined.abort(attempt.aborted ? attempt.reason : own.reason);
  else {
    attempt.onAbort((reason) => joined.abort(reason));
    own.addEventListener('abort', () => joined.abort(own.reason), { once: true });
  }
  options.signal = joined.signal;
  return options;
}

/** `https://host:port/base/path`: the endpoint of a request, without user info, query or fragment. */
function endpointOf(client: object, options: SdkOptions): string {
  const base = String(
    options.baseURL ?? (client as { baseURL?: unknown }).baseURL ?? options.defaultBaseURL ?? '',
  );
  const path = String(options.path ?? '');
  let paths = endpoints.get(base);
  if (paths === undefined) {
    if (endpoints.size >= 64) endpoints.clear();
    paths = new Map();
    endpoints.set(base, paths);
  }
  let endpoint = paths.get(path);
  if (endpoint === undefined) {
    endpoint = parseEndpoint(base, path);
    if (paths.size >= 1024) paths.clear();
    paths.set(path, endpoint);
  }
  return endpoint;
}

/**
 * The endpoint of a base URL as a cache key holds it (see {@link parseEndpoint}): scheme, host and path, its query
 * without credential parameters; for a provider that names its base URL itself (the AI SDK's). @internal
 * @example
 * ```ts
 * _baseEndpoint('https://user:pw@example.com/v1?api-version=1&api-key=s'); // => 'https://example.com/v1/?api-version=1'
 * ```
 */
export function _baseEndpoint(base: string): string {
  return parseEndpoint(base, '');
}

function parseEndpoint(base: string, path: string): string {
  if (/^https?:\/\//i.test(path)) return urlEndpoint(path, `${base}${path}`);
  // A base URL holding a query (`…/v1?tenant=a`) sends to another place than one without it: its query, secrets
  // left out, is part of the endpoint, and the path is joined to the base's own path.
  const cut = base.search(/[?#]/);
  const root = cut < 0 ? base : base.slice(0, cut);
  const endpoint = urlEndpoint(`${root.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`, `${base}${path}`);
  return cut < 0 || base[cut] !== '?' ? endpoint : `${endpoint}${baseQuery(base.slice(cut + 1))}`;
}

function urlEndpoint(href: string, fallback: string): string {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return fallback;
  }
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** `?k=v…` of a base URL's own query (before any fragment), secret parameters left out; '' when none is left. */
function baseQuery(query: string): string {
  const kept = new URLSearchParams();
  for (const [k, v] of new URLSearchParams(query.split('#')[0])) if (!_isCredentialName(k)) kept.append(k, v);
  const text = kept.toString();
  return text === '' ? '' : `?${text}`;
}

/**
 * The query parameters that change the response: those in the request's path, the client's default query and
 * the call's, secrets left out.
 */
function queryOf(client: object, options: SdkOptions): Record<string, unknown> | undefined {
  const defaults = (client as { _options?: { defaultQuery?: unknown } })._options?.defaultQuery;
  const out: Record<string, unknown> = {};
  // A query the SDK writes into the path (`/responses?beta=true`) changes the response as much as any other.
  const path = String(options.path ?? '');
  const at = path.indexOf('?');
  if (at >= 0)
    for (const [k, v] of new URLSearchParams(path.slice(at + 1))) if (!_isCredentialName(k)) out[k] = v;
  for (const q of [defaults, options.query])
    if (q !== null && typeof q === 'object')
      for (const [k, v] of Object.entries(q)) if (!_isCredentialName(k) && v !== undefined) out[k] = v;
  return Object.keys(out).length === 0 ? undefined : out;
}

function isPlainBody(body: unknown): body is Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  const proto = Object.getPrototypeOf(body);
  return proto === Object.prototype || proto === null;
}

/** A body the SDK sends as JSON: a plain object, an array, or a JSON scalar (not a file, form or stream). */
function isJsonBody(body: unknown): boolean {
  if (body === null || ['string', 'number', 'boolean'].includes(typeof body)) return true;
  return Array.isArray(body) || isPlainBody(body);
}

/**
 * A header's value in one of the shapes the SDKs take headers in (a record, `[name, value]` rows, a `Headers`, or
 * the SDK's own merged headers `{ values: Headers, nulls: Set }`): a string, `null` where it is removed, `undefined`
 * where it is not mentioned. `name` is lower case.
 */
function headerIn(headers: unknown, name: string): string | null | undefined {
  if (headers === null || typeof headers !== 'object') return undefined;
  const merged = headers as { values?: unknown; nulls?: unknown };
  if (merged.values instanceof Headers && merged.nulls instanceof Set)
    return merged.values.get(name) ?? (merged.nulls.has(name) ? null : undefined);
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  let found: string | null | undefined;
  const rows: Iterable<unknown> = Array.isArray(headers) ? headers : Object.entries(headers);
  for (const row of rows) {
    const [k, v] = row as [unknown, unknown];
    if (typeof k !== 'string' || k.toLowerCase() !== name || v === undefined) continue;
    found = v === null ? null : Array.isArray(v) ? v.join(', ') : String(v);
  }
  return found;
}

/**
 * The `anthropic-beta` header a request is sent with (the call's, else the client's default): it changes what
 * Anthropic answers for the same body (`client.beta.messages.create({ betas })` sends the betas only there), so
 * it is part of the key. `undefined` when none is sent, which keeps the key a request without betas always had.
 */
function anthropicBetaOf(client: object, options: SdkOptions): string | undefined {
  const own = headerIn(options.headers, 'anthropic-beta');
  const beta =
    own !== undefined
      ? own
      : headerIn(
          (client as { _options?: { defaultHeaders?: unknown } })._options?.defaultHeaders,
          'anthropic-beta',
        );
  return beta === null || beta === undefined || beta === '' ? undefined : beta;
}

/** What the cache key is made of, or `undefined` for a request that is not cacheable (an upload, a binary body). */
function requestOf(
  client: object,
  options: SdkOptions,
  flavor: _SdkFlavor,
): Record<string, unknown> | undefined {
  if (options.body !== undefined && !isJsonBody(options.body)) return undefined;
  const c = client as { deploymentName?: unknown; apiVersion?: unknown };
  const query = queryOf(client, options);
  // Built by assignment, in this order (each conditional spread would allocate): one per request.
  const request: Record<string, unknown> = {
    endpoint: endpointOf(client, options),
    method: String(options.method ?? 'get').toLowerCase(),
  };
  if (query !== undefined) request.query = query;
  if (typeof c.deploymentName === 'string') request.deployment = c.deploymentName;
  if (typeof c.apiVersion === 'string') request.apiVersion = c.apiVersion;
  if (flavor === 'anthropic') {
    const beta = anthropicBetaOf(client, options);
    if (beta !== undefined) request.anthropicBeta = beta;
  }
  if (options.body !== undefined) request.body = options.body;
  return request;
}

/** The path an SDK method sends to, without its base (`/chat/completions`, `/v1/messages`). */
function routeOf(options: SdkOptions): string {
  return String(options.path ?? '').replace(/\?.*$/, '');
}

/**
 * The key an earlier evalgate (which wrapped methods, not requests) gave the same call: its body, namespaced by
 * API. Only looked up on a miss, to say once that such entries are ignored.
 */
function legacyKeyOf(flavor: _SdkFlavor, options: SdkOptions, trial: number): string | undefined {
  if (!isPlainBody(options.body) || options.body.stream === true) return undefined;
  const route = routeOf(options);
  const api =
    flavor === 'anthropic'
      ? route.endsWith('/messages')
        ? 'anthropic.messages'
        : null
      : route.endsWith('/chat/completions')
        ? undefined
        : route.endsWith('/responses')
          ? 'openai.responses'
          : route.endsWith('/embeddings')
            ? 'openai.embeddings'
            : null;
  if (api === null) return undefined;
  return cacheKey(options.body, trial, api);
}

/** True for OpenAI chat streams that did not ask for usage (evalgate asks, then hides the usage chunk). */
function wantsHiddenUsage(flavor: _SdkFlavor, options: SdkOptions): boolean {
  if (flavor !== 'openai' || options.stream !== true || !isPlainBody(options.body)) return false;
  if (!routeOf(options).endsWith('/chat/completions')) return false;
  const so = options.body.stream_options;
  return !(
    so !== null &&
    typeof so === 'object' &&
    (so as { include_usage?: unknown }).include_usage === true
  );
}

/**
 * One attempt of a routed request: the SDK sends it with its own retries off, and its response is read whole.
 * The attempt is joined to the request at the client's fetch where it can be (see {@link linksAtFetch}), so that
 * neither the attempt's signal nor a joined one is made before the request leaves; elsewhere it is handed to the
 * SDK as the request's signal.
 */
function sendRouted(routed: Routed, attempt: AbortNotice): Promise<{ value: StoredResponse; usage?: Usage }> {
  const { client, flavor, scope, options } = routed;
  const atFetch = linksAtFetch(client, flavor);
  // A caller's signal the row's scope already follows (openaiModel passes the row's) is not joined again; the
  // scope's signal is compared only when the caller gave one (reading it would make it).
  const own = options.signal == null || options.signal === scope.signal ? undefined : options.signal;
  // Copied with Object.assign, then set: V8 gives each object a spread literal like `{ ...options, signal }` makes
  // here a map of its own (a hidden class per request, held while it is in flight).
  const sent: { -readonly [K in keyof SdkOptions]: SdkOptions[K] } = Object.assign({}, options);
  sent.signal = atFetch ? (own ?? null) : _anySignal(attempt.signal, own);
  sent.maxRetries = 0;
  if (routed.hideUsage) {
    const body = options.body as Record<string, unknown>;
    sent.body = {
      ...body,
      stream_options: { ...(body.stream_options as object | undefined), include_usage: true },
    };
  }
  // Sent through the SDK, then its body read whole: settled by callbacks, not awaits (this is the hot path of a live
  // call, and an async frame held across it costs the collector more than the callbacks).
  const mark = new SendingRequest(atFetch ? attempt : undefined);
  let sending: Promise<ResponseProps>;
  try {
    sending = runSending(mark, callSdk, routed, sent);
  } catch (err) {
    sending = Promise.reject(err);
  }
  routed.mark = mark;
  return sending.then(
    ({ response, controller }) => {
      routed.controller = controller;
      return readRouted(response, routed, attempt);
    },
    (err: unknown) => {
      // An error carrying an HTTP status came from a response: sent, whichever fetch the SDK used (openai's X.509
      // transport sends through a fetch of its own). Otherwise an error before the SDK reached `fetch` sent nothing.
      const status = (err as { status?: unknown } | null)?.status;
      throw hideSecrets(mark.fetched || typeof status === 'number' ? err : markNotSent(err), routed);
    },
  );
}

/**
 * `err` with the credentials of the request it came from hidden in its message (and its causes'): the headers and
 * URL its last attempt left with, and the client's own API key and base URL, whatever the SDK sent them as. A
 * provider's error body may echo the credentials it was sent: they are hidden before anything (a record, a
 * trajectory step, a warning) reads the error.
 */
function hideSecrets(err: unknown, routed: Routed): unknown {
  const c = routed.client as {
    apiKey?: unknown;
    authToken?: unknown;
    adminAPIKey?: unknown;
    baseURL?: unknown;
  };
  const mark = routed.mark;
  const secrets = _requestSecrets(
    mark?.sentUrl,
    (mark?.sentInit as { headers?: unknown } | undefined)?.headers,
    [c.apiKey, c.authToken, c.adminAPIKey, ..._requestSecrets(c.baseURL, undefined)],
  );
  return _redactError(err, secrets);
}

/** The SDK's own request method, sending `sent` with its retries off. */
function callSdk(routed: Routed, sent: SdkOptions): Promise<ResponseProps> {
  return routed.send.call(routed.client, sent, 0, undefined, ...routed.rest);
}

/** A routed response read whole: its body (base64 for a binary one), checked, with its usage. */
function readRouted(
  response: Response,
  routed: Routed,
  attempt: AbortNotice,
): { value: StoredResponse; usage?: Usage } | Promise<{ value: StoredResponse; usage?: Usage }> {
  const { flavor, scope, options } = routed;
  const head = headOf(response, flavor);
  const unreadable = (err: unknown): never => {
    throw hideSecrets(withStatus(err, head.status, scope.exampleId), routed);
  };
  if (head.status === 204) return storedRead(head, '', routed);
  const binary = options.__binaryResponse === true;
  let body: Promise<ArrayBuffer | string>;
  try {
    body = binary
      ? response.arrayBuffer()
      : options.stream === true && response.body !== null
        ? streamBody(response.body, attempt, options.body)
        : response.text();
  } catch (err) {
    return unreadable(err);
  }
  return body.then(
    (read) =>
      typeof read === 'string'
        ? storedRead(head, read, routed)
        : { value: { ...head, base64: Buffer.from(read).toString('base64') } },
    unreadable,
  );
}

/**
 * A stream's body read whole, as `response.text()` reads it. While it is read, an attempt stopped before its end (a
 * stream that stalled until the attempt's timeout) is marked with the tokens of the part that came: the usage it
 * reported so far, else the estimate of the prompt and of that text (see `withBilledUsage`). The provider bills
 * them, and the error the attempt fails with is the runtime's, which the sender never sees.
 */
function streamBody(
  stream: ReadableStream<Uint8Array>,
  attempt: AbortNotice,
  body: unknown,
): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const off = attempt.onAbort(() => {
    text += decoder.decode();
    if (text !== '') withBilledUsage(attempt, _streamUsage(text) ?? estimatedStreamUsage(body, text));
  });
  const next = (): Promise<string> =>
    reader.read().then(
      (chunk) => {
        if (chunk.done) {
          off();
          return text + decoder.decode();
        }
        text += decoder.decode(chunk.value, { stream: true });
        return next();
      },
      (err: unknown) => {
        off();
        throw err;
      },
    );
  return next();
}

/**
 * A body read whole, stored; one that is read but unusable (an error object on a 2xx) fails with an excerpt of it,
 * its credentials hidden.
 */
function storedRead(head: Head, text: string, routed: Routed): { value: StoredResponse; usage?: Usage } {
  const { flavor, scope, options } = routed;
  try {
    return sharedRead(storedOf(head, text, flavor, options, routeOf(options), scope.exampleId));
  } catch (err) {
    throw hideSecrets(err, routed);
  }
}

/** A response read from the network, marked: the calls that joined this one get the same value. */
function sharedRead<R extends { value: StoredResponse }>(read: R): R {
  markShared(read.value);
  return read;
}

/**
 * A request the SDK makes inside a run: one call through the row's scope, answered as the SDK's request method
 * answers. Settled by callbacks, not awaits (see {@link sendRouted}).
 */
function routedRequest(
  client: object,
  send: MakeRequest,
  flavor: _SdkFlavor,
  scope: CallScope,
  optionsInput: unknown,
  rest: unknown[],
): Promise<ResponseProps> {
  return Promise.resolve(optionsInput).then((input) => {
    const options = input as SdkOptions;
    const hideUsage = wantsHiddenUsage(flavor, options);
    return callRouted({
      client,
      send,
      flavor,
      scope,
      options,
      rest,
      hideUsage,
      controller: undefined,
      mark: undefined,
    });
  });
}

/** One request the SDK makes inside a run, as the router holds it while the call is made. */
interface Routed {
  readonly client: object;
  /** The SDK's own request method. */
  readonly send: MakeRequest;
  readonly flavor: _SdkFlavor;
  readonly scope: CallScope;
  readonly options: SdkOptions;
  /** Arguments of the SDK's request method after its first three, passed on as they came. */
  readonly rest: unknown[];
  /** An OpenAI chat stream that did not ask for usage: evalgate asks, and hides the usage chunk. */
  readonly hideUsage: boolean;
  /**
   * The controller the SDK made for the last response this request read from the network: handed back with that
   * response, as the SDK's own request method would, rather than a new one (an abort controller is one of the
   * costlier objects of a live call in Node 20).
   */
  controller: AbortController | undefined;
  /** The mark of its last attempt: what its fetch sent, read when it fails (see {@link hideSecrets}). */
  mark: SendingRequest | undefined;
}

function callRouted(routed: Routed): Promise<ResponseProps> {
  const { client, flavor, scope, options } = routed;
  const route = routeOf(options);
  const request = requestOf(client, options, flavor);
  const body = isPlainBody(options.body) ? options.body : undefined;
  const model = typeof body?.model === 'string' ? body.model : undefined;
  const startTime = Date.now();
  // Built by assignment (a conditional spread allocates): this runs once per request.
  const call: { -readonly [K in keyof CallRequest]: CallRequest[K] } = {
    kind: route.endsWith('/embeddings') ? 'embedding' : _chatKind(scope),
  };
  if (request !== undefined) call.request = request;
  if (model !== undefined) call.model = model;
  const extra: { -readonly [K in keyof CallExtra<StoredResponse>]: CallExtra<StoredResponse>[K] } = {
    // Hashed only when a miss looks for an entry of the earlier key format.
    legacyKeyOf: () => legacyKeyOf(flavor, options, scope.trial),
  };
  if (body !== undefined) extra.tokenSource = body;
  // Only a trajectory recorder looks at it: nothing is built for it otherwise.
  if (scope.observe !== undefined)
    extra.observeAs = {
      request: options.body,
      api: observedApi(flavor, route),
      response: (stored: StoredResponse) => stored.body,
    };
  return scopedCall<StoredResponse, ResponseProps>(
    scope,
    call,
    {
      send: (attempt) => sendRouted(routed, attempt),
      // The SDK is called under runSending, outside every scope: a client it calls sends, not routes again.
      leavesScope: true,
    },
    extra,
    (result) => responsePropsOf(result, routed, startTime),
  );
}

/** What the SDK's request method resolves with, for a routed call's result (from the network or the cache). */
function responsePropsOf(
  result: CallResult<StoredResponse>,
  routed: Routed,
  startTime: number,
): ResponseProps {
  const { flavor, scope, options, hideUsage } = routed;
  const stored = result.value;
  const json = ownJsonBody(stored, result.cached, options, scope);
  const text =
    json !== undefined
      ? null
      : stored.base64 !== undefined
        ? Buffer.from(stored.base64, 'base64')
        : typeof stored.body === 'string'
          ? hideUsage
            ? _hideStreamUsage(stored.body)
            : stored.body
          : stored.body === undefined
            ? null
            : (bodyTextOf(stored) ?? JSON.stringify(stored.body));
  const headers: Record<string, string> = { 'content-type': stored.type };
  if (stored.id !== undefined) headers[flavor === 'anthropic' ? 'request-id' : 'x-request-id'] = stored.id;
  const init = { status: stored.status, headers };
  const response =
    json !== undefined
      ? new _ReadResponse({ json, text: bodyTextOf(stored) }, init)
      : stored.status === 204 || text === null
        ? new Response(null, init)
        : typeof text === 'string' && options.stream !== true
          ? new _ReadResponse(text, init)
          : new Response(text, init);
  return {
    response,
    options,
    controller: (result.cached ? undefined : routed.controller) ?? new AbortController(),
    requestLogID: 'log_evalgate',
    retryOfRequestLogID: undefined,
    startTime,
  };
}

/**
 * Marks a stored response an SDK call may hold the body of: one that came from the network (the calls that joined
 * an identical call in flight share its value), or one already handed out once. A symbol-keyed property rather
 * than a WeakSet entry, which costs the collector on every call (`JSON` and `structuredClone` leave it out, so no
 * store keeps it); a response a store froze is remembered in {@link sharedFrozen}.
 */
const SHARED: unique symbol = Symbol('evalgate.shared');

/**
 * The text a JSON body came in from the network, kept on the stored response under this key: what the calls
 * that joined an identical call in flight are given (the caller of the call that sent it holds the parsed body,
 * and may change it), and what `text()` of the sender's own response returns. Never the cache's copy: the store
 * wrote its own when the call ended.
 */
const TEXT: unique symbol = Symbol('evalgate.text');

/** A stored response with the marks this module gives it. */
type Marked = StoredResponse & { [SHARED]?: true; [TEXT]?: string };

const sharedFrozen = new WeakSet<object>();

function markShared(stored: StoredResponse): void {
  if (Object.isExtensible(stored)) (stored as Marked)[SHARED] = true;
  else sharedFrozen.add(stored);
}

function isShared(stored: StoredResponse): boolean {
  return (stored as Marked)[SHARED] === true || sharedFrozen.has(stored);
}

function bodyTextOf(stored: StoredResponse): string | undefined {
  return (stored as Marked)[TEXT];
}

/**
 * The parsed JSON body when this call may hand it to the SDK as is (`undefined` otherwise): a 2xx JSON body,
 * not a stream, not one a trajectory recorder was shown, and either this call's own response from the network
 * (the cache, when on, stored its text when the call ended, and the calls that joined it read that text), or a
 * value the store has just read for this call alone — not one shared with an identical call in flight, not one
 * handed out before (a store that keeps objects). Every other response is given as text for the SDK to parse.
 */
function ownJsonBody(
  stored: StoredResponse,
  cached: boolean,
  options: SdkOptions,
  scope: CallScope,
): object | undefined {
  const body = stored.body;
  if (body === null || typeof body !== 'object' || options.stream === true) return undefined;
  if (stored.status < 200 || stored.status > 299 || stored.status === 204) return undefined;
  if (scope.observe !== undefined) return undefined;
  if (!cached) return body;
  if (isShared(stored)) return undefined;
  markShared(stored);
  return body;
}

/**
 * A response whose body has been read whole already (evalgate reads it to retry, count and cache it): `text()`
 * and `json()` answer from the text without building a body stream, which is most of what a cache hit would
 * cost the SDK otherwise. `body` and the other readers still work, from a stream made when asked for.
 *
 * Built with `{ json }` instead of a text, it holds a JSON value no one else holds (a cache entry just parsed
 * from the store, or the call's own response): `json()` returns that value itself, and the text — the one the
 * response came in, when given, else written from the value — only if something asks for it (`text()`, `body`,
 * `clone()`), so a body is not serialized for an SDK that reads JSON with `json()` (openai 6, @anthropic-ai/sdk)
 * to parse it back. openai 7 reads `text()` and parses that: it gets the text.
 * @internal
 */
export class _ReadResponse extends Response {
  #text: string | undefined;
  /** Whether `json()` hands out `#json` itself (built from a value, not a text). */
  readonly #holds: boolean;
  readonly #json: unknown;
  readonly #init: { status: number; headers: Record<string, string> };
  #used = false;
  #body: ReadableStream<Uint8Array> | null | undefined;

  constructor(
    body: string | { readonly json: unknown; readonly text?: string | undefined },
    init: { status: number; headers: Record<string, string> },
  ) {
    super(null, init);
    this.#holds = typeof body !== 'string';
    if (typeof body === 'string') this.#text = body;
    else {
      this.#json = body.json;
      this.#text = body.text;
    }
    this.#init = init;
  }

  /**
   * The held JSON value, as `json()` gives it, when `r` was built with one and its body is unread; `undefined`
   * otherwise (the body is then read as any response's).
   */
  static takeHeld(r: _ReadResponse): Promise<unknown> | undefined {
    if (!r.#holds || r.#used || r.#body !== undefined) return undefined;
    r.#used = true;
    return Promise.resolve(r.#json);
  }

  /** The body's text (written from the held value the first time it is needed). */
  #textOf(): string {
    if (this.#text === undefined) this.#text = JSON.stringify(this.#json);
    return this.#text;
  }

  static {
    // Response's readers are declared as properties in the DOM types: replaced here on the prototype.
    const take = (r: _ReadResponse): void => {
      if (r.#used || r.#body?.locked === true)
        throw new TypeError('Body is unusable: Body has already been read');
      r.#used = true;
    };
    const methods: Record<string, (this: _ReadResponse) => unknown> = {
      async text() {
        take(this);
        return this.#textOf();
      },
      async json() {
        // The held value is handed out once (the body is then used; a clone is a copy made from its text), so
        // nothing else sees the caller's changes.
        take(this);
        return this.#holds ? this.#json : JSON.parse(this.#text as string);
      },
      async arrayBuffer() {
        take(this);
        return new Response(this.#textOf()).arrayBuffer();
      },
      async blob() {
        take(this);
        return new Response(this.#textOf()).blob();
      },
      async bytes() {
        take(this);
        return new Uint8Array(await new Response(this.#textOf()).arrayBuffer());
      },
      async formData() {
        take(this);
        return new Response(this.#textOf(), this.#init).formData();
      },
      clone() {
        if (this.#used) throw new TypeError('Response.clone: Body has already been consumed.');
        return new _ReadResponse(this.#textOf(), this.#init);
      },
    };
    for (const [name, value] of Object.entries(methods))
      Object.defineProperty(_ReadResponse.prototype, name, { configurable: true, writable: true, value });
    Object.defineProperty(_ReadResponse.prototype, 'bodyUsed', {
      configurable: true,
      get(this: _ReadResponse) {
        return this.#used || this.#body?.locked === true;
      },
    });
    // A stream of the text, made the first time it is asked for (once it is read, so is the body).
    Object.defineProperty(_ReadResponse.prototype, 'body', {
      configurable: true,
      get(this: _ReadResponse) {
        if (this.#body === undefined) this.#body = new Response(this.#textOf()).body;
        return this.#body;
      },
    });
  }
}

/** A body that failed to arrive or parse, as a {@link ProviderResponseError} that carries the status. */
function withStatus(err: unknown, status: number, exampleId: string): unknown {
  const converted = asProviderResponseError(err, exampleId);
  if (converted === undefined) return err;
  return new ProviderResponseError(
    converted.message.replace(/^Provider response/, `Provider response (HTTP ${status})`),
    { status, cause: err, exampleId },
  );
}

/** The status, content type and request id of a response: what is stored of it besides the body. */
interface Head {
  readonly status: number;
  readonly type: string;
  readonly id?: string;
}

/** The {@link Head} of a response from the network. */
function headOf(response: Response, flavor: _SdkFlavor): Head {
  const status = response.status;
  const type = response.headers.get('content-type') ?? '';
  const id = response.headers.get(flavor === 'anthropic' ? 'request-id' : 'x-request-id');
  return id === null ? { status, type } : { status, type, id };
}

/**
 * The stored response of `head` and `body`, built as a literal: a literal that spreads an object before its own
 * properties (`{ ...head, body }`) takes a slow path in Node 20's V8 (~0.7 µs, ~3 µs once a mark is added to it), on
 * every call.
 */
function storedValue(head: Head, body: unknown): Marked {
  return head.id === undefined
    ? { status: head.status, type: head.type, body }
    : { status: head.status, type: head.type, id: head.id, body };
}

/** A response read whole (`text`), checked to hold something usable, with its usage. */
function storedOf(
  head: Head,
  text: string,
  flavor: _SdkFlavor,
  options: SdkOptions,
  route: string,
  exampleId: string,
): { value: StoredResponse; usage?: Usage } {
  const { status, type } = head;
  if (options.stream === true) {
    // A stream that failed after its status 200 is a failed attempt, but its prompt was read and its part generated:
    // the provider bills them, so the error carries the tokens for the runtime to count.
    const billed = () => _streamUsage(text) ?? estimatedStreamUsage(options.body, text);
    const failure = streamError(text);
    if (failure !== undefined)
      throw withBilledUsage(
        providerBodyError(failure, { status, reason: 'an error event in its stream' }),
        billed(),
      );
    const last = missingLastEvent(text, flavor, route);
    if (last !== undefined)
      throw withBilledUsage(
        new ProviderResponseError(
          `Provider stream (HTTP ${status}) of ${apiName(flavor, route)} for example "${exampleId}" ended before its last event (${last}): only part of the answer came`,
          { status, exampleId },
        ),
        billed(),
      );
    return { value: storedValue(head, text), usage: billed() };
  }
  const semicolon = type.indexOf(';');
  const mediaType = (semicolon < 0 ? type : type.slice(0, semicolon)).trim();
  if (!(mediaType.includes('application/json') || mediaType.endsWith('+json')) || text === '')
    return { value: storedValue(head, status === 204 ? undefined : text) };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw withStatus(err, status, exampleId);
  }
  checkContent(json, flavor, options, route, status);
  const usage = _jsonUsage(json);
  const value = storedValue(head, json);
  value[TEXT] = text;
  return usage === undefined ? { value } : { value, usage };
}

/** The API label a trajectory step carries for a route (`openai.chat` is told from its body). */
function observedApi(flavor: _SdkFlavor, route: string): string | undefined {
  if (flavor === 'anthropic') return route.endsWith('/messages') ? 'anthropic.messages' : undefined;
  if (route.endsWith('/responses')) return 'openai.responses';
  if (route.endsWith('/embeddings')) return 'openai.embeddings';
  return undefined;
}

/** The name of the SDK method behind a route, for messages. */
function apiName(flavor: _SdkFlavor, route: string): string {
  if (flavor === 'anthropic') return route.endsWith('/messages') ? 'messages.create' : route;
  for (const name of ['chat/completions', 'responses', 'embeddings'])
    if (route.endsWith(`/${name}`)) return `${name.replace('/', '.')}.create`;
  return route;
}

/**
 * Finish reasons with which a chat completion's message may hold nothing (no content, tool call, refusal or audio)
 * and still be the model's answer: the content filter withheld it (Azure OpenAI answers `content: null`), or the
 * token budget ran out first (a reasoning model can spend all of it on reasoning). `stop`, `tool_calls` and
 * `function_call` each promise something in the message, so a message without it is not an answer.
 */
const EMPTY_CHAT_FINISH: ReadonlySet<unknown> = new Set(['length', 'content_filter']);

/**
 * Whether a chat completion's choice is an answer: its message holds content (`''` included), a tool or function
 * call, a refusal or audio output (`modalities: ['audio']`: `content` is `null`, the answer is `message.audio`),
 * or it is empty with a finish reason that says why ({@link EMPTY_CHAT_FINISH}).
 */
function chatChoiceAnswers(choice: unknown): boolean {
  const c = (choice ?? {}) as { message?: unknown; finish_reason?: unknown };
  if (c.message === null || typeof c.message !== 'object') return false;
  const m = c.message as Record<string, unknown>;
  const present = (v: unknown) => v !== null && typeof v === 'object';
  return (
    typeof m.content === 'string' ||
    (Array.isArray(m.tool_calls) && m.tool_calls.length > 0) ||
    typeof m.refusal === 'string' ||
    present(m.audio) ||
    present(m.function_call) ||
    EMPTY_CHAT_FINISH.has(c.finish_reason)
  );
}

/**
 * Statuses with which a response may have no output item yet and still be the API's answer: `incomplete` (its token
 * budget or content filter stopped it first), and the states of a background response (`background: true`):
 * `queued` and `in_progress` (the answer to `create`, polled with `retrieve` afterwards), `cancelled`. Retrying one
 * would start another background job, paid for again. `completed` promises output; `failed` carries its error.
 */
const EMPTY_RESPONSE_STATUS: ReadonlySet<unknown> = new Set([
  'incomplete',
  'queued',
  'in_progress',
  'cancelled',
]);

/**
 * Whether a message without content blocks is an answer: it says why it stopped (`stop_reason`, never `null` in a
 * whole message). The model may have nothing to add (`end_turn` after an assistant prefill or a tool result, a
 * stop sequence first), run out of tokens or context, paused, or refused; only `tool_use` promises a block.
 */
function emptyMessageAnswers(stopReason: unknown): boolean {
  return typeof stopReason === 'string' && stopReason !== 'tool_use';
}

/**
 * Fails the attempt on a 2xx body without anything usable (retried, never cached): a JSON error object, a chat
 * completion without a choice or whose first choice has no message, or an empty message that ended with `stop`,
 * `tool_calls` or `function_call`; a response without an `output` list, or with an empty one unless its status
 * says why ({@link EMPTY_RESPONSE_STATUS}); fewer embeddings than inputs; a message without a `content` list, or with an empty one and no
 * `stop_reason` (or `tool_use`). What the API documents as an answer is one, even when it holds no text: a chat
 * completion cut by its content filter or its token budget (`content: null`), one with audio output, a response
 * `incomplete` before its first output item or a background one still `queued`, a message that ended with no content blocks. Those are the model's
 * answer (a metric scores them; a retry would pay for the same answer again), so they are kept and cached.
 */
function checkContent(
  json: unknown,
  flavor: _SdkFlavor,
  options: SdkOptions,
  route: string,
  status: number,
): void {
  const api = apiName(flavor, route);
  const fail = (reason: string) => {
    const err = providerBodyError(json, { status, reason });
    return new ProviderResponseError(`${api}: ${err.message}`, {
      status,
      ...(err.providerMessage === undefined ? {} : { providerMessage: err.providerMessage }),
      ...(err.bodyExcerpt === undefined ? {} : { bodyExcerpt: err.bodyExcerpt }),
    });
  };
  const o = (json ?? {}) as Record<string, unknown>;
  const error = o.error;
  if (error !== null && error !== undefined && typeof error === 'object' && !('id' in o))
    throw fail('an error');
  if (String(options.method ?? '').toLowerCase() !== 'post') return;
  if (flavor === 'openai' && route.endsWith('/chat/completions')) {
    if (!Array.isArray(o.choices) || !chatChoiceAnswers(o.choices[0])) throw fail('no choice with content');
  } else if (flavor === 'openai' && route.endsWith('/responses')) {
    if (!Array.isArray(o.output) || (o.output.length === 0 && !EMPTY_RESPONSE_STATUS.has(o.status)))
      throw fail('no output');
  } else if (flavor === 'openai' && route.endsWith('/embeddings')) {
    const input = (options.body as { input?: unknown } | undefined)?.input;
    const want = Array.isArray(input) ? input.length : 1;
    if (!Array.isArray(o.data) || o.data.length !== want)
      throw new ProviderResponseError(
        `embeddings.create: expected ${want} embeddings, got ${Array.isArray(o.data) ? o.data.length : 'none'}`,
        { status },
      );
  } else if (flavor === 'anthropic' && route.endsWith('/messages')) {
    if (!Array.isArray(o.content) || (o.content.length === 0 && !emptyMessageAnswers(o.stop_reason)))
      throw new ProviderResponseError('messages.create: the response has no content', {
        status,
        bodyExcerpt: String(JSON.stringify(json)).slice(0, 200),
      });
  }
}

/** Token counts of a usage object in any of the SDKs' shapes (`prompt_tokens`, `input_tokens`, …). */
function usageFields(u: unknown): { input?: number; output?: number } | undefined {
  if (u === null || typeof u !== 'object') return undefined;
  const r = u as Record<string, unknown>;
  const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
  const input = num(r.prompt_tokens) ?? num(r.input_tokens);
  const output = num(r.completion_tokens) ?? num(r.output_tokens);
  return input === undefined && output === undefined
    ? undefined
    : ({ input, output } as { input?: number; output?: number });
}

/** The usage a JSON response reports. @internal */
export function _jsonUsage(json: unknown): Usage | undefined {
  const u = usageFields((json as { usage?: unknown } | null)?.usage);
  return u === undefined ? undefined : { inputTokens: u.input ?? 0, outputTokens: u.output ?? 0 };
}

/** The JSON objects of an SSE text's events (`[DONE]` and data that is not JSON left out; see {@link _sseData}). */
function* sseData(text: string): Generator<Record<string, unknown>> {
  for (const event of _sseData(text)) {
    const data = event.trim();
    if (data === '' || data === '[DONE]') continue;
    try {
      const v = JSON.parse(data);
      if (v !== null && typeof v === 'object') yield v as Record<string, unknown>;
    } catch {
      // An event that is not JSON: the SDK reports it to the user's code; there is no usage in it.
    }
  }
}

/**
 * What a stream of a known API lacks when its connection ended cleanly before its last event (a proxy's idle
 * timeout, a server gone between chunks): the SDK would hand the part that came to the user's code as the answer.
 * A chat (or completions) stream ends with a `finish_reason` and `[DONE]`, a Responses stream with
 * `response.completed` (or `.incomplete` / `.failed`), an Anthropic message stream with `message_stop`.
 * `undefined` when the stream is whole, or of another API (not checked).
 */
function missingLastEvent(text: string, flavor: _SdkFlavor, route: string): string | undefined {
  if (flavor === 'anthropic')
    return !route.endsWith('/messages') || /"type"\s*:\s*"message_stop"/.test(text)
      ? undefined
      : 'message_stop';
  if (route.endsWith('/completions'))
    return /^data:\s*\[DONE\]/m.test(text) || /"finish_reason"\s*:\s*"/.test(text)
      ? undefined
      : 'a finish_reason or [DONE]';
  if (route.endsWith('/responses'))
    return /"type"\s*:\s*"response\.(?:completed|incomplete|failed)"/.test(text)
      ? undefined
      : 'response.completed';
  return undefined;
}

/**
 * The error event of a stream that failed after it started (the status was 200): Anthropic's `event: error`
 * (`overloaded_error` mid-stream), an OpenAI chunk `{ "error": … }`, a Responses `{ "type": "error" }` event. The SDK
 * throws when it reads one, so the stream is not an answer: a failed attempt, retried, never cached. `undefined`
 * when the stream has none (most streams: looked for only when the text mentions an error).
 */
function streamError(text: string): Record<string, unknown> | undefined {
  if (!text.includes('error')) return undefined;
  let named = false;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '')
      named = false; // an event ends at a blank line
    else if (line.startsWith('event:')) {
      named = line.slice(6).trim() === 'error';
      continue;
    }
    if (!line.startsWith('data:')) continue;
    const data = line.slice(5).trim();
    let v: unknown;
    try {
      v = JSON.parse(data);
    } catch {
      v = undefined;
    }
    const event =
      v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
    const error = event?.error;
    if (named || event?.type === 'error' || (error !== undefined && error !== null && error !== false))
      return event ?? { error: data };
  }
  return undefined;
}

/**
 * The usage a stream reports about itself: a chat stream's usage chunk, a Responses stream's
 * `response.completed`, an Anthropic stream's `message_start` and `message_delta` (the last count of each
 * kind wins). `undefined` when the stream says nothing. @internal
 */
export function _streamUsage(text: string): Usage | undefined {
  let input: number | undefined;
  let output: number | undefined;
  for (const event of sseData(text)) {
    for (const u of [
      event.usage,
      (event.response as { usage?: unknown } | undefined)?.usage,
      (event.message as { usage?: unknown } | undefined)?.usage,
    ]) {
      const f = usageFields(u);
      if (f?.input !== undefined) input = f.input;
      if (f?.output !== undefined) output = f.output;
    }
  }
  return input === undefined && output === undefined
    ? undefined
    : { inputTokens: input ?? 0, outputTokens: output ?? 0 };
}

/** The text a stream carried (chat deltas, Responses text deltas, Anthropic text deltas), for an estimate. */
function streamText(text: string): string {
  let out = '';
  for (const event of sseData(text)) {
    const choices = event.choices;
    if (Array.isArray(choices))
      for (const c of choices) {
        const content = (c as { delta?: { content?: unknown } }).delta?.content;
        if (typeof content === 'string') out += content;
      }
    if (event.type === 'response.output_text.delta' && typeof event.delta === 'string') out += event.delta;
    const delta = event.delta as { text?: unknown } | undefined;
    if (typeof delta?.text === 'string') out += delta.text;
  }
  return out;
}

/** Usage estimated with the tokenizer when a stream reports none, marked `estimated`. */
function estimatedStreamUsage(body: unknown, text: string): Usage {
  return {
    inputTokens: countPromptTokens(body) + countMediaTokens(body),
    outputTokens: countPromptTokens(streamText(text)),
    estimated: true,
  };
}

/**
 * A chat stream as the user's code would have seen it without `stream_options.include_usage`: the usage chunk
 * (no choices, a usage) left out, and the `"usage": null` of the other chunks removed. @internal
 */
export function _hideStreamUsage(text: string): string {
  const events = text.split(/\n\n/);
  const kept: string[] = [];
  for (const event of events) {
    const lines = event.split('\n');
    let drop = false;
    const out = lines.map((line) => {
      if (!line.startsWith('data:')) return line;
      const data = line.slice(5).trim();
      if (data === '[DONE]') return line;
      let v: unknown;
      try {
        v = JSON.parse(data);
      } catch {
        return line;
      }
      if (v === null || typeof v !== 'object' || !('usage' in v)) return line;
      const o = v as Record<string, unknown>;
      if (Array.isArray(o.choices) && o.choices.length === 0 && o.usage !== null) {
        drop = true;
        return line;
      }
      if (o.usage === null) {
        delete o.usage;
        return `data: ${JSON.stringify(o)}`;
      }
      return line;
    });
    if (!drop) kept.push(out.join('\n'));
  }
  return kept.join('\n\n');
}
