import { describe, expect, it } from 'vitest';
import { rateLimiter } from '../../src/calls/index.js';

function clock(start = 0) {
  const c = { t: start, now: () => c.t };
  return c;
}

describe('rateLimiter (injected clock)', () => {
  it('admits rpm requests, then none until a window after the first one finished', () => {
    const c = clock();
    const rl = rateLimiter({ rpm: 3, windowMs: 1000, now: c.now });
    const leases = [rl.tryAcquire(0), rl.tryAcquire(0), rl.tryAcquire(0)];
    expect(leases.every((l) => l !== undefined)).toBe(true);
    expect(rl.tryAcquire(0)).toBeUndefined();
    c.t = 5000; // in flight requests hold their slot however long they take
    expect(rl.tryAcquire(0)).toBeUndefined();
    leases[0]?.release();
    expect(rl.tryAcquire(0)).toBeUndefined();
    c.t = 5999;
    expect(rl.tryAcquire(0)).toBeUndefined();
    c.t = 6000;
    expect(rl.tryAcquire(0)).toBeDefined();
    expect(rl.usage()).toEqual({ requests: 3, tokens: 0, queued: 0 });
  });

  it('limits tokens and reconciles the estimate with actual usage', () => {
    const c = clock();
    const rl = rateLimiter({ tpm: 100, windowMs: 1000, now: c.now });
    const a = rl.tryAcquire(60);
    expect(a).toBeDefined();
    expect(rl.tryAcquire(50)).toBeUndefined();
    a?.release(20); // used less than estimated: the difference is free again
    expect(rl.usage().tokens).toBe(20);
    const b = rl.tryAcquire(80);
    expect(b).toBeDefined();
    b?.release(95); // used more: counted as used
    expect(rl.usage().tokens).toBe(115);
    c.t = 1000;
    expect(rl.usage().tokens).toBe(0);
  });

  it('counts an estimate above tpm as tpm, so it waits for an empty window instead of forever', () => {
    const c = clock();
    const rl = rateLimiter({ tpm: 100, windowMs: 1000, now: c.now });
    const big = rl.tryAcquire(1e6);
    expect(big).toBeDefined();
    expect(rl.usage().tokens).toBe(100);
  });

  it('serves waiters first come first served and never lets a window exceed the limit', async () => {
    const rl = rateLimiter({ rpm: 5, windowMs: 60 });
    const admitted: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 15 }, async (_, i) => {
        const lease = await rl.acquire(0);
        admitted.push(i);
        const at = performance.now() - t0;
        await new Promise((r) => setTimeout(r, 2));
        lease.release();
        return at;
      }),
    );
    expect(admitted).toEqual(Array.from({ length: 15 }, (_, i) => i));
  });

  it('rejects a waiter with the signal reason on abort and lets the next one through', async () => {
    const rl = rateLimiter({ rpm: 1, windowMs: 50 });
    const first = await rl.acquire(0);
    const ac = new AbortController();
    const waiting = rl.acquire(0, ac.signal);
    const next = rl.acquire(0);
    ac.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    first.release();
    await expect(next).resolves.toBeDefined();
    expect(rl.usage().queued).toBe(0);
  });

  it.each([
    [
      { rpm: 0 },
      RangeError,
      'Expected `rateLimit.rpm` to be an integer >= 1 (or Infinity), got `0` (number)',
    ],
    [
      { tpm: 1.5 },
      RangeError,
      'Expected `rateLimit.tpm` to be an integer >= 1 (or Infinity), got `1.5` (number)',
    ],
    [
      { rpm: '60' },
      TypeError,
      'Expected `rateLimit.rpm` to be an integer >= 1 (or Infinity), got `"60"` (string)',
    ],
    [{ windowMs: 0 }, RangeError, 'Expected `rateLimit.windowMs` to be an integer >= 1, got `0` (number)'],
    [[], TypeError, 'Expected `rateLimit` to be an options object, got `array(0)` (array)'],
  ])('rejects bad options (%#)', (opts, Err, message) => {
    expect(() => rateLimiter(opts as never)).toThrow(new Err(message));
  });
});

describe('rateLimiter (real time): sliding windows measured at release', () => {
  it('no window of windowMs holds more than rpm request starts', async () => {
    const windowMs = 100;
    const rpm = 4;
    const rl = rateLimiter({ rpm, windowMs });
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        const lease = await rl.acquire(0);
        starts.push(performance.now());
        await new Promise((r) => setTimeout(r, 5));
        lease.release();
      }),
    );
    starts.sort((a, b) => a - b);
    let worst = 0;
    for (let i = 0; i < starts.length; i++) {
      let j = i;
      while (j < starts.length && starts[j] - starts[i] < windowMs) j++;
      worst = Math.max(worst, j - i);
    }
    expect(worst).toBeLessThanOrEqual(rpm);
    expect(starts).toHaveLength(12);
  });
});
