// Regression (latent): raceAbort returned early when its signal was already aborted, without a handler on the
// promise it was given, so a promise that rejected was an unhandled rejection. Its one caller (single flight in
// callRuntime) passes a promise that never rejects; any other caller would have reached it.
import { describe, expect, it } from 'vitest';
import { raceAbort } from '../../src/calls/waits.js';

describe('raceAbort on an aborted signal', () => {
  it('leaves no unhandled rejection of the promise it was given', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    // vitest reports unhandled rejections itself: listen first so this test sees it, and remove afterwards.
    process.prependListener('unhandledRejection', onUnhandled);
    try {
      const c = new AbortController();
      c.abort(new Error('cancelled'));
      const work = Promise.reject(new Error('work failed'));
      await expect(raceAbort(work, c.signal)).rejects.toThrow('cancelled');
      await new Promise((r) => setTimeout(r, 50));
      // Clean up so vitest itself does not fail the run for the leaked rejection.
      work.catch(() => {});
    } finally {
      process.removeListener('unhandledRejection', onUnhandled);
    }
    expect(unhandled.map((e) => (e as Error).message)).toEqual([]);
  });
});
