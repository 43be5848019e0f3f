// End to end: the run's RPM / TPM limits hold at the mock server in every sliding window, for the model under
// test and a judge-like metric together (one limiter per run), and for two runs sharing one limiter.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimiter } from '../../src/calls/index.js';
import { evaluate, type Metric, openaiModel } from '../../src/index.js';
import { type MockServer, maxInWindow, startMockServer } from '../../src/testing/index.js';
import { echoDataset, echoMatch } from '../cache/_fixtures.js';

// Window shortened to 1 s so the test runs in seconds; the limiter's semantics do not depend on its length.
const windowMs = 1000;
let server: MockServer;
let client: OpenAI;
beforeAll(async () => {
  server = await startMockServer({ latencyMs: (r) => 5 + (r.index % 7) * 4 });
  client = new OpenAI({ baseURL: server.url, apiKey: 'test' });
});
afterAll(() => server.close());

/** A metric that asks the model again through the run's runtime, like a judge. */
const judge: Metric = {
  name: 'judge',
  kind: 'binary',
  async score({ output, signal, call }) {
    if (!call) throw new Error('no call');
    const request = {
      model: 'gpt-4o-mini',
      max_tokens: 8,
      messages: [{ role: 'user' as const, content: `Grade: ${output}` }],
    };
    const r = await call<string>({ kind: 'judge', request }, async (s) => {
      const res = await client.chat.completions.create(request, { signal: s });
      return {
        value: res.choices[0]?.message.content ?? '',
        usage: {
          inputTokens: res.usage?.prompt_tokens ?? 0,
          outputTokens: res.usage?.completion_tokens ?? 0,
        },
      };
    });
    void signal;
    return r.value.startsWith('Grade:') ? 1 : 0;
  },
};

const log = () => server.requests.filter((e) => e.route === '/v1/chat/completions');
const tokens = (e: { promptTokens: number; completionTokens: number }) => e.promptTokens + e.completionTokens;

describe('global rate limits measured at the mock server', () => {
  it('no window exceeds rpm or tpm (model + judge calls, retries included)', async () => {
    server.reset();
    const rpm = 12;
    const tpm = 260;
    const result = await evaluate(
      echoDataset(24),
      openaiModel({ model: 'gpt-4o-mini', client, max_tokens: 8 }),
      [echoMatch, judge],
      { concurrency: 16, rateLimit: { rpm, tpm, windowMs }, progress: false, resamples: 100 },
    );
    expect(result.nFailed).toBe(0);
    expect(result.metrics.judge?.mean).toBe(1);
    const entries = log();
    expect(entries).toHaveLength(48);
    expect(maxInWindow(entries, windowMs), 'requests in any window').toBeLessThanOrEqual(rpm);
    expect(maxInWindow(entries, windowMs, tokens), 'tokens in any window').toBeLessThanOrEqual(tpm);
    // The limit binds: 48 requests at 12 per window cannot finish in under 3 windows.
    const span = (entries.at(-1)?.at ?? 0) - (entries[0]?.at ?? 0);
    expect(span).toBeGreaterThanOrEqual(3 * windowMs);
  });

  it('tpm alone binds: tokens estimated before the call, reconciled after, never over in any window', async () => {
    server.reset();
    const tpm = 120;
    const result = await evaluate(
      echoDataset(30),
      openaiModel({ model: 'gpt-4o-mini', client, max_tokens: 8 }),
      [echoMatch],
      { concurrency: 16, rateLimit: { tpm, windowMs }, progress: false, resamples: 100 },
    );
    expect(result.nFailed).toBe(0);
    const entries = log();
    expect(entries).toHaveLength(30);
    const total = entries.reduce((a, e) => a + tokens(e), 0);
    expect(total, 'the run needs more than one window of tokens').toBeGreaterThan(tpm);
    expect(maxInWindow(entries, windowMs, tokens)).toBeLessThanOrEqual(tpm);
    const span = (entries.at(-1)?.at ?? 0) - (entries[0]?.at ?? 0);
    expect(span).toBeGreaterThanOrEqual(windowMs);
  });

  it("the provider's own 429s (retry-after, x-ratelimit-*) are honoured until every example is scored", async () => {
    const limited = await startMockServer({ rateLimit: { rpm: 8, windowMs: 400 } });
    try {
      const result = await evaluate(
        echoDataset(20),
        openaiModel({ model: 'gpt-4o-mini', client: new OpenAI({ baseURL: limited.url, apiKey: 'test' }) }),
        [echoMatch],
        { concurrency: 8, retry: { maxRetries: 8, baseMs: 10, maxMs: 100 }, progress: false, resamples: 100 },
      );
      expect(result.nFailed).toBe(0);
      expect(result.metrics.echo?.mean).toBe(1);
      const s = limited.stats;
      expect(s.rateLimited, 'the server did push back').toBeGreaterThan(0);
      expect(s.byStatus['200']).toBe(20);
      // Honouring retry-after and the exhausted-bucket reset keeps the rejections few: without them, 8 callers
      // retrying on a short back-off would be rejected many times over.
      expect(s.rateLimited).toBeLessThanOrEqual(result.totals.retries);
      expect(s.rateLimited).toBeLessThan(20);
    } finally {
      await limited.close();
    }
  });

  it('two concurrent runs sharing one limiter stay under it together', async () => {
    server.reset();
    const shared = rateLimiter({ rpm: 10, windowMs });
    const opts = { concurrency: 8, rateLimit: shared, progress: false, resamples: 100 } as const;
    const model = openaiModel({ model: 'gpt-4o-mini', client });
    const [a, b] = await Promise.all([
      evaluate(echoDataset(15, 'alpha'), model, [echoMatch], opts),
      evaluate(echoDataset(15, 'beta'), model, [echoMatch], opts),
    ]);
    expect(a.nFailed + b.nFailed).toBe(0);
    expect(log()).toHaveLength(30);
    expect(maxInWindow(log(), windowMs)).toBeLessThanOrEqual(10);
  });
});
