/**
 * The call runtime: every network call evaluate() makes — the model under test, judges, embeddings — goes
 * through one {@link CallEngine} per run, which owns the response cache (lookup, replay, single flight, durable
 * writes), the budget, the global rate limit (RPM / TPM), the adaptive concurrency gate (AIMD), per-attempt
 * timeouts, retries with back-off (the library's one retry loop, {@link RetryPolicy}), the connection-failure
 * breaker, pricing, and the run's totals and warnings. Its state is private; each step of a call is a named
 * method a test can reach through `call`.
 * @module
 */
import { _describe } from '../_internal/describe.js';
import { _checkChoice, _checkInteger, _checkKnownKeys, _checkOptionsObject } from '../_internal/validate.js';
import {
  type CacheEntry,
  type CacheMode,
  type CacheOption,
  type CacheStore,
  isCacheStore,
} from '../cache/CacheStore.js';
import { cacheKey, repeatedKey } from '../cache/cacheKey.js';
import type { CallKind, CallOutcome, CallResult, Usage } from '../core/types.js';
import {
  ConnectionFailedError,
  ProviderCallError,
  RateLimitError,
  ReplayMissError,
  RunClosedError,
  serializeError,
} from '../errors.js';
import { type AbortNotice, AbortSource, noticeOf, type SignalSource } from './abortNotice.js';
import { _exhaustedForMs, _rateLimitHeaders } from './backoff.js';
import { type BudgetOptions, checkBudget, enforceBudget } from './budget.js';
import { _connectionFailureOf, _hostOfUrl, _reachedServer, _statusOf } from './classifyError.js';
import { _createConcurrencyGate, type ConcurrencyGate } from './concurrencyGate.js';
import { _createConnectionBreaker, type ConnectionBreaker } from './connectionBreaker.js';
import { _estimateRequestTokens } from './estimateTokens.js';
import {
  checkPricing,
  type ModelPrice,
  type Pricing,
  priceOf,
  refuseUnpriced,
  unpricedWarning,
} from './pricing.js';
import { asProviderResponseError, billedUsageOf } from './providerBodyError.js';
import {
  _checkRateLimitKeys,
  giveBackUnsent,
  isRateLimiter,
  type RateLimiter,
  type RateLimiterOptions,
  type RateLimitLease,
  rateLimiter,
} from './rateLimiter.js';
import type { RepeatedRequests } from './repeatedRequests.js';
import { type RetryOptions, RetryPolicy, retryAfterMs } from './retryPolicy.js';
import { type AttemptEnd, type AttemptSender, isAbort, raceAbort, sleep, withTimeout } from './waits.js';

export type { CallOutcome, CallResult } from '../core/types.js';
export type { RetryOptions } from './retryPolicy.js';

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
  /** {@link legacyKey}, computed only when it is looked up (on a miss). @internal */
  readonly legacyKeyOf?: () => string | undefined;
  /** The part of `request` the TPM estimate counts (an SDK request's body). @default `request` */
  readonly tokenSource?: unknown;
  /** The cache key of `request`, when the caller has it already (it is then not hashed again). @internal */
  readonly key?: string;
  /**
   * When the call's caller stops waiting for it, on the `performance.now()` clock (a row's scope passes the end of
   * its `rowTimeoutMs`): a retry whose wait would end at or past it is not made, and the call fails at once with
   * the error of its last attempt rather than sleeping until its signal aborts. @default none
   */
  readonly deadline?: number;
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
  /**
   * Cacheable calls that missed the cache and went to the network (counted when their first request is sent: a
   * call the budget, an abort or a tripped breaker stopped before sending is no miss).
   */
  cacheMisses: number;
  /**
   * Retries sent: every request after a call's first (a retry the budget refused after its wait, or an abort cut
   * short, is none), plus the whole-model retries of rows whose model made no call through evalgate.
   */
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

/** What a runtime warns about, as counts that add up across runtimes (the workers of a cluster run). */
export interface RuntimeNotes {
  /** Calls without a price, by model (`undefined`: a call that named no model). */
  readonly unpriced: ReadonlyMap<string | undefined, number>;
  /** What went wrong without failing a call, by kind: how many times, and the first error. */
  readonly faults: ReadonlyMap<string, { readonly count: number; readonly first: string }>;
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
   * Any error thrown after a send records how many attempts were made: read it with {@link attemptsOf}.
   * @param asked - the identical requests the phase of a row making this call has made (a row's scope passes
   *   them): the n-th is its own call and entry ({@link repeatedKey}), as it is its own request without a cache.
   *   @default none (every identical request shares one entry)
   */
  call<T>(
    spec: CallSpec,
    send: AttemptSender<CallOutcome<T>>,
    signal: SignalSource,
    asked?: RepeatedRequests,
  ): Promise<CallResult<T>>;
  readonly totals: Readonly<MutableTotals>;
  /**
   * Ends the runtime's run: every later `call` throws a {@link RunClosedError} before anything is sent (a call
   * a pipeline left running after `evaluate()` returned never reaches the network).
   */
  close(): void;
  /**
   * Counts tokens and cost that a model reported without making any call through the runtime (a plain function
   * that calls its provider itself), so totals and budgets see them. Tokens without a cost are priced as a call
   * to `model` would be (the run's pricing, then the default table); unpriced, they are counted as such. No
   * request is counted.
   * @returns the cost counted: the one reported, else the one priced, else `undefined`.
   */
  recordUsage(usage: Usage | undefined, costUsd: number | undefined, model?: string): number | undefined;
  /** Counts a retry made outside `call` (a model that makes no call through the runtime is retried whole). */
  recordRetry(): void;
  /**
   * Adds what calls made elsewhere spent (rows a cluster worker ran) to the totals, so the run's totals and its
   * budget see them. Nothing is sent or counted twice: those calls went through the worker's own runtime.
   */
  recordSpend(spent: Readonly<Partial<MutableTotals>>, notes?: Partial<RuntimeNotes>): void;
  /** What {@link warnings} are made of, as counts (what a cluster worker reports back with its spend). */
  readonly notes: RuntimeNotes;
  /** The retry policy in force: attempts after the first, the back-off's base and cap in ms, and its loop. */
  readonly retryPolicy: RetryPolicy;
  /** The per-attempt timeout in ms. */
  readonly timeoutMs: number;
  /** The adaptive concurrency gate: current limit, calls in flight, calls waiting. */
  readonly concurrency?: { readonly limit: number; readonly active: number; readonly queued: number };
  /** The rate limiter in use, when `rateLimit` set one. */
  readonly limiter?: RateLimiter;
  /**
   * What went wrong without failing a call, one line per kind with a count and the first error, e.g.
   * `'cache write failed 3 times (responses kept, not cached): Error: disk full'`. A cache read that fails is
   * a miss (the call is sent and the entry overwritten; in mode `'replay'` it is a `ReplayMissError` that says
   * the read failed); a cache write that fails keeps the paid response. A call whose value is empty
   * (`undefined`, `null`, `''`) is returned and not cached: `'empty response 2 times (returned, not cached): …'`
   * (a rerun sends it again; in mode `'replay'` it is a miss).
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

/** Attempts made by the call that threw an error (see {@link attemptsOf}). */
const attemptsByError = new WeakMap<object, number>();

/**
 * How many attempts (sends) the failed call made before it threw `err`, or `undefined` when `err` did not
 * come out of a call that reached the network stage. Retries are `attempts - 1`, the number the run's
 * `totals.retries` counted for that call. Backed by a WeakMap, so it works for foreign errors (the SDKs') too.
 * @example
 * ```ts
 * const err = await runtime.call(spec, send, signal).catch((e) => e);
 * attemptsOf(err);
 * // => 4 (maxRetries 3, every attempt answered 503)
 * ```
 * @internal
 */
export function attemptsOf(err: unknown): number | undefined {
  return err !== null && (typeof err === 'object' || typeof err === 'function')
    ? attemptsByError.get(err)
    : undefined;
}

/** How a call in flight ended, as its followers see it (never rejects). */
type Flight =
  | { readonly ok: true; readonly result: CallResult<unknown> }
  | { readonly ok: false; readonly error: unknown; readonly leaderAborted: boolean };

/** Calls in flight per store, shared by every runtime of the process (single flight). */
const flights = new WeakMap<CacheStore, Map<string, Promise<Flight>>>();

const CACHE_MODES: readonly CacheMode[] = ['read-write', 'read-only', 'write-only', 'replay', 'off'];

const LEGACY_WARNING = 'old key format';
/** The runtime's warning for calls whose value was empty (DESIGN: empty responses are never cached). */
const EMPTY_RESPONSE = 'empty response';

/** A value no cache keeps: `undefined`, `null` or `''`. */
function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function describeEmpty(value: unknown): string {
  return value === '' ? "''" : String(value);
}

/** A cache read not made yet. */
const NOT_READ: unique symbol = Symbol('not read');

/** A cache read: made (its entry, or a promise of it), or not yet. */
type Read = CacheEntry | undefined | Promise<CacheEntry | undefined> | typeof NOT_READ;

/**
 * A call on its way to the network, and what its attempts share: one object per call (what the attempts' callbacks
 * hold), with its sends so far and what the last failed send asked of the retry loop.
 */
interface NetworkCall<T> {
  readonly spec: CallSpec;
  readonly send: AttemptSender<CallOutcome<T>>;
  readonly signal: AbortNotice;
  readonly model: string | undefined;
  /** The signal of the call's waits (gate, limiter, back-off), made when a wait asks for it. */
  readonly waits: WaitSignal;
  /** The TPM estimate, when a token limit is in force. */
  estimate: number | undefined;
  attempts: number;
  /** The last send's error when the classification let it go on to the retry loop. */
  retryable: unknown;
  /** The wait the provider asked for after the last send, in ms. */
  asked: number | undefined;
  /**
   * The part of the next wait that a retry must fit before the caller's deadline: the back-off, or the provider's
   * `retry-after` when longer; not an exhausted bucket's reset, which holds the whole run's gate (see
   * {@link CallSpec.deadline}).
   */
  bounded: number;
  /** A cacheable call that missed: counted in `totals.cacheMisses` when its first request is sent. */
  readonly miss: boolean;
}

/** A call admitted to the network: when its gate slot was granted, and its rate-limit lease. */
interface Admission {
  readonly startedAt: number;
  readonly lease: RateLimitLease | undefined;
}

/**
 * The runtime of one run. Order of a call: cache lookup (a hit returns at once; a replay miss throws before
 * anything is sent) → join an identical call in flight, if any → budget check → concurrency gate → rate limiter
 * → `send` with its timeout → on success, price it, count it, and write it to the cache (awaited, so it is
 * durable before the caller sees it); on a transient failure, back off and go again from the budget check.
 * Errors are never cached.
 * @example
 * ```ts
 * const runtime = new CallEngine({ cache: sqliteCache('.evalgate/cache.sqlite'), rateLimit: { rpm: 500 } });
 * const { value, cached } = await runtime.call({ kind: 'model', request: body }, send, signal);
 * // => the response, from the cache when an earlier run stored it
 * ```
 */
/**
 * A call's abort signal, or what makes it when asked: a row's scope makes its signal only when read, and offers
 * a notice instead (see {@link AbortNotice}); a call answered from the cache reads neither.
 */
export type { SignalSource } from './abortNotice.js';

export class CallEngine implements CallRuntime {
  readonly totals: MutableTotals = {
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
  readonly retryPolicy: RetryPolicy;
  readonly timeoutMs: number;
  readonly limiter?: RateLimiter;
  readonly #breaker: ConnectionBreaker;
  readonly #sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly #now: () => number;
  readonly #gate: ConcurrencyGate;
  readonly #limits: Required<BudgetOptions>;
  readonly #pricing: Pricing;
  /** The store of a cache that is on (mode not `'off'`), its mode, and the store's calls in flight. */
  readonly #store: CacheStore | undefined;
  readonly #mode: CacheMode;
  readonly #inFlight: Map<string, Promise<Flight>>;
  readonly #reads: boolean;
  readonly #writes: boolean;
  /** Prices by model name, looked up once per model (the prefix search of dated snapshots is a scan). */
  readonly #prices = new Map<string | undefined, ModelPrice | undefined>();
  /** Unpriced calls by model (undefined: the call named none), for the one warning. */
  readonly #unpriced = new Map<string | undefined, number>();
  /** Faults that did not fail a call, by kind: how often, and the first error (warnings stay short). */
  readonly #faults = new Map<string, { count: number; first: string }>();
  #legacySeen = false;
  #closed = false;
  /**
   * Aborted once the totals reach a limit of the budget: the calls waiting (on the gate's hold, the rate limit, a
   * back-off) would be refused when their wait ends, so they are refused at once (see {@link WaitSignal}).
   */
  readonly #spent = new AbortSource();
  /** Whether the budget has a finite limit (else its check after each count is skipped). */
  readonly #budgeted: boolean;

  /** @throws {TypeError | RangeError} for options out of their ranges, naming the option. */
  constructor(options: RuntimeOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.retryPolicy = new RetryPolicy(options.retry, {
      ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
      ...(options.random === undefined ? {} : { random: options.random }),
    });
    this.#breaker = _createConnectionBreaker(this.retryPolicy.maxConsecutiveConnectionFailures);
    this.#sleep = options.sleep ?? sleep;
    this.#now = options.now ?? Date.now;
    const inf = Number.POSITIVE_INFINITY;
    const concurrency = _checkInteger('concurrency', options.concurrency ?? inf, 1, undefined, true);
    const cache = resolveCache(options.cache);
    this.#mode = cache?.mode ?? 'off';
    this.#store = this.#mode === 'off' ? undefined : cache?.store;
    this.#reads = this.#store !== undefined && this.#mode !== 'write-only';
    this.#writes = this.#store !== undefined && (this.#mode === 'read-write' || this.#mode === 'write-only');
    this.#inFlight = this.#store === undefined ? new Map() : flightsOf(this.#store);
    if (this.#mode === 'replay') this.#store?.replaying?.();
    this.#limits = checkBudget(options.budget);
    const limits = this.#limits;
    this.#budgeted = [limits.maxCostUsd, limits.maxTokens, limits.maxRequests].some(Number.isFinite);
    this.#pricing = checkPricing(options.pricing);
    if (isRateLimiter(options.rateLimit)) this.limiter = options.rateLimit;
    else if (options.rateLimit !== undefined) {
      const rl = options.rateLimit as RateLimiterOptions;
      _checkOptionsObject('rateLimit', rl);
      _checkRateLimitKeys(rl);
      if (rl.rpm !== undefined || rl.tpm !== undefined) this.limiter = rateLimiter(rl);
    }
    this.#gate = _createConcurrencyGate({ max: concurrency, now: this.#now });
  }

  /**
   * See {@link CallRuntime.call}. A hit from a store that answers synchronously (SQLite, memory) resolves
   * without entering the asynchronous path: no attempt, no flight, one promise.
   */
  call<T>(
    spec: CallSpec,
    send: AttemptSender<CallOutcome<T>>,
    source: SignalSource,
    asked?: RepeatedRequests,
  ): Promise<CallResult<T>> {
    try {
      if (this.#closed) throw closedError(spec);
      const tripped = this.#tripError(spec);
      if (tripped !== undefined) throw tripped;
      const model = spec.model ?? requestModel(spec.request);
      const store = this.#store;
      if (store === undefined) return this.#network(spec, send, noticeOf(source), model);
      if (spec.request === undefined) {
        // Replay sends nothing, and a call without a request (a stream) cannot be answered from the cache.
        if (this.#mode === 'replay') throw replayMiss(spec, undefined);
        return this.#network(spec, send, noticeOf(source), model);
      }
      const requestKey = spec.key ?? cacheKey(spec.request, spec.trial ?? 0, spec.api);
      const place = asked === undefined ? 0 : asked.take(requestKey);
      const key = place === 0 ? requestKey : repeatedKey(requestKey, place);
      let first: Read = NOT_READ;
      if (this.#reads) {
        first = this.#read(spec, store, key);
        if (first !== undefined && !isThenable(first)) return Promise.resolve(this.#hit<T>(first, model));
      }
      const call = this.#cached(spec, send, noticeOf(source), model, key, store, first);
      // A failed call wrote no entry: the identical request made after it (a retry) takes its place.
      if (asked !== undefined) call.then(undefined, () => asked.giveBack(requestKey, place));
      return call;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Ends the run: every later call is refused before anything is sent. */
  close(): void {
    this.#closed = true;
  }

  /** See {@link CallRuntime.recordUsage}. */
  recordUsage(usage: Usage | undefined, costUsd: number | undefined, model?: string): number | undefined {
    let cost = costUsd;
    if (usage !== undefined) {
      this.totals.inputTokens += usage.inputTokens;
      this.totals.outputTokens += usage.outputTokens;
      if (cost === undefined) {
        cost = this.#costOf(model, usage);
        if (cost === undefined) this.#countUnpriced(model);
      }
    }
    if (cost !== undefined) this.totals.costUsd += cost;
    this.#checkSpent();
    return cost;
  }

  /** See {@link CallRuntime.recordRetry}. */
  recordRetry(): void {
    this.totals.retries++;
  }

  /** See {@link CallRuntime.recordSpend}. */
  recordSpend(spent: Readonly<Partial<MutableTotals>>, notes?: Partial<RuntimeNotes>): void {
    const totals = this.totals;
    // `unpricedCalls` is absent until a first unpriced call: undefined + n would be NaN.
    for (const k of Object.keys(spent) as (keyof MutableTotals)[])
      totals[k] = (totals[k] ?? 0) + (spent[k] ?? 0);
    for (const [model, n] of notes?.unpriced ?? [])
      this.#unpriced.set(model, (this.#unpriced.get(model) ?? 0) + n);
    for (const [what, f] of notes?.faults ?? []) {
      const mine = this.#faults.get(what);
      if (mine === undefined) this.#faults.set(what, { count: f.count, first: f.first });
      else mine.count += f.count;
    }
    this.#checkSpent();
  }

  /** See {@link CallRuntime.notes}. */
  get notes(): RuntimeNotes {
    return {
      unpriced: new Map(this.#unpriced),
      faults: new Map([...this.#faults].map(([what, f]) => [what, { ...f }])),
    };
  }

  /** The adaptive concurrency gate: current limit, calls in flight, calls waiting. */
  get concurrency(): { readonly limit: number; readonly active: number; readonly queued: number } {
    return { limit: this.#gate.limit, active: this.#gate.active, queued: this.#gate.queued };
  }

  /** See {@link CallRuntime.warnings}. */
  get warnings(): readonly string[] {
    const consequence: Record<string, string> = {
      'cache read failed': ' (treated as misses)',
      'cache write failed': ' (responses kept, not cached)',
      [EMPTY_RESPONSE]: ' (returned, not cached)',
    };
    const lines = [...this.#faults].map(([what, f]) =>
      what === LEGACY_WARNING
        ? `cache: ${f.first}`
        : `${what} ${f.count} time${f.count === 1 ? '' : 's'}${consequence[what] ?? ''}: ${f.first}`,
    );
    const noPrice = unpricedWarning(this.#unpriced);
    if (noPrice !== undefined) lines.push(noPrice);
    return Object.freeze(lines);
  }

  // ---- cache lookup and single flight ----

  /**
   * A cacheable call: the cache (`first`: the read `call` made already), then an identical call in flight, then
   * the network as the flight's leader.
   */
  async #cached<T>(
    spec: CallSpec,
    send: AttemptSender<CallOutcome<T>>,
    signal: AbortNotice,
    model: string | undefined,
    key: string,
    store: CacheStore,
    first: Read,
  ): Promise<CallResult<T>> {
    let read = first;
    for (;;) {
      if (this.#reads) {
        const entry = await (read === NOT_READ ? this.#read(spec, store, key) : read);
        read = NOT_READ;
        if (entry !== undefined) return this.#hit<T>(entry, model);
      }
      const leader = this.#inFlight.get(key);
      if (leader !== undefined) {
        // Single flight: an identical call is under way in this process; share its answer.
        const settled = await raceAbort(leader, signal);
        if (settled.ok) {
          this.#countHit(settled.result, model);
          // Copied, then set (a literal spreading an object before its own properties takes a slow path in Node 20's V8).
          const shared: { -readonly [K in keyof CallResult<T>]: CallResult<T>[K] } = Object.assign(
            {},
            settled.result as CallResult<T>,
          );
          shared.cached = true;
          shared.retries = 0;
          return shared;
        }
        // The leader was cancelled by its own signal, not ours: go again (perhaps as the leader).
        if (settled.leaderAborted) continue;
        throw settled.error;
      }
      if (this.#mode === 'replay') throw replayMiss(spec, key, await this.#legacyEntry(spec, store));
      return this.#lead(spec, send, signal, model, key, store);
    }
  }

  /**
   * Reads `key`, synchronously when the store answers so; a corrupted entry or a failing store is a miss (the
   * call is sent and the entry overwritten). In mode `'replay'` nothing is sent, so a failed read ends the call
   * with a {@link ReplayMissError} that says the read failed: the entry may be there, and a miss would say not.
   */
  #read(
    spec: CallSpec,
    store: CacheStore,
    key: string,
  ): CacheEntry | undefined | Promise<CacheEntry | undefined> {
    try {
      const got = store.get(key);
      if (!isThenable(got)) return got;
      // The handler is made only for a store that answers later: a synchronous read (SQLite, memory) is the
      // replay's hot path.
      return got.then(undefined, (err: unknown) => this.#readFailed(spec, key, err));
    } catch (err) {
      return this.#readFailed(spec, key, err);
    }
  }

  /** A failed cache read: a miss with a warning, or in mode `'replay'` (nothing is sent) a ReplayMissError. */
  #readFailed(spec: CallSpec, key: string, err: unknown): undefined {
    if (this.#mode === 'replay') throw replayReadFailed(spec, key, err);
    this.#warn('cache read failed', err);
    return undefined;
  }

  /** The result of a cache hit, counted. */
  #hit<T>(entry: CacheEntry, model: string | undefined): CallResult<T> {
    this.#countHit(entry, model);
    const out: { value: T; usage?: Usage; costUsd?: number; cached: true; retries: 0 } = {
      value: entry.value as T,
      cached: true,
      retries: 0,
    };
    if (entry.usage !== undefined) out.usage = entry.usage;
    if (entry.costUsd !== undefined) out.costUsd = entry.costUsd;
    return out;
  }

  #countHit(entry: { readonly usage?: Usage; readonly costUsd?: number }, model: string | undefined): void {
    const totals = this.totals;
    totals.cacheHits++;
    const usage = entry.usage;
    if (usage) {
      totals.savedInputTokens += usage.inputTokens;
      totals.savedOutputTokens += usage.outputTokens;
    }
    const cost = entry.costUsd ?? (usage ? this.#costOf(model, usage) : undefined);
    if (cost !== undefined) totals.savedCostUsd += cost;
  }

  /** Sends a missed call as the leader of its flight: identical calls started meanwhile wait for its answer. */
  async #lead<T>(
    spec: CallSpec,
    send: AttemptSender<CallOutcome<T>>,
    signal: AbortNotice,
    model: string | undefined,
    key: string,
    store: CacheStore,
  ): Promise<CallResult<T>> {
    const flight = this.#fetchAndStore(spec, send, signal, model, key, store);
    const settled: Promise<Flight> = flight.then(
      (result) => ({ ok: true, result }),
      (error: unknown) => ({ ok: false, error, leaderAborted: signal.aborted }),
    );
    const inFlight = this.#inFlight;
    inFlight.set(key, settled);
    try {
      return await flight;
    } finally {
      if (inFlight.get(key) === settled) inFlight.delete(key);
    }
  }

  /** The network call of a miss, then its durable write (a failed write keeps the paid response). */
  async #fetchAndStore<T>(
    spec: CallSpec,
    send: AttemptSender<CallOutcome<T>>,
    signal: AbortNotice,
    model: string | undefined,
    key: string,
    store: CacheStore,
  ): Promise<CallResult<T>> {
    await this.#legacyEntry(spec, store);
    const result = await this.#network(spec, send, signal, model, true);
    if (this.#writes && isEmpty(result.value)) this.#noteEmpty(result.value);
    else if (this.#writes) {
      const entry: { value: unknown; usage?: Usage; costUsd?: number } = { value: result.value };
      if (result.usage !== undefined) entry.usage = result.usage;
      if (result.costUsd !== undefined) entry.costUsd = result.costUsd;
      try {
        const done = store.set(key, entry);
        if (isThenable(done)) await done;
      } catch (err) {
        // The response is paid for: return it uncached rather than lose it.
        this.#warn('cache write failed', err);
      }
    }
    return result;
  }

  /** Entries of an earlier key format: looked for on misses until one is found, then warned about once. */
  async #legacyEntry(spec: CallSpec, store: CacheStore): Promise<boolean> {
    if (this.#legacySeen || !this.#reads) return false;
    const legacyKey = spec.legacyKey ?? spec.legacyKeyOf?.();
    if (legacyKey === undefined) return false;
    try {
      const got = store.get(legacyKey);
      const entry = isThenable(got) ? await got : got;
      if (entry === undefined) return false;
    } catch {
      return false;
    }
    this.#legacySeen = true;
    this.#faults.set(LEGACY_WARNING, {
      count: 1,
      first:
        'entries written by an earlier evalgate, whose key did not include the endpoint, are ignored (misses, sent again and stored under the new key)',
    });
    return true;
  }

  // ---- attempts and retries ----

  /**
   * Sends the call with the run's retry policy; an error it throws records how many attempts it made. The first
   * attempt is made directly and settled by callbacks (most calls need no other, and an async frame held across
   * a live call costs the collector more than the callbacks); a send's failure the classification let through
   * goes to {@link #retry}.
   */
  #network<T>(
    spec: CallSpec,
    send: AttemptSender<CallOutcome<T>>,
    signal: AbortNotice,
    model: string | undefined,
    miss = false,
  ): Promise<CallResult<T>> {
    const call: NetworkCall<T> = {
      spec,
      send,
      signal,
      model,
      waits: this.#waitSignal(signal),
      estimate: undefined,
      attempts: 0,
      retryable: undefined,
      asked: undefined,
      bounded: 0,
      miss,
    };
    let admission: Admission | Promise<Admission>;
    try {
      call.estimate = this.#estimate(spec);
      // A cost budget cannot stop what it cannot count: an unpriced model is refused before it is paid.
      refuseUnpriced(model, this.#pricing, this.#limits.maxCostUsd, spec.exampleId);
      admission = this.#admit(call);
    } catch (err) {
      this.#failed(err, call);
      return Promise.reject(err);
    }
    if (admission instanceof Promise)
      return admission
        .then((admitted) => this.#send(call, admitted, 0))
        .then(
          (result) => {
            call.waits.dispose();
            return result;
          },
          (err: unknown) => this.#afterFirst(err, call),
        );
    // Admitted at once (the common case): the send's outcome is settled in one step, by the attempt itself.
    const admitted = admission;
    return this.#sending(call, {
      ok: (outcome) => {
        call.waits.dispose();
        return this.#settle(outcome, admitted.lease, 0, model);
      },
      failed: (caught, stopped) => this.#afterFirst(this.#failure(caught, call, admitted, 0, stopped), call),
    });
  }

  /** After a first attempt failed with `err`: the retry policy when it may be retried, else the call's failure. */
  #afterFirst<T>(err: unknown, call: NetworkCall<T>): Promise<CallResult<T>> {
    if (err === call.retryable) return this.#retry(call, err);
    this.#failed(err, call);
    throw err;
  }

  /** The attempts after a first one whose failure may be retried: the retry policy decides, from its attempt 0. */
  async #retry<T>(call: NetworkCall<T>, failed: unknown): Promise<CallResult<T>> {
    try {
      const result = await this.retryPolicy.run(
        (attempt) => (attempt === 0 ? Promise.reject(failed) : this.#attempt(call, attempt)),
        {
          // Only a send's failure that the classification let through is retried (never an admission's).
          // A retry is counted when it is sent (see #sending): one the budget refuses after its wait, or an abort
          // cuts short, sent nothing.
          canRetry: (err) => err === call.retryable,
          delayMs: (backoff, err) => {
            const asked = call.asked;
            // A wait the provider announced for this call (retry-after), not its bucket's reset (x-ratelimit-*).
            const announced = asked === undefined || retryAfterMs(err) === undefined ? 0 : asked;
            call.bounded = Math.max(announced, backoff);
            return asked === undefined ? backoff : Math.max(asked, backoff);
          },
          // A wait that reaches the caller's deadline is not waited: the retry would be aborted before it is sent,
          // and the call would fail with the caller's timeout instead of the provider's error (status, message).
          wait: (ms) =>
            outlasts(call.bounded, call.spec.deadline)
              ? Promise.reject(call.retryable)
              : this.#sleep(ms, call.waits.signal).catch((err: unknown) => {
                  throw this.#tripError(call.spec) ?? this.#refused(err, call.spec);
                }),
        },
      );
      call.waits.dispose();
      return result;
    } catch (err) {
      this.#failed(err, call);
      throw err;
    }
  }

  /** A call that failed: its error records the attempts it made (a cancellation's does not), and its waits end. */
  #failed(err: unknown, call: NetworkCall<unknown>): void {
    if (!isAbort(err, call.signal) && err !== null && typeof err === 'object')
      attemptsByError.set(err, call.attempts);
    call.waits.dispose();
  }

  /** The TPM estimate of a call, when a token limit is in force. */
  #estimate(spec: CallSpec): number | undefined {
    const limiter = this.limiter;
    if (limiter === undefined || !Number.isFinite(limiter.tpm)) return undefined;
    return (
      spec.estimatedTokens ??
      _estimateRequestTokens(spec.tokenSource ?? spec.request, limiter.expectedOutputTokens)
    );
  }

  /** One attempt after the first: admission, then the send with its timeout (see {@link #send}). Rejects. */
  #attempt<T>(call: NetworkCall<T>, attempt: number): Promise<CallResult<T>> {
    call.retryable = undefined;
    call.asked = undefined;
    let admission: Admission | Promise<Admission>;
    try {
      admission = this.#admit(call);
    } catch (err) {
      return Promise.reject(err);
    }
    return admission instanceof Promise
      ? admission.then((admitted) => this.#send(call, admitted, attempt))
      : this.#send(call, admission, attempt);
  }

  /**
   * The send of an admitted attempt, with its timeout; a failure is classified before it is thrown. The budget is
   * checked again in the step that counts the request: an attempt that waited (gate, limiter) is sent a step
   * after its wait ended, others may have spent the budget meanwhile, and calls a wait released together must
   * each see the requests of those sent before it.
   */
  #send<T>(call: NetworkCall<T>, admitted: Admission, attempt: number): Promise<CallResult<T>> {
    try {
      enforceBudget(this.#limits, this.totals, call.spec.exampleId);
    } catch (err) {
      // Refused before it was sent: the limiter's slot goes back unused (a shared limiter serves other runs).
      giveBackUnsent(admitted.lease);
      this.#gate.release();
      return Promise.reject(err);
    }
    return this.#sending(call, {
      ok: (outcome) => this.#settle(outcome, admitted.lease, attempt, call.model),
      failed: (caught, stopped) => {
        throw this.#failure(caught, call, admitted, attempt, stopped);
      },
    });
  }

  /** The send of an admitted attempt, counted as a request (and, after the call's first, a retry), with its timeout; `end` settles it. */
  #sending<T>(call: NetworkCall<T>, end: AttemptEnd<CallOutcome<T>, CallResult<T>>): Promise<CallResult<T>> {
    this.totals.requests++;
    // A miss is a call that looked in the cache and then went to the network: counted with its first request.
    if (call.miss && call.attempts === 0) this.totals.cacheMisses++;
    // Every request after a call's first is a retry: `totals.retries` is the sum of each call's attempts - 1.
    if (call.attempts > 0) this.totals.retries++;
    call.attempts++;
    this.#checkSpent();
    const { spec } = call;
    return withTimeout(call.send, call.signal, this.timeoutMs, `${spec.kind} call`, spec.exampleId, end);
  }

  /**
   * What an attempt's failed send (`caught`) makes the call fail with: its slot and lease freed, and the error
   * classified (see {@link #classifyFailure}). The error is recorded in `call.retryable` when the retry loop may
   * try again; returned, not thrown, so that the first attempt's handler goes on without a second promise. The
   * tokens the provider billed for it are counted: those its error carries (a stream cut off or failed midway), or
   * those its sender marked the attempt's notice with as the attempt was stopped (a stream that stalled until its
   * timeout, see `withBilledUsage`).
   */
  #failure(
    caught: unknown,
    call: NetworkCall<unknown>,
    admitted: Admission,
    attempt: number,
    stopped?: AbortNotice,
  ): unknown {
    this.#gate.release();
    // The sender failed before its request left (the SDK refused to build it): a request is counted when sent.
    if (wasNotSent(caught)) {
      giveBackUnsent(admitted.lease);
      this.totals.requests--;
      call.attempts--;
      if (call.attempts > 0) this.totals.retries--;
      if (call.miss && call.attempts === 0) this.totals.cacheMisses--;
      return caught;
    }
    const billed = billedUsageOf(caught) ?? billedUsageOf(stopped);
    admitted.lease?.release(billed === undefined ? undefined : billed.inputTokens + billed.outputTokens);
    if (billed !== undefined) this.#countBilled(billed, call.model);
    if (isAbort(caught, call.signal)) return caught;
    const err = asProviderResponseError(caught, call.spec.exampleId) ?? caught;
    try {
      call.asked = this.#classifyFailure(err, call.spec, admitted.startedAt, attempt);
    } catch (ending) {
      return ending;
    }
    call.retryable = err;
    return err;
  }

  /**
   * Budget, concurrency gate and rate limit, checked again after every wait; nothing is held on a refusal. A
   * call that need not wait (a free slot, no rate limit) is admitted synchronously, without a promise.
   */
  #admit(call: NetworkCall<unknown>): Admission | Promise<Admission> {
    const { spec, signal } = call;
    const trip = this.#tripError(spec);
    if (trip !== undefined) throw trip;
    enforceBudget(this.#limits, this.totals, spec.exampleId);
    if (signal.aborted) throw signal.reason;
    // A free slot is taken without a promise, and without making the waits' signal.
    const free = this.#gate.tryAcquire();
    if (free !== undefined && this.limiter === undefined) return { startedAt: free, lease: undefined };
    return this.#admitWaiting(spec, call.waits, call.estimate, free);
  }

  /** The rest of {@link #admit} when the call must wait for a slot or for the rate limit. */
  async #admitWaiting(
    spec: CallSpec,
    waits: { readonly signal: AbortSignal },
    estimate: number | undefined,
    free: number | undefined,
  ): Promise<Admission> {
    let startedAt: number;
    try {
      startedAt = free ?? (await this.#gate.acquire(waits.signal));
    } catch (err) {
      throw this.#tripError(spec) ?? this.#refused(err, spec);
    }
    let lease: RateLimitLease | undefined;
    try {
      if (this.limiter !== undefined) lease = await this.limiter.acquire(estimate ?? 0, waits.signal);
      const tripped = this.#tripError(spec);
      if (tripped !== undefined) throw tripped;
    } catch (err) {
      giveBackUnsent(lease);
      this.#gate.release();
      throw this.#tripError(spec) ?? this.#refused(err, spec);
    }
    return { startedAt, lease };
  }

  // ---- error classification and limits ----

  /**
   * What a failed send means for the run: a connection failure counts toward the breaker (and may trip it), a
   * 429 halves the gate and may hold it, and a provider's wait is honoured up to `retry.maxWaitMs`. Returns the
   * wait the provider asked for; throws when the call must end here whatever the retry policy says.
   */
  #classifyFailure(err: unknown, spec: CallSpec, startedAt: number, attempt: number): number | undefined {
    const failure = _connectionFailureOf(err);
    if (failure !== undefined) {
      const host =
        failure.host ??
        (spec.endpoint === undefined ? undefined : (_hostOfUrl(spec.endpoint) ?? spec.endpoint));
      if (this.#breaker.failed(host === undefined ? failure : { ...failure, host }, err) !== undefined)
        throw this.#tripError(spec);
    } else if (_reachedServer(err)) this.#breaker.reached();
    const status = _statusOf(err);
    if (status === 503) return this.#unavailableFor(err, spec, attempt);
    if (status !== 429) return undefined;
    const maxWaitMs = this.retryPolicy.maxWaitMs;
    this.#gate.onRateLimited(startedAt);
    const exhausted = _exhaustedForMs(_rateLimitHeaders(err));
    // The hold stops every call of the run, so it is capped like a single call's wait.
    if (exhausted !== undefined) {
      this.#gate.holdUntil(this.#now() + Math.min(exhausted, maxWaitMs));
      // A shared limiter passes the hold on to every process that shares it.
      if (this.limiter?.pause !== undefined)
        Promise.resolve(this.limiter.pause(Math.min(exhausted, maxWaitMs))).catch(() => {});
    }
    const asked = retryAfterMs(err) ?? exhausted;
    const forExample = spec.exampleId === undefined ? '' : ` for example "${spec.exampleId}"`;
    const rateLimited = (message: string) =>
      new RateLimitError(message, {
        cause: err,
        status: 429,
        ...(spec.exampleId === undefined ? {} : { exampleId: spec.exampleId }),
        ...(asked === undefined ? {} : { retryAfterMs: asked }),
      });
    const n = attempt + 1;
    if (asked !== undefined && asked > maxWaitMs)
      throw rateLimited(
        `Provider asked to wait ${formatWait(asked)} before retrying${forExample}, longer than retry.maxWaitMs (${maxWaitMs} ms); gave up after ${n} attempt${n === 1 ? '' : 's'}`,
      );
    if (attempt >= this.retryPolicy.maxRetries)
      throw rateLimited(`Rate limited on every one of ${n} attempts${forExample}`);
    return asked;
  }

  /**
   * A 503's announced outage (RFC 9110 §10.2.3): its `retry-after` is waited out like a 429's, and one longer than
   * `retry.maxWaitMs` ends the call at once rather than retrying into it. Returns the wait asked for, if any.
   */
  #unavailableFor(err: unknown, spec: CallSpec, attempt: number): number | undefined {
    const asked = retryAfterMs(err);
    const maxWaitMs = this.retryPolicy.maxWaitMs;
    if (asked === undefined || asked <= maxWaitMs) return asked;
    const n = attempt + 1;
    throw new ProviderCallError(
      `Provider answered 503 and asked to wait ${formatWait(asked)} before retrying${spec.exampleId === undefined ? '' : ` for example "${spec.exampleId}"`}, longer than retry.maxWaitMs (${maxWaitMs} ms); gave up after ${n} attempt${n === 1 ? '' : 's'}`,
      { cause: err, status: 503, ...(spec.exampleId === undefined ? {} : { exampleId: spec.exampleId }) },
    );
  }

  /** The error every call throws once the breaker has tripped, or `undefined`. */
  #tripError(spec: CallSpec): ConnectionFailedError | undefined {
    const trip = this.#breaker.tripped;
    if (trip === undefined) return undefined;
    const { code, detail, host } = trip.failure;
    return new ConnectionFailedError(
      `Cannot connect to ${host ?? 'the provider (the error names no host)'}: ${code} (${detail}); ` +
        `${trip.failures} connection failures in a row with no successful call in between ` +
        `(retry.maxConsecutiveConnectionFailures: ${this.retryPolicy.maxConsecutiveConnectionFailures}), so no further request is sent`,
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
   * as the breaker trips, so that no call waits out a back-off against a provider known to be unreachable, or the
   * budget is reached, so that no call waits out a hold (up to `retry.maxWaitMs`) only to be refused. Made
   * the first time a wait asks for it: most calls never wait, and an abort signal with its listeners is a
   * measurable part of a live call at high concurrency.
   */
  #waitSignal(signal: AbortNotice): WaitSignal {
    return new WaitSignal(signal, this.#breaker, this.#spent);
  }

  /**
   * The error of a wait that ended with `err`: the budget's, naming the call's example, when the budget ended it
   * (see {@link #checkSpent}); else `err`.
   */
  #refused(err: unknown, spec: CallSpec): unknown {
    if (err !== BUDGET_REACHED) return err;
    try {
      enforceBudget(this.#limits, this.totals, spec.exampleId);
    } catch (refusal) {
      return refusal;
    }
    return err;
  }

  /** Ends every wait of the run once the totals reach a limit of the budget (no call may be sent after it). */
  #checkSpent(): void {
    if (!this.#budgeted || this.#spent.aborted) return;
    const t = this.totals;
    const l = this.#limits;
    if (
      t.requests >= l.maxRequests ||
      t.inputTokens + t.outputTokens >= l.maxTokens ||
      t.costUsd >= l.maxCostUsd
    )
      this.#spent.abort(BUDGET_REACHED);
  }

  // ---- pricing and totals ----

  /** A successful send: frees its slot and lease, prices it and counts it. */
  #settle<T>(
    outcome: CallOutcome<T>,
    lease: RateLimitLease | undefined,
    attempt: number,
    model: string | undefined,
  ): CallResult<T> {
    this.#breaker.reached();
    const usage = outcome.usage;
    lease?.release(usage ? usage.inputTokens + usage.outputTokens : undefined);
    this.#gate.release();
    this.#gate.onSuccess();
    let costUsd = outcome.costUsd;
    if (costUsd === undefined && usage !== undefined) costUsd = this.#costOf(model, usage);
    if (costUsd === undefined && usage !== undefined) this.#countUnpriced(model);
    const totals = this.totals;
    if (usage) {
      totals.inputTokens += usage.inputTokens;
      totals.outputTokens += usage.outputTokens;
    }
    if (costUsd !== undefined) totals.costUsd += costUsd;
    this.#checkSpent();
    const result: { value: T; usage?: Usage; costUsd?: number; cached: boolean; retries: number } = {
      value: outcome.value,
      cached: false,
      retries: attempt,
    };
    if (usage !== undefined) result.usage = usage;
    if (costUsd !== undefined) result.costUsd = costUsd;
    return result;
  }

  /**
   * The tokens a failed attempt was billed for (a stream that failed after its status 200, see
   * `withBilledUsage`): counted and priced as a successful call's are, so totals and budgets see them.
   */
  #countBilled(usage: Usage, model: string | undefined): void {
    const totals = this.totals;
    totals.inputTokens += usage.inputTokens;
    totals.outputTokens += usage.outputTokens;
    const costUsd = this.#costOf(model, usage);
    if (costUsd === undefined) this.#countUnpriced(model);
    else totals.costUsd += costUsd;
    this.#checkSpent();
  }

  #priceOf(model: string | undefined): ModelPrice | undefined {
    if (this.#prices.has(model)) return this.#prices.get(model);
    const price = priceOf(model, this.#pricing);
    this.#prices.set(model, price);
    return price;
  }

  #costOf(model: string | undefined, usage: Usage): number | undefined {
    const price = this.#priceOf(model);
    return price === undefined
      ? undefined
      : (usage.inputTokens * price.inputPerMillion + usage.outputTokens * price.outputPerMillion) / 1e6;
  }

  #countUnpriced(model: string | undefined): void {
    this.totals.unpricedCalls = (this.totals.unpricedCalls ?? 0) + 1;
    this.#unpriced.set(model, (this.#unpriced.get(model) ?? 0) + 1);
  }

  /** An empty value is returned but never cached (a glitch kept would answer every rerun); noted once. */
  #noteEmpty(value: unknown): void {
    const f = this.#faults.get(EMPTY_RESPONSE);
    if (f !== undefined) f.count++;
    else
      this.#faults.set(EMPTY_RESPONSE, { count: 1, first: `the call's value was ${describeEmpty(value)}` });
  }

  #warn(what: string, err: unknown): void {
    const f = this.#faults.get(what);
    if (f !== undefined) f.count++;
    else {
      const e = serializeError(err);
      this.#faults.set(what, { count: 1, first: `${e.name}: ${e.message}` });
    }
  }
}

/** The signal of a call's waits (see `CallEngine.#waitSignal`), made when a wait first asks for it. */
class WaitSignal {
  readonly #call: AbortNotice;
  readonly #breaker: ConnectionBreaker;
  readonly #spent: AbortNotice;
  #controller: AbortController | undefined;
  #off: (() => void) | undefined;

  constructor(call: AbortNotice, breaker: ConnectionBreaker, spent: AbortNotice) {
    this.#call = call;
    this.#breaker = breaker;
    this.#spent = spent;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      const controller = new AbortController();
      this.#controller = controller;
      const offCall = this.#call.onAbort((reason) => controller.abort(reason));
      const offTrip = this.#breaker.onTrip(() => controller.abort(new Error('connection breaker tripped')));
      const offSpent = this.#spent.onAbort((reason) => controller.abort(reason));
      this.#off = () => {
        offCall();
        offTrip();
        offSpent();
      };
    }
    return this.#controller.signal;
  }

  dispose(): void {
    this.#off?.();
  }
}

/** The reason the waits of a run end with once its budget is reached (see `CallEngine.#checkSpent`). */
const BUDGET_REACHED = new Error('budget reached');

/** The calls in flight on `store`, shared by every runtime of the process. */
function flightsOf(store: CacheStore): Map<string, Promise<Flight>> {
  let inFlight = flights.get(store);
  if (inFlight === undefined) {
    inFlight = new Map();
    flights.set(store, inFlight);
  }
  return inFlight;
}

function resolveCache(option: unknown): { store: CacheStore; mode: CacheMode } | undefined {
  if (option === undefined) return undefined;
  if (isCacheStore(option)) return { store: option, mode: 'read-write' };
  if (option !== null && typeof option === 'object' && isCacheStore((option as { store?: unknown }).store)) {
    const o = option as { store: CacheStore; mode?: unknown };
    // `{ store, mdoe: 'replay' }` would otherwise send every request the user meant to replay.
    _checkKnownKeys('cache', o, ['store', 'mode']);
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

/** Whether a wait of `ms` from now ends at or past `deadline` (`performance.now()` clock; none: never). */
function outlasts(ms: number, deadline: number | undefined): boolean {
  return deadline !== undefined && ms >= deadline - performance.now();
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

/** The error of a call made after its run returned. */
function closedError(spec: CallSpec): RunClosedError {
  return new RunClosedError(
    `A ${spec.kind} call${spec.exampleId === undefined ? '' : ` for example "${spec.exampleId}"`} was made after its evaluate() run had returned; nothing was sent (await every call inside the model or metric that makes it)`,
    spec.exampleId === undefined ? {} : { exampleId: spec.exampleId },
  );
}

/** The error of a replay-mode call that the cache cannot answer (`key` undefined: the call had no request). */
// Errors a sender threw before its request reached the network (see markNotSent).
const notSent = new WeakSet<object>();

/**
 * Marks `err` as thrown by a sender before its request was sent (an SDK that refused to build it: missing
 * credentials, a path parameter it rejects), so the runtime does not count the attempt as a request and does not
 * retry it. Returns `err`.
 * @example
 * ```ts
 * throw markNotSent(new Error('no API key')); // inside a sender: the runtime counts no request for it
 * ```
 */
export function markNotSent<E>(err: E): E {
  if (err !== null && typeof err === 'object') notSent.add(err);
  return err;
}

/** Whether `err` was marked by {@link markNotSent}. */
function wasNotSent(err: unknown): boolean {
  return err !== null && typeof err === 'object' && notSent.has(err);
}

/** The {@link ReplayMissError} of a replay whose cache read failed: the entry may be there, so not "no cached response". */
function replayReadFailed(spec: CallSpec, key: string, cause: unknown): ReplayMissError {
  const what = spec.exampleId === undefined ? `a ${spec.kind} call` : `example "${spec.exampleId}"`;
  const e = serializeError(cause);
  return new ReplayMissError(
    `Replay miss: the cache could not be read for ${what} (${spec.kind} call, trial ${spec.trial ?? 0}, key ${key.slice(0, 12)}…): ${e.name}: ${e.message}. The entry may be there; replay mode sends no request, so fix the store and replay again`,
    key,
    spec.exampleId === undefined ? { cause } : { exampleId: spec.exampleId, cause },
  );
}

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
