/**
 * The one retry loop of the library: a call's attempts in the runtime and a row's whole-model attempts (a model
 * that makes no call through evalgate is one call to us) both go through {@link RetryPolicy.run}, with the same
 * limits, the same back-off and the same idea of what is worth another attempt.
 * @module
 */
import {
  _checkInteger,
  _checkKnownKeys,
  _checkNumberInRange,
  _checkOptionsObject,
} from '../_internal/validate.js';
import { _backoffMs, _exhaustedForMs, _rateLimitHeaders } from './backoff.js';
import { _isRetryable, _statusOf } from './classifyError.js';
import { sleep as sleepFor } from './waits.js';

/**
 * Retry policy for transient failures.
 *
 * Retried: HTTP 408, 409, 429 and 5xx from any SDK; the SDKs' connection and timeout errors (openai's and
 * Anthropic's `APIConnectionError` / `APIConnectionTimeoutError`, the AI SDK's `APICallError` when
 * `isRetryable`); evalgate's per-attempt `TimeoutError`; bodies that are cut off, not JSON, or without content
 * (`ProviderResponseError`); Node / undici network codes (`ECONNRESET`, `ECONNREFUSED`, `ETIMEDOUT`, `EPIPE`,
 * `EAI_AGAIN`, `UND_ERR_SOCKET`, `UND_ERR_*_TIMEOUT`, …) anywhere in the cause chain. Never retried: 400,
 * 401, 403, 404, 422, aborts, budget and replay errors, a `ConnectionFailedError`.
 *
 * The delay before a retry is full-jitter exponential back-off (`baseMs`, capped by `maxMs`), or the wait
 * the provider asked for on a 429 (`retry-after-ms`, `retry-after`, or the reset of an exhausted
 * `x-ratelimit-*` bucket) or a 503 (`retry-after-ms`, `retry-after`) when longer, up to `maxWaitMs`.
 *
 * @example
 * ```ts
 * await evaluate(dataset, model, metrics, {
 *   retry: { maxRetries: 4, baseMs: 500, maxMs: 30_000, maxWaitMs: 60_000, maxConsecutiveConnectionFailures: 10 },
 * });
 * // => a 429 with `retry-after: 3600` fails its row at once with a RateLimitError naming retry.maxWaitMs
 * ```
 */
export interface RetryOptions {
  /** Attempts after the first. Minimum: `0`. @default 3 */
  readonly maxRetries?: number;
  /** Base delay of the exponential back-off, in ms. Minimum: `0`. @default 500 */
  readonly baseMs?: number;
  /** Cap on our own back-off delay, in ms (a provider's wait is capped by `maxWaitMs` instead). Minimum: `0`. @default 30000 */
  readonly maxMs?: number;
  /**
   * Longest wait a provider may ask for on a 429 (`retry-after-ms`, `retry-after`, `x-ratelimit-reset-*`) or a
   * 503 (`retry-after-ms`, `retry-after`), in ms. A wait up to it is honoured (also when longer than `maxMs`); a
   * longer one fails the call at once with a `RateLimitError` (a 429) or a `ProviderCallError` (a 503) that says
   * how long the provider asked for. Also caps how long the concurrency gate
   * holds every call when the provider reports an empty bucket. Minimum: `0`; `Infinity` waits as long as
   * asked. @default 60000
   */
  readonly maxWaitMs?: number;
  /**
   * Connection-level failures in a row (refused, DNS, TLS, connect timeout; counted across all calls of the
   * run, reset by any response from the server) after which the runtime stops sending: that call and every
   * later call throw a `ConnectionFailedError` naming the host and the cause. Minimum: `1`; `Infinity` never
   * trips. @default 10
   */
  readonly maxConsecutiveConnectionFailures?: number;
}

/** What a caller adds to the policy for one loop. */
export interface RetryHooks {
  /** Extra conditions for another attempt after `err` (the policy's own limits are checked too). @default always */
  readonly canRetry?: (err: unknown, attempt: number) => boolean;
  /** Told of each retry before its wait (count it). */
  readonly onRetry?: (err: unknown, attempt: number) => void;
  /** The delay to wait given the back-off's draw (a provider may ask for longer). @default the back-off */
  readonly delayMs?: (backoffMs: number, err: unknown, attempt: number) => number;
  /** How to wait; rejects to end the loop with its error. @default sleep on `signal` */
  readonly wait?: (ms: number) => Promise<void>;
  /** Aborts the waits between attempts (with the default `wait`). */
  readonly signal?: AbortSignal;
}

/** Injected for tests: how to wait and the jitter's source. */
export interface RetryEnvironment {
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly random?: () => number;
}

const NEVER = new AbortController().signal;

/**
 * A run's retry policy, checked once from `retry` options: the limits, the back-off, and the loop that applies
 * them.
 * @example
 * ```ts
 * const policy = new RetryPolicy({ maxRetries: 2, baseMs: 100 });
 * await policy.run((attempt) => flakySend(attempt), { signal });
 * // => the first result, after at most 3 attempts; a 400 is thrown at once
 * ```
 */
export class RetryPolicy {
  /** Attempts after the first. */
  readonly maxRetries: number;
  /** Base of the exponential back-off, in ms. */
  readonly baseMs: number;
  /** Cap of the back-off, in ms. */
  readonly maxMs: number;
  /** Longest wait a provider may ask for, in ms. */
  readonly maxWaitMs: number;
  /** Connection failures in a row that trip the runtime. */
  readonly maxConsecutiveConnectionFailures: number;
  readonly #sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly #random: () => number;

  /** @throws {TypeError | RangeError} for options out of their ranges, naming the option. */
  constructor(options: RetryOptions | undefined, env: RetryEnvironment = {}) {
    _checkOptionsObject('retry', options);
    _checkKnownKeys('retry', options, [
      'maxRetries',
      'baseMs',
      'maxMs',
      'maxWaitMs',
      'maxConsecutiveConnectionFailures',
    ]);
    const inf = Number.POSITIVE_INFINITY;
    this.maxRetries = _checkInteger('retry.maxRetries', options?.maxRetries ?? 3, 0);
    this.baseMs = _checkNumberInRange('retry.baseMs', options?.baseMs ?? 500, 0, inf, '[)');
    this.maxMs = _checkNumberInRange('retry.maxMs', options?.maxMs ?? 30_000, 0, inf, '[)');
    this.maxWaitMs = _checkNumberInRange('retry.maxWaitMs', options?.maxWaitMs ?? 60_000, 0, inf, '[]');
    this.maxConsecutiveConnectionFailures = _checkInteger(
      'retry.maxConsecutiveConnectionFailures',
      options?.maxConsecutiveConnectionFailures ?? 10,
      1,
      inf,
      true,
    );
    this.#sleep = env.sleep ?? sleepFor;
    this.#random = env.random ?? Math.random;
  }

  /** A back-off delay for retry number `attempt + 1`: full jitter in `[0, min(maxMs, baseMs * 2^attempt))`. */
  backoffMs(attempt: number): number {
    return _backoffMs(attempt, this.baseMs, this.maxMs, this.#random);
  }

  /**
   * The wait a 429 error asks for before another attempt, in ms: its `retry-after-ms` / `retry-after`, else the
   * reset of the bucket its `x-ratelimit-*` headers report empty; a 503's `retry-after-ms` / `retry-after` (RFC
   * 9110 §10.2.3: how long the service expects to be unavailable); `undefined` for any other error or none asked.
   * @example
   * ```ts
   * new RetryPolicy({}).askedWaitMs({ status: 429, headers: new Headers({ 'retry-after': '2' }) });
   * // => 2000
   * ```
   */
  askedWaitMs(err: unknown): number | undefined {
    const status = _statusOf(err);
    if (status === 503) return retryAfterMs(err);
    if (status !== 429) return undefined;
    return retryAfterMs(err) ?? _exhaustedForMs(_rateLimitHeaders(err));
  }

  /**
   * Runs `attempt(0)`, `attempt(1)`, … until one resolves, or one rejects with an error that is not worth
   * another attempt (not retryable, retries used up, or refused by `hooks.canRetry`): that error is thrown.
   */
  async run<T>(attempt: (n: number) => Promise<T>, hooks: RetryHooks = {}): Promise<T> {
    for (let n = 0; ; n++) {
      try {
        return await attempt(n);
      } catch (err) {
        if (hooks.canRetry?.(err, n) === false || n >= this.maxRetries || !_isRetryable(err)) throw err;
        hooks.onRetry?.(err, n);
        const backoff = this.backoffMs(n);
        const ms = hooks.delayMs === undefined ? backoff : hooks.delayMs(backoff, err, n);
        await (hooks.wait === undefined ? this.#sleep(ms, hooks.signal ?? NEVER) : hooks.wait(ms));
      }
    }
  }
}

/**
 * Delay the provider asked for, from `retry-after-ms` / `retry-after` (seconds or HTTP date), in ms: read from the
 * error's `headers` (openai, Anthropic) or `responseHeaders` (the AI SDK's `APICallError`).
 * @example
 * ```ts
 * retryAfterMs({ headers: new Headers({ 'retry-after': '2' }) });
 * // => 2000
 * ```
 * @internal
 */
export function retryAfterMs(err: unknown, now = Date.now()): number | undefined {
  const e = err as { headers?: unknown; responseHeaders?: unknown } | null;
  const headers = e?.headers ?? e?.responseHeaders;
  if (headers === undefined || headers === null) return undefined;
  const get = (name: string): string | null | undefined =>
    typeof (headers as Headers).get === 'function'
      ? (headers as Headers).get(name)
      : ((headers as Record<string, string | undefined>)[name] ?? null);
  const ms = get('retry-after-ms');
  if (ms) {
    const v = Number(ms);
    if (Number.isFinite(v) && v >= 0) return v;
  }
  const ra = get('retry-after');
  if (ra) {
    const secs = Number(ra);
    if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
    const date = Date.parse(ra);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  return undefined;
}
