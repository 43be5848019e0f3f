import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { MockFault } from '../../src/testing/index.js';
import { mockServers } from './_mockServers.js';

const start = mockServers();

const ask = (client: OpenAI) =>
  client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });

// A fault function is user code: what it returns is not checked by the compiler when it comes from JSON or
// a cast. An unknown type used to leave the request open forever (stats counted `faults.timeout = NaN`), and
// `{ type: '500', status: 200 }` answered 200 with an error body the SDK read as a completion.
describe('a fault function that returns an invalid fault', () => {
  it.each([
    ['an unknown type', 'timeout', /fault.*type.*"timeout"/],
    ['an object with an unknown type', { type: 'slow' }, /fault.*type.*"slow"/],
    ['a 500 with status 200', { type: '500', status: 200 }, /status.*200/],
    ['a 500 with status 404', { type: '500', status: 404 }, /status.*404/],
    ['a 500 with a fractional status', { type: '500', status: 502.5 }, /status.*502\.5/],
    ['a 429 with a negative retryAfterMs', { type: '429', retryAfterMs: -1 }, /retryAfterMs.*-1/],
    ['a 429 with a NaN retryAfterMs', { type: '429', retryAfterMs: Number.NaN }, /retryAfterMs.*NaN/],
    ['a non-string message', { type: '500', message: 42 }, /message.*42/],
  ])(
    '%s gets a prompt 500 naming the problem, not a hang or a fake success',
    async (_name, fault, pattern) => {
      const server = await start({ faults: () => fault as unknown as MockFault });
      const client = new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0, timeout: 3000 });
      const err = (await ask(client).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
      expect(err).toBeInstanceOf(OpenAI.InternalServerError);
      expect(err.message).toMatch(pattern);
      expect((err.error as { code?: unknown }).code).toBe('mock_function_error');
      expect(Object.values(server.stats.faults).every((n) => Number.isInteger(n))).toBe(true);
      expect(server.stats.faults.total).toBe(0);
    },
  );

  it('the same check applies to an answer that returns a fault and to faults.decide', async () => {
    const server = await start({ respond: () => ({ fault: 'boom' as never }) });
    const client = new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0, timeout: 3000 });
    const a = (await ask(client).catch((e: unknown) => e)) as Error;
    expect(a).toBeInstanceOf(OpenAI.InternalServerError);
    expect(a.message).toMatch(/type.*"boom"/);
    server.setOptions({ respond: undefined, faults: { decide: () => ({ type: '500', status: 600 }) } });
    const b = (await ask(client).catch((e: unknown) => e)) as Error;
    expect(b).toBeInstanceOf(OpenAI.InternalServerError);
    expect(b.message).toMatch(/status.*600/);
  });
});
