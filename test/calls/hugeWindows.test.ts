// Node runs a timer whose delay exceeds 2^31-1 ms (24.8 days) after 1 ms. Regression: the rate limiter's wait until
// the oldest request leaves its window passed the window to setTimeout as it was, so a limiter blocked on
// `windowMs: 2**31 + 1000` woke and re-checked every millisecond for as long as it waited.
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { _createConcurrencyGate } from '../../src/calls/concurrencyGate.js';
import { rateLimiter } from '../../src/calls/rateLimiter.js';
import { evaluate, openaiModel } from '../../src/index.js';
import { echoDataset, echoMatch } from '../cache/_fixtures.js';
import { answer, startServer } from './_misbehavingServer.js';

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

  it('the concurrency gate held for 2^31 + 1000 ms does not wake every millisecond', async () => {
    let reads = 0;
    const gate = _createConcurrencyGate({
      max: 2,
      now: () => {
        reads++;
        return Date.now();
      },
    });
    gate.holdUntil(Date.now() + LONG);
    const waiting = new AbortController();
    const held = gate.acquire(waiting.signal).catch((err: unknown) => err);
    const before = reads;
    await new Promise((r) => setTimeout(r, 60));
    expect(reads - before).toBeLessThanOrEqual(2);
    waiting.abort(new Error('done'));
    expect(await held).toMatchObject({ message: 'done' });
  });

  it('evaluate() with retry.maxWaitMs Infinity, told by a 429 that the bucket is empty for 1000 h: no timer overflow, and an abort ends it', async () => {
    // The first request empties the request bucket for 1000 h; maxWaitMs: Infinity honours that wait, so the
    // gate holds every later call until the run is aborted, 300 ms after the server answered the first (a timer
    // started before the run could fire before the first request on a loaded machine).
    const stop = new AbortController();
    const server = await startServer((_req, res, n) => {
      if (n !== 0) return answer(res);
      setTimeout(() => stop.abort(new Error('stopped by the test')), 300);
      return answer(res, 429, '{}', {
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-reset-requests': '1000h',
      });
    });
    const overflows: string[] = [];
    const onWarning = (w: Error) => {
      if (w.name === 'TimeoutOverflowWarning') overflows.push(w.message);
    };
    process.on('warning', onWarning);
    try {
      const client = new OpenAI({ baseURL: server.url, apiKey: 'x' });
      const started = performance.now();
      const r = await evaluate(echoDataset(4), openaiModel({ model: 'gpt-4o-mini', client }), [echoMatch], {
        progress: false,
        resamples: 100,
        concurrency: 1,
        retry: { maxWaitMs: Number.POSITIVE_INFINITY },
        signal: stop.signal,
      });
      expect(r.run.stoppedBy).toBe('abort');
      expect(performance.now() - started, 'the abort ends the run promptly').toBeLessThan(5000);
      expect(server.requests).toBe(1);
      expect(overflows).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      await server.close();
    }
  });
});
