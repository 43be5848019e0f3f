// `totals.cacheMisses` counted calls the budget refused: a run with `budget.maxRequests: 4` over 8 uncached
// calls reported 8 misses, 4 sent. A miss is a call that looked in the cache and then went to the network, so
// in a run without retries the server's request count is the number of misses, and hits + misses are the calls
// the cache answered or sent on.
import fc from 'fast-check';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryCache } from '../../src/cache/index.js';
import { evaluate, openaiModel } from '../../src/index.js';
import { type MockServer, startMockServer } from '../../src/testing/index.js';
import { echoDataset, echoMatch } from '../cache/_fixtures.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer({ latencyMs: 1 });
});
afterAll(() => server.close());

const model = () =>
  openaiModel({ model: 'gpt-4o-mini', client: new OpenAI({ baseURL: server.url, apiKey: 'test' }) });
const sent = () => server.stats.byRoute['/v1/chat/completions'] ?? 0;

describe('cacheMisses in a budget-stopped run', () => {
  it('maxRequests 4 over 8 uncached calls: 4 sent, 4 misses; the rerun: 4 hits, 4 more sent, 4 misses', async () => {
    const cache = memoryCache();
    server.reset();
    const opts = {
      concurrency: 2,
      progress: false,
      resamples: 100,
      cache,
      budget: { maxRequests: 4 },
    } as const;
    const first = await evaluate(echoDataset(8), model(), [echoMatch], opts);
    expect(first.run.stoppedBy).toBe('budget');
    expect(sent()).toBe(4);
    expect(first.totals.requests).toBe(4);
    expect(first.totals.cacheMisses).toBe(4);
    expect(first.totals.cacheHits).toBe(0);
    server.reset();
    const second = await evaluate(echoDataset(8), model(), [echoMatch], opts);
    expect(sent()).toBe(4);
    expect(second.totals.cacheHits).toBe(4);
    expect(second.totals.cacheMisses).toBe(4);
    expect(second.totals.cacheHits + second.totals.cacheMisses).toBe(8);
  });

  it('property: the server sees exactly cacheMisses requests, whatever the budget and concurrency (seeded)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 4 }),
        async (n, maxRequests, concurrency) => {
          server.reset();
          const r = await evaluate(echoDataset(n), model(), [echoMatch], {
            concurrency,
            progress: false,
            resamples: 50,
            cache: memoryCache(),
            budget: { maxRequests },
          });
          expect(r.totals.cacheMisses).toBe(sent());
          expect(r.totals.cacheMisses).toBe(Math.min(n, maxRequests));
          expect(r.totals.requests).toBe(sent());
        },
      ),
      { seed: 2224, numRuns: 120 },
    );
  });

  // The case the property shrank to before the fix: 2 rows, maxRequests 1, one at a time reported 2 misses.
  it('2 uncached calls, maxRequests 1, concurrency 1: 1 sent, 1 miss', async () => {
    server.reset();
    const r = await evaluate(echoDataset(2), model(), [echoMatch], {
      concurrency: 1,
      progress: false,
      resamples: 50,
      cache: memoryCache(),
      budget: { maxRequests: 1 },
    });
    expect(sent()).toBe(1);
    expect(r.totals.cacheMisses).toBe(1);
  });
});
