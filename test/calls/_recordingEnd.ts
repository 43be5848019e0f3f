/**
 * An {@link AttemptEnd} for property tests of code that settles through one: each of `ok` / `failed` returns a
 * value, returns a promise, throws, or returns a rejected promise (as the case says), and records that it ran.
 * `onFailed` runs as `failed` starts (to note what the caller's state was at that moment).
 */
import fc from 'fast-check';
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
