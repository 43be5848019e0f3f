import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { countMockTokens, mockEmbedding, startMockServer } from '../../src/testing/index.js';

const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);
const relClose = (got: number, want: number) => Math.abs(got - want) <= 1e-9 * Math.abs(want);

describe('mockEmbedding', () => {
  it('is deterministic, unit-length and of the requested size', () => {
    const a = mockEmbedding('The cat sat on the mat', { dimensions: 48 });
    expect(a).toHaveLength(48);
    expect(mockEmbedding('The cat sat on the mat', { dimensions: 48 })).toEqual(a);
    expect(relClose(Math.hypot(...a), 1)).toBe(true);
    expect(mockEmbedding('THE CAT sat on the mat!', { dimensions: 48 })).toEqual(a); // case and punctuation ignored
    expect(mockEmbedding('')).toEqual([1, ...new Array(63).fill(0)]);
  });

  it('gives texts that share words a higher cosine than unrelated texts', () => {
    const base = mockEmbedding('the cat sat on the mat', { dimensions: 256 });
    const near = mockEmbedding('a cat sat on a mat', { dimensions: 256 });
    const far = mockEmbedding('quarterly revenue grew sharply', { dimensions: 256 });
    expect(cosine(base, near)).toBeGreaterThan(0.5);
    expect(cosine(base, near)).toBeGreaterThan(cosine(base, far) + 0.3);
  });

  it.each([
    [{ dimensions: 0 }, RangeError, 'Expected `dimensions` to be an integer >= 1, got `0` (number)'],
    [{ dimensions: 2.5 }, RangeError, 'Expected `dimensions` to be an integer >= 1, got `2.5` (number)'],
    [{ dimensions: '8' }, TypeError, 'Expected `dimensions` to be an integer >= 1, got `"8"` (string)'],
  ])('rejects %j', (options, type, message) => {
    expect(() => mockEmbedding('x', options as { dimensions: number })).toThrow(type);
    expect(() => mockEmbedding('x', options as { dimensions: number })).toThrow(message);
  });

  it('rejects a non-string text', () => {
    expect(() => mockEmbedding(3 as unknown as string)).toThrow(
      new TypeError('Expected `text` to be a string, got `3` (number)'),
    );
  });
});

describe('countMockTokens', () => {
  it('counts o200k_base tokens of text and sums message texts without overhead', () => {
    expect(countMockTokens('')).toBe(0);
    expect(countMockTokens('hello world')).toBe(2);
    const messages = [
      { role: 'system', content: 'Be brief.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'hello' },
          { type: 'text', text: 'world' },
        ],
      },
    ];
    expect(countMockTokens(messages)).toBe(countMockTokens('Be brief.') + countMockTokens('hello\nworld'));
  });
});

describe('startMockServer options', () => {
  it.each([
    [{ port: -1 }, RangeError, 'Expected `port` to be an integer >= 0 and <= 65535, got `-1` (number)'],
    [
      { latencyMs: -5 },
      RangeError,
      'Expected `latencyMs` to be a number in [0, Infinity), got `-5` (number)',
    ],
    [
      { latencyMs: '5' },
      TypeError,
      'Expected `latencyMs` to be a number in [0, Infinity), got `"5"` (string)',
    ],
    [
      { faults: { rate429: 1.5 } },
      RangeError,
      'Expected `faults.rate429` to be a number in [0, 1], got `1.5` (number)',
    ],
    [
      { faults: { rate429: 0.75, rate500: 0.5 } },
      RangeError,
      'Expected the `faults` rates to sum to at most 1, got `1.25` (number)',
    ],
    [
      { faults: { keyBy: 'order' } },
      TypeError,
      "Expected `faults.keyBy` to be one of 'index' | 'body', got `\"order\"` (string)",
    ],
    [
      { rateLimit: { rpm: 0 } },
      RangeError,
      'Expected `rateLimit.rpm` to be an integer >= 1, got `0` (number)',
    ],
    [{ respond: 'Paris' }, TypeError, 'Expected `respond` to be a function, got `"Paris"` (string)'],
    [{ table: { a: 1 } }, TypeError, 'Expected `table["a"]` to be a string, got `1` (number)'],
    [
      { embeddingDimensions: 0 },
      RangeError,
      'Expected `embeddingDimensions` to be an integer >= 1, got `0` (number)',
    ],
    [{ latency: 5 }, TypeError, 'Unknown option `options.latency`, got `5` (number)'],
    ['fast', TypeError, 'Expected `options` to be an options object, got `"fast"` (string)'],
  ])('rejects %j', async (options, type, message) => {
    const attempt = startMockServer(options as Parameters<typeof startMockServer>[0]);
    await expect(attempt).rejects.toThrow(type);
    await expect(startMockServer(options as Parameters<typeof startMockServer>[0])).rejects.toThrow(message);
  });

  it('setOptions changes behaviour mid-test, validates, and clears fields set to undefined', async () => {
    const server = await startMockServer({ table: { q: 'table answer' } });
    try {
      const client = new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0 });
      const ask = async () =>
        (await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'q' }] }))
          .choices[0].message.content;
      expect(await ask()).toBe('table answer');
      server.setOptions({ respond: (req) => `latency-checked ${req.lastUserMessage}`, latencyMs: () => 1 });
      expect(await ask()).toBe('latency-checked q');
      server.setOptions({ respond: undefined });
      expect(await ask()).toBe('table answer');
      expect(() => server.setOptions({ latencyMs: -1 })).toThrow(
        'Expected `latencyMs` to be a number in [0, Infinity), got `-1` (number)',
      );
      expect(() => server.setOptions({ port: 1 } as never)).toThrow(TypeError);
    } finally {
      await server.close();
    }
  });

  it('listens on the given host and port', async () => {
    const first = await startMockServer();
    const port = first.port;
    await first.close();
    const server = await startMockServer({ port, host: '127.0.0.1' });
    try {
      expect(server.port).toBe(port);
      expect(server.url).toBe(`http://127.0.0.1:${port}/v1`);
      const res = await fetch(`${server.url}/models`);
      expect(res.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('redacts long API keys in the log and records that a key was sent', async () => {
    const server = await startMockServer();
    try {
      const client = new OpenAI({
        baseURL: server.url,
        apiKey: 'sk-proj-abcdefghijklmnop1234',
        maxRetries: 0,
      });
      await client.embeddings.create({ model: 'e', input: 'x' });
      const entry = server.requests[0];
      expect(entry.hasApiKey).toBe(true);
      expect(entry.apiKeyHint).toBe('sk-...1234');
      expect(JSON.stringify(server.requests)).not.toContain('abcdefghijklmnop');
      const res = await fetch(`${server.url}/models`);
      expect(res.status).toBe(200);
      expect(server.requests[1].hasApiKey).toBe(false);
      expect(server.requests[1].apiKeyHint).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});
