/**
 * Who hears of every finished run: the vitest integration counts the requests and cost of each run a test made
 * (its footer must not say "0 requests" for a test that only asserts on a comparison of two runs it paid for).
 * An observer that throws never fails the run.
 * @module
 */
import type { EvalResult } from '../result/EvalResult.js';

const observers = new Set<(result: EvalResult) => void>();

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
