import OpenAI, { type APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { countMockTokens, type MockRequest, type MockServerOptions } from '../../src/testing/index.js';
import { answerWithConversation, drain, mockServers, recordInto } from './_mockServers.js';

const startServer = mockServers();

async function start(options: MockServerOptions = {}, maxRetries = 0) {
  const server = await startServer(options);
  // The openai SDK appends /responses to a baseURL that ends in /v1.
  return { server, client: new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries, logLevel: 'off' }) };
}

const weatherTool = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Weather in a city',
  strict: true,
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1 } },
    required: ['city', 'days'],
    additionalProperties: false,
  },
};

describe('POST /v1/responses through the openai SDK', () => {
  it('answers a string input in the Response wire format, with instructions and tokenizer usage', async () => {
    const seen: MockRequest[] = [];
    const { server, client } = await start({
      table: { 'Capital of France?': 'Paris' },
      respond: recordInto(seen),
    });
    const r = await client.responses.create({
      model: 'mock-model',
      instructions: 'Be brief.',
      input: 'Capital of France?',
      max_output_tokens: 64,
      temperature: 0,
    });
    expect(r.object).toBe('response');
    expect(r.id).toMatch(/^resp_/);
    expect(r.status).toBe('completed');
    expect(r.model).toBe('mock-model');
    expect(r.instructions).toBe('Be brief.');
    expect(r.max_output_tokens).toBe(64);
    expect(r.temperature).toBe(0);
    expect(r.error).toBeNull();
    expect(r.incomplete_details).toBeNull();
    expect(r.output).toHaveLength(1);
    const item = r.output[0];
    expect(item.type).toBe('message');
    if (item.type !== 'message') throw new Error('expected a message item');
    expect(item.role).toBe('assistant');
    expect(item.status).toBe('completed');
    expect(item.content).toEqual([{ type: 'output_text', text: 'Paris', annotations: [], logprobs: [] }]);
    // The SDK derives output_text from the output_text parts.
    expect(r.output_text).toBe('Paris');
    const prompt = countMockTokens('Be brief.') + countMockTokens('Capital of France?');
    expect(r.usage).toEqual({
      input_tokens: prompt,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: countMockTokens('Paris'),
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: prompt + countMockTokens('Paris'),
    });
    expect(seen).toHaveLength(1);
    expect(seen[0].api).toBe('responses');
    expect(seen[0].route).toBe('/v1/responses');
    expect(seen[0].systemMessage).toBe('Be brief.');
    expect(seen[0].lastUserMessage).toBe('Capital of France?');
    expect(server.stats.byRoute['/v1/responses']).toBe(1);
    expect(server.stats.promptTokens).toBe(prompt);
    expect(server.stats.completionTokens).toBe(countMockTokens('Paris'));
    expect(server.requests[0].route).toBe('/v1/responses');
    expect(server.requests[0].promptTokens).toBe(prompt);
  });

  it('reads a list of message items: the last user item, a developer message, input_text parts', async () => {
    const seen: MockRequest[] = [];
    const { client } = await start({
      respond: answerWithConversation(seen),
    });
    const r = await client.responses.create({
      model: 'm',
      input: [
        { role: 'developer', content: 'Answer in French.' },
        { role: 'user', content: 'first question' },
        { type: 'message', role: 'assistant', content: 'first answer' },
        {
          type: 'message',
          role: 'user',
          content: [
            { type: 'input_text', text: 'second' },
            { type: 'input_text', text: 'question' },
          ],
        },
      ],
    });
    expect(r.output_text).toBe('Answer in French. | second\nquestion');
    const prompt = ['Answer in French.', 'first question', 'first answer', 'second\nquestion']
      .map((t) => countMockTokens(t))
      .reduce((a, b) => a + b, 0);
    expect(r.usage?.input_tokens).toBe(prompt);
    expect(seen[0].responseFormat).toBeUndefined();
    expect(seen[0].tools).toBeUndefined();
  });

  it('answers text.format json_schema with JSON of the schema, seen by answer functions in the chat shape', async () => {
    const formats: unknown[] = [];
    const { client } = await start({
      respond: (req) => {
        formats.push(req.responseFormat);
        return undefined;
      },
    });
    const schema = {
      type: 'object',
      properties: { answer: { type: 'string' }, confidence: { type: 'number', minimum: 0 } },
      required: ['answer', 'confidence'],
      additionalProperties: false,
    };
    const r = await client.responses.create({
      model: 'm',
      input: 'Is the sky blue?',
      text: { format: { type: 'json_schema', name: 'verdict', schema, strict: true } },
    });
    expect(JSON.parse(r.output_text)).toEqual({ answer: 'Is the sky blue?', confidence: 0 });
    expect(r.text?.format).toEqual({ type: 'json_schema', name: 'verdict', schema, strict: true });
    const o = await client.responses.create({
      model: 'm',
      input: 'hi',
      text: { format: { type: 'json_object' } },
    });
    expect(JSON.parse(o.output_text)).toEqual({ answer: 'hi' });
    expect(formats).toEqual([
      { type: 'json_schema', json_schema: { name: 'verdict', schema, strict: true } },
      { type: 'json_object' },
    ]);
  });

  it('answers a forced function tool with a function_call item whose arguments fit the schema', async () => {
    const seen: MockRequest[] = [];
    const { server, client } = await start({
      respond: recordInto(seen),
    });
    const r = await client.responses.create({
      model: 'm',
      input: 'Weather in Paris?',
      tools: [weatherTool],
      tool_choice: { type: 'function', name: 'get_weather' },
    });
    expect(r.output).toHaveLength(1);
    const call = r.output[0];
    if (call.type !== 'function_call') throw new Error(`expected a function_call, got ${call.type}`);
    expect(call.name).toBe('get_weather');
    expect(call.call_id).toMatch(/^call_mock_/);
    expect(call.status).toBe('completed');
    const args = JSON.parse(call.arguments) as unknown;
    expect(args).toEqual({ city: 'Weather in Paris?', days: 1 });
    expect(r.output_text).toBe('');
    expect(r.usage?.output_tokens).toBe(countMockTokens('get_weather') + countMockTokens(call.arguments));
    expect(seen[0].forcedTool).toBe('get_weather');
    expect(seen[0].tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Weather in a city',
          strict: true,
          parameters: weatherTool.parameters,
        },
      },
    ]);
    // 'required' forces the first function tool; explicit toolCalls are returned as given.
    server.setOptions({
      respond: () => ({
        content: 'calling',
        toolCalls: [{ name: 'get_weather', arguments: { city: 'Rome' } }],
      }),
    });
    const both = await client.responses.create({
      model: 'm',
      input: 'x',
      tools: [weatherTool],
      tool_choice: 'required',
    });
    expect(both.output.map((o) => o.type)).toEqual(['message', 'function_call']);
    expect(both.output_text).toBe('calling');
    const second = both.output[1];
    if (second.type !== 'function_call') throw new Error('expected a function_call');
    expect(JSON.parse(second.arguments)).toEqual({ city: 'Rome' });
  });

  it('streams the event sequence the SDK accumulates, ending with response.completed and usage', async () => {
    const answer = 'The quick brown fox jumps over the lazy dog.';
    const { server, client } = await start({ respond: () => answer });
    const stream = await client.responses.create({ model: 'm', input: 'go', stream: true });
    const events: { type: string; sequence_number: number }[] = [];
    let text = '';
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      events.push(event);
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') completed = event.response;
    }
    const types = [...new Set(events.map((e) => e.type))];
    expect(types).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events.filter((e) => e.type === 'response.output_text.delta').length).toBeGreaterThan(1);
    expect(text).toBe(answer);
    expect(completed?.usage?.output_tokens).toBe(countMockTokens(answer));
    expect(completed?.usage?.input_tokens).toBe(countMockTokens('go'));
    expect(server.requests[0].stream).toBe(true);
    expect(server.stats.completionTokens).toBe(countMockTokens(answer));

    // The helper stream accumulates the same events into a final response.
    const helper = client.responses.stream({ model: 'm', input: 'again' });
    const deltas: string[] = [];
    helper.on('response.output_text.delta', (e) => deltas.push(e.delta));
    const final = await helper.finalResponse();
    expect(final.output_text).toBe(answer);
    expect(deltas.join('')).toBe(answer);
  });

  it('streams a forced function call as argument deltas', async () => {
    const { client } = await start();
    const stream = client.responses.stream({
      model: 'm',
      input: 'Weather?',
      tools: [weatherTool],
      tool_choice: { type: 'function', name: 'get_weather' },
    });
    let args = '';
    stream.on('response.function_call_arguments.delta', (e) => {
      args += e.delta;
    });
    const final = await stream.finalResponse();
    const call = final.output[0];
    if (call.type !== 'function_call') throw new Error('expected a function_call');
    expect(JSON.parse(call.arguments)).toEqual({ city: 'Weather?', days: 1 });
    expect(args).toBe(call.arguments);
  });

  it('returns output_text logprobs when include asks for them, cut to top_logprobs', async () => {
    const { client } = await start({ respond: () => 'Yes indeed' });
    const r = await client.responses.create({
      model: 'm',
      input: 'q',
      include: ['message.output_text.logprobs'],
      top_logprobs: 2,
    });
    const item = r.output[0];
    if (item.type !== 'message' || item.content[0].type !== 'output_text') throw new Error('expected text');
    const logprobs = item.content[0].logprobs ?? [];
    expect(logprobs.map((l) => l.token).join('')).toBe('Yes indeed');
    for (const l of logprobs) {
      expect(l.logprob).toBeLessThan(0);
      expect(l.top_logprobs).toHaveLength(2);
      expect(l.top_logprobs[0].token).toBe(l.token);
    }
  });

  it("reports an answer cut by 'length' as an incomplete response", async () => {
    const { client } = await start({ respond: () => ({ content: 'partial', finishReason: 'length' }) });
    const r = await client.responses.create({ model: 'm', input: 'q' });
    expect(r.status).toBe('incomplete');
    expect(r.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(r.output_text).toBe('partial');
  });

  it.each([
    [{ model: 'm' }, 'input', "Missing required parameter: 'input'."],
    [
      { model: 'm', input: 42 },
      'input',
      "Invalid 'input': expected a string or an array of input items, got number.",
    ],
    [
      { model: 'm', input: 'x', max_output_tokens: 5 },
      'max_output_tokens',
      "Invalid 'max_output_tokens': expected an integer >= 16, got 5.",
    ],
    [
      { model: 'm', input: 'x', temperature: 3 },
      'temperature',
      "Invalid 'temperature': expected a number in [0, 2], got 3.",
    ],
    [
      { model: 'm', input: 'x', text: { format: { type: 'json_schema', name: 'n' } } },
      'text.format.schema',
      "Missing required parameter: 'text.format.schema'.",
    ],
    [
      { model: 'm', input: 'x', tools: [weatherTool], tool_choice: { type: 'function', name: 'nope' } },
      'tool_choice',
      `Tool choice 'function' "nope" not found in 'tools' parameter.`,
    ],
  ])('rejects %j with a 400 naming %s', async (body, param, message) => {
    const { server, client } = await start();
    const err = await client.responses
      .create(body as unknown as OpenAI.Responses.ResponseCreateParamsNonStreaming)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as APIError).error).toEqual({ message, type: 'invalid_request_error', param, code: null });
    expect(server.stats.byStatus['400']).toBe(1);
    expect(server.stats.promptTokens).toBe(0);
  });
});

describe('POST /v1/responses: the shared pipeline', () => {
  it('a 429 fault is retried by the SDK after retry-after-ms, and counted', async () => {
    const { server, client } = await start(
      { faults: (req) => (req.attempt === 0 ? { type: '429', retryAfterMs: 5 } : undefined) },
      2,
    );
    const r = await client.responses.create({ model: 'm', input: 'retry me' });
    expect(r.output_text).toBe('retry me');
    expect(server.stats.byStatus).toEqual({ '429': 1, '200': 1 });
    expect(server.stats.faults['429']).toBe(1);
    expect(server.stats.byRoute['/v1/responses']).toBe(2);
    expect(server.requests.map((e) => e.headers['x-stainless-retry-count'])).toEqual(['0', '1']);
    // Only the answered attempt counts tokens.
    expect(server.stats.promptTokens).toBe(countMockTokens('retry me'));

    server.setOptions({ faults: () => ({ type: '429', retryAfterMs: 1500 }) });
    const noRetry = new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0 });
    const err = (await noRetry.responses
      .create({ model: 'm', input: 'x' })
      .catch((e: unknown) => e)) as APIError;
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err.headers?.get('retry-after')).toBe('1.5');
    expect(err.headers?.get('retry-after-ms')).toBe('1500');
    expect(err.headers?.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(err.code).toBe('rate_limit_exceeded');
  });

  it('a 500 fault is an InternalServerError with an OpenAI error body', async () => {
    const { server, client } = await start({ faults: () => '500' });
    const err = (await client.responses
      .create({ model: 'm', input: 'x' })
      .catch((e: unknown) => e)) as APIError;
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect(err.type).toBe('server_error');
    expect(err.message).toMatch(/^500 The server had an error/);
    expect(server.stats.faults['500']).toBe(1);
  });

  it('a malformed fault makes the SDK throw, plain and streaming', async () => {
    const { server, client } = await start({ faults: () => 'malformed' });
    await expect(client.responses.create({ model: 'm', input: 'x' })).rejects.toThrow(SyntaxError);
    const stream = await client.responses.create({ model: 'm', input: 'x', stream: true });
    await expect(drain(stream)).rejects.toThrow(SyntaxError);
    expect(server.stats.faults.malformed).toBe(2);
    expect(server.stats.byStatus['200']).toBe(2);
  });

  it('shares the rateLimit window with chat completions and sends x-ratelimit headers', async () => {
    const { server, client } = await start({ rateLimit: { rpm: 2, windowMs: 60_000 } });
    const ok = await client.responses.create({ model: 'm', input: 'a' }).withResponse();
    expect(ok.response.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(ok.response.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'b' }] });
    const err = (await client.responses
      .create({ model: 'm', input: 'c' })
      .catch((e: unknown) => e)) as APIError;
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err.message).toMatch(/on requests per min \(RPM\): Limit 2/);
    expect(server.stats.rateLimited).toBe(1);
    expect(server.requests[2].fault).toBe('rate-limit');
  });

  it('waits latencyMs computed from the normalized request', async () => {
    const waited: string[] = [];
    const { client } = await start({
      latencyMs: (req) => {
        waited.push(`${req.api}:${req.lastUserMessage}`);
        return 1;
      },
    });
    await client.responses.create({ model: 'm', input: 'slow' });
    expect(waited).toEqual(['responses:slow']);
  });
});
