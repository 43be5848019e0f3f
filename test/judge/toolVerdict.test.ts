// llmJudge in `mode: 'tool'` on an OpenAI-compatible endpoint that returns some text beside the forced tool
// call (a preamble such as "Here is my verdict."): the verdict is the tool call's arguments, not the text.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Example, evaluate } from '../../src/index.js';
import { llmJudge } from '../../src/judge/index.js';
import { type MockAnswer, type MockServer, startMockServer } from '../../src/testing/index.js';

let answer: MockAnswer = '';
let server: MockServer;
let client: OpenAI;
beforeAll(async () => {
  server = await startMockServer({ respond: () => answer });
  client = new OpenAI({ baseURL: server.url, apiKey: 'test' });
});
afterAll(async () => {
  await server.close();
});

const one: Example[] = [{ id: 'a', input: 'Capital of France?', reference: 'Paris' }];

describe('llmJudge tool mode with text beside the tool call', () => {
  it.each([['Here is my verdict.'], ['{"reason": "from the text", "score": 1}']])(
    'content %j: the tool call is the verdict',
    async (content) => {
      answer = {
        content,
        toolCalls: [{ name: 'verdict', arguments: { reason: 'fine', score: 4 } }],
      };
      const judge = llmJudge({ client, model: 'judge', rubric: 'Any.', mode: 'tool' });
      const r = await evaluate(one, async () => 'Paris', [judge], { progress: false });
      expect(r.examples[0]!.scores.llm_judge).toBe(4);
      expect(r.examples[0]!.details!.llm_judge).toEqual({ reason: 'fine' });
    },
  );
});
