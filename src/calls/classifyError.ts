/**
 * What a failed attempt means, read from the error classes and codes of the SDKs and of Node, never from
 * `name` strings (the openai SDK leaves `name === 'Error'` on its subclasses):
 *
 * - {@link _isRetryable}: is another attempt worth it (408 / 409 / 429 / 5xx, timeouts, dropped or refused
 *   connections, bad bodies)?
 * - {@link _connectionFailureOf}: did the attempt fail before reaching the server (refused, DNS, TLS, connect
 *   timeout)? These count towards `retry.maxConsecutiveConnectionFailures`.
 * - {@link _reachedServer}: did the server answer at all (an HTTP status)? That resets the count.
 *
 * Classes recognised: the `openai` SDK's and `@anthropic-ai/sdk`'s (both optional peers, of whichever version and
 * copy the user installed: recognised by the constructor names on the prototype chain below `OpenAIError` or
 * `AnthropicError`, without importing either);
 * the AI SDK's `APICallError` (`isRetryable`, `statusCode`) and `RetryError` (`lastError`), recognised by the
 * `Symbol.for('vercel.ai.error.*')` markers that their own `isInstance` checks; evalgate's own errors; and
 * Node / undici error codes anywhere in the `cause` chain.
 * @module
 * @internal
 */
import { ConnectionFailedError, ProviderResponseError, TimeoutError } from '../errors.js';

/** Node and undici codes of a transient network failure. */
const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Codes of a failure to establish a connection (nothing reached the server). */
const CONNECT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** OpenSSL / Node TLS and certificate codes (`ERR_SSL_WRONG_VERSION_NUMBER`, `DEPTH_ZERO_SELF_SIGNED_CERT`, …). */
const TLS_CODE = /^(ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|EPROTO$)/;

/** Bound on the cause chain walk (chains are 2–4 deep in practice; a cycle must not hang). */
const MAX_DEPTH = 8;

const AI_SDK_API_CALL_ERROR = Symbol.for('vercel.ai.error.AI_APICallError');
const AI_SDK_RETRY_ERROR = Symbol.for('vercel.ai.error.AI_RetryError');

function retryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

function hasMarker(err: object, marker: symbol): boolean {
  return (err as Record<symbol, unknown>)[marker] === true;
}

/** Names of the classes on `err`'s prototype chain, most derived first. */
function classNames(err: object): string[] {
  const names: string[] = [];
  for (
    let p = Object.getPrototypeOf(err);
    p !== null && p !== Object.prototype;
    p = Object.getPrototypeOf(p)
  ) {
    const name = (p as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === 'string') names.push(name);
    if (names.length > MAX_DEPTH) break;
  }
  return names;
}

/** The errors an error wraps: its `cause`, and the `errors` of an `AggregateError` (Happy Eyeballs connects). */
function innerErrors(err: object): unknown[] {
  const out: unknown[] = [];
  const cause = (err as { cause?: unknown }).cause;
  if (cause !== undefined && cause !== err) out.push(cause);
  const errors = (err as { errors?: unknown }).errors;
  if (Array.isArray(errors)) out.push(...errors);
  return out;
}

function statusOf(err: object): number | undefined {
  const e = err as { status?: unknown; statusCode?: unknown };
  if (typeof e.status === 'number') return e.status;
  if (typeof e.statusCode === 'number') return e.statusCode;
  return undefined;
}

function retryableAt(err: unknown, depth: number): boolean {
  if (depth > MAX_DEPTH || err === null || typeof err !== 'object') return false;
  if (err instanceof ConnectionFailedError) return false;
  if (err instanceof TimeoutError || err instanceof ProviderResponseError) return true;
  const names = classNames(err);
  // The SDKs' own errors; APIConnectionError includes APIConnectionTimeoutError (the SDK's `timeout` fired).
  if (names.includes('OpenAIError') || names.includes('AnthropicError')) {
    if (names.includes('APIUserAbortError')) return false;
    if (names.includes('APIConnectionError') || names[0] === 'RetryableError') return true;
  }
  if (hasMarker(err, AI_SDK_API_CALL_ERROR)) {
    const retryable = (err as { isRetryable?: unknown }).isRetryable;
    if (typeof retryable === 'boolean') return retryable;
  }
  if (hasMarker(err, AI_SDK_RETRY_ERROR)) {
    const e = err as { reason?: unknown; lastError?: unknown };
    return e.reason !== 'abort' && retryableAt(e.lastError, depth + 1);
  }
  if (err instanceof Error && err.name === 'AbortError') return false;
  const status = statusOf(err);
  if (status !== undefined) return retryableStatus(status);
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && RETRYABLE_CODES.has(code)) return true;
  // fetch (undici) rejects a body read with `TypeError: terminated` when the connection drops mid-body.
  if (err instanceof TypeError && err.message === 'terminated') return true;
  return innerErrors(err).some((inner) => retryableAt(inner, depth + 1));
}

/**
 * Whether a failure is worth another attempt: 408 / 409 / 429 / 5xx from any SDK, the SDKs' connection and
 * timeout errors, evalgate's `TimeoutError` and `ProviderResponseError`, the AI SDK's `isRetryable`, and
 * Node / undici network codes anywhere in the cause chain. Never 400 / 401 / 403 / 404 / 422, an abort, or a
 * `ConnectionFailedError` (the runtime tripped).
 * @internal
 */
export function _isRetryable(err: unknown): boolean {
  return retryableAt(err, 0);
}

/** A failure to connect, as found in an error's cause chain. */
export interface ConnectionFailure {
  /** `'ECONNREFUSED'`, `'ENOTFOUND'`, `'ERR_SSL_WRONG_VERSION_NUMBER'`, … */
  readonly code: string;
  /** The low-level error's message, e.g. `'connect ECONNREFUSED 127.0.0.1:8000'`. */
  readonly detail: string;
  /** `address:port` or host name, when the error names it. */
  readonly host?: string;
}

function isConnectCode(code: string, syscall: unknown): boolean {
  return CONNECT_CODES.has(code) || TLS_CODE.test(code) || syscall === 'connect' || syscall === 'getaddrinfo';
}

function hostOf(err: object): string | undefined {
  const e = err as { address?: unknown; port?: unknown; hostname?: unknown; host?: unknown; url?: unknown };
  if (typeof e.address === 'string' && typeof e.port === 'number')
    return e.address.includes(':') ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
  if (typeof e.hostname === 'string') return e.hostname;
  if (typeof e.host === 'string') return e.host;
  if (typeof e.url === 'string') return _hostOfUrl(e.url);
  return undefined;
}

/** `host:port` of a URL (default port filled in), or `undefined` when it does not parse. @internal */
export function _hostOfUrl(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.port !== '') return u.host;
    const port = u.protocol === 'https:' ? 443 : u.protocol === 'http:' ? 80 : undefined;
    return port === undefined ? u.host : `${u.host}:${port}`;
  } catch {
    return undefined;
  }
}

/**
 * The connection-level failure in `err`'s cause chain (refused, DNS, TLS, connect timeout), or `undefined`
 * when the attempt got past connecting (or failed some other way). The host comes from the failing socket
 * error (`address:port`, `hostname`) or from a `url` higher in the chain (the AI SDK's `APICallError`).
 * @internal
 */
export function _connectionFailureOf(err: unknown): ConnectionFailure | undefined {
  let host: string | undefined;
  const seen = new Set<unknown>();
  const walk = (e: unknown, depth: number): ConnectionFailure | undefined => {
    if (depth > MAX_DEPTH || e === null || typeof e !== 'object' || seen.has(e)) return undefined;
    seen.add(e);
    const o = e as { code?: unknown; syscall?: unknown; message?: unknown; url?: unknown };
    if (host === undefined && typeof o.url === 'string') host = _hostOfUrl(o.url);
    if (typeof o.code === 'string' && isConnectCode(o.code, o.syscall)) {
      const own = hostOf(e);
      // An AggregateError (one connect per address) carries the code; its parts carry the addresses.
      const part =
        own === undefined ? innerErrors(e).find((x) => x !== null && typeof x === 'object') : undefined;
      const h = own ?? (part === undefined ? undefined : hostOf(part as object)) ?? host;
      const message =
        o.message === '' && part !== undefined ? (part as { message?: unknown }).message : o.message;
      const detail = typeof message === 'string' && message !== '' ? message.trim() : o.code;
      return { code: o.code, detail, ...(h === undefined ? {} : { host: h }) };
    }
    for (const inner of innerErrors(e)) {
      const found = walk(inner, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return walk(err, 0);
}

/**
 * The HTTP status an error carries: `status` (openai, Anthropic) or `statusCode` (the AI SDK's `APICallError`).
 * @internal
 */
export function _statusOf(err: unknown): number | undefined {
  return err === null || typeof err !== 'object' ? undefined : statusOf(err);
}

/** Whether the failed attempt reached the server: the error carries an HTTP status. @internal */
export function _reachedServer(err: unknown): boolean {
  if (err === null || typeof err !== 'object') return false;
  if (err instanceof ProviderResponseError) return true;
  return statusOf(err) !== undefined;
}
