import { createOpenAI } from '@ai-sdk/openai';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { memoryCache } from '../../src/cache/index.js';
import { type Example, evaluate } from '../../src/index.js';
import { gEval, type JudgeComplete, llmJudge, pairwiseJudge } from '../../src/judge/index.js';
import { type MockRequest, type MockServer, startMockServer } from '../../src/testing/index.js';

// Every judge on every kind of client, against the project's mock server, through the run's call runtime:
// a second run with the same cache sends nothing.
let server: MockServer;
let respond: (req: MockRequest) => string | undefined = () => undefined;
beforeAll(async () => {
  server = await startMockServer({ respond: (req) => respond(req) });
});
afterEach(() => server.reset());
afterAll(async () => {
  await server.close();
});

const qa: Example[] = [
  { id: 'a', input: 'Capital of France?', reference: 'Paris' },
  { id: 'b', input: 'Capital of Italy?', reference: 'Rome' },
  { id: 'c', input: 'Capital of Spain?', reference: 'Madrid' },
];
const answers: Record<string, string> = { a: 'Paris', b: 'Milan', c: 'Madrid' };
/** The system under test makes no network call (`offline`), so replay mode expects calls from the judges only. */
const model = Object.assign(async (_input: unknown, ctx: { example: Example }) => answers[ctx.example.id!]!, {
  offline: true as const,
});
const verdict = (req: MockRequest) => {
  const ok = /Paris|Madrid/.test(req.lastUserMessage) && !/Milan/.test(req.lastUserMessage);
  return JSON.stringify({ reason: ok ? 'right' : 'wrong', score: ok ? 5 : 1 });
};

type ClientKind = 'openai' | 'anthropic' | 'ai-sdk' | 'complete';
function clientOf(kind: ClientKind, calls: { n: number }) {
  if (kind === 'openai') return new OpenAI({ baseURL: server.url, apiKey: 'test' });
  if (kind === 'anthropic') return new Anthropic({ baseURL: server.origin, apiKey: 'test' });
  if (kind === 'ai-sdk') return createOpenAI({ baseURL: server.url, apiKey: 'test' }).chat('judge-1');
  const openai = new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0 });
  const complete: JudgeComplete = async (messages, ctx) => {
    calls.n++;
    expect(ctx.model).toBe('judge-1');
    const r = await openai.chat.completions.create(
      { model: ctx.model, messages: messages.map((m) => ({ role: m.role, content: m.content })) },
      { signal: ctx.signal },
    );
    return r.choices[0]!.message.content ?? '';
  };
  return complete;
}

describe.each(['openai', 'anthropic', 'ai-sdk', 'complete'] as const)('judges on a %s client', (kind) => {
  it('llmJudge scores through the runtime, and a rerun with the cache sends nothing', async () => {
    respond = verdict;
    const calls = { n: 0 };
    const judge = llmJudge({
      client: clientOf(kind, calls),
      model: 'judge-1',
      rubric: 'Names the right capital.',
    });
    const cache = memoryCache();
    const r = await evaluate(qa, model, [judge], { cache, progress: false });
    expect(r.examples.map((e) => e.scores.llm_judge)).toEqual([5, 1, 5]);
    expect(r.totals.byKind?.judge.calls).toBe(3);
    const sent = server.requests.length;
    expect(sent).toBe(3);
    const again = await evaluate(qa, model, [judge], { cache, progress: false });
    expect(again.examples.map((e) => e.scores.llm_judge)).toEqual([5, 1, 5]);
    expect(server.requests.length).toBe(sent);
    expect(again.totals.byKind?.judge.cacheHits).toBe(3);
    if (kind === 'complete') expect(calls.n).toBe(3);
    // replay mode: the judge's calls come from the cache, nothing is sent; a different rubric is a replay miss
    const replayed = await evaluate(qa, model, [judge], {
      cache: { store: cache, mode: 'replay' },
      progress: false,
    });
    expect(replayed.examples.map((e) => e.scores.llm_judge)).toEqual([5, 1, 5]);
    expect(server.requests.length).toBe(sent);
    const other = llmJudge({ client: clientOf(kind, calls), model: 'judge-1', rubric: 'Another rubric.' });
    await expect(
      evaluate(qa, model, [other], { cache: { store: cache, mode: 'replay' }, progress: false }),
    ).rejects.toThrow(/replay/i);
    expect(server.requests.length).toBe(sent);
    if (kind === 'anthropic') {
      expect(server.requests[0]!.path).toContain('/messages');
      // the structured verdict travels as a forced tool on the Messages API
      expect(server.requests[0]!.body).toMatchObject({ tool_choice: { type: 'tool', name: 'verdict' } });
    }
  });

  it('pairwiseJudge and gEval (sampling without logprobs) work too', async () => {
    respond = (req) => {
      if (/winner/.test(req.lastUserMessage) || /response_1/.test(req.lastUserMessage))
        return JSON.stringify({ reason: 'first', winner: '1' });
      return '4';
    };
    const client = clientOf(kind, { n: 0 });
    const pair = pairwiseJudge({
      client,
      model: 'judge-1',
      criteria: 'Correct.',
      baseline: () => 'I do not know',
    });
    const r = await evaluate(qa.slice(0, 1), model, [pair], { progress: false });
    expect([r.metrics[pair.name]!.n, r.metrics[pair.name]!.nMissing]).toEqual([1, 0]);
    const g = gEval({
      client,
      model: 'judge-1',
      criteria: 'Correctness.',
      steps: ['Check the city.'],
      samples: 2,
    });
    const rg = await evaluate(qa.slice(0, 1), model, [g], { progress: false });
    expect([rg.metrics[g.name]!.n, rg.metrics[g.name]!.mean]).toEqual([1, 4]);
    if (kind !== 'openai') {
      expect(rg.examples[0]!.details![g.name]).toMatchObject({ method: 'sampling' });
      // the logprobs attempt, then two samples as two distinct calls (not one call cached twice)
      expect(rg.totals.byKind?.judge.calls).toBe(3);
    }
  });
});

describe('judge client checks', () => {
  it('refuses what is none of the four', () => {
    expect(() => llmJudge({ client: { foo: 1 } as never, model: 'm', rubric: 'r' })).toThrow(
      /Expected `client` to be an OpenAI client, an Anthropic client, an AI SDK model or a complete\(messages, ctx\) function/,
    );
  });
});
