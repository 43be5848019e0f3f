/**
 * Bounded waits of the call runtime: a sleep that ends on abort, a per-attempt timeout, a race against a
 * signal, and what counts as a cancellation rather than a failure.
 * @module
 */
import { _MAX_TIMER_MS } from '../_internal/maxTimerMs.js';
import { TimeoutError } from '../errors.js';
import { type AbortNotice, AbortSource, noticeOf } from './abortNotice.js';

/**
 * Sleeps `ms`, rejecting with the signal's reason when it aborts first.
 * @example
 * ```ts
 * await sleep(250, AbortSignal.timeout(1000));
 * // => resolves after 250 ms
 * ```
 * @internal
 */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.min(ms, _MAX_TIMER_MS),
    );
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * What sends one attempt of a call: a function given the attempt's AbortSignal, or — for a sender that must only
 * be told when to stop (the request router joins the attempt at the client's fetch) — `{ send }`, given the
 * attempt's {@link AbortNotice}, whose signal is made only if the sender reads it.
 */
export type AttemptSender<T> =
  | ((signal: AbortSignal) => Promise<T>)
  | {
      readonly send: (attempt: AbortNotice) => Promise<T>;
      /**
       * The sender leaves the row's scope itself where it matters (the request router sends under its own
       * mark), so a scope's call need not run it outside. @default false
       */
      readonly leavesScope?: boolean;
    };

/**
 * What a caller makes of an attempt's end, run as the attempt settles rather than in a `.then` of its promise: an
 * attempt in flight then holds one promise fewer (the runtime has one in flight per call, for the whole wait).
 * The promise of {@link withTimeout} settles as `ok` or `failed` returns or throws.
 */
export interface AttemptEnd<T, R> {
  /** The sender's value. */
  readonly ok: (value: T) => R | PromiseLike<R>;
  /**
   * Why the attempt failed: the sender's error, or the parent's abort reason or the timeout's error (for those
   * two, called after the attempt's own signal has aborted, as a `.then` of a rejection would be).
   */
  readonly failed: (err: unknown, attempt?: AbortNotice) => R | PromiseLike<R>;
}

/**
 * Settles a promise (its `resolve` and `reject`) as `f(x)` goes: with what it returns, a value or a promise to
 * follow, or rejected with what it throws.
 * @internal
 */
export function settleAs<X, R>(
  resolve: (value: R | PromiseLike<R>) => void,
  reject: (reason: unknown) => void,
  f: (x: X) => R | PromiseLike<R>,
  x: X,
): void {
  try {
    resolve(f(x));
  } catch (err) {
    reject(err);
  }
}

/**
 * Runs `send` with a per-attempt timeout: the attempt aborts on the parent's abort or on the timeout, and a
 * timeout surfaces as a `TimeoutError` that names what was running. With `end`, the promise settles as
 * `end.ok(value)` or `end.failed(err, attempt)` does (as `.then(end.ok, end.failed)` would, with one promise
 * fewer); `attempt` is the notice the sender was given, which a sender may have marked as it was stopped (the tokens
 * a stream it stopped reading had spent, see `withBilledUsage`).
 * @example
 * ```ts
 * await withTimeout((signal) => fetch(url, { signal }), runSignal, 30_000, 'model call', 'q1');
 * // => rejects with TimeoutError('model call for example "q1" timed out after 30000 ms') when slower
 * ```
 * @internal
 */
export function withTimeout<T, R = T>(
  send: AttemptSender<T>,
  parent: AbortSignal | AbortNotice,
  timeoutMs: number,
  what: string,
  exampleId: string | undefined,
  end?: AttemptEnd<T, R>,
): Promise<R> {
  if (parent.aborted)
    return end === undefined
      ? Promise.reject(parent.reason)
      : Promise.reject(parent.reason).then(undefined, end.failed);
  const attempt = new AbortSource();
  // One promise, settled by whichever end comes first: the sender, the parent's abort or the timeout. An end
  // that stops the attempt settles it before the attempt aborts, so that it ends with their reason whatever the
  // sender does on abort; and a sender that ignores its signal still cannot hold the run past its timeout.
  return new Promise<R>((resolve, reject) => {
    let done = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let off: () => void = () => {};
    const finish = (): boolean => {
      if (done) return false;
      done = true;
      if (timer !== undefined) clearTimeout(timer);
      off();
      return true;
    };
    const succeed = (value: T): void => {
      if (end === undefined) resolve(value as unknown as R);
      else settleAs(resolve, reject, end.ok, value);
    };
    const failed = end === undefined ? undefined : (err: unknown) => end.failed(err, attempt);
    const fail = (err: unknown): void => {
      if (failed === undefined) reject(err);
      else settleAs(resolve, reject, failed, err);
    };
    // An abort, a timeout or a sender that throws at once: `end.failed` runs a step later, as it would in a `.then`
    // of the rejection (after the attempt's signal has aborted, never inside the abort's listeners).
    const failLater = (err: unknown): void => {
      if (failed === undefined) reject(err);
      else resolve(Promise.reject(err).then(undefined, failed));
    };
    const stop = (reason: unknown): void => {
      if (!finish()) return;
      failLater(reason);
      attempt.abort(reason);
    };
    off = noticeOf(parent).onAbort(stop);
    if (timeoutMs <= _MAX_TIMER_MS)
      timer = setTimeout(() => {
        stop(
          new TimeoutError(
            `${what}${exampleId === undefined ? '' : ` for example "${exampleId}"`} timed out after ${timeoutMs} ms`,
            timeoutMs,
            exampleId === undefined ? {} : { exampleId },
          ),
        );
      }, timeoutMs);
    let sent: Promise<T>;
    try {
      sent = Promise.resolve(typeof send === 'function' ? send(attempt.signal) : send.send(attempt));
    } catch (err) {
      if (finish()) failLater(err);
      return;
    }
    sent.then(
      (value) => {
        if (finish()) succeed(value);
      },
      (err: unknown) => {
        if (finish()) fail(err);
      },
    );
  });
}

/**
 * Settles with `promise`, or rejects with `signal.reason` as soon as `signal` aborts.
 * @example
 * ```ts
 * await raceAbort(leader, rowSignal);
 * // => the leader's result, or the row's abort reason when the row is cancelled first
 * ```
 * @internal
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | AbortNotice): Promise<T> {
  if (signal.aborted) {
    // The promise's failure is nobody's now, and is never left unhandled.
    promise.then(undefined, ignore);
    return Promise.reject(signal.reason);
  }
  const notice = noticeOf(signal);
  return new Promise<T>((resolve, reject) => {
    const off = notice.onAbort(reject);
    promise.then(
      (v) => {
        off();
        resolve(v);
      },
      (e) => {
        off();
        reject(e);
      },
    );
  });
}

/**
 * True for errors that mean "the run was cancelled", not "the call failed".
 * @example
 * ```ts
 * const c = new AbortController();
 * c.abort();
 * isAbort(c.signal.reason, c.signal);
 * // => true
 * ```
 * @internal
 */
export function isAbort(
  err: unknown,
  signal: { readonly aborted: boolean; readonly reason: unknown },
): boolean {
  return signal.aborted && (err === signal.reason || (err as { name?: unknown })?.name === 'AbortError');
}

function ignore(): void {}
