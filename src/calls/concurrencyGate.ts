/**
 * The runtime's gate on network calls in flight, sized by AIMD (additive increase, multiplicative decrease),
 * the congestion-control rule of TCP (Chiu & Jain 1989, doi:10.1016/0169-7552(89)90019-6): each success grows
 * the limit by `1 / limit` (about one more slot per round of `limit` successes), each rate-limit event halves
 * it, never below 1 nor above `max`. A 429 halves the limit only if its request started after the last cut:
 * a burst of 429s from requests sent together is one congestion event, not ten. `holdUntil` stops every new
 * call until a time (the provider said its bucket is empty until then).
 * @module
 * @internal
 */

import { _MAX_TIMER_MS } from '../_internal/maxTimerMs.js';

/** Options of {@link _createConcurrencyGate}. */
export interface ConcurrencyGateOptions {
  /** Upper bound of the limit and its start value. Minimum: `1`. @default Infinity */
  readonly max?: number;
  /** Factor applied on a congestion event, in (0, 1). @default 0.5 */
  readonly decrease?: number;
  /** Injected for tests: the clock, in ms. @default Date.now */
  readonly now?: () => number;
}

/** See the module comment. */
export interface ConcurrencyGate {
  /** Current limit (fractional; `floor(limit)` calls may run). */
  readonly limit: number;
  /** Calls in flight. */
  readonly active: number;
  /** Calls waiting. */
  readonly queued: number;
  /** Waits for a slot; resolves with the time the slot was granted. */
  acquire(signal?: AbortSignal): Promise<number>;
  /**
   * Takes a slot at once when one is free and no call waits, returning the time it was granted; `undefined`
   * (nothing taken) otherwise. Lets a call that does not have to wait skip the promise and the signal.
   */
  tryAcquire(): number | undefined;
  /** Frees a slot. */
  release(): void;
  /** A call succeeded: additive increase. */
  onSuccess(): void;
  /** A call was rate-limited; `startedAt` is when its slot was granted. Multiplicative decrease. */
  onRateLimited(startedAt: number): void;
  /** No new call starts before `until` (ms, same clock). */
  holdUntil(until: number): void;
}

/** @internal */
export function _createConcurrencyGate(options: ConcurrencyGateOptions = {}): ConcurrencyGate {
  const max = options.max ?? Number.POSITIVE_INFINITY;
  const decrease = options.decrease ?? 0.5;
  const now = options.now ?? Date.now;
  let limit = max;
  let active = 0;
  let lastCutAt = Number.NEGATIVE_INFINITY;
  let heldUntil = Number.NEGATIVE_INFINITY;
  let holdTimer: ReturnType<typeof setTimeout> | undefined;
  const waiters: {
    resolve: (t: number) => void;
    reject: (e: unknown) => void;
    signal?: AbortSignal;
    onAbort?: () => void;
  }[] = [];

  function capacity(): number {
    return Math.max(1, Math.floor(limit));
  }

  function pump(): void {
    const t = now();
    if (t < heldUntil) {
      if (holdTimer === undefined && waiters.length > 0) {
        // A hold past Node's longest timer wakes at that timer and waits again (a longer one fires at once).
        holdTimer = setTimeout(
          () => {
            holdTimer = undefined;
            pump();
          },
          Math.min(_MAX_TIMER_MS, heldUntil - t),
        );
      }
      return;
    }
    while (waiters.length > 0 && active < capacity()) {
      const w = waiters.shift() as (typeof waiters)[number];
      if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
      active++;
      w.resolve(t);
    }
  }

  return {
    get limit() {
      return limit;
    },
    get active() {
      return active;
    },
    get queued() {
      return waiters.length;
    },
    acquire(signal?: AbortSignal): Promise<number> {
      if (signal?.aborted) return Promise.reject(signal.reason);
      const t = now();
      if (waiters.length === 0 && active < capacity() && t >= heldUntil) {
        active++;
        return Promise.resolve(t);
      }
      return new Promise<number>((resolve, reject) => {
        const w: (typeof waiters)[number] = { resolve, reject };
        if (signal) {
          w.signal = signal;
          w.onAbort = () => {
            const i = waiters.indexOf(w);
            if (i >= 0) waiters.splice(i, 1);
            // The hold's timer only wakes waiters: with none left it would keep the process alive until the hold
            // ends (up to retry.maxWaitMs) after an aborted run. `pump` sets it again for the next waiter.
            if (waiters.length === 0 && holdTimer !== undefined) {
              clearTimeout(holdTimer);
              holdTimer = undefined;
            }
            reject(signal.reason);
          };
          signal.addEventListener('abort', w.onAbort, { once: true });
        }
        waiters.push(w);
        pump();
      });
    },
    tryAcquire(): number | undefined {
      const t = now();
      if (waiters.length > 0 || active >= capacity() || t < heldUntil) return undefined;
      active++;
      return t;
    },
    release(): void {
      active--;
      pump();
    },
    onSuccess(): void {
      if (limit < max) {
        limit = Math.min(max, limit + 1 / capacity());
        pump();
      }
    },
    onRateLimited(startedAt: number): void {
      if (startedAt <= lastCutAt) return;
      // With no finite maximum, the first cut starts from what was actually in flight.
      const base = Number.isFinite(limit) ? limit : Math.max(1, active + 1);
      limit = Math.max(1, base * decrease);
      lastCutAt = now();
    },
    holdUntil(until: number): void {
      if (until <= heldUntil) return;
      heldUntil = until;
      if (holdTimer !== undefined) {
        clearTimeout(holdTimer);
        holdTimer = undefined;
      }
      pump();
    },
  };
}
