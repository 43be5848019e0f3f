/**
 * Who hears of every starting and finished run: the vitest integration counts the requests and cost of each run a test made
 * (its footer must not say "0 requests" for a test that only asserts on a comparison of two runs it paid for).
 * A starting run also takes the signal of the host it runs in (the vitest integration gives the running test's, so a
 * test that times out stops its run's calls). An observer that throws never fails the run.
 * @module
 */
import type { EvalResult } from '../result/EvalResult.js';

const observers = new Set<(result: EvalResult) => void>();
const starters = new Set<() => AbortSignal | undefined>();

/**
 * Calls `fn` as every run starts from now on; the signal it returns, if any, aborts the run as the user's `signal`
 * would. Returns the function that stops it. @internal
 */
export function onRunStarting(fn: () => AbortSignal | undefined): () => void {
  starters.add(fn);
  return () => starters.delete(fn);
}

/** The signals the starting observers give a new run (none outside a host that gives one). @internal */
export function signalsOfStartingRun(): AbortSignal[] {
  const signals: AbortSignal[] = [];
  for (const fn of starters) {
    try {
      const signal = fn();
      if (signal !== undefined) signals.push(signal);
    } catch {
      // A host that cannot say leaves the run to the user's signal.
    }
  }
  return signals;
}

/** Calls `fn` with every result `evaluate()` assembles from now on; returns the function that stops it. @internal */
export function onRunFinished(fn: (result: EvalResult) => void): () => void {
  observers.add(fn);
  return () => observers.delete(fn);
}

/** Tells every observer that `result` was assembled (partial results of a failed run included). @internal */
export function _notifyRunFinished(result: EvalResult): void {
  for (const fn of observers) {
    try {
      fn(result);
    } catch {
      // An observer is a reporting aid: it never turns a finished run into a failed one.
    }
  }
}
