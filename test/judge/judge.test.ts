import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { memoryCache } from '../../src/cache/index.js';
import { type Example, evaluate, loadResult, openaiModel, saveResult } from '../../src/index.js';
import {
  answerRelevance,
  contextPrecision,
  contextRecall,
  contextRelevance,
  faithfulness,
  gEval,
  judgeBiasReport,
  llmJudge,
  pairwiseJudge,
} from '../../src/judge/index.js';
import { cosineSimilarity } from '../../src/metrics/index.js';
import {
  type MockAnswer,
  type MockRequest,
  type MockServer,
  mockEmbedding,
  startMockServer,
} from '../../src/testing/index.js';

const tag = (text: string, name: string): string => {
  const m = new RegExp(`<${name}>\\n([\\s\\S]*?)\\n</${name}>`).exec(text);
  return m ? m[1]! : '';
};
const passagesOf = (text: string): string[] =>
  [...text.matchAll(/<passage id="\d+">\n([\s\S]*?)\n<\/passage>/g)].map((m) => m[1]!);
const sentences = (text: string): string[] =>
  text
    .split(/(?<=\.)\s+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** A scripted judge: answers each judge prompt deterministically from its content. */
let respond: (req: MockRequest) => MockAnswer | undefined = () => undefined;
let server: MockServer;
let client: OpenAI;
beforeAll(async () => {
  server = await startMockServer({ respond: (req) => respond(req) });
  client = new OpenAI({ baseURL: server.url, apiKey: 'test' });
});
afterEach(() => server.reset());
afterAll(async () => {
  await server.close();
});

const qa: Example[] = [
  { id: 'a', input: 'Capital of France?', reference: 'Paris' },
  { id: 'b', input: 'Capital of Italy?', reference: 'Rome' },
  { id: 'c', input: 'Capital of Spain?', reference: 'Madrid' },
  { id: 'd', input: 'Capital of Peru?', reference: 'Lima' },
];
const answers: Record<string, string> = { a: 'Paris', b: 'Milan, I think', c: 'Madrid', d: 'no idea' };
const answerModel = async (_input: unknown, ctx: { example: Example }) => answers[ctx.example.id!]!;

describe('llmJudge', () => {
  it('scores with structured verdicts and keeps the reasons', async () => {
    respond = (req) => {
      const response = tag(req.lastUserMessage, 'response');
      const reference = tag(req.lastUserMessage, 'reference_answer');
      const ok = response.includes(reference);
      return JSON.stringify({ reason: ok ? 'matches the reference' : 'wrong city', score: ok ? 5 : 1 });
    };
    const judge = llmJudge({ client, model: 'judge-1', rubric: 'Names the right capital.' });
    const r = await evaluate(qa, answerModel, [judge], { progress: false });
    expect(r.examples.map((e) => e.scores.llm_judge)).toEqual([5, 1, 5, 1]);
    expect(r.metrics.llm_judge!.mean).toBe(3);
    expect(r.examples[1]!.details!.llm_judge).toEqual({ reason: 'wrong city' });
    const body = server.requests[0]!.body as {
      response_format: { type: string; json_schema: { schema: unknown } };
    };
    expect(body.response_format.type).toBe('json_schema');
    expect(body.response_format.json_schema.schema).toMatchObject({
      properties: { score: { type: 'integer', minimum: 1, maximum: 5 } },
      required: ['reason', 'score'],
    });
    const messages = (server.requests[0]!.body as { messages: { role: string; content: string }[] }).messages;
    expect(messages[0]!.role).toBe('system');
    expect(messages[0]!.content).toContain('Names the right capital.');
  });

  it('works with a forced tool call instead of a response format', async () => {
    respond = () => JSON.stringify({ reason: 'fine', score: 4 });
    const judge = llmJudge({
      client,
      model: 'judge-1',
      rubric: 'Any.',
      mode: 'tool',
      scale: { min: 0, max: 10 },
    });
    const r = await evaluate(qa.slice(0, 2), answerModel, [judge], { progress: false });
    expect(r.metrics.llm_judge!.mean).toBe(4);
    expect((server.requests[0]!.body as { tool_choice: unknown }).tool_choice).toEqual({
      type: 'function',
      function: { name: 'verdict' },
    });
  });

  it('records malformed and off-scale verdicts as missing, with the raw text, never as a score', async () => {
    const replies: Record<string, string> = {
      Paris: '{"reason": "ok", "score": 5}',
      'Milan, I think': 'I would give this a 4.',
      Madrid: '{"reason": "great", "score": 9}',
      'no idea': '{"reason": "meh", "score": 2.5}',
    };
    respond = (req) => replies[tag(req.lastUserMessage, 'response')];
    const r = await evaluate(qa, answerModel, [llmJudge({ client, model: 'judge-1', rubric: 'r' })], {
      progress: false,
    });
    const m = r.metrics.llm_judge!;
    expect([m.n, m.nMissing, m.mean]).toEqual([1, 3, 5]);
    expect(r.examples[1]!.scores.llm_judge).toBeNull();
    expect(r.examples[1]!.details!.llm_judge).toEqual({
      error: "llmJudge: the judge's reply is not JSON",
      raw: 'I would give this a 4.',
    });
    expect(r.examples[2]!.details!.llm_judge).toEqual({
      error: 'llmJudge: score 9 is off the scale [1, 5]',
      raw: '{"reason": "great", "score": 9}',
    });
    expect(r.examples[3]!.details!.llm_judge).toMatchObject({
      error: 'llmJudge: expected an integer `score`, got `2.5` (number)',
    });
  });

  it('goes through the cache: a second run sends no judge request', async () => {
    respond = () => JSON.stringify({ reason: 'x', score: 3 });
    const cache = memoryCache();
    const judge = llmJudge({ client, model: 'judge-1', rubric: 'r' });
    const first = await evaluate(qa, answerModel, [judge], { cache, progress: false });
    expect(server.stats.byRoute['/v1/chat/completions']).toBe(4);
    const second = await evaluate(qa, answerModel, [judge], { cache, progress: false });
    expect(server.stats.byRoute['/v1/chat/completions']).toBe(4);
    expect(second.totals.cacheHits).toBe(4);
    expect(second.metrics.llm_judge!.mean).toBe(first.metrics.llm_judge!.mean);
  });

  it('measures a length bias and flags a judge judging its own model', async () => {
    // A judge that likes long answers: score grows with the response's length.
    respond = (req) => {
      if (!req.systemMessage.includes('evaluator'))
        return 'x'.repeat(5 + (req.lastUserMessage.length % 7) * 15);
      const len = tag(req.lastUserMessage, 'response').length;
      return JSON.stringify({ reason: 'long is good', score: Math.min(5, 1 + Math.floor(len / 20)) });
    };
    const data = Array.from({ length: 30 }, (_, i) => ({ id: `q${i}`, input: `question number ${i}` }));
    const model = openaiModel({ client, model: 'same-model' });
    const r = await evaluate(data, model, [llmJudge({ client, model: 'same-model', rubric: 'Helpful.' })], {
      progress: false,
    });
    const bias = r.metrics.llm_judge!.judge!;
    expect(bias.judgeModel).toBe('same-model');
    expect(bias.selfJudging).toBe(true);
    expect(bias.lengthCorrelation!.n).toBe(30);
    expect(bias.lengthCorrelation!.r).toBeGreaterThan(0.9);
    expect(bias.lengthCorrelation!.ci.low).toBeGreaterThan(0.5);
    expect(r.config.model).toBe('same-model');
    // The standalone report recomputes the same correlation from the records, also after a save and load.
    const again = judgeBiasReport(r, 'llm_judge');
    expect(again.lengthCorrelation!.r).toBe(bias.lengthCorrelation!.r);
    expect(again.selfJudging).toBe(true);
    const file = join(mkdtempSync(join(tmpdir(), 'evalgate-judge-')), 'r.json');
    await saveResult(r, file);
    const loaded = await loadResult(file);
    expect(loaded.metrics.llm_judge!.judge).toEqual(bias);
    expect(judgeBiasReport(loaded, 'llm_judge').lengthCorrelation!.r).toBe(bias.lengthCorrelation!.r);
  });

  it.each([
    [{ model: 'j' }, 'Expected `rubric` to be a non-empty string, got `undefined` (undefined)'],
    [{ model: '', rubric: 'r' }, 'Expected `model` to be a non-empty string, got `""` (string)'],
    [
      { model: 'j', rubric: 'r', mode: 'xml' },
      "Expected `mode` to be 'json_schema' | 'tool', got `\"xml\"` (string)",
    ],
  ])('rejects bad options %j', (options, message) => {
    expect(() => llmJudge(options as never)).toThrow(new TypeError(message));
  });
});

describe('pairwiseJudge', () => {
  const baselineAnswers: Record<string, string> = { a: 'Lyon', b: 'Rome', c: 'Barcelona', d: 'Cusco' };
  const options = {
    client,
    model: 'judge-2',
    criteria: 'Names the right capital.',
    baseline: (ex: Example) => baselineAnswers[ex.id!]!,
  };

  it('judges both orders; a fair judge is position-consistent', async () => {
    const right: Record<string, string> = { a: 'Paris', b: 'Rome', c: 'Madrid', d: 'Lima' };
    respond = (req) => {
      const q = tag(req.lastUserMessage, 'question');
      const id = qa.find((e) => e.input === q)!.id!;
      const r1 = tag(req.lastUserMessage, 'response_1');
      const r2 = tag(req.lastUserMessage, 'response_2');
      const winner = r1 === right[id] ? '1' : r2 === right[id] ? '2' : 'tie';
      return JSON.stringify({ reason: 'checked', winner });
    };
    const r = await evaluate(qa, answerModel, [pairwiseJudge({ ...options, client })], { progress: false });
    // a: candidate right (win), b: baseline right (loss), c: candidate right (win), d: neither (tie).
    expect(r.examples.map((e) => e.scores.pairwise)).toEqual([1, 0, 1, 0.5]);
    expect(r.metrics.pairwise!.mean).toBe(0.625);
    expect(r.metrics.pairwise!.judge!.positionConsistency).toEqual({ rate: 1, n: 4, firstPositionRate: 0.5 });
    expect(server.stats.byRoute['/v1/chat/completions']).toBe(8);
    expect(r.examples[0]!.details!.pairwise).toMatchObject({
      verdicts: ['candidate', 'candidate'],
      consistent: true,
    });
  });

  it('exposes a position-biased judge: consistency drops and inconsistent pairs count as ties', async () => {
    respond = () => JSON.stringify({ reason: 'the first one', winner: '1' });
    const r = await evaluate(qa, answerModel, [pairwiseJudge({ ...options, client })], { progress: false });
    expect(r.examples.map((e) => e.scores.pairwise)).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(r.metrics.pairwise!.judge!.positionConsistency).toEqual({ rate: 0, n: 4, firstPositionRate: 1 });
    expect(r.examples[0]!.details!.pairwise).toMatchObject({
      verdicts: ['candidate', 'baseline'],
      consistent: false,
    });
    const dropped = await evaluate(
      qa,
      answerModel,
      [pairwiseJudge({ ...options, client, inconsistent: 'missing' })],
      {
        progress: false,
      },
    );
    expect(dropped.metrics.pairwise!.nMissing).toBe(4);
    expect(dropped.metrics.pairwise!.judge!.positionConsistency!.rate).toBe(0);
  });
});

describe('gEval', () => {
  it('weights the score token by its top logprobs, renormalized over the allowed scores', async () => {
    const p = { '4': 0.6, '5': 0.3, '3': 0.05, x: 0.05 };
    respond = () => ({
      content: '4',
      logprobs: [
        {
          token: '4',
          logprob: Math.log(p['4']),
          topLogprobs: Object.entries(p).map(([token, q]) => ({ token, logprob: Math.log(q) })),
        },
      ],
    });
    const r = await evaluate(
      qa.slice(0, 1),
      answerModel,
      [gEval({ client, model: 'judge-3', criteria: 'Correctness.' })],
      {
        progress: false,
      },
    );
    const want = (4 * 0.6 + 5 * 0.3 + 3 * 0.05) / 0.95;
    const got = r.examples[0]!.scores.g_eval!;
    expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-12 * want);
    expect(r.examples[0]!.details!.g_eval).toMatchObject({ method: 'logprobs' });
    const body = server.requests[0]!.body as { logprobs: boolean; top_logprobs: number };
    expect([body.logprobs, body.top_logprobs]).toEqual([true, 20]);
  });

  it('falls back to sampling verdicts when the endpoint returns no logprobs, and says so', async () => {
    // An endpoint that ignores `logprobs` (some OpenAI-compatible servers do): strip them on the way back.
    const stripping = new OpenAI({
      baseURL: server.url,
      apiKey: 'test',
      fetch: async (url, init) => {
        const res = await fetch(url, init);
        const json = (await res.json()) as { choices?: { logprobs?: unknown }[] };
        for (const c of json.choices ?? []) c.logprobs = null;
        return new Response(JSON.stringify(json), { status: res.status, headers: res.headers });
      },
    });
    respond = (req) => String(3 + (req.choiceIndex % 2)); // samples alternate 3, 4
    const r = await evaluate(
      qa.slice(0, 1),
      answerModel,
      [gEval({ client: stripping, model: 'judge-3', criteria: 'Correctness.', samples: 6 })],
      { progress: false },
    );
    expect(r.examples[0]!.scores.g_eval).toBe(3.5);
    expect(r.examples[0]!.details!.g_eval).toEqual({
      method: 'sampling',
      samples: [3, 4, 3, 4, 3, 4],
      invalid: 0,
    });
    const sampled = server.requests[1]!.body as { n: number; temperature: number };
    expect([sampled.n, sampled.temperature]).toEqual([6, 1]);
  });

  it('a reply with no score token is missing, not a default', async () => {
    respond = () => 'Great answer!';
    const r = await evaluate(qa.slice(0, 1), answerModel, [gEval({ client, model: 'j', criteria: 'c' })], {
      progress: false,
    });
    expect(r.metrics.g_eval!.nMissing).toBe(1);
    expect(r.examples[0]!.details!.g_eval).toMatchObject({
      error: 'gEval: no output token is a score on the scale',
    });
  });
});

describe('RAG metrics on hand-made examples', () => {
  // A scripted RAG judge: claims are the answer's sentences; a claim or statement is supported when a passage
  // contains it verbatim; a passage is relevant / useful when it shares a capitalized word with the question
  // or the reference answer.
  respond = () => undefined;
  const ragJudge = (req: MockRequest): MockAnswer | undefined => {
    const sys = req.systemMessage;
    const msg = req.lastUserMessage;
    const passages = passagesOf(msg);
    const words = (s: string) => new Set(s.match(/\b[A-Z][a-z]+\b/g) ?? []);
    const shares = (p: string, s: string) => [...words(s)].some((w) => p.includes(w));
    if (sys.startsWith('Break the answer'))
      return JSON.stringify({
        claims: sentences(tag(msg, 'answer')).filter((s) => !s.endsWith('?') && s.length > 6),
      });
    if (sys.startsWith('For each numbered claim')) {
      const claims = tag(msg, 'claims')
        .split('\n')
        .map((l) => l.replace(/^\d+\.\s*/, ''));
      return JSON.stringify({ supported: claims.map((c) => passages.some((p) => p.includes(c))) });
    }
    if (sys.includes('contains information relevant'))
      return JSON.stringify({ relevant: passages.map((p) => shares(p, tag(msg, 'question'))) });
    if (sys.includes('useful for arriving'))
      return JSON.stringify({ useful: passages.map((p) => shares(p, tag(msg, 'reference_answer'))) });
    if (sys.startsWith('Break the reference'))
      return JSON.stringify({
        statements: sentences(tag(msg, 'reference_answer')).map((s) => ({
          statement: s,
          attributed: passages.some((p) => p.includes(s)),
        })),
      });
    if (sys.startsWith('Write'))
      return JSON.stringify({
        questions: ['What is the capital of France?', 'Which city is the capital of France?'],
      });
    return undefined;
  };
  const rag: Example[] = [
    {
      id: 'r1',
      input: 'What is the capital of France?',
      reference: 'Paris is the capital of France. Paris lies on the Seine.',
      context: ['Bananas are yellow.', 'Paris is the capital of France.', 'France is in Europe.'],
    },
    {
      id: 'r2',
      input: 'What is the capital of France?',
      reference: 'Paris is the capital of France.',
      context: ['Paris is the capital of France.'],
    },
  ];
  const ragAnswers: Record<string, string> = {
    r1: 'Paris is the capital of France. Paris has 90 million people.',
    r2: 'Hmm?',
  };
  const ragModel = async (_i: unknown, ctx: { example: Example }) => ragAnswers[ctx.example.id!]!;

  it('faithfulness = supported claims / claims; no claims is missing', async () => {
    respond = ragJudge;
    const r = await evaluate(rag, ragModel, [faithfulness({ client, model: 'j' })], { progress: false });
    expect(r.examples[0]!.scores.faithfulness).toBe(0.5);
    expect(r.examples[0]!.details!.faithfulness).toEqual({
      claims: ['Paris is the capital of France.', 'Paris has 90 million people.'],
      supported: [true, false],
    });
    expect(r.examples[1]!.scores.faithfulness).toBeNull();
    expect(r.metrics.faithfulness!.nMissing).toBe(1);
  });

  it('context relevance, precision and recall', async () => {
    respond = ragJudge;
    const r = await evaluate(
      rag.slice(0, 1),
      ragModel,
      [
        contextRelevance({ client, model: 'j' }),
        contextPrecision({ client, model: 'j' }),
        contextRecall({ client, model: 'j' }),
      ],
      { progress: false },
    );
    const s = r.examples[0]!.scores;
    // relevant to "What is the capital of France?": passages 2 and 3 mention France.
    expect(s.context_relevance).toBe(2 / 3);
    // useful for the reference (Paris, France, Seine): [false, true, true] -> (1/2 + 2/3) / 2
    expect(s.context_precision).toBe((1 / 2 + 2 / 3) / 2);
    // reference statements: "Paris is the capital of France." is in the context, "Paris lies on the Seine." is not.
    expect(s.context_recall).toBe(0.5);
  });

  it('answer relevance = mean cosine between generated questions and the real one', async () => {
    respond = ragJudge;
    const embed = async (texts: readonly string[]) => texts.map((t) => mockEmbedding(t, { dimensions: 64 }));
    const r = await evaluate(rag.slice(0, 1), ragModel, [answerRelevance({ client, model: 'j', embed })], {
      progress: false,
    });
    const q = mockEmbedding('What is the capital of France?', { dimensions: 64 });
    const want =
      (cosineSimilarity(q, mockEmbedding('What is the capital of France?', { dimensions: 64 })) +
        cosineSimilarity(q, mockEmbedding('Which city is the capital of France?', { dimensions: 64 }))) /
      2;
    expect(Math.abs(r.examples[0]!.scores.answer_relevance! - want)).toBeLessThanOrEqual(1e-12);
  });

  it('a RAG metric without context is a clear error on that example', async () => {
    respond = ragJudge;
    const r = await evaluate(
      [{ id: 'x', input: 'q' }],
      async () => 'An answer.',
      [faithfulness({ client, model: 'j' })],
      {
        progress: false,
      },
    );
    expect(r.examples[0]!.details!.faithfulness).toEqual({
      error: {
        name: 'TypeError',
        message:
          'Metric `faithfulness` needs `example.context` (retrieved passages) on example "x", got `undefined` (undefined)',
      },
    });
  });
});
