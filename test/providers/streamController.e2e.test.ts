// A routed stream is handed to the SDK as the SDK's own request method hands it: with the controller the SDK made
// for that request, whose signal went to the fetch, so that the Stream's `controller` is the request's (as without
// evalgate). A new controller there — what evalgate gave before — was one more abort controller per call, and a
// Stream whose controller had nothing to do with its request.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, type Metric, wrapOpenAI } from '../../src/index.js';
import { type MockServer, startMockServer } from '../../src/testing/index.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer();
});
afterAll(() => server.close());

const any: Metric = { name: 'any', kind: 'binary', score: () => 1 };

describe('a routed openai stream', () => {
  it("has the controller whose signal its fetch was given, as the SDK's own stream has", async () => {
    const fetched: AbortSignal[] = [];
    const recording = (url: string | URL | Request, init?: RequestInit) => {
      if (init?.signal) fetched.push(init.signal);
      return fetch(url, init);
    };
    const bare = new OpenAI({ baseURL: server.url, apiKey: 'k', fetch: recording });
    const ask = (client: OpenAI, content: string) =>
      client.chat.completions.create({ model: 'm', stream: true, messages: [{ role: 'user', content }] });
    const own = await ask(bare, 'q');
    for await (const _ of own);
    expect(fetched).toHaveLength(1);
    expect(own.controller.signal).toBe(fetched[0]);

    const wrapped = wrapOpenAI(new OpenAI({ baseURL: server.url, apiKey: 'k', fetch: recording }));
    const controllers: AbortController[] = [];
    const model = async (input: unknown) => {
      const stream = await ask(wrapped, String(input));
      controllers.push(stream.controller);
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      return text;
    };
    const r = await evaluate([{ id: 'a', input: 'q' }], model, [any], { progress: false });
    expect(r.nFailed).toBe(0);
    expect(fetched).toHaveLength(2);
    expect(controllers).toHaveLength(1);
    expect(controllers[0]!.signal).toBe(fetched[1]);
  });
});
