/**
 * An {@link AttemptEnd} for property tests of code that settles through one: each of `ok` / `failed` returns a
 * value, returns a promise, throws, or returns a rejected promise (as the case says), and records that it ran.
 * `onFailed` runs as `failed` starts (to note what the caller's state was at that moment).
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { AttemptEnd } from '../../src/calls/waits.js';

/** How one `end` callback goes. */
export type EndWay = 'value' | 'promise' | 'throw' | 'reject';

export const endWay: fc.Arbitrary<EndWay> = fc.constantFrom<EndWay>('value', 'promise', 'throw', 'reject');

/** How microtask-ordered cases wait: `n` hops of the microtask queue (never a timer). */
export async function afterHops(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await Promise.resolve();
}

export function recordingEnd(
  ok: EndWay,
  failed: EndWay,
  onFailed: () => void,
): { readonly end: AttemptEnd<number, string>; readonly calls: string[] } {
  const calls: string[] = [];
  const apply = (way: EndWay, tag: string, input: string) => {
    calls.push(tag);
    if (tag === 'failed') onFailed();
    const out = `${tag}(${input})`;
    if (way === 'value') return out;
    if (way === 'promise') return Promise.resolve(out);
    if (way === 'reject') return Promise.reject(new Error(out));
    throw new Error(out);
  };
  return {
    calls,
    end: {
      ok: (v) => apply(ok, 'ok', String(v)),
      failed: (e) => apply(failed, 'failed', e instanceof Error ? e.message : String(e)),
    },
  };
}

/** How a promise settled, as data (an error by its message), or `'pending'` when it has not within `ms`. */
export async function outcomeOf(
  p: Promise<unknown>,
  ms: number,
): Promise<{ ok: unknown } | { err: string } | 'pending'> {
  return Promise.race([
    p.then(
      (ok) => ({ ok }),
      (e: unknown) => ({ err: e instanceof Error ? e.message : String(e) }),
    ),
    new Promise<'pending'>((r) => setTimeout(() => r('pending'), ms)),
  ]);
}

/** One case run with an end (`merged`) or with `.then(end.ok, end.failed)` (`chained`). */
export interface EndCaseRun {
  readonly outcome: unknown;
  readonly calls: readonly string[];
  /** Whether the attempt (or lease) had aborted when `failed` ran. */
  readonly abortedAtFailed: boolean | undefined;
}

/**
 * The two settle alike: the same value or error, the same callbacks run (at most one, once), and an abort's or a
 * timeout's `failed` sees the attempt already aborted exactly when the chained one does.
 */
export function expectSettledAlike(merged: EndCaseRun, chained: EndCaseRun): void {
  expect(merged.outcome).toEqual(chained.outcome);
  expect(merged.calls).toEqual(chained.calls);
  expect(merged.calls.length).toBeLessThanOrEqual(1);
  expect(merged.abortedAtFailed).toBe(chained.abortedAtFailed);
}
