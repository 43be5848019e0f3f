/**
 * The run's row queue (src/run/rowQueue.ts). Invariants, as properties over random concurrencies, arrivals and
 * durations: never more than `concurrency` items run at once; every item added runs exactly once, in order of
 * arrival (starts are FIFO); a slot is never left idle while an item waits; `onIdle()` resolves exactly when
 * nothing waits or runs; `onSizeLessThan(n)` resolves once fewer than n wait; `clear()` drops the waiting
 * items only.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RowQueue } from '../../src/run/rowQueue.js';

/** A macrotask later: `ticks` rounds of the event loop. */
const later = (ticks: number) =>
  new Promise<void>((resolve) => {
    let n = ticks;
    const step = () => (n-- <= 0 ? resolve() : setImmediate(step));
    step();
  });

describe('RowQueue', () => {
  it('runs every item once, FIFO, at most `concurrency` at a time, never idling a slot while items wait', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.array(
          fc.record({ ticks: fc.integer({ min: 0, max: 4 }), addAfter: fc.integer({ min: 0, max: 2 }) }),
          {
            minLength: 0,
            maxLength: 40,
          },
        ),
        async (concurrency, items) => {
          const started: number[] = [];
          let running = 0;
          let maxRunning = 0;
          let idleSlotWhileWaiting = false;
          const q: RowQueue<number> = new RowQueue(concurrency, async (i) => {
            started.push(i);
            running++;
            maxRunning = Math.max(maxRunning, running);
            await later(items[i]!.ticks);
            running--;
          });
          for (let i = 0; i < items.length; i++) {
            if (items[i]!.addAfter > 0) await later(items[i]!.addAfter);
            q.add(i);
            if (q.size > 0 && q.running < concurrency) idleSlotWhileWaiting = true;
          }
          await q.onIdle();
          expect(started).toEqual(items.map((_, i) => i));
          expect(maxRunning).toBeLessThanOrEqual(concurrency);
          expect(idleSlotWhileWaiting).toBe(false);
          expect(q.size).toBe(0);
          expect(q.running).toBe(0);
        },
      ),
      { seed: 31, numRuns: 300 },
    );
  });

  it('onIdle and onSizeLessThan resolve exactly when their condition holds', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 30 }), async (c, n) => {
        const gates: (() => void)[] = [];
        const q = new RowQueue<number>(c, () => new Promise<void>((resolve) => gates.push(resolve)));
        for (let i = 0; i < n; i++) q.add(i);
        expect(q.running).toBe(Math.min(c, n));
        expect(q.size).toBe(Math.max(0, n - c));
        let idle = false;
        const idleWait = q.onIdle().then(() => {
          idle = true;
        });
        let below = false;
        const limit = Math.max(1, Math.floor((n - c) / 2));
        const belowWait = q.onSizeLessThan(limit).then(() => {
          below = true;
        });
        // Release one running item at a time, checking both waits against the queue's state.
        for (let released = 0; released < n; released++) {
          await later(1);
          expect(idle).toBe(false);
          expect(below).toBe(q.size < limit);
          gates[released]!();
        }
        await idleWait;
        await belowWait;
        expect(idle).toBe(true);
        expect(below).toBe(true);
      }),
      { seed: 32, numRuns: 200 },
    );
  });

  it('clear() drops the waiting items; the running ones finish and onIdle resolves', async () => {
    const ran: number[] = [];
    const gates: (() => void)[] = [];
    const q = new RowQueue<number>(2, (i) => {
      ran.push(i);
      return new Promise<void>((resolve) => gates.push(resolve));
    });
    for (let i = 0; i < 10; i++) q.add(i);
    let below = false;
    const belowWait = q.onSizeLessThan(3).then(() => {
      below = true;
    });
    q.clear();
    await belowWait;
    expect(below).toBe(true);
    expect(q.size).toBe(0);
    expect(q.running).toBe(2);
    for (const g of gates) g();
    await q.onIdle();
    expect(ran).toEqual([0, 1]);
    // The queue keeps working after a clear.
    q.add(10);
    gates[2]!();
    await q.onIdle();
    expect(ran).toEqual([0, 1, 10]);
  });

  it('an item that rejects frees its slot like one that resolves', async () => {
    const ran: number[] = [];
    const q = new RowQueue<number>(1, async (i) => {
      ran.push(i);
      if (i % 2 === 0) throw new Error('boom');
    });
    for (let i = 0; i < 5; i++) q.add(i);
    await q.onIdle();
    expect(ran).toEqual([0, 1, 2, 3, 4]);
  });
});
