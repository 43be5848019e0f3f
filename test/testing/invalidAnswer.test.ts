import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { MockAnswer } from '../../src/testing/index.js';
import { mockServers } from './_mockServers.js';

const start = mockServers();

// An answer function is user code. A wrong shape used to become a plausible answer: 5 and { text: 'Paris' }
// came back as empty content, finishReason 'end' was sent as the finish_reason, a tool call without a name
// went out as name undefined, and { content: 5 } failed with "input is not iterable".
describe('an answer function that returns a malformed answer', () => {
  it.each([
    ['a number', 5, /answer.*`5` \(number\)/],
    ['an unknown key', { text: 'Paris' }, /answer.*`text`/],
    ['a non-string content', { content: 5 }, /`content`.*`5` \(number\)/],
    ['a tool call without a name', { toolCalls: [{ arguments: {} }] }, /`toolCalls\[0\]\.name`/],
    ['tool calls that are not an array', { toolCalls: { name: 'f', arguments: {} } }, /`toolCalls`/],
    [
      'tool call arguments that are null',
      { toolCalls: [{ name: 'f', arguments: null }] },
      /`toolCalls\[0\]\.arguments`/,
    ],
    ['an unknown finishReason', { content: 'x', finishReason: 'end' }, /`finishReason`.*"end"/],
    [
      'a negative completionTokens',
      { content: 'x', usage: { completionTokens: -1 } },
      /`usage\.completionTokens`.*-1/,
    ],
    [
      'a fractional promptTokens',
      { content: 'x', usage: { promptTokens: 1.5 } },
      /`usage\.promptTokens`.*1\.5/,
    ],
    ['a non-string refusal', { refusal: true }, /`refusal`.*true/],
    ['logprobs that are not an array', { logprobs: 'x' }, /`logprobs`/],
  ])('%s gets a 500 mock_function_error naming the field', async (_name, answer, pattern) => {
    const server = await start({ respond: () => answer as unknown as MockAnswer });
    const client = new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0, timeout: 3000 });
    const err = (await client.chat.completions
      .create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect((err.error as { code?: unknown }).code).toBe('mock_function_error');
    expect(err.message).toMatch(pattern);
  });

  it('well-formed answers still pass: a string, null (fall through), content null with tool calls', async () => {
    const answers: unknown[] = ['a', null, { content: null, toolCalls: [{ name: 'f', arguments: '{}' }] }];
    const server = await start({ respond: () => answers.shift() as MockAnswer });
    const client = new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0 });
    const ask = () =>
      client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    expect((await ask()).choices[0].message.content).toBe('a');
    expect((await ask()).choices[0].message.content).toBe('hi');
    expect((await ask()).choices[0].message.tool_calls?.[0]).toMatchObject({ function: { name: 'f' } });
  });
});
