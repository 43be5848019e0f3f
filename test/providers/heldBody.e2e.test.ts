// Inside a run, a routed openai call's JSON body is parsed once: evalgate parses it (to check it, count its usage
// and cache it) and the SDK's request method hands the caller that value, with the `_request_id` the SDK sets,
// instead of reading the body's text and parsing it again (openai 7 reads `text()`). What the caller gets is what
// the SDK gives outside a run: the same JSON, the same non-enumerable `_request_id`, through `create`,
// `withResponse` and a helper that transforms the value (`parse`).
import OpenAI from 'openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { evaluate, type Metric, wrapOpenAI } from '../../src/index.js';

const any: Metric = { name: 'any', kind: 'binary', score: () => 1 };

const completion = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 0,
  model: 'm',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: '{"a":1}', refusal: null },
      finish_reason: 'stop',
      logprobs: null,
    },
  ],
  usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
};
const text = JSON.stringify(completion);

/** A fetch answering every request with {@link completion} and a request id. */
const fetchCompletion = async () =>
  new Response(text, {
    status: 200,
    headers: { 'content-type': 'application/json', 'x-request-id': 'req_held' },
  });

afterEach(() => vi.restoreAllMocks());

const requestIdOf = (v: object) => (v as { _request_id?: unknown })._request_id;

const ask = { model: 'm', messages: [{ role: 'user' as const, content: 'q' }] };

describe('a routed openai JSON body', () => {
  it('is parsed once, and the caller gets what the SDK gives outside a run', async () => {
    const bare = new OpenAI({ baseURL: 'http://127.0.0.1:9/v1', apiKey: 'k', fetch: fetchCompletion });
    const own = await bare.chat.completions.create(ask);
    const ownWith = await bare.chat.completions.create(ask).withResponse();

    const client = wrapOpenAI(
      new OpenAI({ baseURL: 'http://127.0.0.1:9/v1', apiKey: 'k', fetch: fetchCompletion, maxRetries: 0 }),
    );
    const parses = vi.spyOn(JSON, 'parse');
    const seen: { value: unknown; id: unknown; keys: string[]; bodyUsed?: boolean; parsed?: unknown }[] = [];
    const model = async (input: unknown) => {
      if (input === 'create') {
        const r = await client.chat.completions.create(ask);
        seen.push({ value: r, id: requestIdOf(r), keys: Object.keys(r) });
      } else if (input === 'withResponse') {
        const { data, response, request_id } = await client.chat.completions.create(ask).withResponse();
        seen.push({
          value: data,
          id: requestIdOf(data),
          keys: Object.keys(data),
          bodyUsed: response.bodyUsed,
        });
        expect(request_id).toBe('req_held');
      } else {
        const r = await client.chat.completions.parse(ask);
        seen.push({
          value: r,
          id: requestIdOf(r),
          keys: Object.keys(r),
          parsed: r.choices[0]?.message.parsed,
        });
      }
      return 'x';
    };
    const r = await evaluate(
      [
        { id: 'a', input: 'create' },
        { id: 'b', input: 'withResponse' },
        { id: 'c', input: 'parse' },
      ],
      model,
      [any],
      { concurrency: 1, progress: false },
    );
    expect(r.nFailed).toBe(0);
    // evalgate's own parse, once per call (the SDK parsed the text again before: 6).
    const bodyParses = parses.mock.calls.filter(([arg]) => arg === text).length;
    expect(bodyParses).toBe(3);

    const [created, withResponse, parsed] = seen;
    expect(created?.value).toEqual(own);
    expect(created?.id).toBe('req_held');
    expect(created?.id).toBe(requestIdOf(own));
    expect(created?.keys).toEqual(Object.keys(own));
    expect(withResponse?.value).toEqual(ownWith.data);
    expect(withResponse?.id).toBe('req_held');
    expect(withResponse?.keys).toEqual(Object.keys(ownWith.data));
    expect(withResponse?.bodyUsed).toBe(true);
    expect(parsed?.id).toBe('req_held');
    expect(parsed?.parsed).toBeNull();
  });
});
