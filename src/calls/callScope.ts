/**
 * The active run and row, found from anywhere inside a user's pipeline. `evaluate()` runs each row's model
 * (and then its metrics) inside a scope held in an `AsyncLocalStorage`, so a wrapped client called deep in a
 * RAG function or an agent loop finds the run's call runtime without any context being threaded through.
 * Every call made through a scope is one runtime call; the row itself never is one, so rows and calls have
 * separate concurrency and nested calls cannot wait on a slot their own row holds.
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { _describe } from '../_internal/describe.js';
import type { ObservedCall } from '../core/trajectory.js';
import type { CallFn, CallKind, CallOutcome, CallRequest, CallResult } from '../core/types.js';
import type { AbortNotice } from './abortNotice.js';
import type { CallRuntime, CallSpec } from './callRuntime.js';
import { RepeatedRequests } from './repeatedRequests.js';
import type { AttemptSender } from './waits.js';

/** What the calls of one phase of one row added up to (a record's `cached`, `retries`, `usage`, `costUsd`). */
export interface PhaseTally {
  /** Calls made through evalgate. */
  calls: number;
  /** Calls that carried a cacheable request. */
  cacheable: number;
  /** Calls answered by the cache or by an identical call in flight. */
  cached: number;
  retries: number;
  inputTokens: number;
  outputTokens: number;
  /** Calls that reported usage. */
  withUsage: number;
  costUsd: number;
  /** Calls that had a cost. */
  withCost: number;
  /** Calls that reported usage but had no price. */
  unpriced: number;
  /** Whether any call's usage was estimated rather than reported. */
  estimated?: boolean;
  /**
   * The first error of a call that must end the row or the run whatever the pipeline does with it (a replay
   * miss, a budget stop, an unreachable provider): a pipeline may catch or wrap it (the AI SDK's stream does).
   */
  stop?: unknown;
}

/** Calls and cache hits per kind over a run (the summary's cache line). */
export type KindCounts = Record<CallKind, { calls: number; cacheHits: number }>;

/** One phase of one row: the model's call, or the scoring of its output. */
export interface CallScope {
  readonly runtime: CallRuntime;
  readonly exampleId: string;
  readonly trial: number;
  readonly phase: 'model' | 'metric';
  /** The row's signal: aborted on cancellation or when the row's time is up. */
  readonly signal: AbortSignal;
  /** The same abort as a notice, which makes no signal until one is read (see {@link AbortNotice}). */
  readonly notice?: AbortNotice;
  readonly tally: PhaseTally;
  readonly kinds: KindCounts;
  /** How many attempts a failed call made, when the runtime knows (for the row's `retries`). */
  readonly attemptsOf?: (err: unknown) => number | undefined;
  /** Told of every call once it ends (its bodies, usage, latency, cache hit): the row's trajectory recorder. */
  readonly observe?: (call: ObservedCall) => void;
  /** The identical requests made in this scope so far (see {@link RepeatedRequests}): made by its first call. */
  repeats?: RepeatedRequests | undefined;
  /**
   * When the phase is aborted for its time, on the `performance.now()` clock (the model phase's `rowTimeoutMs`),
   * passed to each call as {@link CallSpec.deadline}: a retry whose wait does not fit is not made. @default none
   */
  readonly deadline?: number;
}

/**
 * What the storage holds for code that runs outside any scope inside a run (a sender; see {@link runOutsideScope}).
 * Held rather than left by `storage.exit`: in Node 20 leaving the process's one enabled storage disables its
 * promise hooks and entering it again enables them, two `setPromiseHooks` calls on every call sent.
 */
class Unscoped {}

const UNSCOPED = new Unscoped();

/**
 * A request a wrapped client is sending, held while the SDK has it (see {@link runSending}): whether the SDK
 * reached its `fetch` (an error before it means nothing was sent), and the attempt its fetch must follow.
 */
export class SendingRequest extends Unscoped {
  fetched = false;
  /**
   * The SDK's own controller of this request, when the SDK made it known (the request router watches the client's
   * `_makeAbort`): the attempt aborts it, rather than a signal joining the two being made for every request.
   */
  controller: AbortController | undefined = undefined;
  /**
   * The URL the request left with (set by the request router's watched `fetch`), read only when it
   * fails: the credentials it carried are hidden in the error.
   */
  sentUrl: unknown = undefined;
  /** The options that request left with (see {@link sentUrl}). */
  sentInit: unknown = undefined;
  constructor(readonly attempt: AbortNotice | undefined) {
    super();
  }
}

// One storage for the scope and the request being sent: in Node 20 every enabled `AsyncLocalStorage` costs every
// promise the process makes.
const storage = new AsyncLocalStorage<CallScope | Unscoped>();

/** A zeroed tally. */
export function newTally(): PhaseTally {
  return {
    calls: 0,
    cacheable: 0,
    cached: 0,
    retries: 0,
    inputTokens: 0,
    outputTokens: 0,
    withUsage: 0,
    costUsd: 0,
    withCost: 0,
    unpriced: 0,
  };
}

/** Zeroed per-kind counts. */
export function newKindCounts(): KindCounts {
  return {
    model: { calls: 0, cacheHits: 0 },
    judge: { calls: 0, cacheHits: 0 },
    embedding: { calls: 0, cacheHits: 0 },
  };
}

/** The scope of the row whose code is running, or undefined outside `evaluate()`. */
export function activeScope(): CallScope | undefined {
  const store = storage.getStore();
  return store instanceof Unscoped ? undefined : store;
}

/**
 * Runs `fn(...args)` outside any scope (as a sender runs) with `request` as the request being sent: code `fn`
 * runs, however deep, finds it with {@link sendingRequest}.
 */
export function runSending<A extends unknown[], T>(
  request: SendingRequest,
  fn: (...args: A) => T,
  ...args: A
): T {
  return storage.run(request, fn, ...args);
}

/** The request being sent by the {@link runSending} the running code is inside, or undefined. */
export function sendingRequest(): SendingRequest | undefined {
  const store = storage.getStore();
  return store instanceof SendingRequest ? store : undefined;
}

/**
 * Runs `fn(...args)` inside `scope`: every wrapped client and `ctx.call` used by it, however deep, reports to it.
 * (Arguments rather than a closure, so a hot caller allocates none.)
 */
export function runInScope<A extends unknown[], T>(scope: CallScope, fn: (...args: A) => T, ...args: A): T {
  return storage.run(scope, fn, ...args);
}

/** Runs `fn(...args)` outside any scope (a wrapped client then behaves as the plain client). */
export function runOutsideScope<A extends unknown[], T>(fn: (...args: A) => T, ...args: A): T {
  return storage.run(UNSCOPED, fn, ...args);
}

/** What a call made through a scope may add to its {@link CallSpec} and to what its trajectory step shows. */
export interface CallExtra<T> {
  readonly legacyKey?: string;
  /** The legacy key, computed only on a miss. */
  readonly legacyKeyOf?: () => string | undefined;
  readonly tokenSource?: unknown;
  /**
   * What the trajectory hook is shown instead of the runtime's request and value: a routed SDK request is
   * keyed by its endpoint and stored as its HTTP response, but observed as the body it sent and received.
   */
  readonly observeAs?: ObservedView<T>;
}

/**
 * One network call through the scope's runtime, tallied on the row. `kind` defaults to the phase's
 * (`'model'` while the model runs, `'judge'` while metrics score). With `then`, the promise settles with what
 * `then` makes of the call's result once it is tallied (one promise on the call's path instead of two).
 */
export function scopedCall<T, R = CallResult<T>>(
  scope: CallScope,
  call: CallRequest,
  send: AttemptSender<CallOutcome<T>>,
  extra?: CallExtra<T>,
  then?: (result: CallResult<T>) => R,
): Promise<R> {
  try {
    return startCall(scope, call, send, extra, then);
  } catch (err) {
    return Promise.reject(err); // a call fails by rejecting, never by throwing
  }
}

/** The identical requests `scope` has made so far, made on its first cacheable call. */
function repeatsOf(scope: CallScope): RepeatedRequests {
  let made = scope.repeats;
  if (made === undefined) {
    made = new RepeatedRequests();
    scope.repeats = made;
  }
  return made;
}

function startCall<T, R>(
  scope: CallScope,
  call: CallRequest,
  send: AttemptSender<CallOutcome<T>>,
  extra: CallExtra<T> | undefined,
  then: ((result: CallResult<T>) => R) | undefined,
): Promise<R> {
  const kind: CallKind = call.kind ?? (scope.phase === 'model' ? 'model' : 'judge');
  if (!Object.hasOwn(scope.kinds, kind))
    throw new TypeError(
      `Expected \`kind\` of a call to be 'model', 'judge' or 'embedding', got ${typeof kind === 'string' ? `'${kind}'` : String(kind)}`,
    );
  const tally = scope.tally;
  tally.calls++;
  scope.kinds[kind].calls++;
  if (call.request !== undefined) tally.cacheable++;
  // Trajectory hook: one observation per call, after it ends (costs nothing when no recorder listens).
  const observe = scope.observe;
  const started = observe === undefined ? 0 : performance.now();
  // Built by assignment: this runs once per call, and each conditional spread allocates.
  const spec: { -readonly [K in keyof CallSpec]: CallSpec[K] } = {
    kind,
    exampleId: scope.exampleId,
    trial: scope.trial,
  };
  if (call.request !== undefined) spec.request = call.request;
  if (call.api !== undefined) spec.api = call.api;
  if (call.model !== undefined) spec.model = call.model;
  if (call.estimatedTokens !== undefined) spec.estimatedTokens = call.estimatedTokens;
  if (scope.deadline !== undefined) spec.deadline = scope.deadline;
  if (extra !== undefined) {
    if (extra.legacyKey !== undefined) spec.legacyKey = extra.legacyKey;
    if (extra.legacyKeyOf !== undefined) spec.legacyKeyOf = extra.legacyKeyOf;
    if (extra.tokenSource !== undefined) spec.tokenSource = extra.tokenSource;
  }
  // Settled by callbacks, not an await: this is on every call's path, and an async frame held across the call
  // costs the collector more than two closures.
  return scope.runtime
    .call<T>(
      spec,
      // A sender is the network: a routed client it uses sends directly instead of calling the runtime again
      // (which would count the request twice and wait on the limits its own call holds).
      typeof send === 'function'
        ? (signal) => runOutsideScope(send, signal)
        : send.leavesScope === true
          ? send
          : { send: (attempt) => runOutsideScope(send.send, attempt) },
      scope, // the scope makes its signal only if the call goes to the network, and only if read
      call.request === undefined ? undefined : repeatsOf(scope),
    )
    .then(
      (result) => {
        observe?.(
          _observed(
            kind,
            call,
            result,
            performance.now() - started,
            result.cached,
            undefined,
            extra?.observeAs,
          ),
        );
        tallyResult(scope, kind, result);
        return then === undefined ? (result as R) : then(result);
      },
      (err: unknown) => {
        const code = (err as { code?: unknown } | null)?.code;
        if (
          tally.stop === undefined &&
          (code === 'E_REPLAY_MISS' ||
            code === 'E_BUDGET' ||
            code === 'E_CONNECTION' ||
            code === 'E_UNPRICED')
        )
          tally.stop = err;
        const attempts = scope.attemptsOf?.(err);
        if (attempts !== undefined && attempts > 1) tally.retries += attempts - 1;
        observe?.(
          _observed(kind, call, undefined, performance.now() - started, false, err, extra?.observeAs),
        );
        throw err;
      },
    );
}

/** Adds what a call that ended got (a cache hit, retries, usage, cost) to its scope's tally. */
function tallyResult(scope: CallScope, kind: CallKind, result: CallResult<unknown>): void {
  const tally = scope.tally;
  if (result.cached) {
    tally.cached++;
    scope.kinds[kind].cacheHits++;
  }
  tally.retries += result.retries;
  if (result.usage !== undefined) {
    tally.inputTokens += result.usage.inputTokens;
    tally.outputTokens += result.usage.outputTokens;
    tally.withUsage++;
    if (result.usage.estimated === true) tally.estimated = true;
  }
  if (result.costUsd !== undefined) {
    tally.costUsd += result.costUsd;
    tally.withCost++;
  } else if (result.usage !== undefined) tally.unpriced++;
}

/** How a call is shown to the trajectory hook when its runtime request and value are not what it sent and got. */
export interface ObservedView<T> {
  readonly request: unknown;
  readonly api?: string | undefined;
  readonly response: (value: T) => unknown;
}

/** What the trajectory hook is told of one call. */
function _observed<T>(
  kind: CallKind,
  call: CallRequest,
  result: CallResult<T> | undefined,
  latencyMs: number,
  cached: boolean,
  error: unknown,
  view: ObservedView<T> | undefined,
): ObservedCall {
  const api = view === undefined ? call.api : view.api;
  return {
    kind,
    request: view === undefined ? call.request : view.request,
    ...(api === undefined ? {} : { api }),
    ...(call.model === undefined ? {} : { model: call.model }),
    response:
      result === undefined ? undefined : view === undefined ? result.value : view.response(result.value),
    ...(result?.usage === undefined ? {} : { usage: result.usage }),
    latencyMs,
    cached,
    ...(error === undefined ? {} : { error }),
  };
}

/** Where a ctx keeps its scope, for the shared `signal` getter. */
const SCOPE = Symbol('evalgate.scope');

/** The one `signal` getter of every ctx: the scope's signal, made when first read. */
function scopeSignal(this: { readonly [SCOPE]: CallScope }): AbortSignal {
  return this[SCOPE].signal;
}

/**
 * `signal` as an own, enumerable accessor (so a spread ctx keeps it) sharing one getter: an object literal with
 * its own getters costs microseconds per row, this a fraction of one.
 */
const SIGNAL: PropertyDescriptor = { get: scopeSignal, enumerable: true, configurable: true };

/**
 * Gives a model's or metric's `ctx` a `signal` that is `scope`'s, made only when first read (a model or metric
 * that never reads it costs no `AbortSignal`). Returns `ctx`.
 */
export function withScopeSignal<C extends object>(
  ctx: C,
  scope: CallScope,
): C & { readonly signal: AbortSignal } {
  (ctx as { [SCOPE]?: CallScope })[SCOPE] = scope;
  return Object.defineProperty(ctx, 'signal', SIGNAL) as C & { readonly signal: AbortSignal };
}

/**
 * Whether `ctx.signal` is `scope`'s own signal, told without reading it (which would make it): a ctx made by
 * {@link withScopeSignal} for `scope` whose `signal` no one replaced.
 */
export function hasScopeSignal(ctx: object, scope: CallScope): boolean {
  return (
    (ctx as { [SCOPE]?: unknown })[SCOPE] === scope &&
    Object.getOwnPropertyDescriptor(ctx, 'signal')?.get === scopeSignal
  );
}

/**
 * The `ctx.call` function of a scope. What a user's sender reports it spent is checked as it arrives: a `NaN`,
 * infinite, negative or BigInt count or cost would make the run's totals `NaN` or infinite (a saved result then
 * holds `null` where a number belongs, and no longer loads) or fail their sum with an unrelated message.
 */
export function callFnOf(scope: CallScope): CallFn {
  return (call, send) =>
    scopedCall(
      scope,
      call,
      typeof send === 'function' ? (signal) => Promise.resolve(send(signal)).then(checkedSpend) : send,
    );
}

/**
 * `outcome`, once its `usage` and `costUsd` are counts and amounts (see {@link spendProblem}).
 * @throws {TypeError} naming the field and the value.
 */
function checkedSpend<T>(outcome: CallOutcome<T>): CallOutcome<T> {
  const problem = spendProblem(outcome);
  if (problem !== undefined)
    throw new TypeError(
      `Expected \`${problem.field}\` of what a \`ctx.call\` sender returned to be ${problem.want}, got ${_describe(problem.value)}`,
    );
  return outcome;
}

/**
 * The first of `spent.costUsd`, `spent.usage`, `usage.inputTokens`, `usage.outputTokens` that is not a count or
 * an amount (a finite number >= 0; `usage` an object of two), or `undefined`: a `NaN` or infinite one would make
 * the run's totals `NaN` or infinite (a saved result then holds `null` where a number belongs, and no longer
 * loads), a BigInt would fail their sum with an unrelated message.
 * @example
 * ```ts
 * spendProblem({ usage: { inputTokens: Number.NaN, outputTokens: 1 } });
 * // => { field: 'usage.inputTokens', value: NaN, want: 'a finite number >= 0' }
 * ```
 */
export function spendProblem(
  spent: unknown,
): { readonly field: string; readonly value: unknown; readonly want: string } | undefined {
  const amount = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  const { usage, costUsd } = (spent ?? {}) as { usage?: unknown; costUsd?: unknown };
  if (costUsd !== undefined && !amount(costUsd))
    return { field: 'costUsd', value: costUsd, want: 'a finite number >= 0 (USD)' };
  if (usage === undefined) return undefined;
  if (usage === null || typeof usage !== 'object')
    return { field: 'usage', value: usage, want: '{ inputTokens, outputTokens } (finite numbers >= 0)' };
  for (const k of ['inputTokens', 'outputTokens'] as const) {
    const v = (usage as Record<string, unknown>)[k];
    if (!amount(v)) return { field: `usage.${k}`, value: v, want: 'a finite number >= 0' };
  }
  return undefined;
}
