/**
 * Core types of evalgate. The names are the contract of DESIGN.md; fields may grow.
 * @module
 */
import type { CallRuntime } from './scheduler/runtime.js';

/** One dataset row: what goes into the model and what a metric compares its output with. */
export interface Example {
  /** Stable identity used to pair runs in `compare()`. Assigned from the position (`"#0"`, `"#1"`, …) when absent. */
  readonly id?: string;
  /** What the model receives: a string, a chat transcript, or any structured value. */
  readonly input: unknown;
  /** The expected answer (a string, several acceptable strings, or structured data). */
  readonly reference?: unknown;
  /** Retrieved passages for RAG metrics. */
  readonly context?: readonly string[];
  /** Cluster label: examples that share a group are resampled together by the bootstrap. */
  readonly group?: string;
  /** Free-form data carried through to the result. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** Any finite or streaming source of examples. */
export type Dataset = Iterable<Example> | AsyncIterable<Example>;

/** Token counts of one model call. */
export interface Usage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** What a model returns when it has more to say than the text. */
export interface ModelOutput {
  readonly output: string;
  readonly usage?: Usage;
  readonly costUsd?: number;
  /** The provider's raw response, kept for debugging; not written to result files. */
  readonly raw?: unknown;
  /** True when the response came from the cache rather than the network. */
  readonly cached?: boolean;
  /** Attempts beyond the first that the call needed (set by runtime-aware adapters such as `openaiModel()`). */
  readonly retries?: number;
}

/** What `evaluate()` passes to a model besides the input. */
export interface ModelContext {
  readonly example: Example;
  /** Trial index, `0 … trials-1`: a model that samples should treat trials as independent draws. */
  readonly trial: number;
  /** Aborted on timeout or cancellation: pass it to every network call. */
  readonly signal: AbortSignal;
  /**
   * The run's call runtime (cache, rate limits, retries, totals). Adapters such as `openaiModel()` route their
   * requests through it; plain functions can ignore it (evaluate() then wraps the whole call).
   */
  readonly runtime?: CallRuntime;
}

/** The system under test: any async function from input to text. */
export type Model = (input: unknown, ctx: ModelContext) => Promise<string | ModelOutput>;

/** What a metric sees for one example. */
export interface ScoreContext {
  readonly example: Example;
  readonly output: string;
  readonly signal: AbortSignal;
  /** Trial index of the output being scored. @default 0 */
  readonly trial?: number;
  /** The run's call runtime: judges and embedding metrics route their model calls through it. */
  readonly runtime?: CallRuntime;
}

/** Binary metrics take values in {0, 1} (McNemar applies); continuous ones any real number. */
export type MetricKind = 'binary' | 'continuous';

/**
 * A metric's verdict on one example when a bare number is not enough.
 * `value: null` records the example as missing for this metric (e.g. a judge verdict that did not parse),
 * which is counted in `nMissing` and never scored as 0.
 */
export interface MetricScore {
  readonly value: number | null;
  /** Per-example sufficient statistics for corpus-level metrics (e.g. BLEU n-gram matches and totals). */
  readonly stats?: readonly number[];
  /** Anything worth keeping on the example record: a judge's reason, the raw verdict, sub-scores. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** A scorer that `evaluate()` applies to each output. */
export interface Metric {
  readonly name: string;
  readonly kind: MetricKind;
  /** Scores one output. Return `NaN` or `{ value: null }` for "missing", never a made-up default. */
  score(c: ScoreContext): number | MetricScore | Promise<number | MetricScore>;
  /**
   * Corpus-level metrics (corpus BLEU, chrF) are not means of sentence scores: when present, the metric's
   * estimate is `aggregate(stats of every scored example)`, and its CI resamples examples and re-aggregates.
   */
  readonly aggregate?: (stats: readonly (readonly number[])[]) => number;
}
