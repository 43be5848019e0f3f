/**
 * A row's clock races the model's work against the row's abort. `race(work, end)` settles as
 * `race(work).then(end.ok, end.failed)` would, with one promise fewer held by every row in flight: the same value
 * or error however the work ends (now, after a few steps, never) and whenever the row aborts (before, right
 * after, after a few steps, never), with `end` returning, returning a promise or throwing; `end.failed` of an
 * abort sees the phase's lease already aborted, and at most one of `ok` / `failed` runs, once.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { _RowClock, _RowClocks } from '../../src/run/rowClock.js';
import {
  afterHops,
  type EndWay,
  endWay,
  expectSettledAlike,
  outcomeOf,
  recordingEnd,
} from '../calls/_recordingEnd.js';

type WorkWay = 'resolve-now' | 'resolve-later' | 'reject-now' | 'reject-later' | 'hang';
type AbortWay = 'never' | 'before' | 'sync' | 'hops';

// Orderings are of microtasks only: work settles now or after LATER_HOPS hops, the row aborts right after the
// race starts or after ABORT_HOPS hops.
const LATER_HOPS = 4;
const ABORT_HOPS = 2;

async function runCase(
  c: { work: WorkWay; abort: AbortWay; ok: EndWay; failed: EndWay; value: number },
  merged: boolean,
) {
  const run = new AbortController();
  const clock = new _RowClock(new _RowClocks(run.signal), run.signal, 'q1');
  if (c.abort === 'before') clock.abort(new Error('aborted before'));
  let leaseAborted: boolean | undefined;
  const { end, calls } = recordingEnd(c.ok, c.failed, () => {
    leaseAborted = clock.lease.aborted;
  });
  const work: Promise<number> =
    c.work === 'resolve-now'
      ? Promise.resolve(c.value)
      : c.work === 'resolve-later'
        ? afterHops(LATER_HOPS).then(() => c.value)
        : c.work === 'reject-now'
          ? Promise.reject(new Error('work rejected'))
          : c.work === 'reject-later'
            ? afterHops(LATER_HOPS).then(() => Promise.reject(new Error('work rejected later')))
            : new Promise<number>(() => {});
  const p = merged ? clock.race(work, end) : clock.race(work).then(end.ok, end.failed);
  if (c.abort === 'sync') clock.abort(new Error('aborted right after'));
  if (c.abort === 'hops') void afterHops(ABORT_HOPS).then(() => clock.abort(new Error('aborted after hops')));
  const outcome = await outcomeOf(p, 20);
  clock.dispose();
  return { outcome, calls, abortedAtFailed: leaseAborted };
}

describe("a row clock's race with an end", () => {
  it('settles as race(work).then(end.ok, end.failed) for every way the work, the abort and end go (seeded)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          work: fc.constantFrom<WorkWay>(
            'resolve-now',
            'resolve-later',
            'reject-now',
            'reject-later',
            'hang',
          ),
          abort: fc.constantFrom<AbortWay>('never', 'before', 'sync', 'hops'),
          ok: endWay,
          failed: endWay,
          value: fc.integer(),
        }),
        async (c) => {
          expectSettledAlike(await runCase(c, true), await runCase(c, false));
        },
      ),
      { seed: 41, numRuns: 300 },
    );
  });
});

describe("a row clock's race when the clock is disposed", () => {
  it('still settles with its work (the clock lets go of it, not the race of it)', async () => {
    for (const merged of [false, true]) {
      const run = new AbortController();
      const clock = new _RowClock(new _RowClocks(run.signal), run.signal, 'q1');
      let answer: (v: number) => void = () => {};
      const work = new Promise<number>((resolve) => {
        answer = resolve;
      });
      const p = merged ? clock.race(work, { ok: (v) => v + 1, failed: () => -1 }) : clock.race(work);
      clock.dispose();
      answer(41);
      const stuck = new Promise((resolve) => setTimeout(() => resolve('still pending after 2 s'), 2_000));
      await expect(Promise.race([p, stuck])).resolves.toBe(merged ? 42 : 41);
    }
  });
});
