/**
 * The state of one run and the only code that changes it: the run's signal and how it stops (abort, budget, a
 * fatal error), the call runtime, the row queue, progress, and what each finished row adds (its record, its
 * scores, its summary rows, its refused scores).
 * @module
 */
import { setMaxListeners } from 'node:events';
import PQueue from 'p-queue';
import { _formatCost } from '../_internal/formatNumber.js';
import { _isCacheStore, type CacheStore } from '../cache/CacheStore.js';
import { CallEngine, type CallRuntime, type RuntimeOptions } from '../calls/callRuntime.js';
import { refuseUnpriced } from '../calls/pricing.js';
import type { Metric, Model } from '../core/types.js';
import type { _PlacedExample } from '../dataset/examples.js';
import { _GateTracker } from './gateTracker.js';
import { _cacheMode, type EvaluateOptions } from './options.js';
import { _lineProgress, _ttyProgress, _wantsTtyProgress, type Progress } from './progressBar.js';
import {
  _createRowContext,
  type _RowContext,
  type _RowOutcome,
  _runRow,
  type _ScoreProblem,
  type _SummaryRow,
} from './rowRunner.js';
import { _ScoreColumns } from './scoreTable.js';
import { _RecordSink } from './sinks.js';

/** Why a run ended before its last row. */
export type StoppedBy = 'abort' | 'budget' | 'decided' | null;

/** One run in progress. */
export interface _Run {
  readonly rows: _RowContext;
  readonly runtime: CallRuntime;
  readonly queue: PQueue;
  readonly columns: _ScoreColumns;
  readonly sink: _RecordSink;
  readonly hookRows: Map<string, _SummaryRow[]>;
  readonly problems: _ScoreProblem[];
  readonly concurrency: number;
  readonly startedAt: Date;
  readonly t0: number;
  /** Rows queued, finished and failed so far. */
  readonly counts: {
    queued: number;
    done: number;
    failed: number;
    modelCacheable: number;
    modelCalls: number;
  };
  /** The anytime-valid gate, when the run has one: it sees every finished row and may stop the run. */
  readonly gate?: _GateTracker;
  /** How a gated run orders its dataset: the seed of the shuffle, or a dataset declared shuffled. */
  readonly gateFeed: { readonly seed: number | string; readonly shuffled: boolean };
  /** Rows the dataset held, when a gated run read it into an index first. */
  rowsIndexed?: number;
  /** Rows the dataset holds when that is known before reading it (an array), for progress. */
  rowsPlanned?: number;
  /** The first row error, named in a failure-rate error even when records stream to a file. */
  firstError?: string;
  /** True once the dataset has been read to its end. */
  complete: boolean;
  stoppedBy: StoppedBy;
  fatal: unknown;
  /** Whether the run has stopped taking rows. */
  stopped(): boolean;
  /** Queues row `row` (example `placed`, trial `trial`) to run in this process. */
  add(placed: _PlacedExample, trial: number, row: number): void;
  /**
   * Takes the outcome of row `row`, wherever it ran (here, or on a worker): counts it, stores its scores and
   * summary rows, and hands its record to the sinks. Returns a promise when the sinks need waiting for.
   */
  accept(row: number, outcome: _RowOutcome): Promise<void> | undefined;
  /** Stops the run: `fatal` aborts everything in flight; `abort` / `budget` / `decided` let it drain. */
  stop(reason: 'abort' | 'budget' | 'decided' | 'fatal', err?: unknown): void;
  /** Final progress report; detaches from the user's signal. */
  finish(): void;
}

/** Creates the run: checks nothing (options are checked), starts nothing until rows are added. */
export async function _createRun(
  model: Model,
  metrics: readonly Metric[],
  options: EvaluateOptions,
): Promise<_Run> {
  const concurrency = options.concurrency ?? 8;
  const timeoutMs = options.timeoutMs ?? 60_000;
  // One controller for the run: the user's signal, a replay miss, or any fatal error aborts it.
  const controller = new AbortController();
  // Every in-flight call listens on the run's signal: that is by design, not a leak.
  setMaxListeners(0, controller.signal);
  const runtime = new CallEngine({
    concurrency,
    timeoutMs,
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.cache === undefined ? {} : { cache: options.cache }),
    ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
    ...(options.budget === undefined ? {} : { budget: options.budget }),
    ...(options.pricing === undefined ? {} : { pricing: options.pricing }),
  } as RuntimeOptions);
  // A cost budget with a model under test that has no price is refused before anything is paid.
  if (options.budget?.maxCostUsd !== undefined)
    refuseUnpriced(model.modelName, options.pricing ?? {}, options.budget.maxCostUsd);
  // A cache that will be written must be writable now, not after the first paid response.
  const mode = _cacheMode(options.cache);
  if (mode === 'read-write' || mode === 'write-only') {
    const store = _isCacheStore(options.cache)
      ? options.cache
      : (options.cache as { store: CacheStore }).store;
    await store.assertWritable?.();
  }
  const queue = new PQueue({ concurrency });
  const snapshot = (): Progress => ({
    done: run.counts.done,
    failed: run.counts.failed,
    // An array's length is known before its rows are read: progress can say n/total from the start.
    queued: run.complete ? run.counts.queued : (run.rowsIndexed ?? run.rowsPlanned ?? run.counts.queued),
    complete: run.complete || (run.rowsIndexed ?? run.rowsPlanned) !== undefined,
    costUsd: runtime.totals.costUsd,
  });
  const progress = progressOf(options.progress, snapshot);
  let run!: _Run;
  const sink = await _RecordSink.open({
    ...(options.output === undefined ? {} : { output: options.output }),
    ...(options.onResult === undefined ? {} : { onResult: options.onResult }),
    onFailure: (err) => run.stop('fatal', err),
  });
  const rows = _createRowContext({
    model,
    metrics,
    runtime,
    signal: controller.signal,
    rowTimeoutMs: options.rowTimeoutMs ?? 10 * timeoutMs,
    metricTimeoutMs: options.metricTimeoutMs ?? 10 * timeoutMs,
    replay: _cacheMode(options.cache) === 'replay',
    ...(options.segmentBy === undefined ? {} : { segmentBy: options.segmentBy }),
    ...(options.trajectory === true || options.trajectory === 'tool-calls'
      ? { trajectory: options.trajectory === true ? ('full' as const) : ('tool-calls' as const) }
      : {}),
  });

  const report = () => progress?.update(snapshot());
  const userSignal = options.signal;
  const onUserAbort = () => controller.abort(userSignal?.reason);

  run = {
    rows,
    runtime,
    queue,
    columns: new _ScoreColumns(metrics),
    sink,
    hookRows: new Map([...rows.summarized].map((name) => [name, []])),
    problems: [],
    concurrency,
    ...(options.gate === undefined
      ? {}
      : {
          gate: new _GateTracker(
            options.gate,
            metrics.find((m) => m.name === options.gate!.metric)!,
            options.confidence ?? 0.95,
          ),
        }),
    gateFeed: { seed: options.seed ?? 0, shuffled: options.shuffled ?? false },
    startedAt: new Date(),
    t0: performance.now(),
    counts: { queued: 0, done: 0, failed: 0, modelCacheable: 0, modelCalls: 0 },
    complete: false,
    stoppedBy: null,
    fatal: undefined,
    stopped: () => controller.signal.aborted || run.stoppedBy !== null,
    add(placed, trial, row) {
      run.counts.queued++;
      queue
        .add(async () => {
          const written = run.accept(row, await _runRow(rows, placed, trial));
          if (written) await written;
        })
        .catch((err) => run.stop('fatal', err));
    },
    accept(row, outcome) {
      if (outcome.kind === 'cancelled') return undefined;
      if (outcome.kind === 'budget' || outcome.kind === 'fatal') {
        run.stop(outcome.kind, outcome.kind === 'fatal' ? outcome.error : undefined);
        return undefined;
      }
      const c = run.counts;
      c.done++;
      if (outcome.table.failed) {
        c.failed++;
        const e = outcome.record.error;
        if (run.firstError === undefined && e !== undefined)
          run.firstError = `"${outcome.record.id}": ${e.name}: ${e.message}`;
      }
      c.modelCacheable += outcome.modelCacheable;
      c.modelCalls += outcome.modelCalls;
      run.columns.set(row, outcome.table);
      const g = run.gate;
      const refused =
        g !== undefined &&
        outcome.problems.some((p) => p.metric === g.metric && p.problem === 'out-of-range');
      if (g?.observe(row, outcome.table, refused)) run.stop('decided');
      for (const [name, r] of Object.entries(outcome.summaries)) run.hookRows.get(name)![row] = r;
      for (const p of outcome.problems) run.problems.push(p);
      const written = sink.emit(row, outcome.record);
      report();
      return written;
    },
    stop(reason, err) {
      if (reason === 'fatal') {
        if (run.fatal === undefined) run.fatal = err;
        controller.abort(err);
      } else if (run.stoppedBy === null) run.stoppedBy = reason;
      queue.clear();
    },
    finish() {
      userSignal?.removeEventListener('abort', onUserAbort);
      progress?.finish(snapshot());
    },
  };
  controller.signal.addEventListener('abort', () => {
    if (run.fatal === undefined && run.stoppedBy === null) run.stoppedBy = 'abort';
    queue.clear();
  });
  if (userSignal?.aborted) onUserAbort();
  else userSignal?.addEventListener('abort', onUserAbort, { once: true });
  return run;
}

function progressOf(
  option: EvaluateOptions['progress'],
  snapshot: () => Progress,
): { update(p: Progress): void; finish(p: Progress): void } | undefined {
  if (typeof option === 'function') return { update: option, finish: () => {} };
  if (option === false) return undefined;
  if (_wantsTtyProgress()) {
    const bar = _ttyProgress();
    return { update: (p) => bar.update(p), finish: (p) => bar.finish(p) };
  }
  // Not a TTY (CI, vitest, a log file): plain lines every few seconds, unless silenced with `progress: false`.
  return _lineProgress(snapshot, { ...(typeof option === 'object' ? option : {}), formatCost: _formatCost });
}
