/**
 * Who hears of every starting and finished run: the vitest integration counts the requests and cost of each run a test made
 * (its footer must not say "0 requests" for a test that only asserts on a comparison of two runs it paid for).
 * A starting run also takes the signal of the host it runs in (the vitest integration gives the running test's, so a
 * test that times out stops its run's calls). An observer that throws never fails the run.
 * @module
 */
import type { EvalResult } from '../result/EvalResult.js';

const observers = new Set<(result: EvalResult) => void>();
const starters = new Set<() => RunHost | undefined>();

/**
 * What the host a run starts in gives it (the vitest integration: the running test). Taken as the run starts, so
 * that a run finishing while another test is current (concurrent tests) still reports to its own.
 * @internal
 */
export interface RunHost {
  /** Aborts the run as the user's `signal` would (a test that timed out). */
  readonly signal?: AbortSignal;
  /** Hears of the run's result once it is assembled (partial results of a failed run included). */
  readonly finished?: (result: EvalResult) => void;
}

/**
 * Calls `fn` as every run starts from now on; what it returns, if anything, is the run's host. Returns the function
 * that stops it. @internal
 */
export function onRunStarting(fn: () => RunHost | undefined): () => void {
  starters.add(fn);
  return () => starters.delete(fn);
}

/** The hosts a starting run is in (none outside a host that says). @internal */
export function hostsOfStartingRun(): RunHost[] {
  const hosts: RunHost[] = [];
  for (const fn of starters) {
    try {
      const host = fn();
      if (host !== undefined) hosts.push(host);
    } catch {
      // A host that cannot say leaves the run to the user's signal.
    }
  }
  return hosts;
}

/** Calls `fn` with every result `evaluate()` assembles from now on; returns the function that stops it. @internal */
export function onRunFinished(fn: (result: EvalResult) => void): () => void {
  observers.add(fn);
  return () => observers.delete(fn);
}

/**
 * Tells every observer, and the run's hosts, that `result` was assembled (partial results of a failed run
 * included). @internal
 */
export function _notifyRunFinished(result: EvalResult, hosts: readonly RunHost[] = []): void {
  for (const fn of [...observers, ...hosts.map((h) => h.finished)]) {
    if (fn === undefined) continue;
    try {
      fn(result);
    } catch {
      // An observer is a reporting aid: it never turns a finished run into a failed one.
    }
  }
}
