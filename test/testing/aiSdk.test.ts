import { createOpenAI } from '@ai-sdk/openai';
import { APICallError, generateText, Output, streamText, tool } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { countMockTokens, type MockApi, type MockServerOptions } from '../../src/testing/index.js';
import { mockServers } from './_mockServers.js';

const startServer = mockServers();

async function start(options: MockServerOptions = {}) {
  const server = await startServer(options);
  // createOpenAI appends /responses (the default model) or /chat/completions (.chat) to a baseURL ending in /v1.
  return { server, openai: createOpenAI({ baseURL: server.url, apiKey: 'test' }) };
}

const answers = { 'Capital of France?': 'Paris is the capital of France.' };
const answer = answers['Capital of France?'];

describe('AI SDK (ai + @ai-sdk/openai) against the mock', () => {
  it.each([
    ['responses', '/v1/responses'],
    ['chat', '/v1/chat/completions'],
  ] as const)('generateText through the %s model hits %s, with the mock usage', async (kind, route) => {
    const apis: MockApi[] = [];
    const { server, openai } = await start({
      table: answers,
      respond: (req) => {
        apis.push(req.api);
        return undefined;
      },
    });
    const model = kind === 'responses' ? openai('mock-model') : openai.chat('mock-model');
    const result = await generateText({
      model,
      system: 'Be brief.',
      prompt: 'Capital of France?',
      maxRetries: 0,
    });
    expect(result.text).toBe(answer);
    expect(result.finishReason).toBe('stop');
    const prompt = countMockTokens('Be brief.') + countMockTokens('Capital of France?');
    expect(result.usage.inputTokens).toBe(prompt);
    expect(result.usage.outputTokens).toBe(countMockTokens(answer));
    expect(server.stats.byRoute).toEqual({ [route]: 1 });
    expect(apis).toEqual([kind]);
    expect(server.stats.promptTokens).toBe(prompt);
  });

  it.each([
    ['responses', '/v1/responses'],
    ['chat', '/v1/chat/completions'],
  ] as const)(
    'streamText through the %s model streams the answer in pieces, with usage',
    async (kind, route) => {
      const { server, openai } = await start({ table: answers });
      const model = kind === 'responses' ? openai('mock-model') : openai.chat('mock-model');
      const result = streamText({ model, prompt: 'Capital of France?', maxRetries: 0 });
      const pieces: string[] = [];
      for await (const piece of result.textStream) pieces.push(piece);
      expect(pieces.length).toBeGreaterThan(1);
      expect(pieces.join('')).toBe(answer);
      expect(await result.text).toBe(answer);
      expect(await result.finishReason).toBe('stop');
      const usage = await result.usage;
      expect(usage.inputTokens).toBe(countMockTokens('Capital of France?'));
      expect(usage.outputTokens).toBe(countMockTokens(answer));
      expect(server.stats.byRoute).toEqual({ [route]: 1 });
      expect(server.requests[0].stream).toBe(true);
    },
  );

  it('structured output: Output.object sends text.format json_schema and parses the echo-shaped JSON', async () => {
    const { server, openai } = await start();
    const result = await generateText({
      model: openai('mock-model'),
      prompt: 'Name a city',
      output: Output.object({ schema: z.object({ city: z.string(), population: z.number().min(0) }) }),
      maxRetries: 0,
    });
    expect(result.output).toEqual({ city: 'Name a city', population: 0 });
    const body = server.requests[0].body as { text?: { format?: { type?: string } } };
    expect(body.text?.format?.type).toBe('json_schema');
  });

  it('a forced tool is answered with a function_call the SDK turns into a typed tool call', async () => {
    const { openai } = await start();
    const result = await generateText({
      model: openai('mock-model'),
      prompt: 'Weather in Paris?',
      tools: {
        weather: tool({
          description: 'Weather in a city',
          inputSchema: z.object({ city: z.string(), days: z.number().int().min(1) }),
        }),
      },
      toolChoice: { type: 'tool', toolName: 'weather' },
      maxRetries: 0,
    });
    expect(result.finishReason).toBe('tool-calls');
    expect(result.toolCalls).toHaveLength(1);
    expect(result.toolCalls[0].toolName).toBe('weather');
    expect(result.toolCalls[0].input).toEqual({ city: 'Weather in Paris?', days: 1 });
  });

  it('retries a 429 from the responses route and surfaces a 500 as an APICallError', async () => {
    const { server, openai } = await start({
      table: answers,
      faults: (req) => (req.attempt === 0 ? { type: '429', retryAfterMs: 5 } : undefined),
    });
    const ok = await generateText({
      model: openai('mock-model'),
      prompt: 'Capital of France?',
      maxRetries: 2,
    });
    expect(ok.text).toBe(answer);
    expect(server.stats.byStatus).toEqual({ '429': 1, '200': 1 });
    server.setOptions({ faults: () => '500' });
    const err = await generateText({ model: openai('mock-model'), prompt: 'x', maxRetries: 0 }).catch(
      (e: unknown) => e,
    );
    expect(APICallError.isInstance(err)).toBe(true);
    expect((err as APICallError).statusCode).toBe(500);
    expect(server.stats.faults).toMatchObject({ total: 2, '429': 1, '500': 1 });
  });
});
