/**
 * The options of `evaluate()` and their checks: every bad value is a TypeError / RangeError naming the option
 * and echoing the value, raised before anything runs.
 * @module
 */
import { _describe } from '../_internal/describe.js';
import { _RESERVED_NAMES } from '../_internal/reservedNames.js';
import {
  _checkInteger,
  _checkKnownKeys,
  _checkNumberInRange,
  _checkOptionsObject,
} from '../_internal/validate.js';
import { type CacheMode, type CacheStore, isCacheStore } from '../cache/CacheStore.js';
import { checkBudget } from '../calls/budget.js';
import type { RetryOptions, RuntimeOptions } from '../calls/callRuntime.js';
import type { Metric } from '../core/types.js';
import { MetricDefinitionError } from '../errors.js';
import { isEvalResult } from '../result/assertResult.js';
import { describeDefinitionChanges, recordedMetricChanges, recordedMetricEntry } from '../result/compare.js';
import type { EvalResult, ExampleRecord } from '../result/EvalResult.js';
import { type ClusterOptions, checkClusterOptions } from './clusterOptions.js';
import type { Progress, ProgressLineOptions } from './progressBar.js';
import { recordedMetric } from './recordedMetric.js';
import type { RunHost } from './runObservers.js';
import { _checkSegmentBy, type SegmentBy } from './segmentBy.js';

export type { Progress, ProgressLineOptions } from './progressBar.js';
export type { SegmentBy } from './segmentBy.js';

/**
 * An anytime-valid gate on one metric (see `EvaluateOptions.gate`): `{ metric, atLeast }` passes once the
 * confidence sequence's lower bound reaches `atLeast` and fails once its upper bound is below it;
 * `{ metric, atMost }` is the mirror image (a cost, a latency, an error rate).
 */
export type ThresholdGate =
  | { readonly metric: string; readonly atLeast: number }
  | { readonly metric: string; readonly atMost: number };

/**
 * A paired anytime-valid gate: the candidate is scored on the `baseline` run's examples and the sequence runs
 * over the paired differences (candidate − baseline), rescaled to [0, 1]. Passes (non-inferior) once the lower
 * bound of the mean difference is above `-margin`; fails (inferior) once its upper bound is below `-margin`.
 */
export interface PairedGate {
  /** The baseline's result (from `evaluate()` or `loadResult()`); it must have scored `metric`. */
  readonly baseline: EvalResult;
  readonly metric: string;
  /**
   * The largest loss accepted, on the metric's scale (0.02 = two points of accuracy). Minimum: `0`; below the
   * metric's range `high - low` (a larger margin would pass whatever the data).
   */
  readonly margin: number;
}

/** The `gate` option of {@link EvaluateOptions}. */
export type GateOptions = ThresholdGate | PairedGate;

/** Options of {@link evaluate}. Every field is optional. */
export interface EvaluateOptions {
  /** Examples in flight at once. Minimum: `1`. @default 8 */
  readonly concurrency?: number;
  /** Per-attempt timeout of one network call, in ms. Minimum: `1`. @default 60000 */
  readonly timeoutMs?: number;
  /**
   * Bound on one row's model phase — the whole pipeline for one example, every call and retry included — in
   * ms. Past it the row's signal aborts and the row fails with a `TimeoutError`. A model that makes no call through
   * evalgate is retried whole only when the wait before the retry (the back-off, or the provider's longer
   * `retry-after`) ends within it; otherwise the row fails at once with the model's error. Minimum: `1`.
   * @default 10 × timeoutMs
   */
  readonly rowTimeoutMs?: number;
  /**
   * Bound on one metric's scoring of one output, in ms (a judge's calls and retries included). Past it the
   * score is missing with a `TimeoutError` in the record's details. Minimum: `1`. @default 10 × timeoutMs
   */
  readonly metricTimeoutMs?: number;
  /** Retries of transient failures (429, 5xx, timeouts, dropped connections). @default { maxRetries: 3, baseMs: 500, maxMs: 30000 } */
  readonly retry?: RetryOptions;
  /** Samples per example; each trial is recorded with its index. Minimum: `1`. @default 1 */
  readonly trials?: number;
  /** Seed of the bootstrap resampling, so intervals are identical run to run: a string or a finite number. @default 0 */
  readonly seed?: number | string;
  /** Confidence level of every interval, in (0, 1). @default 0.95 */
  readonly confidence?: number;
  /** Bootstrap resamples per interval. Minimum: `1`. @default 9999 */
  readonly resamples?: number;
  /**
   * Cancels the run: in-flight calls are aborted and the result holds what finished (`run.stoppedBy: 'abort'`).
   * Inside a vitest test with `evalgate/vitest` loaded, the test's own signal cancels it too (a test that times out
   * stops its run's calls), except in concurrent tests, where passing `context.signal` is up to you.
   */
  readonly signal?: AbortSignal;
  /**
   * Progress on stderr: a redrawn bar when stderr is a TTY and `CI` is unset; otherwise (CI logs, vitest's
   * output, a file) a plain line every 5 s and at every 10% of the rows — rows done/total, failed rows, cost so
   * far — from the run's first 5 s on, so a short run prints nothing. `false` silences it; an object sets
   * the lines' pace (`{ intervalMs, everyPercent }`); a function receives every update instead.
   * @default true
   */
  readonly progress?: boolean | ProgressLineOptions | ((progress: Progress) => void);
  /** Called with each record as it completes (in completion order). Awaited, so it can apply back-pressure. */
  readonly onResult?: (record: ExampleRecord) => void | Promise<void>;
  /**
   * Path of a JSONL file that receives every record as it completes. The in-memory result then keeps only
   * the compact score table (`result.examples` is empty, `result.examplesFile` names the file), so memory
   * stays bounded however large the dataset.
   */
  readonly output?: string;
  /**
   * Largest share of failed rows tolerated, in [0, 1]. Past it, evaluate() throws a
   * `FailureRateExceededError` carrying the full partial result. @default 0.05
   */
  readonly maxFailureRate?: number;
  /** Response cache (a store, or `{ store, mode }`), passed to the call runtime. @default none */
  readonly cache?: RuntimeOptions['cache'];
  /** Global request / token rate limits, passed to the call runtime. */
  readonly rateLimit?: RuntimeOptions['rateLimit'];
  /** Spending limits, passed to the call runtime; the run stops cleanly when one is reached. */
  readonly budget?: RuntimeOptions['budget'];
  /** Price table overrides (USD per 1M tokens by model), passed to the call runtime. */
  readonly pricing?: RuntimeOptions['pricing'];
  /**
   * Slices the results: every metric is also summarized per segment in `result.segments[segment][metric]` (a
   * full summary with its own interval, by the same rules as the overall one; corpus metrics re-aggregated on
   * the segment's rows), and `compare()` compares the runs per segment. A metadata key (`'category'`), a
   * dotted field path from the example (`'input.lang'`), or `(example) => string | string[]` (an example may
   * sit in several segments, or in none). Unlike `group`, a segment changes no interval of the whole run: the
   * overall interval is not stratified by segment (scipy.stats.bootstrap, the reference every interval here
   * matches, has no strata, and BCa under strata needs the stratified influence values of Davison & Hinkley
   * 1997, section 3.7; not built yet).
   * @default no segments
   */
  readonly segmentBy?: SegmentBy;
  /**
   * Records each row's trajectory on its record (`result.examples[i].trajectory`) and hands it to the metrics
   * (`ctx.trajectory`, read by `evalgate/agents`): the model's calls through evalgate in order — for each, its kind,
   * model, the tool calls the response asked for (arguments parsed from JSON), the tool results later requests
   * carried back, usage, latency and whether the cache answered — read from the request and response bodies of
   * OpenAI Chat Completions and Responses, Anthropic Messages and AI SDK calls alike. `true` keeps every call
   * with its text (contents cut at 2,000 characters); `'tool-calls'` keeps model calls without their text
   * (contents cut at 200). At most 200 steps per row; a cut says so (`truncated`, `droppedSteps`). A model may
   * return `{ output, trajectory }` itself, which is kept instead. `cluster` workers record them the same way.
   * @default false
   */
  readonly trajectory?: boolean | 'tool-calls';
  /**
   * Stop as soon as the answer is known: a time-uniform confidence sequence (PrPl-EB, see
   * `confidenceSequence`) over the metric's scores is updated as rows complete, and the run stops
   * (`run.stoppedBy: 'decided'`) the moment it decides, keeping its error rate at 1 - `confidence` however
   * often it is looked at. The examples then run in a random order seeded by `seed` (the dataset is read into an
   * index first) unless `shuffled` says it already is; with `trials > 1` or `group`, the sequence runs over
   * per-example (per-group) means, groups of unequal size weighted so that its bounds are on the mean over examples. The metric needs known bounds (binary metrics and those declaring `bounds`)
   * and must be a per-example mean (not a corpus metric). The decision is in `result.gate`.
   * @default none (every row runs)
   */
  readonly gate?: GateOptions;
  /**
   * Declares the dataset already in a uniformly random order (a stream sampled at random, say): a gated run then
   * reads it as it comes instead of indexing and shuffling it. The gate's guarantee rests on that randomness.
   * Only meaningful with `gate`. @default false
   */
  readonly shuffled?: boolean;
  /**
   * Runs the rows on `evalgate worker` processes through BullMQ on Redis; this process coordinates and computes
   * the statistics (the same as a single-process run with the same seed). `cache` must then be a
   * `redisCache()`, and a plain `rateLimit` is enforced for all workers together. @default none (in process)
   */
  readonly cluster?: ClusterOptions;
}

const METRIC_NAME = /^[A-Za-z0-9_.:-]+$/;

/** Every key of {@link EvaluateOptions} (the `satisfies` makes the list complete): any other is refused. */
const OPTION_KEYS = Object.keys({
  concurrency: true,
  timeoutMs: true,
  rowTimeoutMs: true,
  metricTimeoutMs: true,
  retry: true,
  trials: true,
  seed: true,
  confidence: true,
  resamples: true,
  signal: true,
  progress: true,
  onResult: true,
  output: true,
  maxFailureRate: true,
  cache: true,
  rateLimit: true,
  budget: true,
  pricing: true,
  segmentBy: true,
  trajectory: true,
  gate: true,
  shuffled: true,
  cluster: true,
} satisfies Record<keyof EvaluateOptions, true>);

/** Checks the metric list: objects with a valid, unique, non-reserved name, a kind and a score function. */
export function checkMetrics(metrics: unknown): readonly Metric[] {
  if (!Array.isArray(metrics))
    throw new TypeError(`Expected \`metrics\` to be an array of metrics, got ${_describe(metrics)}`);
  const names = new Set<string>();
  metrics.forEach((m: unknown, i) => {
    const where = `metrics[${i}]`;
    if (m === null || typeof m !== 'object')
      throw new TypeError(`Expected \`${where}\` to be a metric object, got ${_describe(m)}`);
    const metric = m as Partial<Metric>;
    if (typeof metric.name !== 'string' || !METRIC_NAME.test(metric.name))
      throw new TypeError(
        `Expected \`${where}.name\` to be a name of letters, digits, _ . : -, got ${_describe(metric.name)}`,
      );
    if (_RESERVED_NAMES.has(metric.name))
      throw new TypeError(
        `Expected \`${where}.name\` not to be the reserved name "${metric.name}" (a property of every object)`,
      );
    if (metric.kind !== 'binary' && metric.kind !== 'continuous')
      throw new TypeError(
        `Expected \`${where}.kind\` to be 'binary' | 'continuous', got ${_describe(metric.kind)}`,
      );
    if (typeof metric.score !== 'function')
      throw new TypeError(`Expected \`${where}.score\` to be a function, got ${_describe(metric.score)}`);
    if (
      metric.definition !== undefined &&
      (metric.definition === null ||
        typeof metric.definition !== 'object' ||
        Array.isArray(metric.definition))
    )
      throw new TypeError(
        `Expected \`${where}.definition\` to be a plain JSON object (how the metric scores), got ${_describe(metric.definition)}`,
      );
    if (names.has(metric.name)) throw new TypeError(`Duplicate metric name "${metric.name}" in \`metrics\``);
    names.add(metric.name);
  });
  return metrics as readonly Metric[];
}

/** The shape of the `gate` option, checked against the run's metrics. */
export function checkGate(gate: unknown, metrics: readonly Metric[]): void {
  _checkOptionsObject('gate', gate);
  // A gate reads its level from `confidence`: `gate.confidence` would be ignored, not obeyed.
  _checkKnownKeys('gate', gate, ['metric', 'atLeast', 'atMost', 'baseline', 'margin']);
  const g = gate as Record<string, unknown>;
  if (typeof g.metric !== 'string')
    throw new TypeError(`Expected \`gate.metric\` to be a metric name, got ${_describe(g.metric)}`);
  const metric = metrics.find((m) => m.name === g.metric);
  if (metric === undefined)
    throw new TypeError(
      `Expected \`gate.metric\` to name one of the run's metrics (${metrics.map((m) => JSON.stringify(m.name)).join(', ')}), got ${_describe(g.metric)}`,
    );
  if (metric.aggregate !== undefined)
    throw new TypeError(
      `\`gate.metric\` "${metric.name}" is a corpus metric (its estimate is not a mean of per-example scores), so a confidence sequence over examples does not bound it: gate on a per-example metric`,
    );
  const bounds = metric.bounds ?? (metric.kind === 'binary' ? [0, 1] : undefined);
  if (bounds === undefined || !Number.isFinite(bounds[0]) || !Number.isFinite(bounds[1]))
    throw new TypeError(
      `\`gate.metric\` "${metric.name}" has no known bounds: a confidence sequence needs the range of every score; declare \`bounds: [low, high]\` on the metric (binary metrics are [0, 1])`,
    );
  const forms = ['atLeast', 'atMost', 'baseline'].filter((k) => g[k] !== undefined);
  // The sequence runs on [low, high], or on [-(high - low), high - low] for the differences of a paired gate.
  const width = (bounds[1] - bounds[0]) * (forms[0] === 'baseline' ? 2 : 1);
  if (forms.length === 1 && !Number.isFinite(width))
    throw new RangeError(
      `\`gate.metric\` "${metric.name}" has bounds [${bounds[0]}, ${bounds[1]}], too wide for a confidence sequence: the range of ${forms[0] === 'baseline' ? 'a difference, 2 · (high - low),' : 'a score, high - low,'} must be a finite number`,
    );
  if (forms.length !== 1)
    throw new TypeError(
      `Expected \`gate\` to have exactly one of \`atLeast\`, \`atMost\` or \`baseline\` (with \`margin\`), got ${forms.length === 0 ? 'none' : forms.map((f) => `\`${f}\``).join(' and ')}`,
    );
  if (forms[0] === 'baseline') {
    if (!isEvalResult(g.baseline))
      throw new TypeError(
        `Expected \`gate.baseline\` to be an evalgate result, got ${_describe(g.baseline)}`,
      );
    if (g.baseline.scores.metrics[metric.name] === undefined)
      throw new TypeError(
        `Expected \`gate.baseline\` to have scored \`gate.metric\` "${metric.name}", but its metrics are ${Object.keys(
          g.baseline.scores.metrics,
        )
          .map((k) => JSON.stringify(k))
          .join(', ')}`,
      );
    // The baseline scored with another definition of the metric (another judge, rubric, normalization): the
    // sequence would run over the change of the yardstick, not of the system.
    const changes = recordedMetricChanges(
      recordedMetricEntry(g.baseline, metric.name),
      recordedMetric(metric),
    );
    if (changes.length > 0)
      throw new MetricDefinitionError(
        `\`gate.baseline\` scored \`gate.metric\` "${metric.name}" with another definition (baseline -> this run: ${describeDefinitionChanges(changes)}): the gate would decide on the change of the metric, not of the system. Re-score the baseline with this run's definition`,
        metric.name,
        changes,
      );
    _checkNumberInRange('gate.margin', g.margin, 0, Number.POSITIVE_INFINITY, '[)');
    // A difference never falls below -(high - low): a margin that large (2 meant as "2 points") decides nothing.
    const range = bounds[1] - bounds[0];
    if ((g.margin as number) >= range)
      throw new RangeError(
        `Expected \`gate.margin\` to be below the range of \`gate.metric\` "${metric.name}" (${range}, its bounds [${bounds[0]}, ${bounds[1]}]), got ${_describe(g.margin)}: a margin that large passes whatever the data; margins are on the metric's scale (0.02 is 2 points of a 0-1 metric)`,
      );
    return;
  }
  if (g.margin !== undefined)
    throw new TypeError('`gate.margin` belongs to a paired gate: pass it with `gate.baseline`');
  const key = forms[0] as 'atLeast' | 'atMost';
  _checkNumberInRange(`gate.${key}`, g[key], bounds[0], bounds[1], '[]');
}

/** Checks every option of `evaluate()`. */
export function checkOptions(options: EvaluateOptions): void {
  _checkOptionsObject('options', options);
  _checkKnownKeys('', options, OPTION_KEYS);
  if (options.concurrency !== undefined) _checkInteger('concurrency', options.concurrency, 1);
  if (options.timeoutMs !== undefined)
    _checkNumberInRange('timeoutMs', options.timeoutMs, 0, Number.POSITIVE_INFINITY, '(]');
  for (const name of ['rowTimeoutMs', 'metricTimeoutMs'] as const)
    if (options[name] !== undefined)
      _checkNumberInRange(name, options[name], 0, Number.POSITIVE_INFINITY, '(]');
  if (options.trials !== undefined) _checkInteger('trials', options.trials, 1);
  if (options.confidence !== undefined) _checkNumberInRange('confidence', options.confidence, 0, 1);
  if (options.resamples !== undefined) _checkInteger('resamples', options.resamples, 1);
  if (options.maxFailureRate !== undefined)
    _checkNumberInRange('maxFailureRate', options.maxFailureRate, 0, 1, '[]');
  if (options.seed !== undefined && typeof options.seed !== 'number' && typeof options.seed !== 'string')
    throw new TypeError(`Expected \`seed\` to be a number or a string, got ${_describe(options.seed)}`);
  // The seed is saved in the result's config: JSON writes NaN and Infinity as null, and the run could not be redone.
  if (typeof options.seed === 'number' && !Number.isFinite(options.seed))
    throw new RangeError(
      `Expected \`seed\` to be a finite number or a string, got ${_describe(options.seed)}`,
    );
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal))
    throw new TypeError(`Expected \`signal\` to be an AbortSignal, got ${_describe(options.signal)}`);
  if (
    options.progress !== undefined &&
    typeof options.progress !== 'boolean' &&
    typeof options.progress !== 'function'
  ) {
    if (options.progress === null || typeof options.progress !== 'object' || Array.isArray(options.progress))
      throw new TypeError(
        `Expected \`progress\` to be a boolean, an options object or a function, got ${_describe(options.progress)}`,
      );
    _checkKnownKeys('progress', options.progress, ['intervalMs', 'everyPercent']);
    const p = options.progress as ProgressLineOptions;
    if (p.intervalMs !== undefined)
      _checkNumberInRange('progress.intervalMs', p.intervalMs, 100, Number.POSITIVE_INFINITY, '[)');
    if (p.everyPercent !== undefined)
      _checkNumberInRange('progress.everyPercent', p.everyPercent, 0, 100, '(]');
  }
  if (options.onResult !== undefined && typeof options.onResult !== 'function')
    throw new TypeError(`Expected \`onResult\` to be a function, got ${_describe(options.onResult)}`);
  if (options.output !== undefined && (typeof options.output !== 'string' || options.output === ''))
    throw new TypeError(`Expected \`output\` to be a file path, got ${_describe(options.output)}`);
  if (options.segmentBy !== undefined) _checkSegmentBy(options.segmentBy);
  if (
    options.trajectory !== undefined &&
    typeof options.trajectory !== 'boolean' &&
    options.trajectory !== 'tool-calls'
  )
    throw new TypeError(
      `Expected \`trajectory\` to be a boolean or 'tool-calls', got ${_describe(options.trajectory)}`,
    );
  if (options.shuffled !== undefined && typeof options.shuffled !== 'boolean')
    throw new TypeError(`Expected \`shuffled\` to be a boolean, got ${_describe(options.shuffled)}`);
  if (options.cluster !== undefined) checkClusterOptions(options.cluster);
  if (options.retry !== undefined) {
    _checkOptionsObject('retry', options.retry);
    if (options.retry.maxRetries !== undefined)
      _checkInteger('retry.maxRetries', options.retry.maxRetries, 0);
    if (options.retry.baseMs !== undefined)
      _checkNumberInRange('retry.baseMs', options.retry.baseMs, 0, Number.POSITIVE_INFINITY, '[)');
    if (options.retry.maxMs !== undefined)
      _checkNumberInRange('retry.maxMs', options.retry.maxMs, 0, Number.POSITIVE_INFINITY, '[)');
  }
}

/** The cache mode a `cache` option asks for (`undefined`: no cache). */
export function cacheMode(cache: EvaluateOptions['cache']): CacheMode | undefined {
  if (cache === undefined) return undefined;
  if (isCacheStore(cache)) return 'read-write';
  return (cache as { mode?: CacheMode }).mode ?? 'read-write';
}

/**
 * The options of one run, resolved once: checked, defaults filled in, frozen. Every part of the run reads
 * this, never the raw options bag. User objects it holds (the cache store, the gate's baseline, callbacks) are
 * the user's, not copied or frozen.
 */
export interface RunConfig {
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly rowTimeoutMs: number;
  readonly metricTimeoutMs: number;
  readonly trials: number;
  readonly seed: number | string;
  readonly confidence: number;
  readonly resamples: number;
  readonly maxFailureRate: number;
  readonly signal: AbortSignal | undefined;
  readonly progress: EvaluateOptions['progress'];
  readonly onResult: EvaluateOptions['onResult'];
  readonly output: string | undefined;
  /** The cache mode `cache` asks for (`undefined`: no cache). */
  readonly cacheMode: CacheMode | undefined;
  /** The cache's store, when there is a cache. */
  readonly cacheStore: CacheStore | undefined;
  /** What the call runtime is built from (frozen). */
  readonly runtime: RuntimeOptions;
  /** The budget's limits, every one finite or `Infinity`. */
  readonly budget: Readonly<Required<NonNullable<RuntimeOptions['budget']>>>;
  /** The `budget` option as given (it travels to cluster workers). */
  readonly budgetOption: RuntimeOptions['budget'];
  readonly retry: RetryOptions | undefined;
  readonly pricing: RuntimeOptions['pricing'];
  readonly rateLimit: RuntimeOptions['rateLimit'];
  readonly cache: RuntimeOptions['cache'];
  readonly segmentBy: SegmentBy | undefined;
  /** What a row's trajectory keeps, when trajectories are recorded. */
  readonly trajectory: 'full' | 'tool-calls' | undefined;
  readonly gate: GateOptions | undefined;
  /** Whether the dataset is declared already shuffled (`shuffled`). */
  readonly shuffled: boolean;
  readonly cluster: ClusterOptions | undefined;
  /** The hosts the run started in (a vitest test): told of its result. @default none */
  readonly hosts?: readonly RunHost[];
  /** The options the result's `config` records as given (`timeoutMs`, `shuffled`): `undefined` when unset. */
  readonly given: { readonly timeoutMs: number | undefined; readonly shuffled: boolean | undefined };
}

/**
 * Checks `options` (and `gate` against `metrics`) and resolves them into the run's frozen {@link RunConfig}.
 * @throws {TypeError | RangeError} On a bad option, naming it and echoing the value.
 * @example
 * ```ts
 * resolveRunConfig({ concurrency: 4 }, [exactMatch()]).timeoutMs; // => 60000
 * ```
 */
export function resolveRunConfig(options: EvaluateOptions, metrics: readonly Metric[]): RunConfig {
  checkOptions(options);
  if (options.gate !== undefined) checkGate(options.gate, metrics);
  const concurrency = options.concurrency ?? 8;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const mode = cacheMode(options.cache);
  const runtime: RuntimeOptions = Object.freeze({
    concurrency,
    timeoutMs,
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.cache === undefined ? {} : { cache: options.cache }),
    ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
    ...(options.budget === undefined ? {} : { budget: options.budget }),
    ...(options.pricing === undefined ? {} : { pricing: options.pricing }),
  } as RuntimeOptions);
  return Object.freeze({
    concurrency,
    timeoutMs,
    rowTimeoutMs: options.rowTimeoutMs ?? 10 * timeoutMs,
    metricTimeoutMs: options.metricTimeoutMs ?? 10 * timeoutMs,
    trials: options.trials ?? 1,
    seed: options.seed ?? 0,
    confidence: options.confidence ?? 0.95,
    resamples: options.resamples ?? 9999,
    maxFailureRate: options.maxFailureRate ?? 0.05,
    signal: options.signal,
    progress: options.progress,
    onResult: options.onResult,
    output: options.output,
    cacheMode: mode,
    cacheStore:
      options.cache === undefined || mode === undefined
        ? undefined
        : isCacheStore(options.cache)
          ? options.cache
          : (options.cache as { store: CacheStore }).store,
    runtime,
    budget: Object.freeze(checkBudget(options.budget)),
    budgetOption: options.budget,
    retry: options.retry,
    pricing: options.pricing,
    rateLimit: options.rateLimit,
    cache: options.cache,
    segmentBy: options.segmentBy,
    trajectory:
      options.trajectory === true ? 'full' : options.trajectory === 'tool-calls' ? 'tool-calls' : undefined,
    gate: options.gate,
    shuffled: options.shuffled ?? false,
    cluster: options.cluster,
    given: Object.freeze({ timeoutMs: options.timeoutMs, shuffled: options.shuffled }),
  });
}
