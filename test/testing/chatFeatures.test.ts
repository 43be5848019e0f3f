import OpenAI, { type APIError } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import {
  countMockTokens,
  type MockRequest,
  type MockServer,
  startMockServer,
} from '../../src/testing/index.js';

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: Parameters<typeof startMockServer>[0] = {}) {
  server = await startMockServer(options);
  return { server, client: new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0 }) };
}

const user = (content: string) => [{ role: 'user' as const, content }];

describe('chat completions: choices, logprobs, tools, formats', () => {
  it('returns n choices, asking the answer function once per choice', async () => {
    const seen: number[] = [];
    const { client } = await start({
      respond: (req) => {
        seen.push(req.choiceIndex);
        return `answer ${req.choiceIndex}`;
      },
    });
    const r = await client.chat.completions.create({ model: 'm', messages: user('hi'), n: 3 });
    expect(r.choices.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(r.choices.map((c) => c.message.content)).toEqual(['answer 0', 'answer 1', 'answer 2']);
    expect(seen).toEqual([0, 1, 2]);
    const completion = 3 * countMockTokens('answer 0');
    expect(r.usage?.completion_tokens).toBe(completion);
  });

  it('gives deterministic default logprobs whose tokens spell the content and whose top_logprobs are sorted', async () => {
    const { client } = await start({ respond: () => 'Hello there, world' });
    const ask = () =>
      client.chat.completions.create({ model: 'm', messages: user('x'), logprobs: true, top_logprobs: 3 });
    const [a, b] = [await ask(), await ask()];
    const content = a.choices[0].logprobs?.content;
    expect(content).toBeDefined();
    expect(content?.map((t) => t.token).join('')).toBe('Hello there, world');
    for (const t of content ?? []) {
      expect(t.logprob).toBeLessThan(0);
      expect(t.bytes).toEqual(Array.from(Buffer.from(t.token, 'utf8')));
      expect(t.top_logprobs).toHaveLength(3);
      expect(t.top_logprobs[0].token).toBe(t.token);
      expect(t.top_logprobs[0].logprob).toBe(t.logprob);
      expect(t.top_logprobs[1].logprob).toBeLessThan(t.top_logprobs[0].logprob);
      expect(t.top_logprobs[2].logprob).toBeLessThan(t.top_logprobs[1].logprob);
      const mass = t.top_logprobs.reduce((s, x) => s + Math.exp(x.logprob), 0);
      expect(mass).toBeLessThan(1);
    }
    expect(b.choices[0].logprobs).toEqual(a.choices[0].logprobs);
  });

  it('returns logprobs supplied by the answer function, cut to top_logprobs', async () => {
    const { client } = await start({
      respond: () => ({
        logprobs: [
          {
            token: 'Yes',
            logprob: -0.25,
            topLogprobs: [
              { token: 'Yes', logprob: -0.25 },
              { token: 'No', logprob: -1.5 },
              { token: 'Maybe', logprob: -3 },
            ],
          },
        ],
      }),
    });
    const r = await client.chat.completions.create({
      model: 'm',
      messages: user('?'),
      logprobs: true,
      top_logprobs: 2,
    });
    expect(r.choices[0].message.content).toBe('Yes');
    expect(r.choices[0].logprobs?.content).toEqual([
      {
        token: 'Yes',
        logprob: -0.25,
        bytes: [89, 101, 115],
        top_logprobs: [
          { token: 'Yes', logprob: -0.25, bytes: [89, 101, 115] },
          { token: 'No', logprob: -1.5, bytes: [78, 111] },
        ],
      },
    ]);
    // Without logprobs: true the field stays null.
    const plain = await client.chat.completions.create({ model: 'm', messages: user('?') });
    expect(plain.choices[0].logprobs).toBeNull();
  });

  it('streams logprobs with each content chunk', async () => {
    const { client } = await start({ respond: () => 'one two three' });
    const stream = await client.chat.completions.create({
      model: 'm',
      messages: user('x'),
      stream: true,
      logprobs: true,
      top_logprobs: 1,
    });
    const tokens: string[] = [];
    let text = '';
    for await (const chunk of stream) {
      for (const c of chunk.choices) {
        text += c.delta.content ?? '';
        for (const t of c.logprobs?.content ?? []) tokens.push(t.token);
      }
    }
    expect(text).toBe('one two three');
    expect(tokens.join('')).toBe('one two three');
    expect(tokens.length).toBe(countMockTokens('one two three'));
  });

  it('answers a forced tool_choice with a tool call built from the tool schema', async () => {
    const seen: MockRequest[] = [];
    const { client } = await start({
      respond: (req) => {
        seen.push(req);
        return undefined;
      },
    });
    const tools: OpenAI.ChatCompletionTool[] = [
      {
        type: 'function',
        function: {
          name: 'grade',
          parameters: {
            type: 'object',
            properties: {
              verdict: { type: 'string', enum: ['pass', 'fail'] },
              score: { type: 'number', minimum: 1 },
            },
            required: ['verdict', 'score'],
          },
        },
      },
    ];
    const r = await client.chat.completions.create({
      model: 'm',
      messages: user('grade this'),
      tools,
      tool_choice: { type: 'function', function: { name: 'grade' } },
    });
    const choice = r.choices[0];
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    const call = choice.message.tool_calls?.[0];
    expect(call?.type).toBe('function');
    if (call?.type !== 'function') throw new Error('expected a function tool call');
    expect(call.function.name).toBe('grade');
    expect(JSON.parse(call.function.arguments)).toEqual({ verdict: 'pass', score: 1 });
    expect(call.id).toMatch(/^call_/);
    expect(seen[0].forcedTool).toBe('grade');
    expect(seen[0].tools).toHaveLength(1);
  });

  it('uses a JSON answer as the forced tool arguments, and explicit toolCalls as given', async () => {
    const { server, client } = await start({ respond: () => '{"verdict":"fail","score":0}' });
    const tools: OpenAI.ChatCompletionTool[] = [
      { type: 'function', function: { name: 'grade', parameters: { type: 'object', properties: {} } } },
    ];
    const forced = await client.chat.completions.create({
      model: 'm',
      messages: user('x'),
      tools,
      tool_choice: 'required',
    });
    const call = forced.choices[0].message.tool_calls?.[0];
    if (call?.type !== 'function') throw new Error('expected a function tool call');
    expect(call.function.arguments).toBe('{"verdict":"fail","score":0}');
    server.setOptions({
      respond: () => ({ toolCalls: [{ name: 'lookup', arguments: { q: 'paris' }, id: 'call_1' }] }),
    });
    const auto = await client.chat.completions.create({ model: 'm', messages: user('x'), tools });
    expect(auto.choices[0].finish_reason).toBe('tool_calls');
    expect(auto.choices[0].message.tool_calls).toEqual([
      { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"paris"}' } },
    ]);
    expect(auto.usage?.completion_tokens).toBe(countMockTokens('lookup') + countMockTokens('{"q":"paris"}'));
  });

  it('streams a tool call as deltas the SDK can reassemble', async () => {
    const { client } = await start({ respond: () => ({ toolCalls: [{ name: 'f', arguments: '{"a":1}' }] }) });
    const stream = await client.chat.completions.create({ model: 'm', messages: user('x'), stream: true });
    let name = '';
    let args = '';
    let finish: string | null = null;
    for await (const chunk of stream) {
      for (const c of chunk.choices) {
        for (const t of c.delta.tool_calls ?? []) {
          name += t.function?.name ?? '';
          args += t.function?.arguments ?? '';
        }
        finish = c.finish_reason ?? finish;
      }
    }
    expect(name).toBe('f');
    expect(args).toBe('{"a":1}');
    expect(finish).toBe('tool_calls');
  });

  it('lets the answer function see response_format, and the echo fallback answers valid JSON', async () => {
    const formats: unknown[] = [];
    const { server, client } = await start({
      respond: (req) => {
        formats.push(req.responseFormat);
        return undefined;
      },
    });
    const schema = {
      type: 'object',
      properties: {
        answer: { type: 'string' },
        confidence: { type: 'number' },
        tags: { type: 'array', items: { type: 'string' } },
      },
      required: ['answer', 'confidence', 'tags'],
      additionalProperties: false,
    };
    const r = await client.chat.completions.create({
      model: 'm',
      messages: user('what is 2+2'),
      response_format: { type: 'json_schema', json_schema: { name: 'a', schema, strict: true } },
    });
    expect(JSON.parse(r.choices[0].message.content ?? '')).toEqual({
      answer: 'what is 2+2',
      confidence: 0,
      tags: [],
    });
    expect(formats[0]).toEqual({ type: 'json_schema', json_schema: { name: 'a', schema, strict: true } });
    const o = await client.chat.completions.create({
      model: 'm',
      messages: user('hi'),
      response_format: { type: 'json_object' },
    });
    expect(JSON.parse(o.choices[0].message.content ?? '')).toEqual({ answer: 'hi' });
    expect(server.stats.byStatus['200']).toBe(2);
  });

  it('rejects a body without messages with a 400 in the OpenAI error format', async () => {
    const { server } = await start();
    const res = await fetch(`${server.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm' }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: Record<string, unknown> };
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.param).toBe('messages');
    expect(body.error.code).toBeNull();
    expect(typeof body.error.message).toBe('string');
  });

  it('answers a respond function failure with a 500 and records the error', async () => {
    const { server, client } = await start({
      respond: () => {
        throw new Error('boom');
      },
    });
    const err = await client.chat.completions
      .create({ model: 'm', messages: user('x') })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect((err as APIError).message).toContain('boom');
    expect(server.requests[0].error).toBe('boom');
  });
});

describe('other routes', () => {
  it('lists models and answers unknown routes with a 404 OpenAI error', async () => {
    const { client, server } = await start({ models: ['a', 'b'] });
    const models = [];
    for await (const m of client.models.list()) models.push(m.id);
    expect(models).toEqual(['a', 'b']);
    expect((await client.models.retrieve('a')).id).toBe('a');
    const err = await client.completions.create({ model: 'a', prompt: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect((err as APIError).status).toBe(404);
    expect((err as APIError).error).toEqual({
      message: 'Invalid URL (POST /v1/completions)',
      type: 'invalid_request_error',
      param: null,
      code: null,
    });
    expect(server.stats.byRoute.unknown).toBe(1);
    expect(server.stats.byStatus['404']).toBe(1);
  });
});
