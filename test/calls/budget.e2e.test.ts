// End to end: a budget stops new calls once reached; evaluate() returns the partial result, stoppedBy 'budget'.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, openaiModel } from '../../src/index.js';
import { type MockServer, startMockServer } from '../../src/testing/index.js';
import { echoDataset, echoMatch } from '../cache/_fixtures.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer({ latencyMs: 5 });
});
afterAll(() => server.close());

const model = () =>
  openaiModel({ model: 'gpt-4o-mini', client: new OpenAI({ baseURL: server.url, apiKey: 'test' }) });
const opts = { concurrency: 4, progress: false, resamples: 100 } as const;

describe('budget through evaluate()', () => {
  it('maxRequests: exactly that many requests reach the server, and the run stops cleanly', async () => {
    server.reset();
    const r = await evaluate(echoDataset(30), model(), [echoMatch], { ...opts, budget: { maxRequests: 10 } });
    expect(server.stats.byRoute['/v1/chat/completions']).toBe(10);
    expect(r.run.stoppedBy).toBe('budget');
    expect(r.n).toBe(10);
    expect(r.nFailed).toBe(0);
    expect(r.totals.requests).toBe(10);
  });

  it('maxCostUsd: priced from the default table, stops once spent; calls in flight finish', async () => {
    server.reset();
    // Each echo call costs (prompt + completion tokens) at gpt-4o-mini prices; allow about five of them.
    const probe = await evaluate(echoDataset(1), model(), [echoMatch], opts);
    const perCall = probe.totals.costUsd;
    expect(perCall).toBeGreaterThan(0);
    server.reset();
    const r = await evaluate(echoDataset(40), model(), [echoMatch], {
      ...opts,
      budget: { maxCostUsd: perCall * 4.5 },
    });
    expect(r.run.stoppedBy).toBe('budget');
    const sent = server.stats.byRoute['/v1/chat/completions'] ?? 0;
    // At least enough calls to reach the limit, at most that plus the calls already in flight.
    expect(sent).toBeGreaterThanOrEqual(5);
    expect(sent).toBeLessThanOrEqual(5 + opts.concurrency);
    expect(r.n).toBe(sent);
    expect(r.totals.costUsd).toBeGreaterThanOrEqual(perCall * 4.5);
  });
});
