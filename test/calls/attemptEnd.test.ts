/**
 * `withTimeout(…, end)` settles an attempt as `withTimeout(…).then(end.ok, end.failed)` would, with one promise
 * fewer: the same value or error for every way an attempt can end (the sender resolves or rejects, now or later;
 * it throws before returning; the parent aborts before, during or never; the timeout fires), and `end` itself
 * returning, returning a promise, or throwing. An abort's or a timeout's `failed` runs after the attempt's own
 * signal has aborted, never inside the abort's listeners. Each `end` callback runs at most once, and only one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AbortSource } from '../../src/calls/abortNotice.js';
import { withTimeout } from '../../src/calls/waits.js';
import {
  afterHops,
  type EndWay,
  endWay,
  expectSettledAlike,
  outcomeOf,
  recordingEnd,
} from './_recordingEnd.js';

type SenderWay = 'resolve-now' | 'resolve-later' | 'reject-now' | 'reject-later' | 'throw' | 'hang';
type ParentWay = 'never' | 'before' | 'sync' | 'hops';

interface Case {
  readonly sender: SenderWay;
  readonly parent: ParentWay;
  readonly timeout: boolean;
  readonly ok: EndWay;
  readonly failed: EndWay;
  readonly value: number;
}

const arbCase: fc.Arbitrary<Case> = fc.record({
  sender: fc.constantFrom<SenderWay>(
    'resolve-now',
    'resolve-later',
    'reject-now',
    'reject-later',
    'throw',
    'hang',
  ),
  parent: fc.constantFrom<ParentWay>('never', 'before', 'sync', 'hops'),
  timeout: fc.boolean(),
  ok: endWay,
  failed: endWay,
  value: fc.integer(),
});

// Every ordering here is one of microtasks, never of timers (two due timers of different lengths may run in
// either order): a sender settles now or after LATER_HOPS microtask hops, the parent aborts right after the call
// or after ABORT_HOPS hops, and the timeout (2 ms) can only end an attempt whose sender hangs.
const LATER_HOPS = 4;
const ABORT_HOPS = 2;

/** Runs one case; `withEnd` passes `end` to withTimeout, else chains it with `.then`. */
async function runCase(c: Case, withEnd: boolean) {
  const parent = new AbortSource();
  if (c.parent === 'before') parent.abort(new Error('parent before'));
  let attemptAborted: boolean | undefined;
  let attempt: { readonly aborted: boolean } | undefined;
  const { end, calls } = recordingEnd(c.ok, c.failed, () => {
    attemptAborted = attempt?.aborted;
  });
  const send = {
    send: (a: { readonly aborted: boolean }): Promise<number> => {
      attempt = a;
      switch (c.sender) {
        case 'resolve-now':
          return Promise.resolve(c.value);
        case 'resolve-later':
          return afterHops(LATER_HOPS).then(() => c.value);
        case 'reject-now':
          return Promise.reject(new Error('sender rejected'));
        case 'reject-later':
          return afterHops(LATER_HOPS).then(() => {
            throw new Error('sender rejected later');
          });
        case 'throw':
          throw new Error('sender threw');
        case 'hang':
          return new Promise(() => {});
      }
    },
  };
  const timeoutMs = c.timeout ? 2 : Number.POSITIVE_INFINITY;
  const p = withEnd
    ? withTimeout(send, parent, timeoutMs, 'model call', 'q1', end)
    : withTimeout(send, parent, timeoutMs, 'model call', 'q1').then(end.ok, end.failed);
  if (c.parent === 'sync') parent.abort(new Error('parent right after'));
  if (c.parent === 'hops')
    void afterHops(ABORT_HOPS).then(() => parent.abort(new Error('parent after hops')));
  // A case whose attempt never ends (a sender that hangs, no timeout, no abort) is told by a race.
  const outcome = await outcomeOf(p, 40);
  if (c.parent === 'never') parent.abort(new Error('cleanup'));
  return { outcome, calls, abortedAtFailed: attemptAborted };
}

describe('withTimeout with an end', () => {
  it('settles as .then(end.ok, end.failed) would, for every way an attempt and its end can go (seeded)', async () => {
    await fc.assert(
      fc.asyncProperty(arbCase, async (c) => {
        // An abort or a timeout: `failed` sees the attempt already aborted, as it would after a rejection.
        expectSettledAlike(await runCase(c, true), await runCase(c, false));
      }),
      { seed: 31, numRuns: 400 },
    );
  });

  it("runs an abort's `failed` after the attempt's signal has aborted, outside the abort's listeners", async () => {
    const parent = new AbortSource();
    const order: string[] = [];
    const p = withTimeout(
      {
        send: (attempt) => {
          attempt.onAbort(() => order.push('attempt aborted'));
          return new Promise<number>(() => {});
        },
      },
      parent,
      60_000,
      'model call',
      'q1',
      {
        ok: () => 'never',
        failed: (e) => {
          order.push('failed');
          return `failed: ${(e as Error).message}`;
        },
      },
    );
    parent.abort(new Error('stop'));
    order.push('abort returned');
    await expect(p).resolves.toBe('failed: stop');
    expect(order).toEqual(['attempt aborted', 'abort returned', 'failed']);
  });
});
