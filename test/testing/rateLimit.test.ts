import OpenAI, { type APIError } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { countMockTokens, type MockServer, maxInWindow, startMockServer } from '../../src/testing/index.js';

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ask = (client: OpenAI, content: string) =>
  client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content }] });

describe('server-side rateLimit', () => {
  it('admits rpm requests per window, then answers 429 with headers until the window slides', async () => {
    // Seven requests must reach the server within the 400 ms window of the first: the SDK's and the server's
    // first request in a process is the slow one, so it is made beforehand, against a server of its own.
    const warm = await startMockServer();
    await ask(new OpenAI({ baseURL: warm.url, apiKey: 'test', maxRetries: 0 }), 'warm');
    await warm.close();
    server = await startMockServer({ rateLimit: { rpm: 5, windowMs: 400 } });
    const client = new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0 });
    const outcomes: (number | APIError)[] = [];
    for (let i = 0; i < 7; i++)
      outcomes.push(
        await ask(client, `q${i}`).then(
          () => 200,
          (e: APIError) => e,
        ),
      );
    expect(outcomes.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    const rejected = outcomes[5] as APIError;
    expect(rejected).toBeInstanceOf(OpenAI.RateLimitError);
    expect(rejected.code).toBe('rate_limit_exceeded');
    expect(rejected.type).toBe('requests');
    const retryMs = Number(rejected.headers?.get('retry-after-ms'));
    expect(retryMs).toBeGreaterThan(0);
    expect(retryMs).toBeLessThanOrEqual(400);
    expect(Number(rejected.headers?.get('retry-after'))).toBe(retryMs / 1000);
    expect(rejected.headers?.get('x-ratelimit-limit-requests')).toBe('5');
    expect(rejected.headers?.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(rejected.headers?.get('x-ratelimit-reset-requests')).toMatch(/^\d+ms$/);
    expect(server.stats.rateLimited).toBe(2);
    expect(server.stats.faults.total).toBe(0);
    expect(server.requests[5].fault).toBe('rate-limit');
    await new Promise((r) => setTimeout(r, retryMs + 20));
    expect(await ask(client, 'later').then(() => 200)).toBe(200);
  });

  it('with SDK retries every request eventually succeeds, never above rpm in any window', async () => {
    server = await startMockServer({ rateLimit: { rpm: 4, windowMs: 200 } });
    const client = new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 10 });
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => ask(client, `q${i}`)));
    expect(answers.map((a) => a.choices[0].message.content)).toEqual(
      Array.from({ length: 10 }, (_, i) => `q${i}`),
    );
    const ok = server.requests.filter((e) => e.status === 200);
    expect(ok).toHaveLength(10);
    expect(maxInWindow(ok, 200)).toBeLessThanOrEqual(4);
    expect(server.stats.rateLimited).toBeGreaterThan(0);
  });

  it('limits tokens per window: prompt tokens at admission plus completion tokens once answered', async () => {
    const text = 'one two three four five';
    const t = countMockTokens(text);
    // Each request costs t prompt + t completion (echo) tokens: after two (4t used) a third needs 5t > 4t + 2.
    expect(t).toBeGreaterThan(2);
    server = await startMockServer({ rateLimit: { tpm: 4 * t + 2, windowMs: 500 } });
    const client = new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0 });
    expect(await ask(client, text).then(() => 200)).toBe(200);
    expect(await ask(client, text).then(() => 200)).toBe(200);
    const err = (await ask(client, text).catch((e: unknown) => e)) as APIError;
    expect(err.status).toBe(429);
    expect(err.type).toBe('tokens');
    expect(err.headers?.get('x-ratelimit-limit-tokens')).toBe(String(4 * t + 2));
    expect(err.headers?.get('x-ratelimit-remaining-tokens')).toBe('2');
    const ok = server.requests.filter((e) => e.status === 200);
    expect(maxInWindow(ok, 500, (e) => e.promptTokens + e.completionTokens)).toBe(4 * t);
  });
});

describe('maxInWindow', () => {
  it('counts the busiest half-open window', () => {
    const log = [0, 100, 999, 1000, 1500, 1999].map((at) => ({ at }));
    // [0, 1000): 0, 100, 999; [999, 1999): 999, 1000, 1500; [1000, 2000): 1000, 1500, 1999.
    expect(maxInWindow(log, 1000)).toBe(3);
    expect(maxInWindow(log, 1001)).toBe(4); // [999, 2000): 999, 1000, 1500, 1999
    expect(maxInWindow(log, 1)).toBe(1);
    expect(maxInWindow(log, 5000)).toBe(6);
    expect(maxInWindow([], 1000)).toBe(0);
  });

  it('sums weights and does not depend on the order of the log', () => {
    const log = [
      { at: 50, w: 5 },
      { at: 0, w: 1 },
      { at: 120, w: 7 },
      { at: 60, w: 2 },
    ];
    expect(maxInWindow(log, 61, (e) => e.w)).toBe(7 + 2); // [60, 121)
    expect(maxInWindow(log, 60, (e) => e.w)).toBe(7); // [50, 110): 5 + 2, and [120, 180): 7
    expect(maxInWindow([...log].reverse(), 61, (e) => e.w)).toBe(9);
  });

  it('matches a brute-force count on random logs', () => {
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let trial = 0; trial < 50; trial++) {
      const log = Array.from({ length: 30 }, () => ({
        at: Math.floor(rand() * 1000),
        w: Math.floor(rand() * 5),
      }));
      const windowMs = 1 + Math.floor(rand() * 300);
      let brute = 0;
      for (const start of log) {
        const s = log
          .filter((e) => e.at >= start.at && e.at < start.at + windowMs)
          .reduce((a, e) => a + e.w, 0);
        brute = Math.max(brute, s);
      }
      expect(maxInWindow(log, windowMs, (e) => e.w)).toBe(brute);
    }
  });

  it.each([
    [0, RangeError, 'Expected `windowMs` to be a number in (0, Infinity), got `0` (number)'],
    ['1', TypeError, 'Expected `windowMs` to be a number in (0, Infinity), got `"1"` (string)'],
  ])('rejects windowMs %j', (windowMs, type, message) => {
    expect(() => maxInWindow([], windowMs as number)).toThrow(type);
    expect(() => maxInWindow([], windowMs as number)).toThrow(message);
  });
});
