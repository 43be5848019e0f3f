/**
 * The shape of `evaluate()`'s result: JSON-serializable, versioned (`schemaVersion: 1`).
 * @module
 */
import type { SerializedError } from './errors.js';
import type { JudgeBias } from './judge/judgeBiasReport.js';
import type { MetricKind, Usage } from './types.js';

/** Current version of the result document. Readers refuse newer versions. */
export const SCHEMA_VERSION = 1 as const;

/** A confidence interval and how it was computed. */
export interface ConfidenceInterval {
  readonly low: number;
  readonly high: number;
  /** Confidence level, e.g. 0.95. */
  readonly level: number;
  /** 'bca' | 'percentile' | 'basic' | 'normal' | 'cluster-bca' … */
  readonly method: string;
}

/** The estimate of one metric over the run. */
export interface MetricSummary {
  readonly kind: MetricKind;
  /** The point estimate: the mean over scored examples, or the corpus-level aggregate. */
  readonly mean: number;
  readonly ci: ConfidenceInterval;
  readonly stderr: number;
  /** Examples that contributed a score. */
  readonly n: number;
  /** Examples with an output whose score is missing (metric returned NaN / null, or threw). */
  readonly nMissing: number;
  /** 'mean' for per-example averages, 'corpus' when the metric aggregates sufficient statistics. */
  readonly aggregation: 'mean' | 'corpus';
  /** Set when the CI could not be computed normally (constant data, too few examples). */
  readonly warning?: string;
  /** Judged metrics only (LLM judges, RAG metrics): the judge's measured biases. */
  readonly judge?: JudgeBias;
}

/** Everything recorded about one (example, trial). */
export interface ExampleRecord {
  readonly id: string;
  readonly trial: number;
  readonly group?: string;
  readonly input: unknown;
  readonly reference?: unknown;
  /** The model's text, or null when the call failed. */
  readonly output: string | null;
  /** Metric name -> score, null when missing. */
  readonly scores: Readonly<Record<string, number | null>>;
  /** Per-metric details (judge reasons, metric errors). */
  readonly details?: Readonly<Record<string, unknown>>;
  readonly error?: SerializedError;
  readonly latencyMs: number;
  readonly usage?: Usage;
  readonly costUsd?: number;
  readonly cached: boolean;
  readonly retries: number;
}

/**
 * Compact per-example columns kept in memory even when records stream to disk: enough for `compare()`
 * and for recomputing any interval. Index i of every array is the same (example, trial).
 */
export interface ScoreTable {
  readonly ids: readonly string[];
  readonly trials: readonly number[];
  /** Cluster label per row, or null. */
  readonly groups: readonly (string | null)[];
  /** True where the model call failed (no output). */
  readonly failed: readonly boolean[];
  /** Metric name -> score per row (null when failed or missing). */
  readonly metrics: Readonly<Record<string, readonly (number | null)[]>>;
  /** Corpus metrics only: metric name -> sufficient statistics per row (null when failed or missing). */
  readonly stats?: Readonly<Record<string, readonly (readonly number[] | null)[]>>;
}

/** Totals over every call the run made. */
export interface RunTotals {
  readonly requests: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
  readonly cacheHits: number;
  readonly cacheMisses: number;
  readonly retries: number;
  /** Tokens and cost that cache hits did not spend again (what the original calls used); absent in results written before the cache existed. */
  readonly savedInputTokens?: number;
  readonly savedOutputTokens?: number;
  readonly savedCostUsd?: number;
}

/** The result of `evaluate()`. */
export interface EvalResult {
  readonly schemaVersion: typeof SCHEMA_VERSION;
  readonly run: {
    readonly startedAt: string;
    readonly finishedAt: string;
    readonly durationMs: number;
    readonly evalgateVersion: string;
    /** Why the run stopped early, or null when every example ran. */
    readonly stoppedBy: 'abort' | 'budget' | null;
  };
  /** The options that shape the numbers (functions and stores omitted). */
  readonly config: Readonly<Record<string, unknown>>;
  /** Rows evaluated: examples × trials that were attempted. */
  readonly n: number;
  /** Rows whose model call failed after retries. */
  readonly nFailed: number;
  readonly metrics: Readonly<Record<string, MetricSummary>>;
  /** Per-example records; empty when they were streamed to `examplesFile`. */
  readonly examples: readonly ExampleRecord[];
  /** Path of the JSONL file holding the records when `output` was set. */
  readonly examplesFile?: string;
  readonly scores: ScoreTable;
  readonly totals: RunTotals;
}
