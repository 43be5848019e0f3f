// A run aborted while its calls wait lets the process end: the waits' timers go with their last waiter.
// Regression: the concurrency gate's hold (an exhausted bucket: up to retry.maxWaitMs, 60 s) and the rate limiter's
// wake-up (up to a window, 60 s) kept their timer after every waiter had been aborted, so a script whose run was
// aborted (say on Ctrl-C) stayed alive until it fired: 60 s after evaluate() had returned.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { _createConcurrencyGate } from '../../src/calls/concurrencyGate.js';
import { rateLimiter } from '../../src/calls/rateLimiter.js';

const root = join(import.meta.dirname, '../..');

/** Timers made while `spy()` is on that have neither fired nor been cleared. */
function pendingTimers() {
  const pending = new Set<unknown>();
  const set = globalThis.setTimeout;
  const clear = globalThis.clearTimeout;
  vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
    const handle = set(() => {
      pending.delete(handle);
      fn();
    }, ms);
    pending.add(handle);
    return handle;
  }) as typeof setTimeout);
  vi.spyOn(globalThis, 'clearTimeout').mockImplementation(((handle: ReturnType<typeof setTimeout>) => {
    pending.delete(handle);
    clear(handle);
  }) as typeof clearTimeout);
  return pending;
}

afterEach(() => vi.restoreAllMocks());

describe('waits aborted by their last waiter leave no timer', () => {
  it('the concurrency gate held until a time', async () => {
    const pending = pendingTimers();
    const gate = _createConcurrencyGate({ max: 4 });
    gate.holdUntil(Date.now() + 60_000);
    const stop = new AbortController();
    const waits = [gate.acquire(stop.signal), gate.acquire(stop.signal)];
    expect(pending.size, 'the hold wakes its waiters').toBe(1);
    stop.abort(new Error('stop'));
    await Promise.allSettled(waits);
    expect(pending.size, 'timers left').toBe(0);
    // A later waiter is woken at the end of the hold all the same.
    const later = new AbortController();
    const again = gate.acquire(later.signal);
    expect(pending.size).toBe(1);
    later.abort(new Error('stop'));
    await again.catch(() => {});
    expect(pending.size).toBe(0);
  });

  it('the rate limiter waiting for its window', async () => {
    const pending = pendingTimers();
    const limiter = rateLimiter({ rpm: 1, windowMs: 60_000 });
    (await limiter.acquire(0)).release();
    const stop = new AbortController();
    const waits = [limiter.acquire(0, stop.signal), limiter.acquire(0, stop.signal)];
    expect(pending.size, 'the window wakes its waiters').toBe(1);
    stop.abort(new Error('stop'));
    await Promise.allSettled(waits);
    expect(pending.size, 'timers left').toBe(0);
  });

  it.each(['hold', 'limiter'])(
    'a process whose run was aborted in a 60 s wait (%s) ends soon after evaluate() returns',
    async (wait) => {
      const child = await promisify(execFile)(
        process.execPath,
        [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'test/calls/_abortedRunChild.ts'), wait],
        // A hang detector, not a timing: the waits were 60 s long.
        { cwd: root, timeout: 30_000 },
      ).then(
        ({ stdout }): { killed?: boolean; stdout?: string } => ({ stdout }),
        (err: { killed?: boolean; stdout?: string }) => err,
      );
      expect(child.killed ?? false, 'the process was still running 30 s after it started').toBe(false);
      const ran = JSON.parse(child.stdout?.trim().split('\n').at(-1) ?? '{}') as { stoppedBy?: string };
      expect(ran.stoppedBy).toBe('abort');
    },
    60_000,
  );
});
