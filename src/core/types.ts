/**
 * Core types of evalgate. The names are the contract of DESIGN.md; fields may grow. This module imports
 * nothing: every other folder builds on it.
 * @module
 */
import type { MetricDefinition } from './metricDefinition.js';
import type { Trajectory, TrajectoryInput } from './trajectory.js';

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
  /**
   * Cluster label, for dependence: examples that are not independent of each other (questions about one
   * document, turns of one conversation, paraphrases of one prompt) share a group and are resampled together
   * by the bootstrap, which widens the interval honestly. Not for slicing results: a category here turns the
   * interval into a bootstrap over a handful of clusters, which is too narrow to trust (a summary from fewer
   * than 20 groups says so in its `warning`). To report per category, use `evaluate()`'s `segmentBy`.
   * @example
   * ```ts
   * { input: 'Who signed it?', reference: 'Ada', group: 'doc-17' } // every question on doc-17 shares the group
   * ```
   */
  readonly group?: string;
  /** Free-form data, kept on every record (`result.examples[i].metadata`); `segmentBy` can read it. */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /**
   * Human labels, keyed by metric name: the human's score for that metric on this example's output, on the
   * metric's scale. Any subset of rows may carry them (ideally a uniform random sample: see
   * `sampleForLabeling()`); a metric with labels on enough rows gets a prediction-powered estimate
   * (`result.metrics[name].calibrated`) whose interval includes the judge's error. `loadLabels(path)` reads them
   * from a separate JSONL file keyed by id.
   * @example
   * ```ts
   * { id: 'q17', input: 'Is the sky green?', labels: { correctness: 0 } } // a rater said the answer is wrong
   * ```
   */
  readonly labels?: Readonly<Record<string, number>>;
}

/** Any finite or streaming source of examples. */
export type Dataset = Iterable<Example> | AsyncIterable<Example>;

/**
 * An open ioredis connection (`new Redis(url)` from `ioredis`), as `redisCache` and `redisRateLimiter` take it.
 * Declared by the method evalgate checks, not as ioredis's own class: ioredis is an optional peer, and a project
 * that never uses Redis must be able to compile against evalgate's declarations without it (with
 * `skipLibCheck: false`, a declaration naming `ioredis` fails such a build with `Cannot find module 'ioredis'`).
 */
export interface RedisConnection {
  defineCommand(name: string, definition: { lua: string; numberOfKeys?: number }): void;
}

/** Token counts of one model call. */
export interface Usage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  /**
   * `true` when the counts are estimated with the tokenizer (a stream that reported no usage of its own), not
   * reported by the provider. @default absent (reported)
   */
  readonly estimated?: boolean;
}

/** What a model returns when it has more to say than the text. */
export interface ModelOutput {
  readonly output: string;
  /**
   * Token counts, when the model knows them. @default the sum over the calls the model made through evalgate
   * (a wrapped client or `ctx.call`)
   */
  readonly usage?: Usage;
  /** USD. @default the sum over the calls the model made through evalgate */
  readonly costUsd?: number;
  /** The provider's raw response, kept for debugging; not written to result files. */
  readonly raw?: unknown;
  /**
   * The agent's trajectory, for agents built on clients evalgate does not wrap: kept on the record and handed to
   * the metrics whether or not `evaluate()`'s `trajectory` option is on (in that option's form, `'full'` when
   * off), in place of the one recorded from the calls. @default the recorded one, with the option
   */
  readonly trajectory?: Trajectory | TrajectoryInput;
}

/** Which part of a run a network call serves, for totals and messages. */
export type CallKind = 'model' | 'judge' | 'embedding';

/** One network call, as a pipeline describes it to `ctx.call`. */
export interface CallRequest {
  /**
   * Everything that determines the response (model, messages / prompt, sampling parameters, tools, response
   * format, seed): hashed with the trial index into the cache key. Never put API keys or headers here.
   * `undefined`: the call is not cacheable (it is still limited, retried and counted).
   */
  readonly request?: unknown;
  /**
   * Which API the request is for (e.g. `'openai.responses'`), part of the cache key so that equal bodies sent
   * to different APIs never share an entry. @default none (the body alone)
   */
  readonly api?: string;
  /** @default `'model'` while the model runs, `'judge'` while metrics score */
  readonly kind?: CallKind;
  /** Model name, for pricing. @default `request.model` */
  readonly model?: string;
  /**
   * Estimated tokens (prompt + expected completion) for a TPM limit.
   * @default counted from the contents of `request`
   */
  readonly estimatedTokens?: number;
}

/** What a sender returns: a JSON-serializable value plus what it cost. */
export interface CallOutcome<T> {
  readonly value: T;
  readonly usage?: Usage;
  /** USD; when absent and `usage` is present the runtime prices the call from its price table. */
  readonly costUsd?: number;
}

/** A completed call, as seen by the caller. */
export interface CallResult<T> extends CallOutcome<T> {
  /**
   * True when the response came from the cache or from an identical call in flight (single flight); `usage`
   * and `costUsd` then describe what the response cost when it was paid for, not a new expense.
   */
  readonly cached: boolean;
  /** Attempts beyond the first. */
  readonly retries: number;
}

/**
 * Runs one network call through the run's call runtime: cache (and replay), single flight, budget, rate
 * limits, the adaptive concurrency gate, a per-attempt timeout and retries. `send` receives the attempt's
 * signal (aborted on timeout or cancellation) and must pass it to its client.
 */
export type CallFn = <T>(
  call: CallRequest,
  send: (signal: AbortSignal) => Promise<CallOutcome<T>>,
) => Promise<CallResult<T>>;

/** What `evaluate()` passes to a model besides the input. */
export interface ModelContext {
  readonly example: Example;
  /** Trial index, `0 … trials-1`: a model that samples should treat trials as independent draws. */
  readonly trial: number;
  /** Aborted on cancellation or when the row's time is up: pass it to every network call. */
  readonly signal: AbortSignal;
  /**
   * Runs a network call through the run's call runtime (for clients evalgate does not wrap; `wrapOpenAI`,
   * `wrapAnthropic` and `wrapAISDKModel` do this by themselves).
   */
  readonly call: CallFn;
}

/**
 * The system under test: any async function from input to text. Two optional, declared properties tell
 * `evaluate()` more: `modelName` (recorded in the result; a judge of the same name is flagged as
 * self-judging) and `offline: true` (the model makes no network call, e.g. `precomputedModel()`, so replay mode
 * and the cache do not expect one).
 */
export type Model = ((input: unknown, ctx: ModelContext) => Promise<string | ModelOutput>) & {
  readonly modelName?: string;
  readonly offline?: boolean;
};

/** What a metric sees for one example. */
export interface ScoreContext {
  readonly example: Example;
  readonly output: string;
  readonly signal: AbortSignal;
  /** Trial index of the output being scored. @default 0 */
  readonly trial?: number;
  /**
   * Runs a network call (a judge, an embedding) through the run's call runtime. Absent when a metric is
   * called outside `evaluate()`; wrapped clients then behave as plain clients.
   */
  readonly call?: CallFn;
  /** The row's trajectory, when `evaluate()` recorded one (its `trajectory` option) or the caller passes it. */
  readonly trajectory?: Trajectory;
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

/**
 * How a corpus metric's estimate is recomputed from the saved sufficient statistics after the run (by
 * `compare()`, the CLI and the reporter): `id` names a known aggregator (`'bleu'`, `'chrf'`) and `options`
 * its settings. Recorded in `result.config.metrics`, so a result file says how to re-aggregate itself.
 */
export interface CorpusAggregation {
  readonly kind: 'corpus';
  readonly id: string;
  readonly options?: Readonly<Record<string, unknown>>;
}

/**
 * The rows one metric scored, handed to its `summarize` hook after the run (in row order): every row with an
 * output on which the metric returned (failed rows and rows where it threw are left out).
 */
export interface MetricRows {
  /** The score of each row, null where it is missing. */
  readonly values: readonly (number | null)[];
  /** The length of each row's output, in code points. */
  readonly outputLengths: readonly number[];
  /** The details the metric returned for each row, or undefined. */
  readonly details: readonly (Readonly<Record<string, unknown>> | undefined)[];
}

/** What a `summarize` hook knows about the run. */
export interface MetricRunInfo {
  /** Confidence level of the run's intervals. */
  readonly confidence: number;
  /** The model's declared `modelName`, when it has one. */
  readonly modelName?: string;
}

/**
 * A scorer that `evaluate()` applies to each output.
 *
 * Higher scores are better, everywhere a score is judged: `compare()`'s `regressed` and non-inferiority (the lower
 * bound of candidate - baseline above `-margin`), `toBeSignificantlyBetter`, `toBeNonInferior`,
 * `toHaveLowerBoundAtLeast`, `toHaveNoSegmentRegression` and a gate's `atLeast` / `margin`. evalgate has no
 * lower-is-better metric: score a distance, latency or cost as its negative or as a similarity (`1 - d / max`), else
 * a candidate that got slower reads as better.
 *
 * @example
 * ```ts
 * // Shorter answers are better: score minus the length, so that a longer-winded candidate reads as worse.
 * const brevity: Metric = { name: 'neg_length', kind: 'continuous', score: ({ output }) => -output.length };
 * ```
 */
export interface Metric {
  readonly name: string;
  readonly kind: MetricKind;
  /**
   * The range every score lies in, e.g. `[0, 1]` or a judge's `[1, 5]`. A score outside it is recorded as
   * missing with a warning. @default `[0, 1]` for binary metrics, unbounded for continuous ones
   */
  readonly bounds?: readonly [number, number];
  /**
   * Scores one output. Return `NaN` or `{ value: null }` for "missing", never a made-up default. A value that is
   * not a number (`true`, `'0.5'`, `1n`, bare or as `value`) is refused: the score is missing and the run warns.
   */
  score(c: ScoreContext): number | MetricScore | Promise<number | MetricScore>;
  /**
   * Corpus-level metrics (corpus BLEU, chrF) are not means of sentence scores: when present, the metric's
   * estimate is `aggregate(stats of every scored example)`, and its CI resamples examples and re-aggregates.
   */
  readonly aggregate?: (stats: readonly (readonly number[])[]) => number;
  /** For corpus metrics: how to re-aggregate the saved statistics after the run (see {@link CorpusAggregation}). */
  readonly aggregation?: CorpusAggregation;
  /**
   * How the metric scores, as plain JSON (see {@link MetricDefinition}), recorded in the result
   * (`config.metrics[i].definition`) so that `compare()` refuses to compare two runs whose metric of one name was
   * defined differently (another judge model or rubric, BLEU with another tokenizer): the difference would be the
   * yardstick's, not the model's. The text metrics, the judges and the agent metrics set it; a custom metric may declare one, e.g.
   * `{ metric: 'myRubricScore', rubricVersion: 3 }`; keep secrets (API keys) out of it. Without one, only `kind` and
   * `aggregation` are compared (not `bounds`). @default none
   */
  readonly definition?: MetricDefinition;
  /**
   * Called once after the run with the metric's scored rows; the fields it returns are added to the metric's
   * summary (judged metrics attach their bias report as `judge`).
   */
  summarize?(rows: MetricRows, run: MetricRunInfo): Readonly<Record<string, unknown>>;
  /**
   * Called once after the run with the metric's scored rows (as `summarize` gets them); each sentence it returns
   * is added to `result.warnings`: what a reader of the result must know about how the scores were obtained (gEval:
   * rows that got fewer sampled verdicts than asked). @default none
   */
  warnings?(rows: MetricRows, run: MetricRunInfo): readonly string[];
}
