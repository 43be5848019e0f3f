import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { countMockTokens, type MockServer, mockEmbedding, startMockServer } from '../../src/testing/index.js';

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: Parameters<typeof startMockServer>[0] = {}) {
  server = await startMockServer(options);
  const client = new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0 });
  return { server, client };
}

const user = (content: string) => [{ role: 'user' as const, content }];

describe('startMockServer: chat completions', () => {
  it('answers in the ChatCompletion wire format, from the table, with tokenizer usage', async () => {
    const { server, client } = await start({ table: { 'Capital of France?': 'Paris' } });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/v1`);
    const r = await client.chat.completions.create({
      model: 'mock-model',
      messages: [{ role: 'system', content: 'Be brief.' }, ...user('Capital of France?')],
    });
    expect(r.object).toBe('chat.completion');
    expect(r.id).toMatch(/^chatcmpl-/);
    expect(r.model).toBe('mock-model');
    expect(Number.isInteger(r.created)).toBe(true);
    expect(r.choices).toHaveLength(1);
    const choice = r.choices[0];
    expect(choice.index).toBe(0);
    expect(choice.finish_reason).toBe('stop');
    expect(choice.logprobs).toBeNull();
    expect(choice.message.role).toBe('assistant');
    expect(choice.message.content).toBe('Paris');
    expect(choice.message.refusal).toBeNull();
    expect(choice.message.tool_calls).toBeUndefined();
    const prompt = countMockTokens('Be brief.') + countMockTokens('Capital of France?');
    expect(r.usage?.prompt_tokens).toBe(prompt);
    expect(r.usage?.completion_tokens).toBe(countMockTokens('Paris'));
    expect(r.usage?.total_tokens).toBe(prompt + countMockTokens('Paris'));
  });

  it('echoes the last user message by default and uses a configured fallback string', async () => {
    const { server, client } = await start();
    const echo = await client.chat.completions.create({ model: 'm', messages: user('say this back') });
    expect(echo.choices[0].message.content).toBe('say this back');
    server.setOptions({ fallback: 'I do not know' });
    const other = await client.chat.completions.create({ model: 'm', messages: user('anything') });
    expect(other.choices[0].message.content).toBe('I do not know');
  });

  it('streams SSE chunks that concatenate to the answer, ending with a usage chunk', async () => {
    const { client } = await start({ respond: () => 'The quick brown fox jumps over the lazy dog.' });
    const stream = await client.chat.completions.create({
      model: 'm',
      messages: user('go'),
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let chunks = 0;
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      chunks++;
      expect(chunk.object).toBe('chat.completion.chunk');
      for (const c of chunk.choices) {
        text += c.delta.content ?? '';
        if (c.finish_reason) finish = c.finish_reason;
      }
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('The quick brown fox jumps over the lazy dog.');
    expect(chunks).toBeGreaterThan(3);
    expect(finish).toBe('stop');
    expect(usage?.completion_tokens).toBe(countMockTokens(text));
    expect(usage?.prompt_tokens).toBe(countMockTokens('go'));
  });
});

describe('startMockServer: embeddings', () => {
  it('returns the same vectors through the SDK base64 default and encoding_format float', async () => {
    const { client } = await start({ embeddingDimensions: 32 });
    const texts = ['the cat sat on the mat', 'a dog barked'];
    const viaBase64 = await client.embeddings.create({ model: 'mock-embedding', input: texts });
    const viaFloat = await client.embeddings.create({
      model: 'mock-embedding',
      input: texts,
      encoding_format: 'float',
    });
    expect(viaBase64.object).toBe('list');
    expect(viaBase64.data).toHaveLength(2);
    expect(viaBase64.usage.prompt_tokens).toBe(countMockTokens(texts[0]) + countMockTokens(texts[1]));
    for (let i = 0; i < texts.length; i++) {
      const a = viaBase64.data[i].embedding;
      const b = viaFloat.data[i].embedding;
      expect(viaBase64.data[i].index).toBe(i);
      expect(a).toHaveLength(32);
      expect(b).toEqual(mockEmbedding(texts[i], { dimensions: 32 }));
      // base64 carries float32: equal to the float path within float32 rounding.
      for (let j = 0; j < 32; j++) expect(a[j]).toBe(Math.fround(b[j]));
    }
  });
});

describe('startMockServer: latency and counters', () => {
  it('waits latencyMs before answering (lower bound only)', async () => {
    const { client } = await start({ latencyMs: 150 });
    const t0 = performance.now();
    await client.chat.completions.create({ model: 'm', messages: user('x') });
    const elapsed = performance.now() - t0;
    // Timers may fire up to ~1 ms early relative to performance.now(); allow 5 ms.
    expect(elapsed, `elapsed ${elapsed.toFixed(1)} ms for latencyMs 150`).toBeGreaterThanOrEqual(145);
  });

  it('measures maxInFlight with concurrent calls and counts routes, statuses and tokens', async () => {
    // A barrier: no answer leaves before all 8 requests are open, so the measured peak is exactly 8.
    let arrived = 0;
    let release: () => void = () => {};
    const barrier = new Promise<void>((r) => {
      release = r;
    });
    const { server, client } = await start({
      respond: async (req) => {
        if (++arrived === 8) release();
        await barrier;
        return req.lastUserMessage;
      },
    });
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        client.chat.completions.create({ model: 'm', messages: user(`q${i}`) }),
      ),
    );
    const stats = server.stats;
    expect(stats.maxInFlight).toBe(8);
    expect(stats.inFlight).toBe(0);
    expect(stats.requests).toBe(8);
    expect(stats.byRoute['/v1/chat/completions']).toBe(8);
    expect(stats.byStatus['200']).toBe(8);
    let tokens = 0;
    for (let i = 0; i < 8; i++) tokens += countMockTokens(`q${i}`);
    expect(stats.promptTokens).toBe(tokens);
    expect(stats.completionTokens).toBe(tokens);
    expect(server.requests).toHaveLength(8);
    expect(server.requests.every((e) => e.status === 200 && e.hasApiKey && e.apiKeyHint === 'test')).toBe(
      true,
    );
    server.reset();
    expect(server.stats.requests).toBe(0);
    expect(server.requests).toHaveLength(0);
  });
});
