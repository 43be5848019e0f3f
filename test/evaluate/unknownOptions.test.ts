// An option evalgate does not know is refused, not ignored. Regression: evaluate() read only the keys it knew, so
// `concurency: 2` ran at concurrency 8, and `gate: { metric, atLeast: 0.7, confidence: 0.99 }` decided at the run's
// 95% while the test said 99%, without a word.
import { describe, expect, it } from 'vitest';
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
});
