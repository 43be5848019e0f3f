/**
 * The runtime's circuit breaker on unreachable providers: it counts connection-level failures (refused, DNS,
 * TLS, connect timeout) in the order they complete, resets on any attempt that reached the server (a success
 * or an HTTP error), and trips after `max` in a row. Once tripped it stays tripped for the run: a provider
 * that refused ten connections in a row with nothing in between is down or misconfigured, and retrying every
 * remaining example against it only burns time.
 * @module
 * @internal
 */
import type { ConnectionFailure } from './classifyError.js';

/** Why the breaker tripped. */
export interface Trip {
  readonly failure: ConnectionFailure;
  /** The error of the attempt that tripped it. */
  readonly error: unknown;
  /** Consecutive failures counted. */
  readonly failures: number;
}

/** See the module comment. */
export interface ConnectionBreaker {
  /** Set once the breaker has tripped. */
  readonly tripped: Trip | undefined;
  /** Counts one connection-level failure; returns the trip when this one (or an earlier one) tripped it. */
  failed(failure: ConnectionFailure, error: unknown): Trip | undefined;
  /** An attempt reached the server: the failures so far were not consecutive. */
  reached(): void;
  /** Calls `listener` once when the breaker trips (at once if it has); returns an unsubscribe function. */
  onTrip(listener: () => void): () => void;
}

/** @param max - Failures in a row that trip it. Minimum: `1`; `Infinity` never trips. @internal */
export function _createConnectionBreaker(max: number): ConnectionBreaker {
  let consecutive = 0;
  let tripped: Trip | undefined;
  const listeners = new Set<() => void>();
  return {
    get tripped() {
      return tripped;
    },
    failed(failure: ConnectionFailure, error: unknown): Trip | undefined {
      if (tripped !== undefined) return tripped;
      consecutive++;
      if (consecutive >= max) {
        tripped = { failure, error, failures: consecutive };
        const toCall = [...listeners];
        listeners.clear();
        for (const listener of toCall) listener();
      }
      return tripped;
    },
    reached(): void {
      if (tripped === undefined) consecutive = 0;
    },
    onTrip(listener: () => void): () => void {
      if (tripped !== undefined) {
        listener();
        return () => {};
      }
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
