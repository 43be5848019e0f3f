/**
 * Bounded waits of the call runtime: a sleep that ends on abort, a per-attempt timeout, a race against a
 * signal, and what counts as a cancellation rather than a failure.
 * @module
 */
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
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
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
  | { readonly send: (attempt: AbortNotice) => Promise<T> };

/**
 * Runs `send` with a per-attempt timeout: the attempt aborts on the parent's abort or on the timeout, and a
 * timeout surfaces as a `TimeoutError` that names what was running.
 * @example
 * ```ts
 * await withTimeout((signal) => fetch(url, { signal }), runSignal, 30_000, 'model call', 'q1');
 * // => rejects with TimeoutError('model call for example "q1" timed out after 30000 ms') when slower
 * ```
 * @internal
 */
export async function withTimeout<T>(
  send: AttemptSender<T>,
  parent: AbortSignal | AbortNotice,
  timeoutMs: number,
  what: string,
  exampleId: string | undefined,
): Promise<T> {
  if (parent.aborted) throw parent.reason;
  const attempt = new AbortSource();
  let timedOut = false;
  // One promise for both ends (the parent's abort, the timeout), settled before the attempt aborts so that the
  // race ends with their reason whatever the sender does on abort; no listener on the attempt.
  let stop: (reason: unknown) => void = () => {};
  const stopped = new Promise<never>((_, reject) => {
    stop = reject;
  });
  const off = noticeOf(parent).onAbort((reason) => {
    stop(reason);
    attempt.abort(reason);
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  if (Number.isFinite(timeoutMs))
    timer = setTimeout(() => {
      timedOut = true;
      const err = new TimeoutError(
        `${what}${exampleId === undefined ? '' : ` for example "${exampleId}"`} timed out after ${timeoutMs} ms`,
        timeoutMs,
        exampleId === undefined ? {} : { exampleId },
      );
      stop(err);
      attempt.abort(err);
    }, timeoutMs);
  try {
    // Race so that a sender that ignores its signal still cannot hold the run past its timeout.
    const sent = typeof send === 'function' ? send(attempt.signal) : send.send(attempt);
    return await Promise.race([sent, stopped]);
  } catch (err) {
    if (timedOut && !(err instanceof TimeoutError)) throw attempt.reason;
    throw err;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    off();
    // Silence the losing racer.
    stopped.catch(() => {});
  }
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
  if (signal.aborted) return Promise.reject(signal.reason);
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
