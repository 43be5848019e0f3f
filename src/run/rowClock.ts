/**
 * The time bounds of one row. What they cost is paid only when used, since a row of an in-process model does
 * little else (an abort signal costs more than everything such a row does):
 * - each phase (a model attempt, a metric) holds a lease, an {@link AbortSource}: its `AbortSignal` is made only
 *   when something reads it (a call through evalgate follows it by a listener), and a new lease is made only
 *   after a bound has fired;
 * - the run's abort aborts every row (one listener on the run's signal for all rows, the rows in flight kept in
 *   an intrusive list: no allocation per row);
 * - the model phase ends after `rowTimeoutMs`, and an attempt after `timeoutMs` while it has made no call
 *   through evalgate (a plain function is timed like a call);
 * - each asynchronous metric gets `metricTimeoutMs` (synchronous metrics cost nothing here).
 * `race()` settles as soon as the row is aborted, whatever the user's code does with its signal.
 * @module
 */
import { _MAX_TIMER_MS } from '../_internal/maxTimerMs.js';
import { AbortSource } from '../calls/abortNotice.js';
import { type AttemptEnd, settleAs } from '../calls/waits.js';
import { TimeoutError } from '../errors.js';

/** The clocks of the rows in flight, aborted together when the run aborts. */
export class _RowClocks {
  /** Head of the list of live clocks (linked through `_next` / `_prev`). */
  private head: _RowClock | undefined;

  constructor(signal: AbortSignal) {
    signal.addEventListener('abort', () => {
      for (let c = this.head; c !== undefined; c = c._next) c.abort(signal.reason);
    });
  }

  /** @internal */
  _add(c: _RowClock): void {
    c._next = this.head;
    if (this.head !== undefined) this.head._prev = c;
    this.head = c;
  }

  /** @internal */
  _delete(c: _RowClock): void {
    if (c._prev !== undefined) c._prev._next = c._next;
    else if (this.head === c) this.head = c._next;
    if (c._next !== undefined) c._next._prev = c._prev;
    c._next = undefined;
    c._prev = undefined;
  }
}

/** What the model bound reads: how many calls the current attempt made through evalgate. */
interface _CallCount {
  readonly calls: number;
}

export class _RowClock {
  /** @internal Links of the live list of {@link _RowClocks}. */
  _next: _RowClock | undefined;
  /** @internal */
  _prev: _RowClock | undefined;
  private current = new AbortSource();
  private reject: ((reason: unknown) => void) | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private live = true;
  // The model bound in force (read by the timer).
  private rowStart = 0;
  private attemptStart = 0;
  private rowTimeoutMs = 0;
  private timeoutMs = 0;
  private attempt: _CallCount = { calls: 0 };
  private metric = '';
  private metricMs = 0;

  constructor(
    private readonly clocks: _RowClocks,
    private readonly run: AbortSignal,
    private readonly exampleId: string,
  ) {
    clocks._add(this);
  }

  /** The current phase's lease: a scope keeps it, so it keeps its own phase's signal after a renewal. */
  get lease(): AbortSource {
    return this.current;
  }

  get signal(): AbortSignal {
    return this.current.signal;
  }

  /** Aborts the row's current phase and whatever `race()` waits on. */
  abort(reason: unknown): void {
    this.current.abort(reason);
    const r = this.reject;
    this.reject = undefined;
    r?.(reason);
  }

  /**
   * Begins a phase (an attempt of the model, a metric): a fresh lease after a bound fired.
   * @throws the run's abort reason once the run has aborted: no phase begins then, not even in a row that
   * started after the abort (whose clock never heard of it).
   */
  renew(): void {
    if (this.run.aborted) throw this.run.reason;
    if (this.current.aborted) this.current = new AbortSource();
  }

  /**
   * Bounds the model phase: `rowTimeoutMs` in all, and `timeoutMs` per attempt while `attempt.calls` is 0.
   * Call again for each attempt.
   */
  boundModel(rowStart: number, rowTimeoutMs: number, timeoutMs: number, attempt: _CallCount): void {
    this.clear();
    this.rowStart = rowStart;
    this.attemptStart = performance.now();
    this.rowTimeoutMs = rowTimeoutMs;
    this.timeoutMs = timeoutMs;
    this.attempt = attempt;
    const first = Math.min(timeoutMs, rowTimeoutMs - (this.attemptStart - rowStart));
    if (Number.isFinite(first))
      this.timer = setTimeout(checkModel, Math.min(_MAX_TIMER_MS, Math.max(1, first)), this);
  }

  /** @internal The model bound's timer: aborts the row when a bound is reached, else waits for the next. */
  _checkModel(): void {
    this.timer = undefined;
    if (!this.live) return;
    const now = performance.now();
    const { rowStart, rowTimeoutMs, attemptStart, timeoutMs, exampleId } = this;
    if (now - rowStart >= rowTimeoutMs) {
      this.abort(
        new TimeoutError(
          `the model for example "${exampleId}" timed out after ${rowTimeoutMs} ms (rowTimeoutMs)`,
          rowTimeoutMs,
          { exampleId },
        ),
      );
      return;
    }
    const idle = this.attempt.calls === 0;
    if (idle && now - attemptStart >= timeoutMs) {
      this.abort(
        new TimeoutError(`model call for example "${exampleId}" timed out after ${timeoutMs} ms`, timeoutMs, {
          exampleId,
        }),
      );
      return;
    }
    const next = idle ? Math.min(attemptStart + timeoutMs, rowStart + rowTimeoutMs) : rowStart + rowTimeoutMs;
    this.timer = setTimeout(checkModel, Math.min(_MAX_TIMER_MS, Math.max(1, next - now)), this);
  }

  /** Bounds one asynchronous metric by `ms`. */
  boundMetric(metric: string, ms: number): void {
    this.clear();
    if (!(ms <= _MAX_TIMER_MS)) return;
    this.metric = metric;
    this.metricMs = ms;
    this.timer = setTimeout(checkMetric, ms, this);
  }

  /** @internal The metric bound's timer. */
  _metricTimedOut(): void {
    this.timer = undefined;
    if (!this.live) return;
    const { metric, metricMs: ms, exampleId } = this;
    this.abort(
      new TimeoutError(`metric \`${metric}\` for example "${exampleId}" timed out after ${ms} ms`, ms, {
        exampleId,
      }),
    );
  }

  /**
   * Settles with `work`, or rejects as soon as the row's current phase is aborted. With `end`, settles as
   * `.then(end.ok, end.failed)` would, with one promise fewer held while the work runs; `end.failed` of an abort
   * runs within `abort()`, after the phase's lease has aborted.
   */
  race<T, R = T>(work: Promise<T>, end?: AttemptEnd<T, R>): Promise<R> {
    if (this.current.aborted) {
      // The work was started (a model called before the race): its failure is not the row's any more, and is
      // never left unhandled.
      work.then(undefined, ignore);
      return end === undefined
        ? Promise.reject(this.current.reason)
        : Promise.reject(this.current.reason).then(undefined, end.failed);
    }
    return new Promise<R>((resolve, reject) => {
      // Settled once, by the work or by `abort()`: work that ends after its race was settled by an abort is
      // ignored, and clears the clock's hold only while it is its own — by then the clock may race a later
      // attempt's work, whose abort it must not take away (a model that ignores its signal and answers late).
      let open = true;
      const fail = (e: unknown): void => {
        if (!open) return;
        open = false;
        if (end === undefined) reject(e);
        else settleAs(resolve, reject, end.failed, e);
      };
      this.reject = fail;
      work.then(
        (v) => {
          if (!open) return;
          open = false;
          if (this.reject === fail) this.reject = undefined;
          if (end === undefined) resolve(v as unknown as R);
          else settleAs(resolve, reject, end.ok, v);
        },
        (e) => {
          if (this.reject === fail) this.reject = undefined;
          fail(e);
        },
      );
    });
  }

  clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The row is done: no timer, no listener left behind. */
  dispose(): void {
    this.clear();
    this.live = false;
    this.reject = undefined;
    this.clocks._delete(this);
  }
}

function ignore(): void {}

function checkModel(clock: _RowClock): void {
  clock._checkModel();
}

function checkMetric(clock: _RowClock): void {
  clock._metricTimedOut();
}
