/**
 * The call runtime: every network call evaluate() makes — the model under test, judges, embeddings — goes
 * through one `CallRuntime` per run, which owns the response cache (lookup, replay, single flight, durable
 * writes), the budget, the global rate limit (RPM / TPM), the adaptive concurrency gate (AIMD), per-attempt
 * timeouts, retries with back-off, the connection-failure breaker, pricing, and the run's totals and warnings.
 * @module
 */
import { _describe } from '../_internal/describe.js';
import {
  _checkChoice,
  _checkInteger,
  _checkNumberInRange,
  _checkOptionsObject,
} from '../_internal/validate.js';
import {
  _isCacheStore,
  type CacheEntry,
  type CacheMode,
  type CacheOption,
  type CacheStore,
} from '../cache/CacheStore.js';
import { cacheKey } from '../cache/cacheKey.js';
import type { CallKind, CallOutcome, CallResult, Usage } from '../core/types.js';
import {
  _serializeError,
  ConnectionFailedError,
  RateLimitError,
  ReplayMissError,
  RunClosedError,
  TimeoutError,
} from '../errors.js';

export type { CallOutcome, CallResult } from '../core/types.js';

import { _backoffMs, _exhaustedForMs, _rateLimitHeaders } from './backoff.js';
import { _checkBudget, _enforceBudget, type BudgetOptions } from './budget.js';
import { _connectionFailureOf, _hostOfUrl, _isRetryable, _reachedServer } from './classifyError.js';
import { _createConcurrencyGate, type ConcurrencyGate } from './concurrencyGate.js';
import { _createConnectionBreaker } from './connectionBreaker.js';
import { _estimateRequestTokens } from './estimateTokens.js';
import {
  _checkPricing,
  _priceOf,
  _refuseUnpriced,
  _unpricedWarning,
  type ModelPrice,
  type Pricing,
} from './pricing.js';
import { _asProviderResponseError } from './providerBodyError.js';
import { _isRateLimiter, type RateLimiter, type RateLimiterOptions, rateLimiter } from './rateLimiter.js';

/** Describes one call so the runtime can key, price, limit and explain it. */
export interface CallSpec {
  /** What is calling, for totals and messages. */
  readonly kind: CallKind;
  /** The example the call is for (named in errors such as replay misses and timeouts). */
  readonly exampleId?: string;
  /** Trial index, part of the cache key so that k trials are k independent samples. @default 0 */
  readonly trial?: number;
  /**
   * Everything that determines the response (model, messages, sampling parameters, tools, response format,
   * seed). Hashed into the cache key; never include API keys or headers. `undefined`: not cacheable.
   */
  readonly request?: unknown;
  /** Namespace of `request` in the cache key (the API it is sent to). @default none */
  readonly api?: string;
  /**
   * Estimated tokens (prompt + expected completion) for the TPM limit. @default counted from the contents of
   * `request` with gpt-tokenizer, plus its `max_tokens` or `rateLimit.expectedOutputTokens`
   */
  readonly estimatedTokens?: number;
  /** Model name, used for pricing. @default `request.model` */
  readonly model?: string;
  /**
   * The provider's URL or `host:port`, named in a `ConnectionFailedError` when the failing error itself does
   * not say where it tried to connect (TLS errors do not). @default none
   */
  readonly endpoint?: string;
  /**
   * The key an earlier evalgate version gave the same call (without the endpoint). Looked up on a miss only,
   * to warn once that such entries are ignored; never used to answer a call. @default none
   */
  readonly legacyKey?: string;
  /** The part of `request` the TPM estimate counts (an SDK request's body). @default `request` */
  readonly tokenSource?: unknown;
}

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
 * `x-ratelimit-*` bucket) when longer, up to `maxWaitMs`.
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
   * Longest wait a provider may ask for on a 429 (`retry-after-ms`, `retry-after`, `x-ratelimit-reset-*`), in
   * ms. A wait up to it is honoured (also when longer than `maxMs`); a longer one fails the call at once with
   * a `RateLimitError` that says how long the provider asked for. Also caps how long the concurrency gate
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

/** Mutable counters of a run. */
export interface MutableTotals {
  /** Requests sent over the network, retries included. */
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Calls answered by the cache or by an identical call in flight. */
  cacheHits: number;
  /** Cacheable calls that had to go to the network. */
  cacheMisses: number;
  retries: number;
  /** Input tokens the cache hits would have cost. */
  savedInputTokens: number;
  /** Output tokens the cache hits would have cost. */
  savedOutputTokens: number;
  /** USD the cache hits would have cost (priced responses only). */
  savedCostUsd: number;
  /** Calls that reported usage but had no price (their cost is in no `costUsd`); absent when there were none. */
  unpricedCalls?: number;
}

/** One per evaluate() run; shared by the model and every metric that calls a model. */
export interface CallRuntime {
  /**
   * Runs one call: cache lookup, budget check, concurrency gate, rate limit, then `send` with a per-attempt
   * timeout and retries.
   * @throws {ReplayMissError} in `'replay'` mode when the response is not cached (nothing is sent).
   * @throws {BudgetExceededError} when a `budget` limit has been reached (nothing is sent).
   * @throws {RateLimitError} when every attempt was answered 429, or the provider asked to wait longer than
   *   `retry.maxWaitMs`.
   * @throws {TimeoutError} when the last attempt timed out.
   * @throws {ProviderResponseError} when the last attempt's body was cut off, not JSON, or without content.
   * @throws {ConnectionFailedError} once `retry.maxConsecutiveConnectionFailures` connection failures in a row
   *   tripped the runtime: from then on for every call (nothing more is sent).
   * Any error thrown after a send records how many attempts were made: read it with {@link _attemptsOf}.
   */
  call<T>(
    spec: CallSpec,
    send: (signal: AbortSignal) => Promise<CallOutcome<T>>,
    signal: AbortSignal,
  ): Promise<CallResult<T>>;
  readonly totals: Readonly<MutableTotals>;
  /**
   * Ends the runtime's run: every later `call` throws a {@link RunClosedError} before anything is sent (a call
   * a pipeline left running after `evaluate()` returned never reaches the network).
   */
  close(): void;
  /**
   * Counts tokens and cost that a model reported without making any call through the runtime (a plain function
   * that calls its provider itself), so totals and budgets see them. No request is counted.
   */
  recordUsage(usage: Usage | undefined, costUsd: number | undefined): void;
  /** Counts a retry made outside `call` (a model that makes no call through the runtime is retried whole). */
  recordRetry(): void;
  /** The retry policy in force: attempts after the first, and the back-off's base and cap in ms. */
  readonly retryPolicy: { readonly maxRetries: number; readonly baseMs: number; readonly maxMs: number };
  /** The per-attempt timeout in ms. */
  readonly timeoutMs: number;
  /** The adaptive concurrency gate: current limit, calls in flight, calls waiting. */
  readonly concurrency?: { readonly limit: number; readonly active: number; readonly queued: number };
  /** The rate limiter in use, when `rateLimit` set one. */
  readonly limiter?: RateLimiter;
  /**
   * What went wrong without failing a call, one line per kind with a count and the first error, e.g.
   * `'cache write failed 3 times (responses kept, not cached): Error: disk full'`. A cache read that fails is
   * a miss (the call is sent and the entry overwritten); a cache write that fails keeps the paid response.
   */
  readonly warnings: readonly string[];
}

/** Options of the runtime. */
export interface RuntimeOptions {
  /** Per-attempt timeout in ms. Minimum: `1`. @default 60000 */
  readonly timeoutMs?: number;
  readonly retry?: RetryOptions;
  /**
   * Maximum network calls in flight; the adaptive gate halves its limit on a 429 and grows it back by one per
   * round of successes up to this. Minimum: `1`. @default Infinity
   */
  readonly concurrency?: number;
  /** A store (mode `'read-write'`) or `{ store, mode }`. @default no cache */
  readonly cache?: CacheOption;
  /** `{ rpm, tpm, windowMs?, expectedOutputTokens? }`, or a `rateLimiter()` shared between runs. @default none */
  readonly rateLimit?: RateLimiterOptions | RateLimiter;
  /** Spending limits. @default none */
  readonly budget?: BudgetOptions;
  /** Prices per model, USD per 1M tokens, overriding `DEFAULT_PRICING`. */
  readonly pricing?: Pricing;
  /** Injected for tests: how to wait. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Injected for tests: uniform [0, 1) for jitter. @default Math.random */
  readonly random?: () => number;
  /** Injected for tests: the clock of the concurrency gate, in ms. @default Date.now */
  readonly now?: () => number;
}

export { _isRetryable } from './classifyError.js';

/** Attempts made by the call that threw an error (see {@link _attemptsOf}). */
const attemptsByError = new WeakMap<object, number>();

/**
 * How many attempts (sends) the failed call made before it threw `err`, or `undefined` when `err` did not
 * come out of a call that reached the network stage. Retries are `attempts - 1`, the number the run's
 * `totals.retries` counted for that call. Backed by a WeakMap, so it works for foreign errors (the SDKs') too.
 * @example
 * ```ts
 * const err = await runtime.call(spec, send, signal).catch((e) => e);
 * _attemptsOf(err);
 * // => 4 (maxRetries 3, every attempt answered 503)
 * ```
 * @internal
 */
export function _attemptsOf(err: unknown): number | undefined {
  return err !== null && (typeof err === 'object' || typeof err === 'function')
    ? attemptsByError.get(err)
    : undefined;
}

/** `3600000 ms (1 h)`: a wait in ms, with a readable unit when it is long. */
function formatWait(ms: number): string {
  const round = (x: number) => Math.round(x * 10) / 10;
  const human =
    ms < 1000
      ? ''
      : ms < 60_000
        ? ` (${round(ms / 1000)} s)`
        : ms < 3_600_000
          ? ` (${round(ms / 60_000)} min)`
          : ms < 86_400_000
            ? ` (${round(ms / 3_600_000)} h)`
            : ` (${round(ms / 86_400_000)} d)`;
  return `${Math.round(ms)} ms${human}`;
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

/** How a call in flight ended, as its followers see it (never rejects). */
type Flight =
  | { readonly ok: true; readonly result: CallResult<unknown> }
  | { readonly ok: false; readonly error: unknown; readonly leaderAborted: boolean };

const LEGACY_WARNING = 'old key format';

/** Calls in flight per store, shared by every runtime of the process (single flight). */
const flights = new WeakMap<CacheStore, Map<string, Promise<Flight>>>();

const CACHE_MODES: readonly CacheMode[] = ['read-write', 'read-only', 'write-only', 'replay', 'off'];

function resolveCache(option: unknown): { store: CacheStore; mode: CacheMode } | undefined {
  if (option === undefined) return undefined;
  if (_isCacheStore(option)) return { store: option, mode: 'read-write' };
  if (option !== null && typeof option === 'object' && _isCacheStore((option as { store?: unknown }).store)) {
    const o = option as { store: CacheStore; mode?: unknown };
    return { store: o.store, mode: _checkChoice('cache.mode', o.mode ?? 'read-write', CACHE_MODES) };
  }
  throw new TypeError(`Expected \`cache\` to be a CacheStore or { store, mode }, got ${_describe(option)}`);
}

function isThenable<T>(x: T | Promise<T>): x is Promise<T> {
  return x !== null && typeof x === 'object' && typeof (x as { then?: unknown }).then === 'function';
}

function requestModel(request: unknown): string | undefined {
  const m = (request as { model?: unknown } | null | undefined)?.model;
  return typeof m === 'string' ? m : undefined;
}

/**
 * Creates the runtime for one run. Order of a call: cache lookup (a hit returns at once; a replay miss throws
 * before anything is sent) → join an identical call in flight, if any → budget check → concurrency gate →
 * rate limiter → `send` with its timeout → on success, price it, count it, and write it to the cache (awaited,
 * so it is durable before the caller sees it); on a transient failure, back off and go again from the budget
 * check. Errors are never cached.
 */
export function _createRuntime(options: RuntimeOptions = {}): CallRuntime {
  const timeoutMs = options.timeoutMs ?? 60_000;
  _checkOptionsObject('retry', options.retry);
  const maxRetries = _checkInteger('retry.maxRetries', options.retry?.maxRetries ?? 3, 0);
  const inf = Number.POSITIVE_INFINITY;
  const baseMs = _checkNumberInRange('retry.baseMs', options.retry?.baseMs ?? 500, 0, inf, '[)');
  const maxMs = _checkNumberInRange('retry.maxMs', options.retry?.maxMs ?? 30_000, 0, inf, '[)');
  const maxWaitMs = _checkNumberInRange('retry.maxWaitMs', options.retry?.maxWaitMs ?? 60_000, 0, inf, '[]');
  const maxConnectionFailures = _checkInteger(
    'retry.maxConsecutiveConnectionFailures',
    options.retry?.maxConsecutiveConnectionFailures ?? 10,
    1,
    inf,
    true,
  );
  const breaker = _createConnectionBreaker(maxConnectionFailures);
  const sleep = options.sleep ?? _sleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const concurrency = _checkInteger(
    'concurrency',
    options.concurrency ?? Number.POSITIVE_INFINITY,
    1,
    undefined,
    true,
  );
  const cache = resolveCache(options.cache);
  const cacheOn = cache !== undefined && cache.mode !== 'off';
  const cacheReads = cacheOn && cache.mode !== 'write-only';
  const cacheWrites = cacheOn && (cache.mode === 'read-write' || cache.mode === 'write-only');
  const limits = _checkBudget(options.budget);
  const pricing = _checkPricing(options.pricing);
  let limiter: RateLimiter | undefined;
  if (_isRateLimiter(options.rateLimit)) limiter = options.rateLimit;
  else if (options.rateLimit !== undefined) {
    const rl = options.rateLimit as RateLimiterOptions;
    _checkOptionsObject('rateLimit', rl);
    if (rl.rpm !== undefined || rl.tpm !== undefined) limiter = rateLimiter(rl);
  }
  const gate: ConcurrencyGate = _createConcurrencyGate({ max: concurrency, now });
  const totals: MutableTotals = {
    requests: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    cacheHits: 0,
    cacheMisses: 0,
    retries: 0,
    savedInputTokens: 0,
    savedOutputTokens: 0,
    savedCostUsd: 0,
  };
  // Unpriced calls by model (undefined: the call named none), for the one warning.
  const unpriced = new Map<string | undefined, number>();
  function countUnpriced(model: string | undefined): void {
    totals.unpricedCalls = (totals.unpricedCalls ?? 0) + 1;
    unpriced.set(model, (unpriced.get(model) ?? 0) + 1);
  }

  // Faults that did not fail a call, by kind: how often, and the first error (warnings stay short).
  const faults = new Map<string, { count: number; first: string }>();
  function warn(what: string, err: unknown): void {
    const f = faults.get(what);
    if (f !== undefined) f.count++;
    else {
      const e = _serializeError(err);
      faults.set(what, { count: 1, first: `${e.name}: ${e.message}` });
    }
  }

  /** The error every call throws once the breaker has tripped, or `undefined`. */
  function tripError(spec: CallSpec): ConnectionFailedError | undefined {
    const trip = breaker.tripped;
    if (trip === undefined) return undefined;
    const { code, detail, host } = trip.failure;
    return new ConnectionFailedError(
      `Cannot connect to ${host ?? 'the provider (the error names no host)'}: ${code} (${detail}); ` +
        `${trip.failures} connection failures in a row with no successful call in between ` +
        `(retry.maxConsecutiveConnectionFailures: ${maxConnectionFailures}), so no further request is sent`,
      {
        cause: trip.error,
        failures: trip.failures,
        causeCode: code,
        ...(host === undefined ? {} : { host }),
        ...(spec.exampleId === undefined ? {} : { exampleId: spec.exampleId }),
      },
    );
  }

  /**
   * A signal for the waits of one call (gate, limiter, back-off): it aborts with the call's signal, and as soon
   * as the breaker trips, so that no call waits out a back-off against a provider known to be unreachable.
   */
  function waitSignal(signal: AbortSignal): { signal: AbortSignal; dispose(): void } {
    const controller = new AbortController();
    if (signal.aborted) controller.abort(signal.reason);
    const onAbort = () => controller.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    const off = breaker.onTrip(() => controller.abort(new Error('connection breaker tripped')));
    return {
      signal: controller.signal,
      dispose() {
        signal.removeEventListener('abort', onAbort);
        off();
      },
    };
  }

  // Prices by model name, looked up once per model (the prefix search of dated snapshots is a scan).
  const prices = new Map<string | undefined, ModelPrice | undefined>();
  function priceOf(model: string | undefined): ModelPrice | undefined {
    if (prices.has(model)) return prices.get(model);
    const price = _priceOf(model, pricing);
    prices.set(model, price);
    return price;
  }
  function costOf(model: string | undefined, usage: Usage): number | undefined {
    const price = priceOf(model);
    return price === undefined
      ? undefined
      : (usage.inputTokens * price.inputPerMillion + usage.outputTokens * price.outputPerMillion) / 1e6;
  }

  function countHit(entry: CacheEntry, model: string | undefined): void {
    totals.cacheHits++;
    if (entry.usage) {
      totals.savedInputTokens += entry.usage.inputTokens;
      totals.savedOutputTokens += entry.usage.outputTokens;
    }
    const cost = entry.costUsd ?? (entry.usage ? costOf(model, entry.usage) : undefined);
    if (cost !== undefined) totals.savedCostUsd += cost;
  }

  function hitResult<T>(entry: CacheEntry): CallResult<T> {
    const out: { value: T; usage?: Usage; costUsd?: number; cached: true; retries: 0 } = {
      value: entry.value as T,
      cached: true,
      retries: 0,
    };
    if (entry.usage !== undefined) out.usage = entry.usage;
    if (entry.costUsd !== undefined) out.costUsd = entry.costUsd;
    return out;
  }

  async function network<T>(
    spec: CallSpec,
    send: (signal: AbortSignal) => Promise<CallOutcome<T>>,
    signal: AbortSignal,
    model: string | undefined,
  ): Promise<CallResult<T>> {
    const sent = { attempts: 0 };
    const wait = waitSignal(signal);
    try {
      return await attempts(spec, send, signal, wait.signal, model, sent);
    } catch (err) {
      if (!_isAbort(err, signal) && err !== null && typeof err === 'object')
        attemptsByError.set(err, sent.attempts);
      throw err;
    } finally {
      wait.dispose();
    }
  }

  /** The attempt loop of {@link network}; counts its sends in `sent.attempts`. */
  async function attempts<T>(
    spec: CallSpec,
    send: (signal: AbortSignal) => Promise<CallOutcome<T>>,
    signal: AbortSignal,
    waits: AbortSignal,
    model: string | undefined,
    sent: { attempts: number },
  ): Promise<CallResult<T>> {
    let estimate: number | undefined;
    if (limiter !== undefined && Number.isFinite(limiter.tpm))
      estimate =
        spec.estimatedTokens ??
        _estimateRequestTokens(spec.tokenSource ?? spec.request, limiter.expectedOutputTokens);
    // A cost budget cannot stop what it cannot count: an unpriced model is refused before it is paid.
    _refuseUnpriced(model, pricing, limits.maxCostUsd, spec.exampleId);
    const forExample = spec.exampleId === undefined ? '' : ` for example "${spec.exampleId}"`;
    const idField = spec.exampleId === undefined ? {} : { exampleId: spec.exampleId };
    for (let attempt = 0; ; attempt++) {
      const trip = tripError(spec);
      if (trip !== undefined) throw trip;
      _enforceBudget(limits, totals, spec.exampleId);
      if (signal.aborted) throw signal.reason;
      let startedAt: number;
      try {
        startedAt = await gate.acquire(waits);
      } catch (err) {
        throw tripError(spec) ?? err;
      }
      let lease: ReturnType<RateLimiter['tryAcquire']>;
      try {
        if (limiter !== undefined) lease = await limiter.acquire(estimate ?? 0, waits);
        const tripped = tripError(spec);
        if (tripped !== undefined) throw tripped;
        // Waiting may have taken a while, and others may have spent the budget meanwhile.
        _enforceBudget(limits, totals, spec.exampleId);
      } catch (err) {
        lease?.release();
        gate.release();
        throw tripError(spec) ?? err;
      }
      totals.requests++;
      sent.attempts++;
      let outcome: CallOutcome<T>;
      try {
        outcome = await _withTimeout(send, signal, timeoutMs, `${spec.kind} call`, spec.exampleId);
      } catch (caught) {
        lease?.release();
        gate.release();
        // The sender failed before its request left (the SDK refused to build it): a request is counted when sent.
        if (_wasNotSent(caught)) {
          totals.requests--;
          sent.attempts--;
          throw caught;
        }
        if (_isAbort(caught, signal)) throw caught;
        const err = _asProviderResponseError(caught, spec.exampleId) ?? caught;
        const failure = _connectionFailureOf(err);
        if (failure !== undefined) {
          const host =
            failure.host ??
            (spec.endpoint === undefined ? undefined : (_hostOfUrl(spec.endpoint) ?? spec.endpoint));
          if (breaker.failed(host === undefined ? failure : { ...failure, host }, err) !== undefined)
            throw tripError(spec);
        } else if (_reachedServer(err)) breaker.reached();
        const status = (err as { status?: unknown } | null)?.status;
        let asked: number | undefined;
        if (status === 429) {
          gate.onRateLimited(startedAt);
          const exhausted = _exhaustedForMs(_rateLimitHeaders(err));
          // The hold stops every call of the run, so it is capped like a single call's wait.
          if (exhausted !== undefined) {
            gate.holdUntil(now() + Math.min(exhausted, maxWaitMs));
            // A shared limiter passes the hold on to every process that shares it.
            if (limiter?.pause !== undefined)
              Promise.resolve(limiter.pause(Math.min(exhausted, maxWaitMs))).catch(() => {});
          }
          asked = _retryAfterMs(err) ?? exhausted;
          const rateLimited = (message: string) =>
            new RateLimitError(message, {
              cause: err,
              status: 429,
              ...idField,
              ...(asked === undefined ? {} : { retryAfterMs: asked }),
            });
          if (asked !== undefined && asked > maxWaitMs) {
            const n = attempt + 1;
            throw rateLimited(
              `Provider asked to wait ${formatWait(asked)} before retrying${forExample}, longer than retry.maxWaitMs (${maxWaitMs} ms); gave up after ${n} attempt${n === 1 ? '' : 's'}`,
            );
          }
          if (attempt >= maxRetries)
            throw rateLimited(`Rate limited on every one of ${attempt + 1} attempts${forExample}`);
        }
        if (attempt >= maxRetries || !_isRetryable(err)) throw err;
        totals.retries++;
        const backoff = _backoffMs(attempt, baseMs, maxMs, random);
        try {
          await sleep(asked === undefined ? backoff : Math.max(asked, backoff), waits);
        } catch (sleepErr) {
          throw tripError(spec) ?? sleepErr;
        }
        continue;
      }
      breaker.reached();
      const usage = outcome.usage;
      lease?.release(usage ? usage.inputTokens + usage.outputTokens : undefined);
      gate.release();
      gate.onSuccess();
      let costUsd = outcome.costUsd;
      if (costUsd === undefined && usage !== undefined) costUsd = costOf(model, usage);
      if (costUsd === undefined && usage !== undefined) countUnpriced(model);
      if (usage) {
        totals.inputTokens += usage.inputTokens;
        totals.outputTokens += usage.outputTokens;
      }
      if (costUsd !== undefined) totals.costUsd += costUsd;
      const result: { value: T; usage?: Usage; costUsd?: number; cached: boolean; retries: number } = {
        value: outcome.value,
        cached: false,
        retries: attempt,
      };
      if (usage !== undefined) result.usage = usage;
      if (costUsd !== undefined) result.costUsd = costUsd;
      return result;
    }
  }

  // Entries of an earlier key format: looked for on misses until one is found, then warned about once.
  let legacySeen = false;
  async function legacyEntry(spec: CallSpec, store: CacheStore): Promise<boolean> {
    if (legacySeen || spec.legacyKey === undefined || !cacheReads) return false;
    try {
      const got = store.get(spec.legacyKey);
      const entry = isThenable(got) ? await got : got;
      if (entry === undefined) return false;
    } catch {
      return false;
    }
    legacySeen = true;
    faults.set(LEGACY_WARNING, {
      count: 1,
      first:
        'entries written by an earlier evalgate, whose key did not include the endpoint, are ignored (misses, sent again and stored under the new key)',
    });
    return true;
  }

  let closed = false;

  async function call<T>(
    spec: CallSpec,
    send: (signal: AbortSignal) => Promise<CallOutcome<T>>,
    signal: AbortSignal,
  ): Promise<CallResult<T>> {
    if (closed)
      throw new RunClosedError(
        `A ${spec.kind} call${spec.exampleId === undefined ? '' : ` for example "${spec.exampleId}"`} was made after its evaluate() run had returned; nothing was sent (await every call inside the model or metric that makes it)`,
        spec.exampleId === undefined ? {} : { exampleId: spec.exampleId },
      );
    const tripped = tripError(spec);
    if (tripped !== undefined) throw tripped;
    const model = spec.model ?? requestModel(spec.request);
    if (!cacheOn) return network(spec, send, signal, model);
    const { store, mode } = cache;
    if (spec.request === undefined) {
      // Replay sends nothing, and a call without a request (a stream) cannot be answered from the cache.
      if (mode === 'replay') throw replayMiss(spec, undefined);
      return network(spec, send, signal, model);
    }
    const key = cacheKey(spec.request, spec.trial ?? 0, spec.api);
    let inFlight = flights.get(store);
    if (inFlight === undefined) {
      inFlight = new Map();
      flights.set(store, inFlight);
    }
    for (;;) {
      if (cacheReads) {
        let entry: CacheEntry | undefined;
        try {
          const got = store.get(key);
          entry = isThenable(got) ? await got : got;
        } catch (err) {
          // A corrupted entry or a failing store is a miss: the call is sent again and the entry overwritten.
          warn('cache read failed', err);
        }
        if (entry !== undefined) {
          countHit(entry, model);
          return hitResult<T>(entry);
        }
      }
      const leader = inFlight.get(key);
      if (leader !== undefined) {
        // Single flight: an identical call is under way in this process; share its answer.
        const settled = await _raceAbort(leader, signal);
        if (settled.ok) {
          countHit(settled.result, model);
          return { ...(settled.result as CallResult<T>), cached: true, retries: 0 };
        }
        // The leader was cancelled by its own signal, not ours: go again (perhaps as the leader).
        if (settled.leaderAborted) continue;
        throw settled.error;
      }
      if (mode === 'replay') throw replayMiss(spec, key, await legacyEntry(spec, store));
      totals.cacheMisses++;
      const flight = (async (): Promise<CallResult<T>> => {
        await legacyEntry(spec, store);
        const result = await network(spec, send, signal, model);
        if (cacheWrites) {
          const entry: { value: unknown; usage?: Usage; costUsd?: number } = { value: result.value };
          if (result.usage !== undefined) entry.usage = result.usage;
          if (result.costUsd !== undefined) entry.costUsd = result.costUsd;
          try {
            const done = store.set(key, entry);
            if (isThenable(done)) await done;
          } catch (err) {
            // The response is paid for: return it uncached rather than lose it.
            warn('cache write failed', err);
          }
        }
        return result;
      })();
      const settled: Promise<Flight> = flight.then(
        (result) => ({ ok: true, result }),
        (error: unknown) => ({ ok: false, error, leaderAborted: signal.aborted }),
      );
      inFlight.set(key, settled);
      const map = inFlight;
      try {
        return await flight;
      } finally {
        if (map.get(key) === settled) map.delete(key);
      }
    }
  }

  function recordUsage(usage: Usage | undefined, costUsd: number | undefined): void {
    if (usage !== undefined) {
      totals.inputTokens += usage.inputTokens;
      totals.outputTokens += usage.outputTokens;
    }
    if (costUsd !== undefined) totals.costUsd += costUsd;
    else if (usage !== undefined) countUnpriced(undefined);
  }

  return {
    call,
    close() {
      closed = true;
    },
    totals,
    recordUsage,
    recordRetry: () => {
      totals.retries++;
    },
    retryPolicy: { maxRetries, baseMs, maxMs },
    timeoutMs,
    get concurrency() {
      return { limit: gate.limit, active: gate.active, queued: gate.queued };
    },
    get warnings() {
      const consequence: Record<string, string> = {
        'cache read failed': ' (treated as misses)',
        'cache write failed': ' (responses kept, not cached)',
      };
      const lines = [...faults].map(([what, f]) =>
        what === LEGACY_WARNING
          ? `cache: ${f.first}`
          : `${what} ${f.count} time${f.count === 1 ? '' : 's'}${consequence[what] ?? ''}: ${f.first}`,
      );
      const noPrice = _unpricedWarning(unpriced);
      if (noPrice !== undefined) lines.push(noPrice);
      return Object.freeze(lines);
    },
    ...(limiter === undefined ? {} : { limiter }),
  };
}

/** The error of a replay-mode call that the cache cannot answer (`key` undefined: the call had no request). */
function replayMiss(spec: CallSpec, key: string | undefined, legacy = false): ReplayMissError {
  const what = spec.exampleId === undefined ? `a ${spec.kind} call` : `example "${spec.exampleId}"`;
  const message =
    key === undefined
      ? `Replay miss: ${what} has no cacheable request (an upload, or a call made without one); replay mode sends no request`
      : `Replay miss: no cached response for ${what} (${spec.kind} call, trial ${spec.trial ?? 0}, key ${key.slice(0, 12)}…); replay mode sends no request${legacy ? '. The cache holds an entry for it in the key format of an earlier evalgate (without the endpoint), which is not used: record the cache again' : ''}`;
  return new ReplayMissError(
    message,
    key ?? '',
    spec.exampleId === undefined ? {} : { exampleId: spec.exampleId },
  );
}

// Errors a sender threw before its request reached the network (see _markNotSent).
const notSent = new WeakSet<object>();

/**
 * Marks `err` as thrown by a sender before its request was sent (an SDK that refused to build it: missing
 * credentials, a path parameter it rejects), so the runtime does not count the attempt as a request and does not
 * retry it. Returns `err`. @internal
 */
export function _markNotSent<E>(err: E): E {
  if (err !== null && typeof err === 'object') notSent.add(err);
  return err;
}

/** Whether `err` was marked by {@link _markNotSent}. */
function _wasNotSent(err: unknown): boolean {
  return err !== null && typeof err === 'object' && notSent.has(err);
}

/** Settles with `promise`, or rejects with `signal.reason` as soon as `signal` aborts. @internal */
export function _raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** True for errors that mean "the run was cancelled", not "the call failed". */
export function _isAbort(err: unknown, signal: AbortSignal): boolean {
  return signal.aborted && (err === signal.reason || (err as { name?: unknown })?.name === 'AbortError');
}
