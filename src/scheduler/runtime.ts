/**
 * The call runtime: every network call evaluate() makes — the model under test, judges, embeddings — goes
 * through one `CallRuntime` per run, which owns per-attempt timeouts, retries with back-off, and the run's
 * totals (and, as the scheduler grows, the cache, rate limits, adaptive concurrency and budgets).
 * @module
 */
import { RateLimitError, TimeoutError } from '../errors.js';
import type { Usage } from '../types.js';

/** Describes one call so the runtime can key, price, limit and explain it. */
export interface CallSpec {
  /** What is calling, for totals and messages. */
  readonly kind: 'model' | 'judge' | 'embedding';
  /** The example the call is for (named in errors such as replay misses and timeouts). */
  readonly exampleId?: string;
  /** Trial index, part of the cache key so that k trials are k independent samples. @default 0 */
  readonly trial?: number;
  /**
   * Everything that determines the response (model, messages, sampling parameters, tools, response format,
   * seed). Hashed into the cache key; never include API keys or headers. `undefined`: not cacheable.
   */
  readonly request?: unknown;
  /** Estimated tokens (prompt + expected completion) for the TPM bucket. @default 0 */
  readonly estimatedTokens?: number;
  /** Model name, used for pricing. */
  readonly model?: string;
}

/** What a sender returns: a JSON-serializable value plus what it cost. */
export interface CallOutcome<T> {
  readonly value: T;
  readonly usage?: Usage;
  readonly costUsd?: number;
}

/** A completed call, as seen by the caller. */
export interface CallResult<T> extends CallOutcome<T> {
  readonly cached: boolean;
  /** Attempts beyond the first. */
  readonly retries: number;
}

/** Retry policy for transient failures (429, 5xx, timeouts, connection resets). */
export interface RetryOptions {
  /** Attempts after the first. Minimum: `0`. @default 3 */
  readonly maxRetries?: number;
  /** Base delay of the exponential back-off, in ms. @default 500 */
  readonly baseMs?: number;
  /** Cap on a single delay, in ms. @default 30000 */
  readonly maxMs?: number;
}

/** Mutable counters of a run. */
export interface MutableTotals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  cacheHits: number;
  cacheMisses: number;
  retries: number;
}

/** One per evaluate() run; shared by the model and every metric that calls a model. */
export interface CallRuntime {
  call<T>(
    spec: CallSpec,
    send: (signal: AbortSignal) => Promise<CallOutcome<T>>,
    signal: AbortSignal,
  ): Promise<CallResult<T>>;
  readonly totals: Readonly<MutableTotals>;
}

/** Options of the runtime. */
export interface RuntimeOptions {
  /** Per-attempt timeout in ms. Minimum: `1`. @default 60000 */
  readonly timeoutMs?: number;
  readonly retry?: RetryOptions;
  /** Injected for tests: how to wait. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Injected for tests: uniform [0, 1) for jitter. @default Math.random */
  readonly random?: () => number;
}

const RETRYABLE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET']);

/** Whether a failure is worth another attempt: 408/409/429/5xx, timeouts, dropped connections. Never 400/401/403/404. */
export function _isRetryable(err: unknown): boolean {
  if (err instanceof TimeoutError) return true;
  if (err === null || typeof err !== 'object') return false;
  const e = err as { status?: unknown; code?: unknown; name?: unknown; cause?: unknown };
  if (typeof e.status === 'number') return e.status === 408 || e.status === 409 || e.status === 429 || e.status >= 500;
  if (typeof e.code === 'string' && RETRYABLE_CODES.has(e.code)) return true;
  // openai SDK: APIConnectionError / APIConnectionTimeoutError carry no status.
  if (e.name === 'APIConnectionError' || e.name === 'APIConnectionTimeoutError') return true;
  if (e.cause !== undefined && e.cause !== err) return _isRetryable(e.cause);
  return false;
}

/** Delay the provider asked for, from `retry-after-ms` / `retry-after` (seconds or HTTP date), in ms. */
export function _retryAfterMs(err: unknown, now = Date.now()): number | undefined {
  const headers = (err as { headers?: unknown } | null)?.headers;
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

/** Sleeps `ms`, rejecting with the signal's reason when it aborts first. */
export function _sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `send` with a per-attempt timeout: the attempt's signal aborts on the parent's abort or on the timeout,
 * and a timeout surfaces as a `TimeoutError` that names what was running.
 */
export async function _withTimeout<T>(
  send: (signal: AbortSignal) => Promise<T>,
  parent: AbortSignal,
  timeoutMs: number,
  what: string,
  exampleId: string | undefined,
): Promise<T> {
  if (parent.aborted) throw parent.reason;
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort(parent.reason);
  parent.addEventListener('abort', onAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    if (!Number.isFinite(timeoutMs)) return;
    timer = setTimeout(() => {
      timedOut = true;
      const err = new TimeoutError(
        `${what}${exampleId === undefined ? '' : ` for example "${exampleId}"`} timed out after ${timeoutMs} ms`,
        timeoutMs,
        exampleId === undefined ? {} : { exampleId },
      );
      controller.abort(err);
      reject(err);
    }, timeoutMs);
  });
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
  });
  try {
    // Race so that a sender that ignores its signal still cannot hold the run past its timeout.
    return await Promise.race([send(controller.signal), timeout, aborted]);
  } catch (err) {
    if (timedOut && !(err instanceof TimeoutError)) throw controller.signal.reason;
    throw err;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    parent.removeEventListener('abort', onAbort);
    // Silence the losing racers.
    timeout.catch(() => {});
    aborted.catch(() => {});
  }
}

/** Creates the runtime for one run: timeouts, retries with full-jitter exponential back-off, totals. */
export function _createRuntime(options: RuntimeOptions = {}): CallRuntime {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const maxRetries = options.retry?.maxRetries ?? 3;
  const baseMs = options.retry?.baseMs ?? 500;
  const maxMs = options.retry?.maxMs ?? 30_000;
  const sleep = options.sleep ?? _sleep;
  const random = options.random ?? Math.random;
  const totals: MutableTotals = {
    requests: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    cacheHits: 0,
    cacheMisses: 0,
    retries: 0,
  };

  async function call<T>(
    spec: CallSpec,
    send: (signal: AbortSignal) => Promise<CallOutcome<T>>,
    signal: AbortSignal,
  ): Promise<CallResult<T>> {
    for (let attempt = 0; ; attempt++) {
      totals.requests++;
      try {
        const outcome = await _withTimeout(send, signal, timeoutMs, `${spec.kind} call`, spec.exampleId);
        if (outcome.usage) {
          totals.inputTokens += outcome.usage.inputTokens;
          totals.outputTokens += outcome.usage.outputTokens;
        }
        if (outcome.costUsd !== undefined) totals.costUsd += outcome.costUsd;
        return { ...outcome, cached: false, retries: attempt };
      } catch (err) {
        if (signal.aborted || attempt >= maxRetries || !_isRetryable(err)) {
          if ((err as { status?: unknown })?.status === 429 && attempt >= maxRetries) {
            throw new RateLimitError(
              `Rate limited on every one of ${attempt + 1} attempts${spec.exampleId === undefined ? '' : ` for example "${spec.exampleId}"`}`,
              {
                cause: err,
                status: 429,
                ...(spec.exampleId === undefined ? {} : { exampleId: spec.exampleId }),
              },
            );
          }
          throw err;
        }
        totals.retries++;
        const backoff = Math.min(maxMs, baseMs * 2 ** attempt) * random();
        const asked = _retryAfterMs(err);
        await sleep(asked === undefined ? backoff : Math.min(maxMs, Math.max(asked, backoff)), signal);
      }
    }
  }
  return { call, totals };
}

/** True for errors that mean "the run was cancelled", not "the call failed". */
export function _isAbort(err: unknown, signal: AbortSignal): boolean {
  return signal.aborted && (err === signal.reason || (err as { name?: unknown })?.name === 'AbortError');
}

