// Node runs a timer whose delay exceeds 2^31-1 ms (24.8 days) after 1 ms. Regression: the rate limiter's wait until
// the oldest request leaves its window passed the window to setTimeout as it was, so a limiter blocked on
// `windowMs: 2**31 + 1000` woke and re-checked every millisecond for as long as it waited.
import { describe, expect, it } from 'vitest';
import { rateLimiter } from '../../src/calls/rateLimiter.js';

const LONG = 2 ** 31 + 1000;

describe('waits sized past 2^31-1 ms', () => {
  it('a rate limiter blocked for a window of 2^31 + 1000 ms does not wake every millisecond', async () => {
    let reads = 0;
    const limiter = rateLimiter({
      rpm: 1,
      windowMs: LONG,
      now: () => {
        reads++;
        return Date.now();
      },
    });
    (await limiter.acquire(0)).release(0);
    const waiting = new AbortController();
    const second = limiter.acquire(0, waiting.signal).catch((err: unknown) => err);
    const before = reads;
    await new Promise((r) => setTimeout(r, 60));
    // Each wake reads the clock; a timer that fires after 1 ms would have read it ~60 times by now.
    expect(reads - before).toBeLessThanOrEqual(2);
    waiting.abort(new Error('done'));
    expect(await second).toMatchObject({ message: 'done' });
  });
});
