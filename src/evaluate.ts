import { once, setMaxListeners } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import PQueue from 'p-queue';
import { _describe } from './_internal/describe.js';
import { _ttyProgress, _wantsTtyProgress, type Progress } from './_internal/progressBar.js';
import { _summarizeMetric } from './_internal/summarizeMetric.js';
import { _checkInteger, _checkNumberInRange, _checkOptionsObject } from './_internal/validate.js';
import { _checkDataset, _ExamplePlacer, type _PlacedExample } from './dataset/_examples.js';
import {
  _serializeError,
  BudgetExceededError,
  FailureRateExceededError,
  ModelOutputError,
  ReplayMissError,
  type SerializedError,
} from './errors.js';
import { _judgeBias } from './judge/judgeBiasReport.js';
import { _isRuntimeAware } from './model/_runtimeAware.js';
import { type EvalResult, type ExampleRecord, type MetricSummary, SCHEMA_VERSION } from './result.js';
import {
  _createRuntime,
  _isAbort,
  type CallRuntime,
  type RetryOptions,
  type RuntimeOptions,
} from './scheduler/runtime.js';
import type { Dataset, Example, Metric, MetricScore, Model, ModelOutput, Usage } from './types.js';
import { VERSION } from './version.js';

export type { Progress } from './_internal/progressBar.js';

/** Options of {@link evaluate}. Every field is optional. */
export interface EvaluateOptions {
  /** Examples in flight at once. Minimum: `1`. @default 8 */
  readonly concurrency?: number;
  /** Per-attempt timeout of a model call, in ms. Minimum: `1`. @default 60000 */
  readonly timeoutMs?: number;
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
}

/** Columns of the compact score table, filled by row index. */
interface Columns {
  ids: string[];
  trials: number[];
  groups: (string | null)[];
  failed: boolean[];
  metrics: Record<string, (number | null)[]>;
  stats: Record<string, (readonly number[] | null)[]>;
}

const METRIC_NAME = /^[A-Za-z0-9_.:-]+$/;

function checkMetrics(metrics: unknown): readonly Metric[] {
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

function checkOptions(options: EvaluateOptions): void {
  _checkOptionsObject('options', options);
  if (options.concurrency !== undefined) _checkInteger('concurrency', options.concurrency, 1);
  if (options.timeoutMs !== undefined)
    _checkNumberInRange('timeoutMs', options.timeoutMs, 0, Number.POSITIVE_INFINITY, '(]');
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

function normalizeOutput(raw: unknown, exampleId: string): ModelOutput {
  if (typeof raw === 'string') return { output: raw };
  if (raw !== null && typeof raw === 'object' && typeof (raw as ModelOutput).output === 'string')
    return raw as ModelOutput;
  throw new ModelOutputError(
    `The model returned ${_describe(raw)} for example "${exampleId}": expected a string or { output: string }`,
    { exampleId },
  );
}

/** Turns whatever a metric returned into a score (null = missing) plus optional stats and details. */
function readScore(raw: number | MetricScore): {
  value: number | null;
  stats?: readonly number[];
  details?: unknown;
} {
  if (typeof raw === 'number') return { value: Number.isNaN(raw) ? null : raw };
  if (raw !== null && typeof raw === 'object') {
    const v = raw.value;
    const value = typeof v === 'number' && !Number.isNaN(v) ? v : null;
    return {
      value,
      ...(raw.stats === undefined ? {} : { stats: raw.stats }),
      ...(raw.details === undefined ? {} : { details: raw.details }),
    };
  }
  throw new TypeError(`a metric must return a number or { value }, got ${_describe(raw)}`);
}

/**
 * Runs every example of a dataset through a model, scores each output with every metric, and summarizes
 * each metric as an estimate with a confidence interval.
 *
 * Examples stream through a `p-queue` with at most `concurrency` in flight (the dataset is read lazily, so
 * an async iterable of any length works). Each model call goes through one call runtime per run that owns
 * per-attempt timeouts, retries with back-off, the response cache, rate limits and budgets. A row whose call
 * fails after its retries is recorded with its error, counted in `nFailed`, and left out of every metric;
 * a metric that returns `NaN` / `{ value: null }` or throws marks that score missing (`nMissing`), never 0.
 *
 * @param dataset - Examples: an array, iterable, async iterable or `loadJsonl(path)`.
 * @param model - The system under test: an async function, `openaiModel()`, or `precomputedModel()`.
 * @param metrics - Scorers to apply to each output; names must be unique.
 * @param options - {@link EvaluateOptions}.
 * @returns The run's {@link EvalResult} (JSON-serializable, `schemaVersion: 1`).
 * @throws {TypeError | RangeError} On a bad argument, naming it and echoing the value.
 * @throws {DatasetError} On an empty dataset, a duplicate id or a malformed row.
 * @throws {FailureRateExceededError} When failed rows exceed `maxFailureRate` (the partial result is attached).
 * @throws {ReplayMissError} In cache replay mode, on the first request that has no cached response.
 * @example
 * ```ts
 * const result = await evaluate(
 *   [{ input: '2+2', reference: '4' }, { input: '3+3', reference: '6' }],
 *   async (input) => (input === '2+2' ? '4' : '7'),
 *   [exactMatch()],
 * );
 * result.metrics.exact_match.mean; // => 0.5
 * ```
 */
export async function evaluate(
  dataset: Dataset,
  model: Model,
  metrics: readonly Metric[],
  options: EvaluateOptions = {},
): Promise<EvalResult> {
  _checkDataset(dataset);
  if (typeof model !== 'function')
    throw new TypeError(`Expected \`model\` to be a function, got ${_describe(model)}`);
  const metricList = checkMetrics(metrics);
  checkOptions(options);

  const concurrency = options.concurrency ?? 8;
  const trials = options.trials ?? 1;
  const confidence = options.confidence ?? 0.95;
  const resamples = options.resamples ?? 9999;
  const seed = options.seed ?? 0;
  const maxFailureRate = options.maxFailureRate ?? 0.05;
  const startedAt = new Date();
  const t0 = performance.now();

  // One controller for the run: the user's signal, a replay miss, or any fatal error aborts it.
  const controller = new AbortController();
  // Every in-flight call listens on the run's signal: that is by design, not a leak.
  setMaxListeners(0, controller.signal);

  const runtime: CallRuntime = _createRuntime({
    concurrency,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.cache === undefined ? {} : { cache: options.cache }),
    ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
    ...(options.budget === undefined ? {} : { budget: options.budget }),
    ...(options.pricing === undefined ? {} : { pricing: options.pricing }),
  } as RuntimeOptions);
  const runtimeAware = _isRuntimeAware(model);
  const declaredName: unknown = (model as { modelName?: unknown }).modelName;
  const modelName = typeof declaredName === 'string' ? declaredName : undefined;

  const cols: Columns = { ids: [], trials: [], groups: [], failed: [], metrics: {}, stats: {} };
  for (const m of metricList) {
    cols.metrics[m.name] = [];
    if (m.aggregate) cols.stats[m.name] = [];
  }
  // Judged metrics (they carry `judgeModel`) get their biases measured: output lengths and pairwise details.
  const judged = metricList.filter((m) => typeof (m as { judgeModel?: unknown }).judgeModel === 'string');
  const lengths: number[] = [];
  const pairDetails: Record<string, { consistent: boolean; positions: string[] }[]> = {};
  const records: { row: number; record: ExampleRecord }[] = [];
  const keepRecords = options.output === undefined;
  let sink: WriteStream | undefined;
  if (options.output !== undefined) {
    sink = createWriteStream(options.output, { encoding: 'utf8' });
    await once(sink, 'open');
  }

  const progressFn =
    typeof options.progress === 'function'
      ? options.progress
      : (options.progress ?? _wantsTtyProgress())
        ? (() => {
            const bar = _ttyProgress();
            return Object.assign((p: Progress) => bar.update(p), { finish: bar.finish });
          })()
        : undefined;
  let done = 0;
  let failedCount = 0;
  let queued = 0;
  let complete = false;
  const report = () => progressFn?.({ done, failed: failedCount, queued, complete });

  let stoppedBy: 'abort' | 'budget' | null = null;
  let fatal: unknown;
  const queue = new PQueue({ concurrency });

  const stop = (reason: 'abort' | 'budget' | 'fatal', err?: unknown) => {
    if (reason === 'fatal') {
      if (fatal === undefined) fatal = err;
      controller.abort(err);
    } else if (stoppedBy === null) stoppedBy = reason;
    queue.clear();
  };
  controller.signal.addEventListener('abort', () => {
    if (fatal === undefined && stoppedBy === null) stoppedBy = 'abort';
    queue.clear();
  });
  const userSignal = options.signal;
  const onUserAbort = () => controller.abort(userSignal?.reason);
  if (userSignal?.aborted) onUserAbort();
  else userSignal?.addEventListener('abort', onUserAbort, { once: true });

  let writeChain: Promise<void> = Promise.resolve();
  const onResult = options.onResult;
  const emit = (row: number, record: ExampleRecord): Promise<void> | undefined => {
    if (keepRecords) records.push({ row, record });
    if (!sink && !onResult) return undefined;
    // Serialize writes and callbacks so the file and onResult see whole records, one at a time.
    writeChain = writeChain.then(async () => {
      if (sink && !sink.write(`${JSON.stringify(record)}\n`)) await once(sink, 'drain');
      if (onResult) await onResult(record);
    });
    return writeChain;
  };

  const runRow = async (placed: _PlacedExample, trial: number, row: number): Promise<void> => {
    const { id } = placed;
    const example: Example = placed.example.id === id ? placed.example : { ...placed.example, id };
    const signal = controller.signal;
    const started = performance.now();
    let out: ModelOutput | undefined;
    let error: SerializedError | undefined;
    let retries = 0;
    try {
      if (runtimeAware) {
        out = normalizeOutput(await model(example.input, { example, trial, signal, runtime }), id);
        retries = out.retries ?? 0;
      } else {
        const res = await runtime.call<ModelOutput>(
          { kind: 'model', exampleId: id, trial },
          async (attemptSignal) => {
            const o = normalizeOutput(
              await model(example.input, { example, trial, signal: attemptSignal, runtime }),
              id,
            );
            return {
              value: o,
              ...(o.usage ? { usage: o.usage } : {}),
              ...(o.costUsd === undefined ? {} : { costUsd: o.costUsd }),
            };
          },
          signal,
        );
        out = res.value;
        retries = res.retries;
      }
    } catch (err) {
      if (_isAbort(err, signal)) return; // cancelled, not failed: the row is simply not in the result
      if (err instanceof ReplayMissError) return stop('fatal', err);
      if (err instanceof BudgetExceededError) return stop('budget');
      error = _serializeError(err);
    }
    const latencyMs = performance.now() - started;

    const scores: Record<string, number | null> = {};
    const details: Record<string, unknown> = {};
    let hasDetails = false;
    for (const m of metricList) {
      cols.metrics[m.name]![row] = null;
      if (m.aggregate) cols.stats[m.name]![row] = null;
    }
    if (out !== undefined) {
      for (const m of metricList) {
        try {
          const raw = m.score({ example, output: out.output, signal, trial, runtime });
          // Most metrics are synchronous: do not spend a microtask awaiting a plain number.
          const s = readScore(
            typeof (raw as Promise<unknown>)?.then === 'function' ? await raw : (raw as number | MetricScore),
          );
          scores[m.name] = s.value;
          cols.metrics[m.name]![row] = s.value;
          if (m.aggregate) cols.stats[m.name]![row] = s.value === null ? null : (s.stats ?? null);
          if (s.details !== undefined) {
            details[m.name] = s.details;
            hasDetails = true;
            const d = s.details as { consistent?: unknown; positions?: unknown };
            if (typeof d.consistent === 'boolean' && Array.isArray(d.positions)) {
              if (pairDetails[m.name] === undefined) pairDetails[m.name] = [];
              pairDetails[m.name]!.push({ consistent: d.consistent, positions: d.positions as string[] });
            }
          }
        } catch (err) {
          if (_isAbort(err, signal)) return;
          if (err instanceof ReplayMissError) return stop('fatal', err);
          if (err instanceof BudgetExceededError) return stop('budget');
          scores[m.name] = null;
          details[m.name] = { error: _serializeError(err) };
          hasDetails = true;
        }
      }
    }
    if (judged.length > 0 && out !== undefined) {
      let len = 0;
      for (const _ of out.output) len++;
      lengths[row] = len;
    }
    cols.ids[row] = id;
    cols.trials[row] = trial;
    cols.groups[row] = example.group ?? null;
    cols.failed[row] = out === undefined;
    done++;
    if (out === undefined) failedCount++;
    const usage: Usage | undefined = out?.usage;
    // Built by assignment rather than conditional spreads: this runs once per row, and each spread allocates.
    const rec: { -readonly [K in keyof ExampleRecord]: ExampleRecord[K] } = {
      id,
      trial,
      input: example.input,
      output: out === undefined ? null : out.output,
      scores,
      latencyMs,
      cached: out?.cached ?? false,
      retries,
    };
    if (example.group !== undefined) rec.group = example.group;
    if (example.reference !== undefined) rec.reference = example.reference;
    if (hasDetails) rec.details = details;
    if (error !== undefined) rec.error = error;
    if (usage !== undefined) rec.usage = usage;
    if (out?.costUsd !== undefined) rec.costUsd = out.costUsd;
    const record: ExampleRecord = rec;
    const written = emit(row, record);
    if (written) await written;
    report();
  };

  try {
    const placer = new _ExamplePlacer();
    let row = 0;
    // Returns a promise only when the reader must wait, so a sync dataset is walked without a microtask per row.
    const feed = (item: unknown): Promise<void> | undefined => {
      const placed = placer.place(item);
      for (let trial = 0; trial < trials; trial++) {
        const r = row++;
        queued++;
        queue.add(() => runRow(placed, trial, r)).catch((err) => stop('fatal', err));
      }
      // Back-pressure with hysteresis: read ahead at most 2x concurrency, then wait until the queue drains
      // to 1x, so memory stays bounded without waiting on every row.
      return queue.size >= 2 * concurrency ? queue.onSizeLessThan(concurrency) : undefined;
    };
    const stopped = () => controller.signal.aborted || stoppedBy !== null;
    if (typeof (dataset as Iterable<unknown>)[Symbol.iterator] === 'function') {
      for (const item of dataset as Iterable<unknown>) {
        if (stopped()) break;
        const wait = feed(item);
        if (wait) await wait;
      }
    } else {
      for await (const item of dataset as AsyncIterable<unknown>) {
        if (stopped()) break;
        const wait = feed(item);
        if (wait) await wait;
      }
    }
    if (!stopped()) placer.finish();
    complete = true;
    await queue.onIdle();
    await writeChain;
  } catch (err) {
    // A dataset error while reading: cancel what is in flight, then surface it.
    controller.abort(err);
    queue.clear();
    await queue.onIdle().catch(() => {});
    throw err;
  } finally {
    userSignal?.removeEventListener('abort', onUserAbort);
    if (sink) {
      sink.end();
      await once(sink, 'close').catch(() => {});
    }
    if (progressFn && 'finish' in progressFn)
      (progressFn as unknown as { finish(p: Progress): void }).finish({
        done,
        failed: failedCount,
        queued,
        complete,
      });
  }
  if (fatal !== undefined) throw fatal;

  // Rows that never ran (abort, budget) leave holes: compact every column to the rows that finished.
  const finished: number[] = [];
  for (let r = 0; r < cols.ids.length; r++) if (cols.ids[r] !== undefined) finished.push(r);
  const pick = <T>(a: T[]): T[] => finished.map((r) => a[r] as T);
  const table = {
    ids: pick(cols.ids),
    trials: pick(cols.trials),
    groups: pick(cols.groups),
    failed: pick(cols.failed),
    metrics: Object.fromEntries(Object.entries(cols.metrics).map(([k, v]) => [k, pick(v)])),
    ...(Object.keys(cols.stats).length > 0
      ? { stats: Object.fromEntries(Object.entries(cols.stats).map(([k, v]) => [k, pick(v)])) }
      : {}),
  };

  // Rows of one example across trials are not independent, nor are examples of one group: such rows are
  // resampled together (cluster bootstrap). Independent rows get a null cluster.
  const clustered = trials > 1 || table.groups.some((g) => g !== null);
  const summaries: Record<string, MetricSummary> = {};
  for (const m of metricList) {
    const col = table.metrics[m.name]!;
    const statsCol = m.aggregate ? table.stats?.[m.name] : undefined;
    const values: number[] = [];
    const stats: (readonly number[])[] = [];
    const clusters: (string | null)[] = [];
    let nMissing = 0;
    for (let i = 0; i < col.length; i++) {
      if (table.failed[i]) continue;
      const v = col[i];
      const st = statsCol?.[i];
      if (v === null || v === undefined || (statsCol !== undefined && (st === null || st === undefined))) {
        nMissing++;
        continue;
      }
      values.push(v);
      if (st) stats.push(st);
      if (clustered) clusters.push(table.groups[i] ?? (trials > 1 ? `example:${table.ids[i]}` : null));
    }
    summaries[m.name] = _summarizeMetric(
      m,
      { values, nMissing, ...(statsCol ? { stats } : {}), ...(clustered ? { clusters } : {}) },
      { confidence, resamples, seed },
    );
  }
  for (const m of judged) {
    const judgeModel = (m as { judgeModel?: string }).judgeModel!;
    const col = cols.metrics[m.name]!;
    const scores: number[] = [];
    const lens: number[] = [];
    for (let r = 0; r < col.length; r++) {
      const v = col[r];
      if (cols.failed[r] || v === null || v === undefined || lengths[r] === undefined) continue;
      scores.push(v);
      lens.push(lengths[r]!);
    }
    const pairs = pairDetails[m.name];
    summaries[m.name] = {
      ...summaries[m.name]!,
      judge: _judgeBias({
        scores,
        lengths: lens,
        judgeModel,
        ...(pairs === undefined ? {} : { pairs }),
        ...(modelName === undefined ? {} : { modelUnderTest: modelName }),
        confidence,
      }),
    };
  }

  records.sort((a, b) => a.row - b.row);
  const finishedAt = new Date();
  const totals = runtime.totals;
  const result: EvalResult = {
    schemaVersion: SCHEMA_VERSION,
    run: {
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: performance.now() - t0,
      evalgateVersion: VERSION,
      stoppedBy,
    },
    config: {
      ...(modelName === undefined ? {} : { model: modelName }),
      metrics: metricList.map((m) => ({ name: m.name, kind: m.kind })),
      concurrency,
      trials,
      confidence,
      resamples,
      seed,
      maxFailureRate,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    },
    n: table.ids.length,
    nFailed: failedCount,
    metrics: summaries,
    examples: records.map((r) => r.record),
    ...(options.output === undefined ? {} : { examplesFile: options.output }),
    scores: table,
    totals: {
      requests: totals.requests,
      inputTokens: totals.inputTokens,
      outputTokens: totals.outputTokens,
      costUsd: totals.costUsd,
      cacheHits: totals.cacheHits,
      cacheMisses: totals.cacheMisses,
      retries: totals.retries,
      savedInputTokens: totals.savedInputTokens,
      savedOutputTokens: totals.savedOutputTokens,
      savedCostUsd: totals.savedCostUsd,
    },
  };
  const failureRate = result.n === 0 ? 0 : result.nFailed / result.n;
  if (failureRate > maxFailureRate) {
    throw new FailureRateExceededError(
      `${result.nFailed} of ${result.n} rows failed (${(failureRate * 100).toFixed(1)}%), more than maxFailureRate ${maxFailureRate}; ` +
        `the partial result is attached as error.result. First error: ${firstError(result)}`,
      result,
      failureRate,
      maxFailureRate,
    );
  }
  return result;
}

function firstError(result: EvalResult): string {
  const rec = result.examples.find((r) => r.error !== undefined);
  return rec?.error ? `"${rec.id}": ${rec.error.name}: ${rec.error.message}` : '(see the records)';
}
