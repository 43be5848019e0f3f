import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { type MockServer, mockEmbedding, startMockServer } from '../../src/testing/index.js';

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: Parameters<typeof startMockServer>[0] = {}) {
  server = await startMockServer(options);
  return { server, client: new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0 }) };
}

describe('embedding options', () => {
  it('honours the request dimensions and a user embed function', async () => {
    const { server, client } = await start();
    const r = await client.embeddings.create({
      model: 'e',
      input: 'hello',
      dimensions: 12,
      encoding_format: 'float',
    });
    expect(r.data[0].embedding).toEqual(mockEmbedding('hello', { dimensions: 12 }));
    server.setOptions({ embed: (text) => [text.length, 0.5, -1] });
    const custom = await client.embeddings.create({ model: 'e', input: ['ab', 'abcd'] });
    expect(custom.data.map((d) => d.embedding)).toEqual([
      [2, 0.5, -1],
      [4, 0.5, -1],
    ]);
  });

  it('injects faults on embeddings too', async () => {
    const { client } = await start({ faults: () => '429' });
    await expect(client.embeddings.create({ model: 'e', input: 'x' })).rejects.toBeInstanceOf(
      OpenAI.RateLimitError,
    );
  });
});

describe('latency and logging options', () => {
  it('computes latency per request and spaces streamed chunks by streamChunkDelayMs', async () => {
    const { client } = await start({
      latencyMs: (req) => (req.lastUserMessage === 'slow' ? 120 : 0),
      respond: () => 'a b c d',
      streamChunkDelayMs: 30,
    });
    let t0 = performance.now();
    await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'slow' }] });
    const slow = performance.now() - t0;
    expect(slow, `slow request took ${slow.toFixed(1)} ms, latency 120`).toBeGreaterThanOrEqual(115);
    t0 = performance.now();
    const stream = await client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'fast' }],
      stream: true,
    });
    let chunks = 0;
    for await (const _ of stream) chunks++;
    const streamed = performance.now() - t0;
    // Every chunk but the [DONE] marker is followed by a 30 ms pause.
    const floor = chunks * 30 - 5;
    expect(
      streamed,
      `${chunks} chunks took ${streamed.toFixed(1)} ms, floor ${floor}`,
    ).toBeGreaterThanOrEqual(floor);
  });

  it('can skip bodies in the log and sends rate-limit headers on successful answers', async () => {
    const { server, client } = await start({ logBodies: false, rateLimit: { rpm: 10, tpm: 1000 } });
    const { response } = await client.chat.completions
      .create({ model: 'm', messages: [{ role: 'user', content: 'x' }] })
      .withResponse();
    expect(response.headers.get('x-ratelimit-limit-requests')).toBe('10');
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('9');
    expect(response.headers.get('x-ratelimit-limit-tokens')).toBe('1000');
    expect(Number(response.headers.get('x-ratelimit-remaining-tokens'))).toBe(
      1000 - server.requests[0].promptTokens,
    );
    expect(server.requests[0].body).toBeUndefined();
    expect(server.requests[0].stream).toBe(false);
  });
});
