// A limit under a name evalgate does not know is refused, not ignored. Regression: `budget`, `rateLimit` and
// `retry` read only the fields they know, so `budget: { maxCost: 0.01 }` (for `maxCostUsd`) or
// `rateLimit: { requestsPerMinute: 60 }` ran with no limit at all, spending without a word.
import { describe, expect, it } from 'vitest';
import { CallEngine } from '../../src/calls/callRuntime.js';
import { rateLimiter } from '../../src/calls/index.js';
import { evaluate } from '../../src/index.js';
import { echoDataset, echoMatch } from '../cache/_fixtures.js';

describe('a misspelled limit', () => {
  it.each([
    [{ budget: { maxCost: 0.01 } }, 'Unknown option `budget.maxCost`, got `0.01` (number)'],
    [{ budget: { maxCostUSD: 0.01 } }, 'Unknown option `budget.maxCostUSD`, got `0.01` (number)'],
    [{ budget: { maxRequest: 5 } }, 'Unknown option `budget.maxRequest`, got `5` (number)'],
    [
      { rateLimit: { requestsPerMinute: 60 } },
      'Unknown option `rateLimit.requestsPerMinute`, got `60` (number)',
    ],
    [{ rateLimit: { RPM: 60 } }, 'Unknown option `rateLimit.RPM`, got `60` (number)'],
    [{ retry: { maxRetry: 0 } }, 'Unknown option `retry.maxRetry`, got `0` (number)'],
    [{ retry: { retries: 0 } }, 'Unknown option `retry.retries`, got `0` (number)'],
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

  it('rateLimiter() and the runtime refuse it too; the known fields still pass', () => {
    expect(() => rateLimiter({ rpm: 10, tpmm: 5 } as never)).toThrow(
      new TypeError('Unknown option `rateLimit.tpmm`, got `5` (number)'),
    );
    expect(() => new CallEngine({ budget: { maxToken: 5 } as never })).toThrow(
      new TypeError('Unknown option `budget.maxToken`, got `5` (number)'),
    );
    expect(
      () =>
        new CallEngine({
          budget: { maxCostUsd: 1, maxTokens: 10, maxRequests: 2 },
          rateLimit: { rpm: 1, tpm: 10, windowMs: 5, expectedOutputTokens: 3, now: Date.now },
          retry: { maxRetries: 1, baseMs: 1, maxMs: 2, maxWaitMs: 3, maxConsecutiveConnectionFailures: 4 },
        }),
    ).not.toThrow();
  });
});
