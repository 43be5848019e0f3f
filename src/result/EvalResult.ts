/**
 * The shape of `evaluate()`'s result: JSON-serializable, versioned (`schemaVersion: 1`).
 * @module
 */

import type { Trajectory } from '../core/trajectory.js';
import type { MetricKind, Usage } from '../core/types.js';
import type { SerializedError } from '../errors.js';

/**
 * Current version of the result document. Readers refuse newer versions.
 * @example
 * ```ts
 * (await loadResult('baselines/qa.json')).schemaVersion === SCHEMA_VERSION; // => true
 * ```
 */
export const SCHEMA_VERSION = 1 as const;

/**
 * How an interval was computed: a bootstrap (`'bca'`, `'percentile'`, `'basic'`, and their cluster forms), the
 * exact Clopper-Pearson interval of an all-0 / all-1 binary metric (or of few rows or units), the finite-sample
 * bounded-mean interval (PrPl-EB), the Fisher z interval of a correlation, `'point'` when every value is equal, or
 * `'none'` when there was nothing to compute it from. With few clustered units of unequal size (groups of different
 * sizes), where the estimate is the mean over rows and not over units: `'korn-graubard'` (Clopper-Pearson on Korn and
 * Graubard's effective sample size of a clustered proportion) and `'hoeffding'` (Hoeffding's interval of the
 * size-weighted mean of the unit means).
 */
export type IntervalMethod =
  | 'bca'
  | 'percentile'
  | 'basic'
  | 'cluster-bca'
  | 'cluster-percentile'
  | 'cluster-basic'
  | 'clopper-pearson'
  | 'korn-graubard'
  | 'bounded-mean'
  | 'hoeffding'
  | 'fisher-z'
  | 'point'
  | 'none';

/** A confidence interval and how it was computed. */
export interface ConfidenceInterval {
  readonly low: number;
  readonly high: number;
  /** Confidence level, e.g. 0.95. */
  readonly level: number;
  /** How the interval was computed. */
  readonly method: IntervalMethod;
  /** Why this method was used when it is not the bootstrap (few rows, degenerate data, an unresolvable tail). */
  readonly note?: string;
}

/** The biases measured for one judged metric. */
export interface JudgeBias {
  /** The judge model, when the metric says. */
  readonly judgeModel?: string;
  /** True when the judge is the model under test (it tends to prefer its own writing); undefined when unknown. */
  readonly selfJudging?: boolean;
  /**
   * Pearson correlation between the score and the output's length in characters, with its Fisher-z CI (as
   * scipy's `pearsonr(...).confidence_interval()`): a CI away from 0 means the judge's scores move with length.
   * Null with fewer than 4 scored rows; NaN when scores or lengths are all equal.
   */
  readonly lengthCorrelation: {
    readonly r: number;
    readonly ci: ConfidenceInterval;
    readonly n: number;
  } | null;
  /** Pairwise judges only: share of pairs whose verdict survived the position swap, and how often position 1 won. */
  readonly positionConsistency?: {
    readonly rate: number;
    readonly n: number;
    /** Among decisive single-order verdicts, the share that picked the first position (0.5 = no position bias). */
    readonly firstPositionRate: number;
  };
  /**
   * Pairwise judges only: intervals of {@link JudgeBias.positionConsistency}'s two rates at the run's level.
   * `consistency`: Clopper-Pearson over the pairs (one consistent-or-not per pair, pairs independent), as
   * `scipy.stats.binomtest(k, n).proportion_ci(method='exact')`. `firstPosition`: the share of decisive single-order
   * verdicts that picked position 1 counts up to two dependent verdicts per pair, so each pair is a cluster:
   * Clopper-Pearson on Korn and Graubard's effective sample size (`'korn-graubard'`; `'clopper-pearson'` when every
   * pair gave two decisive verdicts that agree on the position, where it is exactly the interval over pairs),
   * NaN bounds and `'none'` when no verdict was decisive. Absent in results written before they were measured.
   */
  readonly positionIntervals?: {
    readonly consistency: ConfidenceInterval;
    readonly firstPosition: ConfidenceInterval;
  };
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
  /**
   * Set when more than 5% of the rows with an output got a score clearly outside the metric's declared bounds, or
   * no number at all (a boolean, a string: `notNumber`, set when any): the metric (or its bounds) is broken, so its
   * summary is not data. Gates refuse to decide on it and the matchers fail naming it.
   */
  readonly broken?: { readonly outOfBounds: number; readonly notNumber?: number; readonly n: number };
  /** Judged metrics only (LLM judges, RAG metrics): the judge's measured biases. */
  readonly judge?: JudgeBias;
  /**
   * Metrics with human labels (`Example.labels`) on enough rows: the prediction-powered estimate of the mean
   * human score, whose interval includes the judge's error, and the judge's agreement with the humans.
   */
  readonly calibrated?: CalibratedSummary;
}

/** The prediction-powered (PPI++) estimate of a labeled metric (see `ppiMean` in `evalgate/stats`). */
export interface CalibratedSummary {
  /** Estimate of the mean human score over all scored rows. */
  readonly mean: number;
  readonly ci: {
    readonly low: number;
    readonly high: number;
    readonly level: number;
    /**
     * `'ppi++'`: the PPI++ normal interval. When its standard error is 0 (every human label equal; or a judge whose
     * error is the same on every labeled row, none for one matching every label, and whose unlabeled scores are all
     * equal), the labels' own finite-sample interval, widened to `mean`, instead: `'clopper-pearson'` for 0/1 labels
     * on a [0, 1] metric, `'bounded-mean'` otherwise (the metric's bounds).
     */
    readonly method: 'ppi++' | 'clopper-pearson' | 'bounded-mean';
  };
  readonly stderr: number;
  /** PPI++ weight of the judge in [0, 1] (0: the labels alone). */
  readonly method: 'ppi++';
  readonly lambda: number;
  /**
   * Scored rows with a human label; with clustered rows, labeled clusters: an example's trials (`trials > 1`), or a
   * group's examples, are one unit of the estimate (the mean of their judge scores, with the mean of their labels),
   * as in compare().
   */
  readonly nLabeled: number;
  /** Scored rows without one (with clustered rows, clusters without a label). */
  readonly nUnlabeled: number;
  /** Labels alone that would give the same standard error. */
  readonly effectiveN: number;
  /**
   * The judge's agreement with the human labels (`judgeAgreement`), JSON-safe (NaN as null after a save). Over rows:
   * with trials, each trial's score against its example's label.
   */
  readonly agreement: Readonly<Record<string, unknown>>;
  /** Set when the estimate rests on an assumption the data may break (few labels, clipping). */
  readonly warning?: string;
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
  /** The example's `metadata`, carried through as it was given. */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** The example's human labels (`Example.labels`), keyed by metric name. */
  readonly labels?: Readonly<Record<string, number>>;
  /** Per-metric details (judge reasons, metric errors). */
  readonly details?: Readonly<Record<string, unknown>>;
  readonly error?: SerializedError;
  readonly latencyMs: number;
  /**
   * Tokens of the row's model phase: what the model reported, else the sum over its calls through evalgate. For a
   * cached row (`cached: true`) these are what the responses used when they were paid for, not a new expense:
   * `totals` count what this run paid (`inputTokens`, `costUsd`) apart from what the cache saved
   * (`savedInputTokens`, `savedCostUsd`), so a sum of records can exceed `totals.costUsd`.
   */
  readonly usage?: Usage;
  /** USD of the row's model phase, on the same terms as `usage`; unset (never 0) when any of its calls had no price. */
  readonly costUsd?: number;
  /** `true` when every call of the row's model phase was answered from the cache (or a single flight). */
  readonly cached: boolean;
  readonly retries: number;
  /** The row's calls in order, with the run's `trajectory` option (or returned by the model). */
  readonly trajectory?: Trajectory;
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
  /** Runs with `segmentBy` only: the segment labels of each row (empty: in no segment). */
  readonly segments?: readonly (readonly string[])[];
  /** Runs whose examples carry `labels`: metric name -> the human label per row (null: unlabeled). */
  readonly labels?: Readonly<Record<string, readonly (number | null)[]>>;
}

/** Totals over every call the run made. */
export interface RunTotals {
  readonly requests: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
  /** Calls answered by the cache or by an identical call in flight. */
  readonly cacheHits: number;
  /** Calls that looked in the cache, missed, and sent a request (a call the budget refused is not one). */
  readonly cacheMisses: number;
  readonly retries: number;
  /** Tokens and cost that cache hits did not spend again (what the original calls used); absent in results written before the cache existed. */
  readonly savedInputTokens?: number;
  readonly savedOutputTokens?: number;
  readonly savedCostUsd?: number;
  /**
   * Calls that reported tokens but whose model has no price (absent when every call was priced): `costUsd`
   * covers the priced calls only, and `warnings` names the unpriced models.
   */
  readonly unpricedCalls?: number;
  /** Calls made through evalgate and the cache hits among them, per kind (the model's, judges', embeddings'). */
  readonly byKind?: Readonly<
    Record<'model' | 'judge' | 'embedding', { readonly calls: number; readonly cacheHits: number }>
  >;
}

/**
 * What an anytime-valid gate decided (`evaluate(…, { gate })`): the confidence sequence's interval when the
 * decision was taken, how many rows it took, and what stopping saved. `lower` / `upper` are on the metric's
 * scale (for a paired gate: of the mean candidate − baseline difference).
 */
export interface GateResult {
  /** `'pass'`: the bar is met (paired: non-inferior); `'fail'`: it is not (paired: inferior); `'undecided'`: the data ran out first. */
  readonly decision: 'pass' | 'fail' | 'undecided';
  /** `'threshold'` for `{ atLeast }` / `{ atMost }`, `'non-inferiority'` for the paired form `{ baseline, margin }`. */
  readonly kind: 'threshold' | 'non-inferiority';
  readonly metric: string;
  /** The bar of a `{ metric, atLeast }` gate. */
  readonly atLeast?: number;
  /** The bar of a `{ metric, atMost }` gate. */
  readonly atMost?: number;
  /** The margin of a paired gate: non-inferior when the mean difference is above `-margin`. */
  readonly margin?: number;
  /** Observations in the sequence at the decision: examples, or clusters (per-example / per-group means). */
  readonly n: number;
  /** Rows (examples × trials) finished when the decision was taken. */
  readonly rows: number;
  /** The confidence sequence's bounds at the decision (or after the last observation when undecided). */
  readonly lower: number;
  readonly upper: number;
  /** Confidence level of the sequence, time-uniform over every look. */
  readonly confidence: number;
  /** The sequence: PrPl-EB (Waudby-Smith & Ramdas 2024), without replacement when `population` is set. */
  readonly method: 'prpl-eb';
  /** Observations the dataset held (examples or clusters), when it was read into an index first. */
  readonly population?: number;
  /** `'seeded'`: the run shuffled the dataset with `seed`; `'as-given'`: the caller declared it shuffled. */
  readonly order: 'seeded' | 'as-given';
  /** Rows never run because the gate decided (null when the dataset's length was unknown). */
  readonly rowsSkipped: number | null;
  /** Estimated cost of the skipped rows: the run's mean cost per row × `rowsSkipped` (null when unknown). */
  readonly costSavedUsd: number | null;
  /** Set when the gate refused to decide (decision `'undecided'`): its metric is broken (see `MetricSummary.broken`). */
  readonly refused?: string;
}

/** The result of `evaluate()`. */
export interface EvalResult {
  readonly schemaVersion: typeof SCHEMA_VERSION;
  readonly run: {
    readonly startedAt: string;
    readonly finishedAt: string;
    readonly durationMs: number;
    readonly evalgateVersion: string;
    /**
     * Why the run stopped early, or null when every example ran: cancelled (`'abort'`), a `budget` limit
     * reached, or a gate decided (`'decided'`).
     */
    readonly stoppedBy: 'abort' | 'budget' | 'decided' | null;
    /** Rows the dataset holds (examples × trials), when it was known before the run (an array). */
    readonly rowsPlanned?: number;
  };
  /** The options that shape the numbers (functions and stores omitted). */
  readonly config: Readonly<Record<string, unknown>>;
  /** Rows evaluated: examples × trials that were attempted. */
  readonly n: number;
  /** Rows whose model call failed after retries. */
  readonly nFailed: number;
  readonly metrics: Readonly<Record<string, MetricSummary>>;
  /**
   * Runs with `segmentBy` only: segment label -> metric name -> the metric's summary over the segment's rows,
   * computed exactly as the overall one (same seed, confidence and resamples; corpus metrics re-aggregated on
   * the segment). Segments are in label order; a summary's `warning` says when its segment is too small.
   */
  readonly segments?: Readonly<Record<string, Readonly<Record<string, MetricSummary>>>>;
  /** Present when the run had a `gate`: what it decided and what stopping early saved. */
  readonly gate?: GateResult;
  /** What a reader must know about the run's numbers: refused scores, a cache nothing went through, cache faults. */
  readonly warnings?: readonly string[];
  /** Per-example records; empty when they were streamed to `examplesFile`. */
  readonly examples: readonly ExampleRecord[];
  /** Path of the JSONL file holding the records when `output` was set. */
  readonly examplesFile?: string;
  readonly scores: ScoreTable;
  readonly totals: RunTotals;
}
