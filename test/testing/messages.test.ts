import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { countMockTokens, type MockRequest, type MockServerOptions } from '../../src/testing/index.js';
import { answerWithConversation, drain, mockServers, recordInto } from './_mockServers.js';

const startServer = mockServers();

async function start(options: MockServerOptions = {}, maxRetries = 0) {
  const server = await startServer(options);
  // The Anthropic SDK appends /v1/messages itself: its baseURL is the origin, without /v1.
  const client = new Anthropic({
    baseURL: server.origin,
    apiKey: 'sk-ant-test-0123456789',
    maxRetries,
    logLevel: 'off',
  });
  return { server, client };
}

const weatherTool = {
  name: 'get_weather',
  description: 'Weather in a city',
  input_schema: {
    type: 'object' as const,
    properties: { city: { type: 'string' }, unit: { enum: ['celsius', 'fahrenheit'] } },
    required: ['city', 'unit'],
  },
};

describe('POST /v1/messages through @anthropic-ai/sdk', () => {
  it('answers in the Message wire format, from the table, with tokenizer usage', async () => {
    const seen: MockRequest[] = [];
    const { server, client } = await start({
      table: { 'Capital of France?': 'Paris' },
      respond: recordInto(seen),
    });
    expect(server.origin).toBe(`http://127.0.0.1:${server.port}`);
    const m = await client.messages.create({
      model: 'claude-mock',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Capital of France?' }],
    });
    expect(m.type).toBe('message');
    expect(m.id).toMatch(/^msg_/);
    expect(m.role).toBe('assistant');
    expect(m.model).toBe('claude-mock');
    expect(m.content).toEqual([{ type: 'text', text: 'Paris', citations: null }]);
    expect(m.stop_reason).toBe('end_turn');
    expect(m.stop_sequence).toBeNull();
    expect(m.usage.input_tokens).toBe(countMockTokens('Capital of France?'));
    expect(m.usage.output_tokens).toBe(countMockTokens('Paris'));
    expect(seen[0].api).toBe('messages');
    expect(seen[0].route).toBe('/v1/messages');
    expect(seen[0].lastUserMessage).toBe('Capital of France?');
    expect(seen[0].systemMessage).toBe('');
    const entry = server.requests[0];
    expect(entry.route).toBe('/v1/messages');
    expect(entry.status).toBe(200);
    // The SDK sends x-api-key, not a bearer token; the log keeps a hint only.
    expect(entry.hasApiKey).toBe(true);
    expect(entry.apiKeyHint).toBe('sk-...6789');
    expect(entry.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(server.stats.byRoute['/v1/messages']).toBe(1);
    expect(server.stats.promptTokens).toBe(m.usage.input_tokens);
    expect(server.stats.completionTokens).toBe(m.usage.output_tokens);
  });

  it('reads system as a string or text blocks, and content blocks of the last user message', async () => {
    const seen: MockRequest[] = [];
    const { client } = await start({
      respond: answerWithConversation(seen),
    });
    const a = await client.messages.create({
      model: 'm',
      max_tokens: 32,
      system: 'Be brief.',
      messages: [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'ok' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'second' },
            { type: 'text', text: 'part' },
          ],
        },
      ],
    });
    expect(a.content[0]).toMatchObject({ type: 'text', text: 'Be brief. | second\npart' });
    const prompt = ['Be brief.', 'first', 'ok', 'second\npart']
      .map((t) => countMockTokens(t))
      .reduce((x, y) => x + y);
    expect(a.usage.input_tokens).toBe(prompt);
    const b = await client.messages.create({
      model: 'm',
      max_tokens: 32,
      system: [
        { type: 'text', text: 'You are' },
        { type: 'text', text: 'a judge.' },
      ],
      messages: [{ role: 'user', content: 'q' }],
    });
    expect(b.content[0]).toMatchObject({ text: 'You are\na judge. | q' });
    expect(seen.map((r) => r.systemMessage)).toEqual(['Be brief.', 'You are\na judge.']);
  });

  it('answers a forced tool with a tool_use block whose input fits the input_schema', async () => {
    const seen: MockRequest[] = [];
    const { server, client } = await start({
      respond: recordInto(seen),
    });
    const m = await client.messages.create({
      model: 'm',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [weatherTool],
      tool_choice: { type: 'tool', name: 'get_weather' },
    });
    expect(m.stop_reason).toBe('tool_use');
    expect(m.content).toHaveLength(1);
    const block = m.content[0];
    if (block.type !== 'tool_use') throw new Error(`expected tool_use, got ${block.type}`);
    expect(block.name).toBe('get_weather');
    expect(block.input).toEqual({ city: 'Weather in Paris?', unit: 'celsius' });
    expect(typeof block.id).toBe('string');
    expect(m.usage.output_tokens).toBe(
      countMockTokens('get_weather') + countMockTokens(JSON.stringify(block.input)),
    );
    expect(seen[0].forcedTool).toBe('get_weather');
    expect(seen[0].tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Weather in a city',
          parameters: weatherTool.input_schema,
        },
      },
    ]);
    // { type: 'any' } forces the first tool; a JSON answer becomes its input.
    server.setOptions({ respond: () => '{"city":"Rome","unit":"fahrenheit"}' });
    const any = await client.messages.create({
      model: 'm',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'x' }],
      tools: [weatherTool],
      tool_choice: { type: 'any' },
    });
    expect(any.content).toMatchObject([{ type: 'tool_use', input: { city: 'Rome', unit: 'fahrenheit' } }]);
  });

  it('streams message_start ... message_stop, and messages.stream() accumulates text and usage', async () => {
    const answer = 'The quick brown fox jumps over the lazy dog.';
    const { server, client } = await start({ respond: () => answer });
    const raw = await client.messages.create({
      model: 'm',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'go' }],
      stream: true,
    });
    const types: string[] = [];
    let text = '';
    let outputTokens: number | undefined;
    for await (const event of raw) {
      types.push(event.type);
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
      if (event.type === 'message_delta') outputTokens = event.usage.output_tokens;
    }
    expect([...new Set(types)]).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(types.filter((t) => t === 'content_block_delta').length).toBeGreaterThan(1);
    expect(text).toBe(answer);
    expect(outputTokens).toBe(countMockTokens(answer));

    const stream = client.messages.stream({
      model: 'm',
      max_tokens: 64,
      system: 'sys',
      messages: [{ role: 'user', content: 'again' }],
    });
    const deltas: string[] = [];
    stream.on('text', (delta) => deltas.push(delta));
    const final = await stream.finalMessage();
    expect(final.content).toMatchObject([{ type: 'text', text: answer }]);
    expect(deltas.join('')).toBe(answer);
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage.input_tokens).toBe(countMockTokens('sys') + countMockTokens('again'));
    expect(final.usage.output_tokens).toBe(countMockTokens(answer));
    expect(server.requests.map((e) => e.stream)).toEqual([true, true]);
  });

  it('streams a forced tool_use whose input the SDK reassembles from input_json_delta', async () => {
    const { client } = await start();
    const final = await client.messages
      .stream({
        model: 'm',
        max_tokens: 64,
        messages: [{ role: 'user', content: 'Weather?' }],
        tools: [weatherTool],
        tool_choice: { type: 'tool', name: 'get_weather' },
      })
      .finalMessage();
    expect(final.stop_reason).toBe('tool_use');
    expect(final.content).toMatchObject([
      { type: 'tool_use', name: 'get_weather', input: { city: 'Weather?', unit: 'celsius' } },
    ]);
  });

  it('answers output_config.format json_schema with JSON of the schema', async () => {
    const { client } = await start();
    const m = await client.messages.create({
      model: 'm',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Rate it' }],
      output_config: {
        format: {
          type: 'json_schema',
          schema: {
            type: 'object',
            properties: { score: { type: 'integer', minimum: 1 } },
            required: ['score'],
          },
        },
      },
    });
    const block = m.content[0];
    if (block.type !== 'text') throw new Error('expected text');
    expect(JSON.parse(block.text)).toEqual({ score: 1 });
  });

  it("maps finishReason 'length' to stop_reason 'max_tokens'", async () => {
    const { client } = await start({ respond: () => ({ content: 'cut', finishReason: 'length' }) });
    const m = await client.messages.create({
      model: 'm',
      max_tokens: 1,
      messages: [{ role: 'user', content: 'q' }],
    });
    expect(m.stop_reason).toBe('max_tokens');
  });

  it('rejects a body without max_tokens with a 400 in the Anthropic error shape (BadRequestError)', async () => {
    const { server, client } = await start();
    const err = await client.messages
      .create({
        model: 'm',
        messages: [{ role: 'user', content: 'x' }],
      } as unknown as Anthropic.MessageCreateParamsNonStreaming)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    const e = err as InstanceType<typeof Anthropic.BadRequestError>;
    expect(e.status).toBe(400);
    expect(e.error).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'max_tokens: Field required' },
    });
    expect(e.requestID).toBe('req_mock_0');
    expect(server.stats.byStatus['400']).toBe(1);
    expect(server.stats.faults.total).toBe(0);
  });

  it.each([
    [
      { max_tokens: 0, messages: [{ role: 'user', content: 'x' }] },
      'max_tokens: Input should be an integer >= 1, got 0',
    ],
    [{ max_tokens: 8 }, 'messages: Field required'],
    [{ max_tokens: 8, messages: [] }, 'messages: at least one message is required'],
    [
      { max_tokens: 8, messages: [{ role: 'system', content: 'x' }] },
      `messages.0.role: Input should be 'user' or 'assistant', got "system"`,
    ],
    [
      { max_tokens: 8, messages: [{ role: 'user', content: 'x' }], temperature: 1.5 },
      'temperature: Input should be a number in [0, 1], got 1.5',
    ],
    [
      {
        max_tokens: 8,
        messages: [{ role: 'user', content: 'x' }],
        tools: [weatherTool],
        tool_choice: { type: 'tool', name: 'nope' },
      },
      'tool_choice: tool "nope" is not in `tools`',
    ],
  ])('rejects %j: %s', async (body, message) => {
    const { client } = await start();
    const err = await client.messages
      .create({ model: 'm', ...body } as unknown as Anthropic.MessageCreateParamsNonStreaming)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect((err as InstanceType<typeof Anthropic.BadRequestError>).error).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message },
    });
  });
});

describe('POST /v1/messages: the shared pipeline', () => {
  const ask = (client: Anthropic, content = 'x') =>
    client.messages.create({ model: 'm', max_tokens: 16, messages: [{ role: 'user', content }] });

  it('a 429 fault carries retry-after and anthropic-ratelimit headers, and the SDK retry succeeds', async () => {
    const { server, client } = await start({
      faults: (req) => (req.attempt === 0 ? { type: '429', retryAfterMs: 1500 } : undefined),
      rateLimit: { rpm: 1000, tpm: 50_000 },
    });
    const err = await ask(client).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.RateLimitError);
    const e = err as InstanceType<typeof Anthropic.RateLimitError>;
    expect(e.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(e.headers.get('retry-after')).toBe('1.5');
    expect(e.headers.get('anthropic-ratelimit-requests-limit')).toBe('1000');
    expect(e.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    const reset = Date.parse(e.headers.get('anthropic-ratelimit-requests-reset') ?? '');
    expect(reset).toBeGreaterThan(Date.now());
    expect(e.headers.get('anthropic-ratelimit-tokens-limit')).toBe('50000');
    expect(e.headers.get('anthropic-ratelimit-tokens-remaining')).toBe('50000');
    expect(Number.isNaN(Date.parse(e.headers.get('anthropic-ratelimit-tokens-reset') ?? ''))).toBe(false);
    expect(e.headers.get('x-ratelimit-limit-requests')).toBeNull();

    // A fresh body whose first attempt faults with a short wait: the SDK's retry gets the answer.
    server.setOptions({
      faults: (req) => (req.attempt === 0 ? { type: '429', retryAfterMs: 5 } : undefined),
    });
    const retrying = new Anthropic({ baseURL: server.origin, apiKey: 'test', maxRetries: 2 });
    const m = await ask(retrying, 'retry me');
    expect(m.content).toMatchObject([{ type: 'text', text: 'retry me' }]);
    expect(server.stats.byStatus).toEqual({ '429': 2, '200': 1 });
    expect(server.stats.faults['429']).toBe(2);
    expect(server.requests.map((r) => r.headers['x-stainless-retry-count'])).toEqual(['0', '0', '1']);
  });

  it('a 500 fault is an InternalServerError with api_error; a 529 is overloaded_error', async () => {
    const { server, client } = await start({ faults: () => '500' });
    const err = await ask(client).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.InternalServerError);
    expect((err as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: 'error',
      error: { type: 'api_error' },
    });
    server.setOptions({ faults: () => ({ type: '500', status: 529, message: 'Overloaded' }) });
    const overloaded = (await ask(client).catch((e: unknown) => e)) as InstanceType<
      typeof Anthropic.APIError
    >;
    expect(overloaded.status).toBe(529);
    expect(overloaded.error).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
    expect(server.stats.byStatus).toEqual({ '500': 1, '529': 1 });
  });

  it('a malformed fault makes the SDK throw, plain and streaming', async () => {
    const { server, client } = await start({ faults: () => 'malformed' });
    await expect(ask(client)).rejects.toThrow(SyntaxError);
    const stream = await client.messages.create({
      model: 'm',
      max_tokens: 16,
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    await expect(drain(stream)).rejects.toThrow(SyntaxError);
    expect(server.stats.faults.malformed).toBe(2);
  });

  it('the rateLimit window answers 429 in the Anthropic shape and sends its headers on answers', async () => {
    const { server, client } = await start({ rateLimit: { rpm: 1 } });
    const ok = await client.messages
      .create({ model: 'm', max_tokens: 16, messages: [{ role: 'user', content: 'a' }] })
      .withResponse();
    expect(ok.response.headers.get('anthropic-ratelimit-requests-limit')).toBe('1');
    expect(ok.response.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    const err = (await ask(client, 'b').catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
    expect(err).toBeInstanceOf(Anthropic.RateLimitError);
    expect(err.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect((err.error as { error: { message: string } }).error.message).toMatch(/Limit 1\./);
    expect(Number(err.headers?.get('retry-after'))).toBeGreaterThan(0);
    expect(server.stats.rateLimited).toBe(1);
  });

  it('a respond function failure is a 500 in the Anthropic shape, recorded in the log', async () => {
    const { server, client } = await start({
      respond: () => {
        throw new Error('boom');
      },
    });
    const err = (await ask(client).catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
    expect(err).toBeInstanceOf(Anthropic.InternalServerError);
    expect(err.error).toEqual({
      type: 'error',
      error: { type: 'api_error', message: "The mock server's option function threw: boom" },
    });
    expect(server.requests[0].error).toBe('boom');
  });
});
