import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Example, evaluate, type Metric, openaiModel } from '../../src/index.js';
import { type MockRequest, type MockServer, startMockServer } from '../../src/testing/index.js';

/** The openai this repository installs (the message names it). */
const OPENAI_VERSION = (
  JSON.parse(readFileSync(new URL('../../node_modules/openai/package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

const exact: Metric = {
  name: 'exact',
  kind: 'binary',
  score: ({ example, output }) => (output === example.reference ? 1 : 0),
};

function sums(n: number): Example[] {
  return Array.from({ length: n }, (_, i) => ({ id: `s${i}`, input: `${i}+${i}`, reference: String(2 * i) }));
}

const answer = (req: MockRequest) => {
  const m = /^(\d+)\+(\d+)$/.exec(req.lastUserMessage);
  return m ? String(Number(m[1]) + Number(m[2])) : `echo:${req.lastUserMessage}`;
};

let server: MockServer;
let client: OpenAI;

beforeAll(async () => {
  server = await startMockServer({ respond: answer });
  client = new OpenAI({ baseURL: server.url, apiKey: 'test-key' });
});
afterEach(() => {
  server.setOptions({ latencyMs: 0, faults: undefined, respond: answer });
  server.reset();
});
afterAll(async () => {
  await server.close();
});

describe('openaiModel against the mock server', () => {
  it('scores answers and records usage tokens as the server counted them', async () => {
    const r = await evaluate(sums(20), openaiModel({ client, model: 'mock-1' }), [exact], {
      progress: false,
    });
    expect(r.metrics.exact!.mean).toBe(1);
    expect(r.totals.requests).toBe(20);
    const stats = server.stats;
    expect(stats.byRoute['/v1/chat/completions']).toBe(20);
    expect(r.totals.inputTokens).toBe(stats.promptTokens);
    expect(r.totals.outputTokens).toBe(stats.completionTokens);
    const rec = r.examples[3]!;
    expect(rec.output).toBe('6');
    expect(rec.usage!.inputTokens).toBeGreaterThan(0);
    expect(rec.cached).toBe(false);
  });

  it('sends the prompt, system message and parameters as given', async () => {
    const model = openaiModel({
      client,
      model: 'mock-params',
      system: 'Be terse.',
      temperature: 0,
      max_tokens: 7,
      seed: 42,
      prompt: (ex) => `Q: ${String(ex.input)}`,
    });
    await evaluate([{ input: 'hello' }], model, [exact], { progress: false });
    const body = server.requests[0]!.body as Record<string, unknown>;
    expect(body).toMatchObject({
      model: 'mock-params',
      temperature: 0,
      max_tokens: 7,
      seed: 42,
      messages: [
        { role: 'system', content: 'Be terse.' },
        { role: 'user', content: 'Q: hello' },
      ],
    });
    expect(body).not.toHaveProperty('client');
    expect(body).not.toHaveProperty('prompt');
  });

  it('accepts { messages } inputs and a prompt returning messages', async () => {
    const ds = [{ input: { messages: [{ role: 'user', content: '1+2' }] }, reference: '3' }];
    const r = await evaluate(ds, openaiModel({ client, model: 'm' }), [exact], { progress: false });
    expect(r.examples[0]!.output).toBe('3');
    const r2 = await evaluate(
      [{ input: 5, reference: '10' }],
      openaiModel({
        client,
        model: 'm',
        prompt: (ex) => [{ role: 'user', content: `${ex.input}+${ex.input}` }],
      }),
      [exact],
      { progress: false },
    );
    expect(r2.examples[0]!.output).toBe('10');
  });

  it('returns the arguments of a forced tool call as the output', async () => {
    const model = openaiModel({
      client,
      model: 'm',
      tools: [
        {
          type: 'function',
          function: {
            name: 'answer',
            parameters: { type: 'object', properties: { value: { type: 'string' } } },
          },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'answer' } },
    });
    server.setOptions({ respond: () => '{"value":"x"}' });
    const r = await evaluate([{ input: 'q' }], model, [exact], { progress: false });
    expect(JSON.parse(r.examples[0]!.output!)).toEqual({ value: 'x' });
  });

  it.each([4, 16])('keeps at most %i requests open at the server', async (concurrency) => {
    // Long enough that every slot fills even on a loaded machine; the bound is what is tested.
    server.setOptions({ latencyMs: 300 });
    await evaluate(sums(3 * concurrency), openaiModel({ client, model: 'm' }), [exact], {
      concurrency,
      progress: false,
    });
    expect(server.stats.maxInFlight).toBeLessThanOrEqual(concurrency);
    expect(server.stats.maxInFlight).toBe(concurrency);
  });

  it('times out a hung request, aborts it at the server, and records the failure', async () => {
    server.setOptions({ faults: { decide: (req) => (req.lastUserMessage === '1+1' ? 'hang' : undefined) } });
    const r = await evaluate(sums(4), openaiModel({ client, model: 'm' }), [exact], {
      timeoutMs: 150,
      retry: { maxRetries: 0 },
      maxFailureRate: 1,
      progress: false,
    });
    expect(r.nFailed).toBe(1);
    expect(r.examples[1]!.error).toMatchObject({ name: 'TimeoutError', code: 'E_TIMEOUT' });
    expect(r.examples[1]!.error!.message).toBe('model call for example "s1" timed out after 150 ms');
    await expect.poll(() => server.requests.find((e) => e.fault === 'hang')?.aborted).toBe(true);
  });

  it('counts every attempt once: the SDK does not retry behind evalgate', async () => {
    server.setOptions({ faults: { decide: (req) => (req.lastUserMessage === '0+0' ? '500' : undefined) } });
    const r = await evaluate(sums(3), openaiModel({ client, model: 'm' }), [exact], {
      retry: { maxRetries: 2, baseMs: 1, maxMs: 2 },
      maxFailureRate: 1,
      progress: false,
    });
    // 3 attempts for s0 (1 + 2 retries) and 1 each for the others: nothing more reached the server.
    expect(server.stats.byRoute['/v1/chat/completions']).toBe(5);
    expect(r.examples[0]!.error).toMatchObject({ name: 'InternalServerError', status: 500 });
    expect(r.totals.retries).toBe(2);
  });

  it('recovers from 429s with retry-after and records the retries', async () => {
    server.setOptions({ faults: { rate429: 0.3, seed: 3, faultOnce: true, retryAfterMs: 5 } });
    const r = await evaluate(sums(30), openaiModel({ client, model: 'm' }), [exact], {
      retry: { baseMs: 1, maxMs: 10 },
      progress: false,
    });
    expect(r.nFailed).toBe(0);
    expect(r.metrics.exact!.mean).toBe(1);
    expect(server.stats.faults['429']).toBeGreaterThan(0);
    expect(r.totals.retries).toBe(server.stats.faults['429']);
    expect(r.examples.reduce((sum, e) => sum + e.retries, 0)).toBe(r.totals.retries);
  });

  it('reads OPENAI_BASE_URL and OPENAI_API_KEY when no client is given', async () => {
    const saved = { url: process.env.OPENAI_BASE_URL, key: process.env.OPENAI_API_KEY };
    process.env.OPENAI_BASE_URL = server.url;
    process.env.OPENAI_API_KEY = 'envkey';
    try {
      const r = await evaluate(sums(2), openaiModel({ model: 'm' }), [exact], { progress: false });
      expect(r.metrics.exact!.mean).toBe(1);
      expect(server.requests[0]!.apiKeyHint).toBe('envkey');
    } finally {
      for (const [k, v] of [
        ['OPENAI_BASE_URL', saved.url],
        ['OPENAI_API_KEY', saved.key],
      ] as const)
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
  });

  it('sends one request per trial', async () => {
    const r = await evaluate(sums(3), openaiModel({ client, model: 'm', temperature: 1 }), [exact], {
      trials: 4,
      progress: false,
    });
    expect(r.n).toBe(12);
    expect(server.stats.byRoute['/v1/chat/completions']).toBe(12);
  });

  it('works outside evaluate() with a context of its own', async () => {
    const model = openaiModel({ client, model: 'm' });
    const out = await model('2+3', {
      example: { id: 'x', input: '2+3' },
      trial: 0,
      signal: new AbortController().signal,
      call: () => Promise.reject(new Error('not in a run')),
    });
    expect(out).toMatchObject({ output: '5' });
  });

  it.each([
    [{}, 'Expected `model` to be a non-empty string, got `undefined` (undefined)'],
    [{ model: '' }, 'Expected `model` to be a non-empty string, got `""` (string)'],
    [{ model: 'm', prompt: 'hi' }, 'Expected `prompt` to be a function, got `"hi"` (string)'],
    [
      { model: 'm', client: {} },
      `Expected \`client\` to be an OpenAI client (openai ^6.0.0 || ^7.0.0) with a \`chat.completions.create\` method, got \`object\` (object) without it (installed: openai ${OPENAI_VERSION})`,
    ],
  ])('rejects bad options %j', (options, message) => {
    expect(() => openaiModel(options as never)).toThrow(new TypeError(message));
  });
});
