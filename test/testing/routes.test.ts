import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { type MockRequest, startMockServer } from '../../src/testing/index.js';
import { mockServers } from './_mockServers.js';

const startServer = mockServers();

describe('one pipeline for every model route', () => {
  it('counts requests, routes and tokens per route, summing what each SDK reports as usage', async () => {
    const seen: MockRequest[] = [];
    const server = await startServer({
      respond: (req) => {
        seen.push(req);
        return `answer from ${req.api}`;
      },
    });
    const openai = new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0 });
    const anthropic = new Anthropic({ baseURL: server.origin, apiKey: 'test', maxRetries: 0 });
    const chat = await openai.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'one two' }],
    });
    const responses = await openai.responses.create({ model: 'm', input: 'three four five' });
    const messages = await anthropic.messages.create({
      model: 'm',
      max_tokens: 16,
      messages: [{ role: 'user', content: 'six' }],
    });
    const embeddings = await openai.embeddings.create({ model: 'e', input: ['seven', 'eight nine'] });
    await openai.models.list();

    expect(chat.choices[0].message.content).toBe('answer from chat');
    expect(responses.output_text).toBe('answer from responses');
    expect(messages.content).toMatchObject([{ type: 'text', text: 'answer from messages' }]);
    const stats = server.stats;
    expect(stats.requests).toBe(5);
    expect(stats.byRoute).toEqual({
      '/v1/chat/completions': 1,
      '/v1/responses': 1,
      '/v1/messages': 1,
      '/v1/embeddings': 1,
      '/v1/models': 1,
    });
    expect(stats.byStatus).toEqual({ '200': 5 });
    expect(stats.promptTokens).toBe(
      (chat.usage?.prompt_tokens ?? NaN) +
        (responses.usage?.input_tokens ?? NaN) +
        messages.usage.input_tokens +
        embeddings.usage.prompt_tokens,
    );
    expect(stats.completionTokens).toBe(
      (chat.usage?.completion_tokens ?? NaN) +
        (responses.usage?.output_tokens ?? NaN) +
        messages.usage.output_tokens,
    );
    // The arrival index runs across APIs (it keys the fault sequence); the answer functions saw each API.
    expect(seen.map((r) => [r.api, r.index])).toEqual([
      ['chat', 0],
      ['responses', 1],
      ['messages', 2],
    ]);
    expect(server.requests.map((e) => [e.route, e.promptTokens, e.completionTokens])).toEqual([
      ['/v1/chat/completions', chat.usage?.prompt_tokens, chat.usage?.completion_tokens],
      ['/v1/responses', responses.usage?.input_tokens, responses.usage?.output_tokens],
      ['/v1/messages', messages.usage.input_tokens, messages.usage.output_tokens],
      ['/v1/embeddings', embeddings.usage.prompt_tokens, 0],
      ['/v1/models', 0, 0],
    ]);
  });

  it('draws the seeded fault sequence over model requests of every API alike', async () => {
    // Same seed, same arrival order: the same requests fault whichever API each one uses.
    const faultsOf = async (apis: readonly ('chat' | 'responses' | 'messages')[]) => {
      const s = await startMockServer({ faults: { rate500: 0.5, seed: 11 } });
      try {
        const openai = new OpenAI({ baseURL: s.url, apiKey: 'test', maxRetries: 0 });
        const anthropic = new Anthropic({ baseURL: s.origin, apiKey: 'test', maxRetries: 0 });
        const outcomes: boolean[] = [];
        for (const api of apis) {
          const call =
            api === 'chat'
              ? openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] })
              : api === 'responses'
                ? openai.responses.create({ model: 'm', input: 'x' })
                : anthropic.messages.create({
                    model: 'm',
                    max_tokens: 8,
                    messages: [{ role: 'user', content: 'x' }],
                  });
          outcomes.push(await call.then(() => true).catch(() => false));
        }
        return outcomes;
      } finally {
        await s.close();
      }
    };
    const chatOnly = await faultsOf(['chat', 'chat', 'chat', 'chat', 'chat', 'chat', 'chat', 'chat']);
    const mixed = await faultsOf([
      'responses',
      'messages',
      'chat',
      'messages',
      'responses',
      'chat',
      'messages',
      'responses',
    ]);
    expect(mixed).toEqual(chatOnly);
    expect(chatOnly).toContain(true);
    expect(chatOnly).toContain(false);
  });

  it('answers GET on a model route and POST on the models route with a 404', async () => {
    const server = await startServer();
    const get = await fetch(`${server.url}/messages`);
    expect(get.status).toBe(404);
    expect(await get.json()).toEqual({
      error: {
        message: 'Invalid URL (GET /v1/messages)',
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    });
    const post = await fetch(`${server.url}/models`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(404);
    expect(server.stats.byRoute).toEqual({ unknown: 2 });
  });
});
