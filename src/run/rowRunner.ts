/**
 * One row of a run: the model phase (the user's model or pipeline, inside a call scope so every wrapped client
 * and `ctx.call` reports to it, bounded by `rowTimeoutMs`), then the metric phase (each metric bounded by
 * `metricTimeoutMs`, its score checked against the metric's kind and bounds), then the record. A row is never a
 * network call itself: it holds no slot of the call gate, so nested calls cannot deadlock at any concurrency.
 * @module
 */
import { _describe } from '../_internal/describe.js';
import {
  type TrajectoryForm,
  TrajectoryRecorder,
  trajectoryFromModel,
} from '../agents/trajectoryRecorder.js';
import type { AbortNotice, AbortSource } from '../calls/abortNotice.js';
import { attemptsOf, type CallRuntime } from '../calls/callRuntime.js';
import {
  type CallScope,
  callFnOf,
  type KindCounts,
  newKindCounts,
  newTally,
  type PhaseTally,
  runInScope,
  spendProblem,
  withScopeSignal,
} from '../calls/callScope.js';
import type { RepeatedRequests } from '../calls/repeatedRequests.js';
import { isAbort, sleep } from '../calls/waits.js';
import type { ObservedCall, Trajectory } from '../core/trajectory.js';
import type {
  Example,
  Metric,
  MetricScore,
  Model,
  ModelContext,
  ModelOutput,
  ScoreContext,
  Usage,
} from '../core/types.js';
import type { PlacedExample } from '../dataset/examples.js';
import {
  BudgetExceededError,
  ModelOutputError,
  ReplayMissError,
  type SerializedError,
  serializeError,
  TimeoutError,
} from '../errors.js';
import type { ExampleRecord } from '../result/EvalResult.js';
import { _RowClock, _RowClocks } from './rowClock.js';
import type { _TableRow } from './scoreTable.js';
import { type SegmentBy, segmentLabels } from './segmentBy.js';

/** What every row of a run shares. */
export interface RowContext {
  readonly model: Model;
  readonly metrics: readonly Metric[];
  readonly runtime: CallRuntime;
  readonly kinds: KindCounts;
  /** The run's signal: aborted on cancellation or a fatal error. */
  readonly signal: AbortSignal;
  readonly rowTimeoutMs: number;
  readonly metricTimeoutMs: number;
  /** Replay mode: a row whose model made no call through evalgate is an error, not a live run. */
  readonly replay: boolean;
  readonly attemptsOf?: (err: unknown) => number | undefined;
  /** The clocks of the rows in flight (one abort listener on `signal` for all of them). */
  readonly clocks: _RowClocks;
  /** Metrics whose `summarize` or `warnings` hook needs each scored row's output length and details. */
  readonly summarized: ReadonlySet<string>;
  /** The run's `segmentBy`, when it slices results. */
  readonly segmentBy?: SegmentBy;
  /** The run's `trajectory` option, resolved: record each row's calls in this form. */
  readonly trajectory?: TrajectoryForm;
}

/** What a row context is built from (the rest is derived). */
export interface _RowContextInputs {
  readonly model: Model;
  readonly metrics: readonly Metric[];
  readonly runtime: CallRuntime;
  readonly signal: AbortSignal;
  readonly rowTimeoutMs: number;
  readonly metricTimeoutMs: number;
  readonly replay: boolean;
  readonly segmentBy?: SegmentBy;
  readonly trajectory?: TrajectoryForm;
}

/**
 * The context every row of one process shares, for the in-process run and for a cluster worker alike: fresh
 * per-kind counts, one clock registry on the run's signal, the runtime's attempt counter, and the metrics whose
 * `summarize` hook needs their rows.
 */
export function createRowContext(inputs: _RowContextInputs): RowContext {
  return {
    ...inputs,
    kinds: newKindCounts(),
    clocks: new _RowClocks(inputs.signal),
    attemptsOf: attemptsOf,
    summarized: new Set(
      inputs.metrics.filter((m) => m.summarize !== undefined || m.warnings !== undefined).map((m) => m.name),
    ),
  };
}

/** A scored row as a `summarize` hook sees it. */
export interface _SummaryRow {
  readonly value: number | null;
  readonly outputLength: number;
  readonly details: Readonly<Record<string, unknown>> | undefined;
}

/** A score that was refused: which metric, which example, why. */
export interface _ScoreProblem {
  readonly metric: string;
  readonly exampleId: string;
  readonly problem: 'non-finite' | 'out-of-range' | 'not-a-number' | 'timeout';
  /**
   * What the metric returned: the number for `'non-finite'` / `'out-of-range'`; for `'not-a-number'` its description
   * (`` `false` (boolean) ``), a string, so that the problem crosses a cluster's JSON whatever the value was.
   */
  readonly value?: number | string;
}

/** How a row ended. */
export type RowOutcome =
  | {
      readonly kind: 'done';
      readonly record: ExampleRecord;
      readonly table: _TableRow;
      /** Cacheable calls the model made through evalgate. */
      readonly modelCacheable: number;
      /** Calls the model made through evalgate. */
      readonly modelCalls: number;
      readonly summaries: Readonly<Record<string, _SummaryRow>>;
      readonly problems: readonly _ScoreProblem[];
    }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'budget' }
  | { readonly kind: 'fatal'; readonly error: unknown };

function normalizeOutput(raw: unknown, exampleId: string): ModelOutput {
  if (typeof raw === 'string') return { output: raw };
  if (raw !== null && typeof raw === 'object' && typeof (raw as ModelOutput).output === 'string') {
    checkSpend(raw as ModelOutput, exampleId);
    return raw as ModelOutput;
  }
  throw new ModelOutputError(
    `The model returned ${_describe(raw)} for example "${exampleId}": expected a string or { output: string }`,
    { exampleId },
  );
}

/**
 * Refuses a model's own `usage` / `costUsd` that is not a count or an amount: `NaN` or `Infinity` would make the
 * run's totals `NaN` or infinite (a saved result then holds `null` where a number belongs), a BigInt would fail
 * adding it up with an unrelated message.
 * @throws {ModelOutputError} naming the field, the value and the example.
 */
function checkSpend(out: ModelOutput, exampleId: string): void {
  const problem = spendProblem(out);
  if (problem !== undefined)
    throw new ModelOutputError(
      `The model returned \`${problem.field}\` = ${_describe(problem.value)} for example "${exampleId}": expected ${problem.want}`,
      { exampleId },
    );
}

/** Relative tolerance (of the bounds' range) within which a score past a bound is rounding, clamped to it. */
export const _BOUNDS_TOLERANCE = 1e-9;

/**
 * What a metric returned, checked: a finite value within the metric's kind and bounds, or missing. `NaN` and
 * `{ value: null }` are the documented "missing". A value of another type (a boolean, a numeric string, a BigInt,
 * bare or as `{ value }`, which plain JavaScript lets a metric return) is no score either, but a mistake: it is
 * refused (`notNumber`) so that the run warns, as for `Infinity`; dropped without a word, `value: false` beside `1`
 * on other rows made the mean 1 over the rows that returned 1.
 */
function readScore(
  metric: Metric,
  raw: number | MetricScore,
): {
  value: number | null;
  stats?: readonly number[];
  details?: Readonly<Record<string, unknown>>;
  bad?: number;
  notNumber?: unknown;
} {
  let value: unknown;
  let rest: { stats?: readonly number[]; details?: Readonly<Record<string, unknown>> } = {};
  const r: unknown = raw;
  if (typeof r === 'number') value = r;
  else if (typeof r === 'boolean' || typeof r === 'string' || typeof r === 'bigint')
    return { value: null, notNumber: r };
  else if (r !== null && typeof r === 'object') {
    const score = r as MetricScore;
    value = score.value;
    rest = {
      ...(score.stats === undefined ? {} : { stats: score.stats }),
      ...(score.details === undefined ? {} : { details: score.details }),
    };
  } else throw new TypeError(`a metric must return a number or { value }, got ${_describe(raw)}`);
  if (value !== null && value !== undefined && typeof value !== 'number')
    return { value: null, ...rest, notNumber: value };
  if (typeof value !== 'number' || Number.isNaN(value)) return { value: null, ...rest };
  let v: number = value;
  const [lo, hi] = metric.bounds ?? (metric.kind === 'binary' ? [0, 1] : [-Infinity, Infinity]);
  // One rule for scores and bounds: a score past a bound by no more than floating-point rounding (1e-9 of the
  // range; sentence BLEU of an exact match is 100.00000000000004) is the bound, never dropped.
  const tol = _BOUNDS_TOLERANCE * (hi - lo);
  if (metric.kind !== 'binary' && Number.isFinite(tol)) {
    if (v > hi && v <= hi + tol) v = hi;
    else if (v < lo && v >= lo - tol) v = lo;
  }
  const ok = Number.isFinite(v) && v >= lo && v <= hi && (metric.kind !== 'binary' || v === 0 || v === 1);
  return ok ? { value: v, ...rest } : { value: null, ...rest, bad: v };
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function usageOf(out: ModelOutput, tally: PhaseTally): Usage | undefined {
  if (out.usage !== undefined) return out.usage;
  return tally.withUsage > 0
    ? {
        inputTokens: tally.inputTokens,
        outputTokens: tally.outputTokens,
        ...(tally.estimated === true ? { estimated: true } : {}),
      }
    : undefined;
}

/**
 * A call scope of one phase of a row. Its signal is its lease's, made only when read: a model or metric that
 * never looks at its signal and makes no call costs no `AbortSignal`.
 */
class _RowScope implements CallScope {
  readonly tally: PhaseTally = newTally();
  readonly kinds: KindCounts;
  readonly runtime: CallRuntime;
  readonly attemptsOf?: (err: unknown) => number | undefined;
  readonly observe?: (call: ObservedCall) => void;
  repeats: RepeatedRequests | undefined = undefined;
  readonly deadline?: number;

  constructor(
    run: RowContext,
    readonly exampleId: string,
    readonly trial: number,
    readonly phase: 'model' | 'metric',
    private readonly lease: AbortSource,
    recorder: TrajectoryRecorder | undefined,
    deadline?: number,
  ) {
    this.runtime = run.runtime;
    if (deadline !== undefined && Number.isFinite(deadline)) this.deadline = deadline;
    this.kinds = run.kinds;
    if (run.attemptsOf !== undefined) this.attemptsOf = run.attemptsOf;
    if (recorder !== undefined) this.observe = recorder.observe;
  }

  get signal(): AbortSignal {
    return this.lease.signal;
  }

  get notice(): AbortNotice {
    return this.lease;
  }
}

/** What the model is given: its signal made when first read, all own enumerable properties. */
function modelContext(example: Example, trial: number, scope: _RowScope): ModelContext {
  return withScopeSignal({ example, trial, call: callFnOf(scope) }, scope) as ModelContext;
}

/** What a metric is given, likewise. */
function scoreContext(
  example: Example,
  output: string,
  trial: number,
  scope: _RowScope,
  trajectory: Trajectory | undefined,
): ScoreContext {
  const ctx = withScopeSignal({ example, output, trial, call: callFnOf(scope) }, scope);
  return (trajectory === undefined ? ctx : Object.assign(ctx, { trajectory })) as typeof ctx & ScoreContext;
}

function callModel(row: _Row, scope: _RowScope): Promise<string | ModelOutput> {
  const { example, trial } = row;
  return row.ctx.model(example.input, modelContext(example, trial, scope));
}

function callMetric(m: Metric, ctx: ScoreContext): number | MetricScore | Promise<number | MetricScore> {
  return m.score(ctx);
}

/** Runs one (example, trial) row. Never throws: how it ended is the outcome. */
export function runRow(run: RowContext, placed: PlacedExample, trial: number): Promise<RowOutcome> {
  return new _Row(run, placed, trial).run();
}

/**
 * One (example, trial) row in flight: its clock, its model attempts and its scoring. A class rather than
 * closures, since the in-process hot path runs one per row: the first attempt runs inline, and only a failed
 * one goes through the runtime's retry policy.
 */
class _Row {
  readonly example: Example;
  readonly id: string;
  readonly clock: _RowClock;
  #started = 0;
  #tally: PhaseTally | undefined;
  #retries = 0;
  #recorder: TrajectoryRecorder | undefined;
  #trajectory: Trajectory | undefined;

  constructor(
    readonly ctx: RowContext,
    placed: PlacedExample,
    readonly trial: number,
  ) {
    const { id } = placed;
    this.id = id;
    this.example = placed.example.id === id ? placed.example : { ...placed.example, id };
    this.clock = new _RowClock(ctx.clocks, ctx.signal, id);
  }

  async run(): Promise<RowOutcome> {
    const { ctx: run, id, clock, example } = this;
    // Segments first: a segmentBy that cannot label this example stops the run before it pays for a call.
    let segments: readonly string[] | undefined;
    if (run.segmentBy !== undefined) {
      try {
        segments = segmentLabels(run.segmentBy, example, id);
      } catch (err) {
        return cancelled(clock, { kind: 'fatal', error: err });
      }
    }
    this.#started = performance.now();
    let out: ModelOutput | undefined;
    let error: SerializedError | undefined;
    try {
      try {
        out = await this.#attempt();
      } catch (first) {
        out = await this.#retry(first);
      }
      const calls = this.#tally?.calls ?? 0;
      if (run.replay && calls === 0 && run.model.offline !== true)
        return cancelled(clock, {
          kind: 'fatal',
          error: new ReplayMissError(
            `Replay mode: the model finished example "${id}" without any call through evalgate, so nothing could be replayed and the run may have gone to the network. Wrap the client your pipeline uses (wrapOpenAI, wrapAnthropic, or wrapAISDKModel from 'evalgate/ai-sdk') or send its calls through ctx.call.`,
            '',
            { exampleId: id },
          ),
        });
      if (calls === 0 && (out.usage !== undefined || out.costUsd !== undefined)) {
        // Tokens reported without a cost are priced by the model's declared name, as its calls would be.
        const cost = run.runtime.recordUsage(out.usage, out.costUsd, run.model.modelName);
        if (cost !== out.costUsd) out = { ...out, costUsd: cost as number };
      }
    } catch (thrown) {
      // What the pipeline threw, or the call error it caught or wrapped that must end the row or the run.
      const err = this.#tally?.stop ?? thrown;
      if (isAbort(err, run.signal)) return cancelled(clock);
      const stop = stopOutcome(err);
      if (stop !== undefined) return cancelled(clock, stop);
      error = serializeError(err);
    }
    const latencyMs = performance.now() - this.#started;
    const trajectory = this.#trajectory ?? this.#recorder?.finish();
    const tally = this.#tally ?? newTally();

    // Metric phase.
    let scored =
      out === undefined
        ? undefined
        : scoreOutput(run, { example, trial: this.trial, out, clock }, trajectory);
    if (scored instanceof Promise) scored = await scored;
    if (scored !== undefined && 'kind' in scored) return scored;
    clock.dispose();
    return rowOutcome(
      {
        example,
        trial: this.trial,
        segments,
        out,
        error,
        tally,
        retries: this.#retries,
        latencyMs,
        trajectory,
      },
      scored,
    );
  }

  /**
   * After a failed first attempt: the runtime's retry policy (one retry loop in the library) takes it from
   * there, a model that made no call through evalgate being one call to us, retried whole. A retry is made only
   * when its wait (the back-off, or the provider's longer `retry-after`) ends before `rowTimeoutMs`: one that would
   * end at or past it fails the row at once with the provider's error, rather than sleeping to the deadline and
   * sending a request then (aborted a moment later, and before the wait the provider asked for).
   */
  #retry(first: unknown): Promise<ModelOutput> {
    const run = this.ctx;
    const policy = run.runtime.retryPolicy;
    let failed = first;
    return policy.run(
      (n) => {
        if (n === 0) return Promise.reject(first);
        // Counted as it is made: a retry whose wait was refused or aborted sends nothing.
        this.#retries++;
        run.runtime.recordRetry();
        return this.#attempt();
      },
      {
        // A 429 asking for a wait past retry.maxWaitMs ends the row at once, as it ends a call through evalgate.
        canRetry: (err) =>
          (this.#tally?.calls ?? 0) === 0 &&
          !run.signal.aborted &&
          performance.now() - this.#started < run.rowTimeoutMs &&
          !((policy.askedWaitMs(err) ?? 0) > policy.maxWaitMs),
        // The provider's wait when it asked for a longer one.
        delayMs: (backoff, err) => {
          failed = err;
          return Math.max(backoff, policy.askedWaitMs(err) ?? 0);
        },
        // Part of the row's time all the same: a wait that reaches the row's deadline is not waited.
        wait: (ms) =>
          ms >= this.#started + run.rowTimeoutMs - performance.now()
            ? Promise.reject(failed)
            : sleep(ms, run.signal),
      },
    );
  }

  /**
   * One attempt of the model, in a fresh scope, bounded by the row's clock. Settled by callbacks rather than an
   * async frame: it is held for the whole of every live row.
   */
  #attempt(): Promise<ModelOutput> {
    const { ctx: run, clock, id } = this;
    try {
      clock.renew();
      const recorder = run.trajectory === undefined ? undefined : new TrajectoryRecorder(run.trajectory);
      this.#recorder = recorder;
      // The row's deadline: a call's retry whose wait does not fit in it fails the call at once.
      const deadline = this.#started + run.rowTimeoutMs;
      const scope = new _RowScope(run, id, this.trial, 'model', clock.lease, recorder, deadline);
      this.#tally = scope.tally;
      clock.boundModel(this.#started, run.rowTimeoutMs, run.runtime.timeoutMs, scope.tally);
      // Settled by the race itself (one promise fewer held by every row in flight).
      return clock.race(Promise.resolve(runInScope(scope, callModel, this, scope)), {
        ok: (value) => {
          clock.clear();
          const normalized = normalizeOutput(value, id);
          if (normalized.trajectory !== undefined)
            this.#trajectory = trajectoryFromModel(normalized.trajectory, run.trajectory ?? 'full');
          return normalized;
        },
        failed: (err) => {
          clock.clear();
          throw err;
        },
      });
    } catch (err) {
      clock.clear();
      return Promise.reject(err);
    }
  }
}

/** What scoring one row's output gave: its scores, their stats and details, summary rows, refused scores. */
interface _Scored {
  readonly scores: Record<string, number | null>;
  readonly stats: Record<string, readonly number[] | null>;
  readonly details: Record<string, unknown> | undefined;
  readonly summaries: Record<string, _SummaryRow>;
  readonly problems: _ScoreProblem[];
}

/** One row's scoring inputs: its example, its output, its clock, and how to open a call scope. */
interface _ScoringInputs {
  readonly example: Example;
  readonly trial: number;
  readonly out: ModelOutput;
  readonly clock: _RowClock;
}

/**
 * Scores one row's output with every metric (each bounded by `metricTimeoutMs` when it is asynchronous). A
 * metric's failure marks its score missing; an error that ends the row or the run is returned as the outcome.
 * Synchronous metrics are scored without a promise: the result is a promise only once a metric returns one.
 */
function scoreOutput(
  run: RowContext,
  inputs: _ScoringInputs,
  trajectory: Trajectory | undefined,
): _Scored | RowOutcome | Promise<_Scored | RowOutcome> {
  return new _Scoring(run, inputs, trajectory).from(0);
}

/** The scoring of one row in progress: what the metrics gave so far. */
class _Scoring {
  readonly #scores: Record<string, number | null> = {};
  readonly #stats: Record<string, readonly number[] | null> = {};
  readonly #details: Record<string, unknown> = {};
  readonly #summaries: Record<string, _SummaryRow> = {};
  readonly #problems: _ScoreProblem[] = [];
  #hasDetails = false;
  #outputLength = -1;

  constructor(
    private readonly run: RowContext,
    private readonly inputs: _ScoringInputs,
    private readonly trajectory: Trajectory | undefined,
  ) {}

  /** Scores the metrics from index `i` on. */
  from(i: number): _Scored | RowOutcome | Promise<_Scored | RowOutcome> {
    const { run, inputs, trajectory } = this;
    const { example, trial, out, clock } = inputs;
    const metrics = run.metrics;
    for (; i < metrics.length; i++) {
      const m = metrics[i] as Metric;
      this.#scores[m.name] = null;
      try {
        clock.renew();
        const sc = new _RowScope(run, example.id as string, trial, 'metric', clock.lease, undefined);
        const raw = runInScope(sc, callMetric, m, scoreContext(example, out.output, trial, sc, trajectory));
        // Most metrics are synchronous: they pay for no timer, promise or microtask.
        if (raw !== null && typeof (raw as Promise<unknown>)?.then === 'function')
          return this.#later(i, m, raw as Promise<number | MetricScore>);
        this.#record(m, raw as number | MetricScore);
      } catch (err) {
        const stop = this.#failed(m, err);
        if (stop !== undefined) return stop;
      }
    }
    return {
      scores: this.#scores,
      stats: this.#stats,
      details: this.#hasDetails ? this.#details : undefined,
      summaries: this.#summaries,
      problems: this.#problems,
    };
  }

  /** Waits for metric `i`'s score (bounded by `metricTimeoutMs`), then scores the rest. */
  async #later(i: number, m: Metric, pending: Promise<number | MetricScore>): Promise<_Scored | RowOutcome> {
    const clock = this.inputs.clock;
    clock.boundMetric(m.name, this.run.metricTimeoutMs);
    try {
      this.#record(m, await clock.race(pending));
    } catch (err) {
      const stop = this.#failed(m, err);
      if (stop !== undefined) return stop;
    } finally {
      clock.clear();
    }
    return this.from(i + 1);
  }

  /** Records what metric `m` returned, checked. */
  #record(m: Metric, raw: number | MetricScore): void {
    const s = readScore(m, raw);
    this.#scores[m.name] = s.value;
    if (m.aggregate) this.#stats[m.name] = s.value === null ? null : (s.stats ?? null);
    if (s.details !== undefined) {
      this.#details[m.name] = s.details;
      this.#hasDetails = true;
    }
    if (s.notNumber !== undefined) {
      this.#problems.push({
        metric: m.name,
        exampleId: this.inputs.example.id as string,
        problem: 'not-a-number',
        value: _describe(s.notNumber),
      });
      this.#details[m.name] = { ...(s.details ?? {}), refused: _describe(s.notNumber) };
      this.#hasDetails = true;
    }
    if (s.bad !== undefined) {
      this.#problems.push({
        metric: m.name,
        exampleId: this.inputs.example.id as string,
        problem: Number.isFinite(s.bad) ? 'out-of-range' : 'non-finite',
        value: s.bad,
      });
      this.#details[m.name] = { ...(s.details ?? {}), refused: String(s.bad) };
      this.#hasDetails = true;
    }
    if (this.run.summarized.has(m.name)) {
      if (this.#outputLength < 0) this.#outputLength = codePoints(this.inputs.out.output);
      this.#summaries[m.name] = { value: s.value, outputLength: this.#outputLength, details: s.details };
    }
  }

  /** Metric `m` failed: its score is missing, or the row or the run ends (the outcome returned). */
  #failed(m: Metric, err: unknown): RowOutcome | undefined {
    const clock = this.inputs.clock;
    if (isAbort(err, this.run.signal)) return cancelled(clock);
    const stop = stopOutcome(err);
    if (stop !== undefined) return cancelled(clock, stop);
    if (err instanceof TimeoutError)
      this.#problems.push({
        metric: m.name,
        exampleId: this.inputs.example.id as string,
        problem: 'timeout',
      });
    this.#details[m.name] = { error: serializeError(err) };
    this.#hasDetails = true;
    return undefined;
  }
}

/** What a row's model phase left: its example, output or error, call tally, retries, latency and trajectory. */
interface _RowResult {
  readonly example: Example;
  readonly trial: number;
  readonly segments: readonly string[] | undefined;
  readonly out: ModelOutput | undefined;
  readonly error: SerializedError | undefined;
  readonly tally: PhaseTally;
  readonly retries: number;
  readonly latencyMs: number;
  readonly trajectory: Trajectory | undefined;
}

/** The outcome of a finished row: its record and its row of the score table. */
function rowOutcome(
  { example, trial, segments, out, error, tally, retries, latencyMs, trajectory }: _RowResult,
  scored: _Scored | undefined,
): RowOutcome {
  const id = example.id as string;
  const scores = scored?.scores ?? {};
  const stats = scored?.stats ?? {};
  // Built by assignment rather than conditional spreads: this runs once per row, and each spread allocates.
  const rec: { -readonly [K in keyof ExampleRecord]: ExampleRecord[K] } = {
    id,
    trial,
    input: example.input,
    output: out === undefined ? null : out.output,
    scores,
    latencyMs,
    cached: tally.calls > 0 && tally.cached === tally.calls,
    retries: retries + tally.retries,
  };
  if (example.group !== undefined) rec.group = example.group;
  if (example.reference !== undefined) rec.reference = example.reference;
  if (example.metadata !== undefined) rec.metadata = example.metadata;
  if (example.labels !== undefined) rec.labels = example.labels;
  if (scored?.details !== undefined) rec.details = scored.details;
  if (error !== undefined) rec.error = error;
  if (trajectory !== undefined) rec.trajectory = trajectory;
  if (out !== undefined) {
    const usage = usageOf(out, tally);
    if (usage !== undefined) rec.usage = usage;
    // A row with an unpriced call has no known cost: unset, never a partial sum or 0.
    const cost = out.costUsd ?? (tally.withCost > 0 && tally.unpriced === 0 ? tally.costUsd : undefined);
    if (cost !== undefined) rec.costUsd = cost;
  }
  return {
    kind: 'done',
    record: rec,
    table: {
      id,
      trial,
      group: example.group ?? null,
      failed: out === undefined,
      scores,
      stats,
      ...(segments === undefined ? {} : { segments }),
      ...(example.labels === undefined ? {} : { labels: example.labels }),
    },
    modelCacheable: tally.cacheable,
    modelCalls: tally.calls,
    summaries: scored?.summaries ?? {},
    problems: scored?.problems ?? [],
  };
}

/** The outcome of an error that ends the run rather than the row, or undefined for a row's own failure. */
function stopOutcome(err: unknown): RowOutcome | undefined {
  if (err instanceof ReplayMissError) return { kind: 'fatal', error: err };
  if (err instanceof BudgetExceededError) return { kind: 'budget' };
  // The provider cannot be reached at all; or a cost budget met a model it cannot price.
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'E_CONNECTION' || code === 'E_UNPRICED') return { kind: 'fatal', error: err };
  return undefined;
}

/** Ends a row that leaves no record: releases its clock. */
function cancelled(clock: _RowClock, outcome: RowOutcome = { kind: 'cancelled' }): RowOutcome {
  clock.dispose();
  return outcome;
}
