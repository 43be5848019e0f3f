// End to end through evaluate() + openaiModel() against the mock server: transient faults are retried until every
// example is scored, and the result is identical to a fault-free run.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, openaiModel } from '../../src/index.js';
import { type MockServer, startMockServer } from '../../src/testing/index.js';
import { echoDataset, echoMatch, essence } from '../cache/_fixtures.js';

let faulty: MockServer;
let clean: MockServer;
beforeAll(async () => {
  faulty = await startMockServer({
    latencyMs: 2,
    // keyBy 'body': a retried request draws again, so the same request can fault several times in a row.
    faults: { rate429: 0.3, rate500: 0.05, keyBy: 'body', seed: 11, retryAfterMs: 15 },
  });
  clean = await startMockServer({ latencyMs: 2 });
});
afterAll(async () => {
  await faulty.close();
  await clean.close();
});

const run = (server: MockServer) =>
  evaluate(
    echoDataset(80),
    openaiModel({
      model: 'gpt-4o-mini',
      client: new OpenAI({ baseURL: server.url, apiKey: 'test' }),
      temperature: 0,
    }),
    [echoMatch],
    { concurrency: 16, retry: { maxRetries: 10, baseMs: 5, maxMs: 40 }, progress: false, resamples: 200 },
  );

describe('429s and 500s at the mock server', () => {
  it('30% 429 (retry-after) and 5% 500: every example scored, result identical to a fault-free run', async () => {
    const withFaults = await run(faulty);
    const without = await run(clean);
    const f = faulty.stats;
    expect(f.faults['429'], 'some 429s were injected').toBeGreaterThan(10);
    expect(f.faults['500'], 'some 500s were injected').toBeGreaterThan(0);
    expect(withFaults.nFailed).toBe(0);
    expect(withFaults.n).toBe(80);
    expect(essence(withFaults)).toEqual(essence(without));
    expect(withFaults.metrics.echo?.mean).toBe(1);
    // Each fault cost exactly one retry, and every request was counted once (the SDK's own retries are off).
    expect(withFaults.totals.retries).toBe(f.faults.total);
    expect(withFaults.totals.requests).toBe(f.byRoute['/v1/chat/completions']);
    expect(withFaults.totals.requests).toBe(80 + f.faults.total);
    expect(clean.stats.byRoute['/v1/chat/completions']).toBe(80);
  });
});
