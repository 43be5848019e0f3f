import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RetryPolicy } from '../../src/calls/retryPolicy.js';

/** An error the policy retries (a 503) and one it never retries (a 400). */
const transient = () => Object.assign(new Error('unavailable'), { status: 503 });
const permanent = () => Object.assign(new Error('bad request'), { status: 400 });

/** A policy whose waits are recorded, not slept. */
function recorded(options: ConstructorParameters<typeof RetryPolicy>[0], random = () => 0.5) {
  const waits: number[] = [];
  const policy = new RetryPolicy(options, { sleep: async (ms) => void waits.push(ms), random });
  return { policy, waits };
}

describe('RetryPolicy: the one retry loop (runtime attempts and whole-model row retries)', () => {
  it('makes at most maxRetries + 1 attempts, waits once between each, and throws the last error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 12 }),
        async (maxRetries, failures) => {
          const { policy, waits } = recorded({ maxRetries, baseMs: 10, maxMs: 1000 });
          let attempts = 0;
          const run = policy.run(async (n) => {
            expect(n).toBe(attempts);
            attempts++;
            if (n < failures) throw transient();
            return n;
          });
          if (failures <= maxRetries) {
            expect(await run).toBe(failures);
            expect(attempts).toBe(failures + 1);
          } else {
            await expect(run).rejects.toMatchObject({ status: 503 });
            expect(attempts).toBe(maxRetries + 1);
          }
          expect(waits.length).toBe(attempts - 1);
        },
      ),
      { seed: 20, numRuns: 300 },
    );
  });

  it('draws each wait in [0, min(maxMs, baseMs * 2^attempt)) (full jitter)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        async (maxRetries, baseMs, maxMs, u) => {
          const { policy, waits } = recorded({ maxRetries, baseMs, maxMs }, () => u);
          await policy
            .run(async () => {
              throw transient();
            })
            .catch(() => {});
          expect(waits.length).toBe(maxRetries);
          waits.forEach((w, n) => {
            const cap = Math.min(maxMs, baseMs * 2 ** n);
            expect(w).toBeGreaterThanOrEqual(0);
            expect(w === 0 || w < cap).toBe(true);
            expect(w).toBe(cap * u);
          });
        },
      ),
      { seed: 21, numRuns: 300 },
    );
  });

  it('never retries a permanent error, nor one the caller refuses; onRetry counts each retry', async () => {
    const { policy, waits } = recorded({ maxRetries: 5 });
    let attempts = 0;
    await expect(
      policy.run(async () => {
        attempts++;
        throw permanent();
      }),
    ).rejects.toMatchObject({ status: 400 });
    expect(attempts).toBe(1);

    let retries = 0;
    attempts = 0;
    await expect(
      policy.run(
        async () => {
          attempts++;
          throw transient();
        },
        { canRetry: (_err, n) => n < 2, onRetry: () => void retries++ },
      ),
    ).rejects.toMatchObject({ status: 503 });
    expect(attempts).toBe(3);
    expect(retries).toBe(2);
    expect(waits.length).toBe(2);
  });

  it('waits what delayMs asks (a provider longer than the back-off), and a failing wait ends the loop with its error', async () => {
    const { policy, waits } = recorded({ maxRetries: 2, baseMs: 10, maxMs: 10 });
    await expect(
      policy.run(
        async () => {
          throw transient();
        },
        { delayMs: (backoff) => Math.max(2000, backoff) },
      ),
    ).rejects.toMatchObject({ status: 503 });
    expect(waits).toEqual([2000, 2000]);

    const stop = new Error('stopped while waiting');
    let attempts = 0;
    await expect(
      policy.run(
        async () => {
          attempts++;
          throw transient();
        },
        { wait: async () => Promise.reject(stop) },
      ),
    ).rejects.toBe(stop);
    expect(attempts).toBe(1);
  });

  it('sleeps on the given signal by default: an abort ends the wait with the abort reason', async () => {
    const policy = new RetryPolicy(
      { maxRetries: 3, baseMs: 60_000, maxMs: 60_000 },
      { random: () => 1 - 1e-9 },
    );
    const controller = new AbortController();
    const reason = new Error('cancelled');
    const run = policy.run(
      async () => {
        throw transient();
      },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(reason), 10);
    await expect(run).rejects.toBe(reason);
  });

  it('checks its options once, naming the option', () => {
    expect(() => new RetryPolicy({ maxRetries: -1 })).toThrow(/retry\.maxRetries/);
    expect(() => new RetryPolicy({ baseMs: Number.NaN })).toThrow(/retry\.baseMs/);
    expect(() => new RetryPolicy({ maxConsecutiveConnectionFailures: 0 })).toThrow(
      /retry\.maxConsecutiveConnectionFailures/,
    );
    const p = new RetryPolicy(undefined);
    expect([p.maxRetries, p.baseMs, p.maxMs, p.maxWaitMs, p.maxConsecutiveConnectionFailures]).toEqual([
      3, 500, 30_000, 60_000, 10,
    ]);
  });
});
