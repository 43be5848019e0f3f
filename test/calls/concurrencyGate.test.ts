import { describe, expect, it } from 'vitest';
import { _createConcurrencyGate } from '../../src/calls/concurrencyGate.js';

describe('_createConcurrencyGate (AIMD)', () => {
  it('admits up to max, queues the rest in order', async () => {
    const gate = _createConcurrencyGate({ max: 2 });
    await gate.acquire();
    await gate.acquire();
    const order: number[] = [];
    const w1 = gate.acquire().then(() => order.push(1));
    const w2 = gate.acquire().then(() => order.push(2));
    expect(gate.queued).toBe(2);
    gate.release();
    await w1;
    gate.release();
    await w2;
    expect(order).toEqual([1, 2]);
    expect(gate.active).toBe(2);
  });

  it('halves on a rate-limit event, once per event, and grows back by about one per round of successes', () => {
    let t = 0;
    const gate = _createConcurrencyGate({ max: 16, now: () => t });
    const started = 0;
    t = 10;
    gate.onRateLimited(started);
    expect(gate.limit).toBe(8);
    gate.onRateLimited(started); // same burst: ignored
    gate.onRateLimited(5);
    expect(gate.limit).toBe(8);
    t = 20;
    gate.onRateLimited(15); // a request started after the cut: new event
    expect(gate.limit).toBe(4);
    for (let i = 0; i < 4; i++) gate.onSuccess();
    expect(gate.limit).toBe(5);
    for (let i = 0; i < 1000; i++) gate.onSuccess();
    expect(gate.limit).toBe(16);
  });

  it('never goes below one', () => {
    let t = 0;
    const gate = _createConcurrencyGate({ max: 3, now: () => t });
    for (let i = 0; i < 10; i++) {
      t += 1;
      gate.onRateLimited(t - 0.5);
    }
    expect(gate.limit).toBe(1);
  });

  it('with no finite max, the first cut starts from the calls in flight', async () => {
    let t = 0;
    const gate = _createConcurrencyGate({ now: () => t });
    for (let i = 0; i < 9; i++) await gate.acquire();
    t = 1;
    gate.onRateLimited(0);
    expect(gate.limit).toBe(5);
  });

  it('holdUntil blocks new calls until the time passes', async () => {
    const gate = _createConcurrencyGate({ max: 4 });
    gate.holdUntil(Date.now() + 40);
    const t0 = performance.now();
    await gate.acquire();
    expect(performance.now() - t0, 'waited for the hold').toBeGreaterThanOrEqual(30);
  });

  it('a waiter aborted leaves the queue', async () => {
    const gate = _createConcurrencyGate({ max: 1 });
    await gate.acquire();
    const ac = new AbortController();
    const p = gate.acquire(ac.signal);
    ac.abort(new Error('bye'));
    await expect(p).rejects.toThrow('bye');
    expect(gate.queued).toBe(0);
  });

  it('tryAcquire takes a free slot at once, and never one a waiter is owed or a hold forbids', async () => {
    let t = 1000;
    const gate = _createConcurrencyGate({ max: 2, now: () => t });
    expect(gate.tryAcquire()).toBe(1000);
    expect(gate.tryAcquire()).toBe(1000);
    expect(gate.active).toBe(2);
    expect(gate.tryAcquire(), 'no slot free').toBeUndefined();
    expect(gate.active).toBe(2);
    const waiter = gate.acquire();
    gate.release();
    // The freed slot went to the waiter, in order: tryAcquire does not jump the queue.
    await waiter;
    expect(gate.tryAcquire()).toBeUndefined();
    gate.release();
    gate.holdUntil(2000);
    expect(gate.tryAcquire(), 'held').toBeUndefined();
    t = 2000;
    expect(gate.tryAcquire()).toBe(2000);
    expect(gate.active).toBe(2);
  });
});
