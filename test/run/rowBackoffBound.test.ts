// A model that makes no call through evalgate is retried whole by the row. Regression: the back-off between its
// attempts slept on the run's signal only, unbounded by the row's clock (rowTimeoutMs): a row with rowTimeoutMs
// 300 whose first attempt failed at once with a 503 slept its full back-off (here ~minutes) before the retry,
// which then timed out at once, far past rowTimeoutMs.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { evaluate, type Metric } from '../../src/index.js';
import { HUNG, within } from '../_within.js';

const exact: Metric = { name: 'exact', kind: 'binary', score: (ctx) => (ctx.output === 'ok' ? 1 : 0) };

describe('row retry back-off', () => {
  afterEach(() => vi.restoreAllMocks());
  it('is bounded by rowTimeoutMs', async () => {
    // Full jitter draws 0.9 of the cap: a back-off of 900 000 ms (deterministic).
    vi.spyOn(Math, 'random').mockReturnValue(0.9);
    const stop = new AbortController(); // only to clean up after the test
    let attempts = 0;
    const model = async (): Promise<string> => {
      attempts++;
      throw Object.assign(new Error('service unavailable'), { status: 503 });
    };
    const started = performance.now();
    const run = evaluate([{ id: 'q', input: 'x' }], model, [exact], {
      progress: false,
      rowTimeoutMs: 300,
      maxFailureRate: 1,
      retry: { maxRetries: 1, baseMs: 1_000_000, maxMs: 1_000_000 },
      signal: stop.signal,
    });
    const r = await within(run);
    stop.abort();
    await run.catch(() => {});
    expect(
      r,
      `the run ended (rowTimeoutMs 300; ${attempts} attempt(s) after ${Math.round(performance.now() - started)} ms)`,
    ).not.toBe(HUNG);
    const { examples } = r as Awaited<typeof run>;
    expect(examples[0]!.error).toBeDefined();
  }, 10_000);
});
