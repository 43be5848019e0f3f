/**
 * The options of `evaluate()` and their checks: every bad value is a TypeError / RangeError naming the option
 * and echoing the value, raised before anything runs.
 * @module
 */
import { _describe } from '../_internal/describe.js';
import { _checkInteger, _checkNumberInRange, _checkOptionsObject } from '../_internal/validate.js';
import { _isCacheStore, type CacheMode } from '../cache/CacheStore.js';
import type { Metric } from '../core/types.js';
import type { ExampleRecord } from '../result/EvalResult.js';
import type { RetryOptions, RuntimeOptions } from '../scheduler/runtime.js';
import type { Progress } from './progressBar.js';
import { _checkSegmentBy, type SegmentBy } from './segmentBy.js';

export type { Progress } from './progressBar.js';
export type { SegmentBy } from './segmentBy.js';

/** Options of {@link evaluate}. Every field is optional. */
export interface EvaluateOptions {
  /** Examples in flight at once. Minimum: `1`. @default 8 */
  readonly concurrency?: number;
  /** Per-attempt timeout of one network call, in ms. Minimum: `1`. @default 60000 */
  readonly timeoutMs?: number;
  /**
   * Bound on one row's model phase — the whole pipeline for one example, every call and retry included — in
   * ms. Past it the row's signal aborts and the row fails with a `TimeoutError`. Minimum: `1`.
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
  /** Seed of the bootstrap resampling, so intervals are identical run to run. @default 0 */
  readonly seed?: number | string;
  /** Confidence level of every interval, in (0, 1). @default 0.95 */
  readonly confidence?: number;
  /** Bootstrap resamples per interval. Minimum: `1`. @default 9999 */
  readonly resamples?: number;
  /** Cancels the run: in-flight calls are aborted and the result holds what finished (`run.stoppedBy: 'abort'`). */
  readonly signal?: AbortSignal;
  /**
   * `true`/`false` forces the TTY progress bar on/off; a function receives every update instead.
   * @default a bar on stderr when it is a TTY and `CI` is unset, silent otherwise
   */
  readonly progress?: boolean | ((progress: Progress) => void);
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
}

const METRIC_NAME = /^[A-Za-z0-9_.:-]+$/;

/** Names a metric cannot take: they would collide with `Object.prototype` in the score objects. */
const RESERVED = new Set([
  '__proto__',
  'constructor',
  'prototype',
  ...Object.getOwnPropertyNames(Object.prototype),
]);

/** Checks the metric list: objects with a valid, unique, non-reserved name, a kind and a score function. */
export function _checkMetrics(metrics: unknown): readonly Metric[] {
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
    if (RESERVED.has(metric.name))
      throw new TypeError(
        `Expected \`${where}.name\` not to be the reserved name "${metric.name}" (a property of every object)`,
      );
    if (metric.kind !== 'binary' && metric.kind !== 'continuous')
      throw new TypeError(
        `Expected \`${where}.kind\` to be 'binary' | 'continuous', got ${_describe(metric.kind)}`,
      );
    if (typeof metric.score !== 'function')
      throw new TypeError(`Expected \`${where}.score\` to be a function, got ${_describe(metric.score)}`);
    if (names.has(metric.name)) throw new TypeError(`Duplicate metric name "${metric.name}" in \`metrics\``);
    names.add(metric.name);
  });
  return metrics as readonly Metric[];
}

/** Checks every option of `evaluate()`. */
export function _checkOptions(options: EvaluateOptions): void {
  _checkOptionsObject('options', options);
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
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal))
    throw new TypeError(`Expected \`signal\` to be an AbortSignal, got ${_describe(options.signal)}`);
  if (
    options.progress !== undefined &&
    typeof options.progress !== 'boolean' &&
    typeof options.progress !== 'function'
  )
    throw new TypeError(
      `Expected \`progress\` to be a boolean or a function, got ${_describe(options.progress)}`,
    );
  if (options.onResult !== undefined && typeof options.onResult !== 'function')
    throw new TypeError(`Expected \`onResult\` to be a function, got ${_describe(options.onResult)}`);
  if (options.output !== undefined && (typeof options.output !== 'string' || options.output === ''))
    throw new TypeError(`Expected \`output\` to be a file path, got ${_describe(options.output)}`);
  if (options.segmentBy !== undefined) _checkSegmentBy(options.segmentBy);
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
export function _cacheMode(cache: EvaluateOptions['cache']): CacheMode | undefined {
  if (cache === undefined) return undefined;
  if (_isCacheStore(cache)) return 'read-write';
  return (cache as { mode?: CacheMode }).mode ?? 'read-write';
}
