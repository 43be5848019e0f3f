/**
 * A judged RAG evaluation, offline: a small retrieval-augmented QA set (written here), a "RAG system" that
 * answers from its retrieved passages (sometimes adding an unsupported detail), and LLM-judged metrics —
 * faithfulness, context relevance, context recall and a rubric judge — all against evalgate's mock server,
 * whose scripted judge plays the judge model. Prints each metric with its CI and the judge's measured biases.
 *
 *   npx tsx examples/ragJudge.ts
 */
import OpenAI from 'openai';
import { type Example, evaluate, formatResultTable } from '../src/index.js';
import { contextRecall, contextRelevance, faithfulness, llmJudge } from '../src/judge/index.js';
import { type MockRequest, startMockServer } from '../src/testing/index.js';

// Hand-written facts: each question has two retrieved passages, one on topic and one distractor.
const FACTS = [
  ['Mount Kilimanjaro', 'Kilimanjaro is the highest mountain in Africa.', 'Kilimanjaro is in Tanzania.'],
  ['The Danube', 'The Danube flows into the Black Sea.', 'The Danube passes through Vienna.'],
  ['The Atacama', 'The Atacama is one of the driest deserts on Earth.', 'The Atacama lies in Chile.'],
  ['Lake Baikal', 'Lake Baikal is the deepest lake in the world.', 'Lake Baikal is in Siberia.'],
  ['The Sahara', 'The Sahara is the largest hot desert.', 'The Sahara spans North Africa.'],
  ['Mount Fuji', 'Mount Fuji is the highest mountain in Japan.', 'Mount Fuji is an active volcano.'],
] as const;
const DISTRACTOR = 'Penguins live mostly in the Southern Hemisphere.';
const dataset: Example[] = FACTS.flatMap(([topic, a, b], i) =>
  [0, 1, 2, 3].map((k) => ({
    id: `rag-${i}-${k}`,
    input: `Tell me about ${topic}.`,
    reference: `${a} ${b}`,
    context: k % 2 === 0 ? [a, DISTRACTOR] : [a, b],
  })),
);

// The system under test: repeats what it retrieved, and on some questions adds a made-up detail.
const ragSystem = async (_input: unknown, ctx: { example: Example }) => {
  const facts = (ctx.example.context ?? []).filter((p) => p !== DISTRACTOR);
  const k = Number(ctx.example.id!.split('-')[2]);
  return k === 3 ? `${facts.join(' ')} It was first described in 1850.` : facts.join(' ');
};

// The scripted judge (what a judge model would answer, made deterministic for the example).
const tag = (text: string, name: string) =>
  new RegExp(`<${name}>\\n([\\s\\S]*?)\\n</${name}>`).exec(text)?.[1] ?? '';
const passages = (text: string) =>
  [...text.matchAll(/<passage id="\d+">\n([\s\S]*?)\n<\/passage>/g)].map((m) => m[1]!);
const sentences = (text: string) => text.split(/(?<=\.)\s+/).filter((s) => s.trim().length > 0);
function judge(req: MockRequest): string | undefined {
  const sys = req.systemMessage;
  const msg = req.lastUserMessage;
  if (sys.startsWith('Break the answer')) return JSON.stringify({ claims: sentences(tag(msg, 'answer')) });
  if (sys.startsWith('For each numbered claim')) {
    const claims = tag(msg, 'claims')
      .split('\n')
      .map((l) => l.replace(/^\d+\.\s*/, ''));
    return JSON.stringify({ supported: claims.map((c) => passages(msg).includes(c)) });
  }
  if (sys.includes('contains information relevant')) {
    const topic = tag(msg, 'question')
      .replace(/^Tell me about (the )?/i, '')
      .replace(/\.$/, '');
    return JSON.stringify({ relevant: passages(msg).map((p) => p.includes(topic.split(' ').at(-1)!)) });
  }
  if (sys.startsWith('Break the reference')) {
    const ps = passages(msg);
    return JSON.stringify({
      statements: sentences(tag(msg, 'reference_answer')).map((s) => ({
        statement: s,
        attributed: ps.includes(s),
      })),
    });
  }
  if (sys.includes('evaluator')) {
    const response = tag(msg, 'response');
    const made = response.includes('1850');
    return JSON.stringify({
      reason: made ? 'adds an unsupported date' : 'accurate and grounded',
      score: made ? 2 : 5,
    });
  }
  return undefined;
}

const server = await startMockServer({ respond: judge, latencyMs: 5 });
try {
  const client = new OpenAI({ baseURL: server.url, apiKey: 'mock-key' });
  const model = 'mock-judge';
  const result = await evaluate(
    dataset,
    ragSystem,
    [
      faithfulness({ client, model }),
      contextRelevance({ client, model }),
      contextRecall({ client, model }),
      llmJudge({
        client,
        model,
        rubric: 'Accurate, and grounded in the retrieved passages; no invented details.',
      }),
    ],
    { concurrency: 8, seed: 1 },
  );
  console.log(formatResultTable(result));
  const bias = result.metrics.llm_judge!.judge!;
  const lc = bias.lengthCorrelation!;
  console.log(
    `\nllm_judge bias: score vs answer length r = ${lc.r.toFixed(3)} [${lc.ci.low.toFixed(3)}, ${lc.ci.high.toFixed(3)}] (n = ${lc.n})` +
      `; judge ${bias.judgeModel}${bias.selfJudging === undefined ? '' : bias.selfJudging ? ' judges its own model' : ''}`,
  );
  const unfaithful = result.examples.filter((e) => (e.scores.faithfulness ?? 1) < 1).length;
  console.log(`${unfaithful} of ${result.n} answers contain a claim the context does not support.`);
  console.log(`${server.stats.byRoute['/v1/chat/completions']} judge calls to the mock server.`);
} finally {
  await server.close();
}
