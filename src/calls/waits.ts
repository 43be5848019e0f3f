/**
 * Bounded waits of the call runtime: a sleep that ends on abort, a per-attempt timeout, a race against a
 * signal, and what counts as a cancellation rather than a failure.
 * @module
 */
import { TimeoutError } from '../errors.js';

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
 * Runs `send` with a per-attempt timeout: the attempt's signal aborts on the parent's abort or on the timeout,
 * and a timeout surfaces as a `TimeoutError` that names what was running.
 * @example
 * ```ts
 * await withTimeout((signal) => fetch(url, { signal }), runSignal, 30_000, 'model call', 'q1');
 * // => rejects with TimeoutError('model call for example "q1" timed out after 30000 ms') when slower
 * ```
 * @internal
 */
export async function withTimeout<T>(
  send: (signal: AbortSignal) => Promise<T>,
  parent: AbortSignal,
  timeoutMs: number,
  what: string,
  exampleId: string | undefined,
): Promise<T> {
  if (parent.aborted) throw parent.reason;
  const controller = new AbortController();
  let timedOut = false;
  // One promise for both ends (the parent's abort, the timeout), settled before the attempt's signal aborts so
  // that the race ends with their reason whatever the sender does on abort; no listener on the attempt's signal.
  let stop: (reason: unknown) => void = () => {};
  const stopped = new Promise<never>((_, reject) => {
    stop = reject;
  });
  const onAbort = () => {
    stop(parent.reason);
    controller.abort(parent.reason);
  };
  parent.addEventListener('abort', onAbort, { once: true });
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
      controller.abort(err);
    }, timeoutMs);
  try {
    // Race so that a sender that ignores its signal still cannot hold the run past its timeout.
    return await Promise.race([send(controller.signal), stopped]);
  } catch (err) {
    if (timedOut && !(err instanceof TimeoutError)) throw controller.signal.reason;
    throw err;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    parent.removeEventListener('abort', onAbort);
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
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
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
export function isAbort(err: unknown, signal: AbortSignal): boolean {
  return signal.aborted && (err === signal.reason || (err as { name?: unknown })?.name === 'AbortError');
}
