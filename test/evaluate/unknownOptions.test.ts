// An option evalgate does not know is refused, not ignored. Regression: evaluate() read only the keys it knew, so
// `concurency: 2` ran at concurrency 8, and `gate: { metric, atLeast: 0.7, confidence: 0.99 }` decided at the run's
// 95% while the test said 99%, without a word. Inside `cache` and `cluster` too: `cache: { store, mdoe: 'replay' }`
// ran read-write (every row sent and paid for where an offline replay was asked), and `cluster: { …,
// heartbeatTimeoutMS: 60_000 }` kept the 10 s default.
import { describe, expect, it } from 'vitest';
import { memoryCache } from '../../src/cache/index.js';
import type { ModelContext } from '../../src/core/types.js';
import { evaluate } from '../../src/index.js';
import { echoDataset, echoMatch } from '../cache/_fixtures.js';

describe('an option evalgate does not know', () => {
  it.each([
    [{ concurency: 2 }, 'Unknown option `concurency`, got `2` (number)'],
    [{ timeout: 1000 }, 'Unknown option `timeout`, got `1000` (number)'],
    [{ confidenceLevel: 0.99 }, 'Unknown option `confidenceLevel`, got `0.99` (number)'],
    [
      { gate: { metric: 'echo', atLeast: 0.5, confidence: 0.99 } },
      'Unknown option `gate.confidence`, got `0.99` (number)',
    ],
    [{ gate: { metric: 'echo', atleast: 0.5 } }, 'Unknown option `gate.atleast`, got `0.5` (number)'],
    [{ progress: { interval: 100 } }, 'Unknown option `progress.interval`, got `100` (number)'],
    [
      { cache: { store: memoryCache(), mdoe: 'replay' } },
      'Unknown option `cache.mdoe`, got `"replay"` (string)',
    ],
    [
      { cluster: { redis: 'redis://127.0.0.1:1', task: './task.ts', heartbeatTimeoutMS: 60_000 } },
      'Unknown option `cluster.heartbeatTimeoutMS`, got `60000` (number)',
    ],
    [
      { cluster: { redis: 'redis://127.0.0.1:1', task: './task.ts', chunksize: 8 } },
      'Unknown option `cluster.chunksize`, got `8` (number)',
    ],
  ])('evaluate() refuses %o before any row runs', async (options, message) => {
    let rows = 0;
    const model = async (input: unknown) => {
      rows++;
      return String(input);
    };
    const err = await evaluate(echoDataset(3), model, [echoMatch], {
      progress: false,
      resamples: 100,
      ...(options as object),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toBe(message);
    expect(rows).toBe(0);
  });

  it('every documented option is still accepted', async () => {
    const r = await evaluate(echoDataset(3), async (x) => String(x), [echoMatch], {
      concurrency: 2,
      timeoutMs: 1000,
      rowTimeoutMs: 5000,
      metricTimeoutMs: 5000,
      retry: { maxRetries: 1 },
      trials: 1,
      seed: 3,
      confidence: 0.9,
      resamples: 100,
      signal: new AbortController().signal,
      progress: { intervalMs: 1000, everyPercent: 50 },
      onResult: () => {},
      maxFailureRate: 0.5,
      segmentBy: 'category',
      trajectory: false,
      gate: { metric: 'echo', atLeast: 0.1 },
      shuffled: false,
    });
    expect(r.n).toBeGreaterThan(0);
  });

  it('a cache given as { store, mode } still runs in that mode', async () => {
    const store = memoryCache();
    let sent = 0;
    const model = async (input: unknown, ctx: ModelContext) =>
      String(
        (
          await ctx.call({ request: { input } }, async () => {
            sent++;
            return { value: `a${String(input)}` };
          })
        ).value,
      );
    await evaluate(echoDataset(3), model, [echoMatch], {
      progress: false,
      cache: { store, mode: 'read-write' },
    });
    await evaluate(echoDataset(3), model, [echoMatch], { progress: false, cache: { store, mode: 'replay' } });
    expect(sent).toBe(3);
  });
});
