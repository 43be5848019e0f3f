/**
 * One run and the only code that changes its state: the run's signal and how it stops (abort, budget, a
 * decision, a fatal error), the call runtime, the row queue, progress, and what each finished row adds (its
 * record, its scores, its summary rows, its refused scores). Feeders add rows (`add`) or outcomes that ran
 * elsewhere (`accept`, `addSpend`); everything else reads.
 * @module
 */
import { setMaxListeners } from 'node:events';
import { _formatCost } from '../_internal/formatNumber.js';
import { _jsonWriteProblems } from '../_internal/jsonWriteProblem.js';
import { CallEngine, type CallRuntime, type MutableTotals } from '../calls/callRuntime.js';
import { refuseUnpriced } from '../calls/pricing.js';
import type { CallKind, Metric, Model } from '../core/types.js';
import type { PlacedExample } from '../dataset/examples.js';
import { DatasetError } from '../errors.js';
import { _GateTracker } from './gateTracker.js';
import type { RunConfig } from './options.js';
import { _lineProgress, _ttyProgress, _wantsTtyProgress, type Progress } from './progressBar.js';
import { RowQueue } from './rowQueue.js';
import {
  type _ScoreProblem,
  type _SummaryRow,
  createRowContext,
  type RowContext,
  type RowOutcome,
  runRow,
} from './rowRunner.js';
import { _ScoreColumns } from './scoreTable.js';
import { _RecordSink } from './sinks.js';

/** Why a run ended before its last row. */
export type StoppedBy = 'abort' | 'budget' | 'decided' | null;

/** Rows queued, finished and failed so far, and the model's calls through evalgate. */
export interface RunCounts {
  readonly queued: number;
  readonly done: number;
  readonly failed: number;
  readonly modelCacheable: number;
  readonly modelCalls: number;
}

/** What rows that ran elsewhere (a cluster worker) spent: totals and calls by kind, added to the run's. */
export interface RunSpend {
  readonly totals: Readonly<Partial<MutableTotals>>;
  readonly kinds: Readonly<Record<CallKind, { readonly calls: number; readonly cacheHits: number }>>;
  /** Calls without a price, by model (`null`: a call that named no model), for the run's no-price warning. */
  readonly unpriced?: readonly (readonly [string | null, number])[];
  /** What went wrong without failing a call (a cache that failed), by kind, for the run's warnings. */
  readonly faults?: readonly (readonly [string, { readonly count: number; readonly first: string }])[];
}

/** A row waiting in the queue: its example, trial and index. */
interface _QueuedRow {
  readonly placed: PlacedExample;
  readonly trial: number;
  readonly row: number;
}

interface Progressor {
  update(p: Progress): void;
  finish(p: Progress): void;
}

/**
 * One run in progress. Open it with {@link Run.open}; feed it rows (`add`, or `accept` for rows run
 * elsewhere); read its state when it is done.
 */
export class Run {
  readonly config: RunConfig;
  readonly rows: RowContext;
  readonly runtime: CallRuntime;
  readonly columns: _ScoreColumns;
  readonly sink: _RecordSink;
  /** The anytime-valid gate, when the run has one: it sees every finished row and may stop the run. */
  readonly gate: _GateTracker | undefined;
  readonly startedAt = new Date();
  readonly t0 = performance.now();
  readonly #controller: AbortController;
  readonly #queue: RowQueue<_QueuedRow>;
  readonly #progress: Progressor | undefined;
  readonly #hookRows: Map<string, _SummaryRow[]>;
  readonly #problems: _ScoreProblem[] = [];
  readonly #counts = { queued: 0, done: 0, failed: 0, modelCacheable: 0, modelCalls: 0 };
  #stoppedBy: StoppedBy = null;
  #fatal: unknown;
  #complete = false;
  #rowsIndexed: number | undefined;
  #rowsPlanned: number | undefined;
  #firstError: string | undefined;
  #datasetError: DatasetError | undefined;
  #datasetNotes: readonly string[] = [];
  /** Whether a finished row's model reported spending without a call through the runtime (see `#runQueued`). */
  #spentOutsideCalls = false;
  readonly #onUserAbort = () => this.#controller.abort(this.config.signal?.reason);

  /**
   * Opens a run: builds its call runtime and sinks, refuses a cost budget the model under test has no price
   * for, and checks a cache that will be written is writable, all before any row runs.
   */
  static async open(model: Model, metrics: readonly Metric[], config: RunConfig): Promise<Run> {
    const runtime = new CallEngine(config.runtime);
    // A cost budget with a model under test that has no price is refused before anything is paid.
    if (config.budgetOption?.maxCostUsd !== undefined)
      refuseUnpriced(model.modelName, config.pricing ?? {}, config.budgetOption.maxCostUsd);
    // A cache that will be written must be writable now, not after the first paid response.
    if (config.cacheMode === 'read-write' || config.cacheMode === 'write-only')
      await config.cacheStore?.assertWritable?.();
    let run: Run | undefined;
    const sink = await _RecordSink.open({
      ...(config.output === undefined ? {} : { output: config.output }),
      ...(config.onResult === undefined ? {} : { onResult: config.onResult }),
      onFailure: (err) => run?.stop('fatal', err),
    });
    run = new Run(model, metrics, config, runtime, sink);
    return run;
  }

  private constructor(
    model: Model,
    metrics: readonly Metric[],
    config: RunConfig,
    runtime: CallRuntime,
    sink: _RecordSink,
  ) {
    this.config = config;
    this.runtime = runtime;
    this.sink = sink;
    // One controller for the run: the user's signal, a replay miss, or any fatal error aborts it.
    this.#controller = new AbortController();
    // Every in-flight call listens on the run's signal: that is by design, not a leak.
    setMaxListeners(0, this.#controller.signal);
    this.#queue = new RowQueue(config.concurrency, (r) => this.#runQueued(r));
    this.rows = createRowContext({
      model,
      metrics,
      runtime,
      signal: this.#controller.signal,
      rowTimeoutMs: config.rowTimeoutMs,
      metricTimeoutMs: config.metricTimeoutMs,
      replay: config.cacheMode === 'replay',
      ...(config.segmentBy === undefined ? {} : { segmentBy: config.segmentBy }),
      ...(config.trajectory === undefined ? {} : { trajectory: config.trajectory }),
    });
    this.columns = new _ScoreColumns(metrics);
    this.#hookRows = new Map([...this.rows.summarized].map((name) => [name, []]));
    const gate = config.gate;
    this.gate =
      gate === undefined
        ? undefined
        : new _GateTracker(gate, metrics.find((m) => m.name === gate.metric)!, config.confidence);
    this.#progress = progressOf(config.progress, () => this.#snapshot());
    this.#controller.signal.addEventListener('abort', () => {
      if (this.#fatal === undefined && this.#stoppedBy === null) this.#stoppedBy = 'abort';
      this.#queue.clear();
    });
    const userSignal = config.signal;
    if (userSignal?.aborted) this.#onUserAbort();
    else userSignal?.addEventListener('abort', this.#onUserAbort, { once: true });
  }

  /** Rows in flight at once. */
  get concurrency(): number {
    return this.config.concurrency;
  }
  /** Rows queued, finished and failed so far. */
  get counts(): RunCounts {
    return { ...this.#counts };
  }
  /** Why the run stopped before its last row (`null`: it did not). */
  get stoppedBy(): StoppedBy {
    return this.#stoppedBy;
  }
  /** The error that ended the run, if one did. */
  get fatal(): unknown {
    return this.#fatal;
  }
  /** True once the dataset has been read to its end. */
  get complete(): boolean {
    return this.#complete;
  }
  /** Rows the dataset held, when a gated run read it into an index first. */
  get rowsIndexed(): number | undefined {
    return this.#rowsIndexed;
  }
  /** The dataset's error that stopped the run after rows had run (see {@link Run.stopOnDatasetError}). */
  get datasetError(): DatasetError | undefined {
    return this.#datasetError;
  }
  /** What the dataset said for the result's warnings once it was read (see `datasetNotes`). */
  get datasetNotes(): readonly string[] {
    return this.#datasetNotes;
  }
  /** The first row error, named in a failure-rate error even when records stream to a file. */
  get firstError(): string | undefined {
    return this.#firstError;
  }
  /** Summary rows of the metrics with a `summarize` or `warnings` hook, by metric, indexed by row. */
  get hookRows(): ReadonlyMap<string, readonly (_SummaryRow | undefined)[]> {
    return this.#hookRows;
  }
  /** Scores refused so far. */
  get problems(): readonly _ScoreProblem[] {
    return this.#problems;
  }

  /** Whether the run has stopped taking rows. */
  stopped(): boolean {
    return this.#controller.signal.aborted || this.#stoppedBy !== null;
  }

  /** Records the rows the dataset holds when that is known before reading it (an array), for progress. */
  planRows(rows: number): void {
    this.#rowsPlanned = rows;
  }

  /** Records the rows a gated run found when it read the dataset into an index. */
  indexRows(rows: number): void {
    this.#rowsIndexed = rows;
  }

  /** Marks the dataset read to its end. */
  markComplete(): void {
    this.#complete = true;
  }

  /** Queues row `row` (example `placed`, trial `trial`) to run in this process. */
  add(placed: PlacedExample, trial: number, row: number): void {
    if (trial === 0 && this.config.output !== undefined) _refuseUnwritable(placed, this.config.output);
    this.#counts.queued++;
    this.#queue.add({ placed, trial, row });
  }

  /**
   * Runs a queued row and takes its outcome; never rejects (an error there is fatal to the run). Settled by
   * callbacks, not awaits: an async frame held for the whole of every row in flight costs the collector, and so
   * does each promise a row holds while it runs (one here; a second only while its record is being written).
   */
  #runQueued({ placed, trial, row }: _QueuedRow): Promise<void> {
    // A model that calls its provider itself reports its spending after its row, past every call's budget check
    // (the call that meets a limit throws it, and such a model makes none): once its spending has reached a
    // limit, no new row starts, as no new call would be sent.
    if (this.#spentOutsideCalls && this.#budgetReached()) {
      this.stop('budget');
      return Promise.resolve();
    }
    return runRow(this.rows, placed, trial).then((outcome) => {
      let written: Promise<void> | undefined;
      try {
        written = this.accept(row, outcome);
      } catch (err) {
        this.#stopFatal(err);
        return undefined;
      }
      return written?.then(undefined, this.#stopFatal);
    }, this.#stopFatal);
  }

  /** An error taking a row's outcome (or writing it) stops the run. */
  readonly #stopFatal = (err: unknown): void => {
    this.stop('fatal', err);
  };

  /** Counts `rows` rows queued elsewhere (on cluster workers); their outcomes come back through `accept`. */
  addQueuedElsewhere(rows: number): void {
    this.#counts.queued += rows;
  }

  /**
   * A promise to wait on before reading more of the dataset when the queue holds 2x `concurrency` rows (it
   * resolves once fewer than `concurrency` wait), or `undefined` when there is room: memory stays bounded
   * without a wait on every row.
   */
  backPressure(): Promise<void> | undefined {
    const { size } = this.#queue;
    const { concurrency } = this.config;
    return size >= 2 * concurrency ? this.#queue.onSizeLessThan(concurrency) : undefined;
  }

  /** Resolves when every queued row has finished. */
  idle(): Promise<void> {
    return this.#queue.onIdle();
  }

  /**
   * Takes the outcome of row `row`, wherever it ran (here, or on a worker): counts it, stores its scores and
   * summary rows, and hands its record to the sinks. Returns a promise when the sinks need waiting for.
   */
  accept(row: number, outcome: RowOutcome): Promise<void> | undefined {
    if (outcome.kind === 'cancelled') return undefined;
    if (outcome.kind === 'budget' || outcome.kind === 'fatal') {
      this.stop(outcome.kind, outcome.kind === 'fatal' ? outcome.error : undefined);
      return undefined;
    }
    const c = this.#counts;
    c.done++;
    if (outcome.table.failed) {
      c.failed++;
      const e = outcome.record.error;
      if (this.#firstError === undefined && e !== undefined)
        this.#firstError = `"${outcome.record.id}": ${e.name}: ${e.message}`;
    }
    c.modelCacheable += outcome.modelCacheable;
    c.modelCalls += outcome.modelCalls;
    if (
      outcome.modelCalls === 0 &&
      (outcome.record.usage !== undefined || outcome.record.costUsd !== undefined)
    )
      this.#spentOutsideCalls = true;
    this.columns.set(row, outcome.table);
    const g = this.gate;
    const refused =
      g !== undefined &&
      outcome.problems.some(
        (p) => p.metric === g.metric && (p.problem === 'out-of-range' || p.problem === 'not-a-number'),
      );
    if (g?.observe(row, outcome.table, refused)) this.stop('decided');
    for (const [name, r] of Object.entries(outcome.summaries)) this.#hookRows.get(name)![row] = r;
    for (const p of outcome.problems) this.#problems.push(p);
    const written = this.sink.emit(row, outcome.record);
    this.#progress?.update(this.#snapshot());
    return written;
  }

  /**
   * Adds what rows run elsewhere spent to the run's totals and calls by kind, and stops the run (`budget`)
   * once a global budget is reached.
   */
  addSpend(spend: RunSpend): void {
    if (this.recordSpend(spend)) this.stop('budget');
  }

  /**
   * Adds what rows run elsewhere spent to the run's totals and calls by kind, without stopping the run.
   * @returns whether a global budget is now reached (no new call may be sent).
   */
  recordSpend(spend: RunSpend): boolean {
    this.runtime.recordSpend(spend.totals, {
      unpriced: new Map((spend.unpriced ?? []).map(([m, n]) => [m ?? undefined, n])),
      faults: new Map(spend.faults ?? []),
    });
    const kinds = this.rows.kinds;
    for (const kind of Object.keys(spend.kinds) as CallKind[]) {
      kinds[kind].calls += spend.kinds[kind].calls;
      kinds[kind].cacheHits += spend.kinds[kind].cacheHits;
    }
    return this.#budgetReached();
  }

  /** Whether the run's totals have reached a limit of its budget. */
  #budgetReached(): boolean {
    const totals = this.runtime.totals;
    const limits = this.config.budget;
    return (
      totals.requests >= limits.maxRequests ||
      totals.inputTokens + totals.outputTokens >= limits.maxTokens ||
      totals.costUsd >= limits.maxCostUsd
    );
  }

  /** Stops the run: `fatal` aborts everything in flight; `abort` / `budget` / `decided` let it drain. */
  stop(reason: 'abort' | 'budget' | 'decided' | 'fatal', err?: unknown): void {
    if (reason === 'fatal') {
      if (this.#fatal === undefined) this.#fatal = err;
      this.#controller.abort(err);
    } else if (this.#stoppedBy === null) this.#stoppedBy = reason;
    this.#queue.clear();
  }

  /**
   * Stops the run when its dataset fails after rows were queued: no row is started again, the rows in flight
   * finish (their calls are sent and paid for), and the result of what ran goes with the error (`'abort'`: the run
   * ended before its dataset did; the result's warnings say why).
   */
  stopOnDatasetError(err: DatasetError): void {
    this.#datasetError = err;
    this.stop('abort');
  }

  /** Records the notes the dataset declares (see `notesOfDataset`), read once the run has read it. */
  noteDataset(notes: readonly string[]): void {
    this.#datasetNotes = notes;
  }

  /** Final progress report; detaches from the user's signal. */
  finish(): void {
    this.config.signal?.removeEventListener('abort', this.#onUserAbort);
    this.#progress?.finish(this.#snapshot());
  }

  #snapshot(): Progress {
    const c = this.#counts;
    const known = this.#rowsIndexed ?? this.#rowsPlanned;
    return {
      done: c.done,
      failed: c.failed,
      // An array's length is known before its rows are read: progress can say n/total from the start.
      queued: this.#complete ? c.queued : (known ?? c.queued),
      complete: this.#complete || known !== undefined,
      costUsd: this.runtime.totals.costUsd,
    };
  }
}

function progressOf(option: RunConfig['progress'], snapshot: () => Progress): Progressor | undefined {
  if (typeof option === 'function') return { update: option, finish: () => {} };
  if (option === false) return undefined;
  if (_wantsTtyProgress()) {
    const bar = _ttyProgress();
    return { update: (p) => bar.update(p), finish: (p) => bar.finish(p) };
  }
  // Not a TTY (CI, vitest, a log file): plain lines every few seconds, unless silenced with `progress: false`.
  return _lineProgress(snapshot, { ...(typeof option === 'object' ? option : {}), formatCost: _formatCost });
}

/**
 * Refuses, before its model call, an example whose record `output` could not write: `JSON.stringify` throws on a
 * BigInt or a cycle, and the record would fail once the call was paid for, with a message naming neither. Bytes
 * (an image as a Uint8Array or a Buffer, an ArrayBuffer) are refused too: JSON writes them as an object of numbers
 * (or `{}`), so the record would read back another value, several times the size of the bytes. One walk finds
 * both; an example holding both is refused for what JSON cannot write.
 * @throws {DatasetError} naming the example and the field.
 * @example
 * ```ts
 * _refuseUnwritable({ example: { id: 'a', input: { n: 1n } }, id: 'a', position: 0 }, 'out.jsonl');
 * // throws 'dataset row 0 ("a"): `output` writes each record to "out.jsonl" as JSON, which cannot write example.input.n: a BigInt (JSON cannot write it). …'
 * ```
 * @internal
 */
export function _refuseUnwritable(placed: PlacedExample, output: string): void {
  const at = `dataset row ${placed.position} ("${placed.id}"): \`output\` writes each record to "${output}" as JSON`;
  // One walk; what JSON cannot write is named before bytes, wherever each is.
  const { write, bytes } = _jsonWriteProblems(placed.example, 'example', 'write-then-bytes');
  if (write !== undefined)
    throw new DatasetError(
      `${at}, which cannot write ${write}. Convert the field (a BigInt to a string or a number, a cycle to plain data), or run without \`output\``,
      { position: placed.position, exampleId: placed.id },
    );
  if (bytes !== undefined)
    throw new DatasetError(
      `${at}, which would read back ${bytes} as another value (JSON writes bytes as an object of numbers, or {}). Keep a file path, a URL or a base64 string in the example and read the bytes in the model, or run without \`output\``,
      { position: placed.position, exampleId: placed.id },
    );
}
