// A forced verdict tool called twice in one reply (parallel tool calls) with different arguments holds two
// verdicts: the judge read the first and dropped the other, so {score: 5} + {score: 1} scored 5. On an OpenAI,
// an Anthropic or an AI SDK client it is now a missing score with the raw calls kept; the same call twice still reads.
import { createOpenAI } from '@ai-sdk/openai';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Example, evaluate } from '../../src/index.js';
import { llmJudge } from '../../src/judge/index.js';
import { type MockAnswer, type MockServer, startMockServer } from '../../src/testing/index.js';

let answer: MockAnswer = '';
let server: MockServer;
beforeAll(async () => {
  server = await startMockServer({ respond: () => answer });
});
afterEach(() => server.reset());
afterAll(async () => {
  await server.close();
});

const one: Example[] = [{ id: 'a', input: 'Capital of France?', reference: 'Paris' }];
const model = async () => 'Paris';
const clients = {
  openai: () => new OpenAI({ baseURL: server.url, apiKey: 'test' }),
  anthropic: () => new Anthropic({ baseURL: server.origin, apiKey: 'test' }),
  'ai-sdk': () => createOpenAI({ baseURL: server.url, apiKey: 'test' }).chat('judge'),
};

async function score(kind: keyof typeof clients, calls: readonly Record<string, unknown>[]) {
  answer = { toolCalls: calls.map((a) => ({ name: 'verdict', arguments: a })) };
  const judge = llmJudge({ client: clients[kind](), model: 'judge', rubric: 'Correct.', mode: 'tool' });
  const r = await evaluate(one, model, [judge], { progress: false });
  return { value: r.examples[0]!.scores.llm_judge, details: r.examples[0]!.details?.llm_judge };
}

describe.each(Object.keys(clients) as (keyof typeof clients)[])('llmJudge tool mode on %s', (kind) => {
  it('two different verdict calls are a missing score, both kept in raw', async () => {
    const r = await score(kind, [
      { reason: 'a', score: 5 },
      { reason: 'b', score: 1 },
    ]);
    expect(r.value).toBeNull();
    expect(r.details).toMatchObject({ error: "llmJudge: the judge's reply is not a JSON object" });
    expect(JSON.parse((r.details as { raw: string }).raw)).toEqual([
      { reason: 'a', score: 5 },
      { reason: 'b', score: 1 },
    ]);
  });

  it('the same verdict called twice still reads', async () => {
    const r = await score(kind, [
      { reason: 'a', score: 4 },
      { reason: 'a', score: 4 },
    ]);
    expect(r.value).toBe(4);
  });
});
