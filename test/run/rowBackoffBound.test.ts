// a model that makes no call through evalgate is retried whole by the row, and the back-off between its
// attempts sleeps on the run's signal only: the row's clock (rowTimeoutMs) does not bound it. A row with
// rowTimeoutMs 300 whose first attempt fails at once with a 503 then sleeps its full back-off (here ~minutes)
// before the retry, which then times out at once: the run ends far past rowTimeoutMs.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { evaluate, type Metric } from '../../src/index.js';

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
    const hung = Symbol('hung');
    const started = performance.now();
    const run = evaluate([{ id: 'q', input: 'x' }], model, [exact], {
      progress: false,
      rowTimeoutMs: 300,
      maxFailureRate: 1,
      retry: { maxRetries: 1, baseMs: 1_000_000, maxMs: 1_000_000 },
      signal: stop.signal,
    });
    const r = await Promise.race([run, new Promise((resolve) => setTimeout(() => resolve(hung), 5_000))]);
    stop.abort();
    await run.catch(() => {});
    expect(
      r,
      `the run ended (rowTimeoutMs 300; ${attempts} attempt(s) after ${Math.round(performance.now() - started)} ms)`,
    ).not.toBe(hung);
    const { examples } = r as Awaited<typeof run>;
    expect(examples[0]!.error).toBeDefined();
  }, 10_000);
});
