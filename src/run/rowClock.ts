/**
 * The time bounds of one row, with one `AbortController` for the whole row (an abort signal costs more than
 * anything else a row does, so the row makes one, and a new one only after a bound has fired):
 * - the run's abort aborts every row (one listener on the run's signal for all rows, not one per row);
 * - the model phase ends after `rowTimeoutMs`, and an attempt after `timeoutMs` while it has made no call
 *   through evalgate (a plain function is timed like a call);
 * - each asynchronous metric gets `metricTimeoutMs` (synchronous metrics cost nothing here).
 * `race()` settles as soon as the signal aborts, whatever the user's code does with it.
 * @module
 */
import { TimeoutError } from '../errors.js';

/** The clocks of the rows in flight, aborted together when the run aborts. */
export class _RowClocks {
  private readonly live = new Set<_RowClock>();

  constructor(signal: AbortSignal) {
    signal.addEventListener('abort', () => {
      for (const c of this.live) c.abort(signal.reason);
    });
  }

  /** @internal */
  _add(c: _RowClock): void {
    this.live.add(c);
  }

  /** @internal */
  _delete(c: _RowClock): void {
    this.live.delete(c);
  }
}

export class _RowClock {
  private controller = new AbortController();
  private reject: ((reason: unknown) => void) | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly clocks: _RowClocks,
    private readonly run: AbortSignal,
    private readonly exampleId: string,
  ) {
    clocks._add(this);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Aborts the row's signal and whatever `race()` waits on. */
  abort(reason: unknown): void {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
    const r = this.reject;
    this.reject = undefined;
    r?.(reason);
  }

  /** A fresh signal after a bound fired (a retry, the next metric); never after the run aborted. */
  renew(): void {
    if (this.controller.signal.aborted && !this.run.aborted) this.controller = new AbortController();
  }

  /**
   * Bounds the model phase: `rowTimeoutMs` in all, and `timeoutMs` per attempt while `calls()` is 0.
   * Call again for each attempt.
   */
  boundModel(rowStart: number, rowTimeoutMs: number, timeoutMs: number, calls: () => number): void {
    this.clear();
    const attemptStart = performance.now();
    const check = () => {
      const now = performance.now();
      if (now - rowStart >= rowTimeoutMs)
        return this.abort(
          new TimeoutError(
            `the model for example "${this.exampleId}" timed out after ${rowTimeoutMs} ms (rowTimeoutMs)`,
            rowTimeoutMs,
            { exampleId: this.exampleId },
          ),
        );
      if (calls() === 0 && now - attemptStart >= timeoutMs)
        return this.abort(
          new TimeoutError(
            `model call for example "${this.exampleId}" timed out after ${timeoutMs} ms`,
            timeoutMs,
            {
              exampleId: this.exampleId,
            },
          ),
        );
      const next =
        calls() === 0 ? Math.min(attemptStart + timeoutMs, rowStart + rowTimeoutMs) : rowStart + rowTimeoutMs;
      this.timer = setTimeout(check, Math.max(1, next - now));
    };
    const first = Math.min(timeoutMs, rowTimeoutMs - (attemptStart - rowStart));
    if (Number.isFinite(first)) this.timer = setTimeout(check, Math.max(1, first));
  }

  /** Bounds one asynchronous metric by `ms`. */
  boundMetric(metric: string, ms: number): void {
    this.clear();
    if (!Number.isFinite(ms)) return;
    this.timer = setTimeout(
      () =>
        this.abort(
          new TimeoutError(
            `metric \`${metric}\` for example "${this.exampleId}" timed out after ${ms} ms`,
            ms,
            {
              exampleId: this.exampleId,
            },
          ),
        ),
      ms,
    );
  }

  /** Settles with `work`, or rejects as soon as the row's signal aborts. */
  race<T>(work: Promise<T>): Promise<T> {
    if (this.controller.signal.aborted) return Promise.reject(this.controller.signal.reason);
    return new Promise<T>((resolve, reject) => {
      this.reject = reject;
      work.then(
        (v) => {
          this.reject = undefined;
          resolve(v);
        },
        (e) => {
          this.reject = undefined;
          reject(e);
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
    this.reject = undefined;
    this.clocks._delete(this);
  }
}
