/**
 * The call runtime: every network call evaluate() makes — the model under test, judges, embeddings — goes
 * through one `CallRuntime` per run, which owns the response cache (lookup, replay, single flight, durable
 * writes), the budget, the global rate limit (RPM / TPM), the adaptive concurrency gate (AIMD), per-attempt
 * timeouts, retries with back-off, pricing, and the run's totals.
 * @module
 */
import { _describe } from '../_internal/describe.js';
import { _checkChoice, _checkInteger, _checkOptionsObject } from '../_internal/validate.js';
import {
  _isCacheStore,
  type CacheEntry,
  type CacheMode,
  type CacheOption,
  type CacheStore,
} from '../cache/CacheStore.js';
import { cacheKey } from '../cache/cacheKey.js';
import type { CallKind, CallOutcome, CallResult, Usage } from '../core/types.js';
import { RateLimitError, ReplayMissError, TimeoutError } from '../errors.js';

export type { CallOutcome, CallResult } from '../core/types.js';

import { _backoffMs, _exhaustedForMs, _rateLimitHeaders } from './backoff.js';
import { _checkBudget, _enforceBudget, type BudgetOptions } from './budget.js';
import { _createConcurrencyGate, type ConcurrencyGate } from './concurrencyGate.js';
import { _estimateRequestTokens } from './estimateTokens.js';
import { _checkPricing, _priceOf, type ModelPrice, type Pricing } from './pricing.js';
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
}

/** Retry policy for transient failures (429, 5xx, timeouts, connection resets). */
export interface RetryOptions {
  /** Attempts after the first. Minimum: `0`. @default 3 */
  readonly maxRetries?: number;
  /** Base delay of the exponential back-off, in ms. Minimum: `0`. @default 500 */
  readonly baseMs?: number;
  /** Cap on a back-off delay, in ms (a provider's `retry-after` is honoured even when longer). @default 30000 */
  readonly maxMs?: number;
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
}

/** One per evaluate() run; shared by the model and every metric that calls a model. */
export interface CallRuntime {
  /**
   * Runs one call: cache lookup, budget check, concurrency gate, rate limit, then `send` with a per-attempt
   * timeout and retries.
   * @throws {ReplayMissError} in `'replay'` mode when the response is not cached (nothing is sent).
   * @throws {BudgetExceededError} when a `budget` limit has been reached (nothing is sent).
   * @throws {RateLimitError} when every attempt was answered 429.
   * @throws {TimeoutError} when the last attempt timed out.
   */
  call<T>(
    spec: CallSpec,
    send: (signal: AbortSignal) => Promise<CallOutcome<T>>,
    signal: AbortSignal,
  ): Promise<CallResult<T>>;
  readonly totals: Readonly<MutableTotals>;
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
  /** Distinct warnings of the run (cache faults), for the result. */
  readonly warnings?: readonly string[];
  /** The adaptive concurrency gate: current limit, calls in flight, calls waiting. */
  readonly concurrency?: { readonly limit: number; readonly active: number; readonly queued: number };
  /** The rate limiter in use, when `rateLimit` set one. */
  readonly limiter?: RateLimiter;
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

const RETRYABLE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET']);

/** Whether a failure is worth another attempt: 408/409/429/5xx, timeouts, dropped connections. Never 400/401/403/404. */
export function _isRetryable(err: unknown): boolean {
  if (err instanceof TimeoutError) return true;
  if (err === null || typeof err !== 'object') return false;
  const e = err as { status?: unknown; code?: unknown; name?: unknown; cause?: unknown };
  if (typeof e.status === 'number')
    return e.status === 408 || e.status === 409 || e.status === 429 || e.status >= 500;
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

/** How a call in flight ended, as its followers see it (never rejects). */
type Flight =
  | { readonly ok: true; readonly result: CallResult<unknown> }
  | { readonly ok: false; readonly error: unknown; readonly leaderAborted: boolean };

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
  const baseMs = options.retry?.baseMs ?? 500;
  const maxMs = options.retry?.maxMs ?? 30_000;
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
    let estimate: number | undefined;
    if (limiter !== undefined && Number.isFinite(limiter.tpm))
      estimate = spec.estimatedTokens ?? _estimateRequestTokens(spec.request, limiter.expectedOutputTokens);
    for (let attempt = 0; ; attempt++) {
      _enforceBudget(limits, totals, spec.exampleId);
      if (signal.aborted) throw signal.reason;
      const startedAt = await gate.acquire(signal);
      let lease: ReturnType<RateLimiter['tryAcquire']>;
      try {
        if (limiter !== undefined) lease = await limiter.acquire(estimate ?? 0, signal);
        // Waiting may have taken a while, and others may have spent the budget meanwhile.
        _enforceBudget(limits, totals, spec.exampleId);
      } catch (err) {
        lease?.release();
        gate.release();
        throw err;
      }
      totals.requests++;
      let outcome: CallOutcome<T>;
      try {
        outcome = await _withTimeout(send, signal, timeoutMs, `${spec.kind} call`, spec.exampleId);
      } catch (err) {
        lease?.release();
        gate.release();
        const status = (err as { status?: unknown } | null)?.status;
        let asked: number | undefined;
        if (status === 429) {
          gate.onRateLimited(startedAt);
          const exhausted = _exhaustedForMs(_rateLimitHeaders(err));
          if (exhausted !== undefined) gate.holdUntil(now() + exhausted);
          asked = _retryAfterMs(err) ?? exhausted;
        }
        if (_isAbort(err, signal) || attempt >= maxRetries || !_isRetryable(err)) {
          if (status === 429) {
            throw new RateLimitError(
              `Rate limited on every one of ${attempt + 1} attempts${spec.exampleId === undefined ? '' : ` for example "${spec.exampleId}"`}`,
              {
                cause: err,
                status: 429,
                ...(spec.exampleId === undefined ? {} : { exampleId: spec.exampleId }),
                ...(asked === undefined ? {} : { retryAfterMs: asked }),
              },
            );
          }
          throw err;
        }
        totals.retries++;
        const backoff = _backoffMs(attempt, baseMs, maxMs, random);
        await sleep(asked === undefined ? backoff : Math.max(asked, backoff), signal);
        continue;
      }
      const usage = outcome.usage;
      lease?.release(usage ? usage.inputTokens + usage.outputTokens : undefined);
      gate.release();
      gate.onSuccess();
      let costUsd = outcome.costUsd;
      if (costUsd === undefined && usage !== undefined) costUsd = costOf(model, usage);
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

  async function call<T>(
    spec: CallSpec,
    send: (signal: AbortSignal) => Promise<CallOutcome<T>>,
    signal: AbortSignal,
  ): Promise<CallResult<T>> {
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
        const got = store.get(key);
        const entry = isThenable(got) ? await got : got;
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
      if (mode === 'replay') throw replayMiss(spec, key);
      totals.cacheMisses++;
      const flight = (async (): Promise<CallResult<T>> => {
        const result = await network(spec, send, signal, model);
        if (cacheWrites) {
          const entry: { value: unknown; usage?: Usage; costUsd?: number } = { value: result.value };
          if (result.usage !== undefined) entry.usage = result.usage;
          if (result.costUsd !== undefined) entry.costUsd = result.costUsd;
          const done = store.set(key, entry);
          if (isThenable(done)) await done;
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
  }

  return {
    call,
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
    ...(limiter === undefined ? {} : { limiter }),
  };
}

/** The error of a replay-mode call that the cache cannot answer (`key` undefined: the call had no request). */
function replayMiss(spec: CallSpec, key: string | undefined): ReplayMissError {
  const what = spec.exampleId === undefined ? `a ${spec.kind} call` : `example "${spec.exampleId}"`;
  const message =
    key === undefined
      ? `Replay miss: ${what} has no cacheable request (a streamed call); replay mode sends no request`
      : `Replay miss: no cached response for ${what} (${spec.kind} call, trial ${spec.trial ?? 0}, key ${key.slice(0, 12)}…); replay mode sends no request`;
  return new ReplayMissError(
    message,
    key ?? '',
    spec.exampleId === undefined ? {} : { exampleId: spec.exampleId },
  );
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
