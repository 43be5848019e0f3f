/**
 * Is your judge right? A support-answer evaluation judged by an LLM judge that is too lenient (it passes a
 * share of wrong answers), with human labels on a seeded random subset of the examples. The judge's own
 * interval is precise about the wrong number; the calibrated (PPI++) estimate, using the labels, moves to the
 * human-level accuracy with an interval that includes the judge's error. Everything runs offline against
 * evalgate's mock server, which plays the judge model.
 *
 *   npx tsx examples/calibratedJudge.ts
 */
import OpenAI from 'openai';
import { memoryCache } from '../src/cache/index.js';
import { type Example, evaluate, markdownSummary, sampleForLabeling } from '../src/index.js';
import { llmJudge } from '../src/judge/index.js';
import { labelsNeeded } from '../src/stats/index.js';
import { type MockRequest, startMockServer } from '../src/testing/index.js';

// 400 support questions; the assistant answers 70% of them correctly (which answers are right is what a human
// rater would tell us).
const N = 400;
const hash = (i: number, salt: number) => {
  let h = Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(salt, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  return ((h ^ (h >>> 12)) >>> 0) / 4294967296;
};
const isRight = (i: number) => hash(i, 1) < 0.7;
const dataset: Example[] = Array.from({ length: N }, (_, i) => ({
  id: `ticket-${i}`,
  input: `Support question #${i}`,
  metadata: { product: i % 3 === 0 ? 'billing' : 'accounts' },
}));
const assistant = async (_input: unknown, ctx: { example: Example }) => {
  const i = Number(ctx.example.id!.slice('ticket-'.length));
  return isRight(i) ? `Answer ${i}: follow steps A, B, C.` : `Answer ${i}: please reinstall the app.`;
};

// The judge model (scripted): it passes 95% of the right answers but also 45% of the wrong ones.
function judgeModel(req: MockRequest): string | undefined {
  const m = /Answer (\d+): (follow|please)/.exec(req.lastUserMessage);
  if (m === null) return undefined;
  const i = Number(m[1]);
  const pass = m[2] === 'follow' ? hash(i, 2) < 0.95 : hash(i, 3) < 0.45;
  return JSON.stringify({ reason: pass ? 'looks helpful' : 'does not solve it', score: pass ? 1 : 0 });
}

const server = await startMockServer({ respond: judgeModel });
try {
  const client = new OpenAI({ baseURL: server.url, apiKey: 'mock-key' });
  const judge = llmJudge({
    client,
    model: 'mock-judge',
    rubric: 'Does the answer solve the problem?',
    scale: { min: 0, max: 1 },
    name: 'solved',
  });
  // The cache makes the labeled rerun free: every judge call is replayed.
  const options = { seed: 1, concurrency: 8, progress: false as const, cache: memoryCache() };

  // 1. Judge everything; pick a seeded random 120 examples for human raters.
  const first = await evaluate(dataset, assistant, [judge], options);
  const toLabel = new Set(sampleForLabeling(first, 120, { seed: 7 }));

  // 2. The raters' labels come back (here: the truth); attach them as Example.labels and evaluate again
  //    (in a real project, loadLabels('labels.jsonl') + withLabels(dataset, labels), with the cache on).
  const labeled = dataset.map((ex, i) =>
    toLabel.has(ex.id!) ? { ...ex, labels: { solved: isRight(i) ? 1 : 0 } } : ex,
  );
  const result = await evaluate(labeled, assistant, [judge], { ...options, segmentBy: 'product' });

  const raw = result.metrics.solved!;
  const cal = raw.calibrated!;
  const truth = dataset.filter((_, i) => isRight(i)).length / N;
  const f = (x: number) => x.toFixed(4);
  console.log(`human-level accuracy (known here): ${f(truth)}`);
  console.log(
    `raw judge:   ${f(raw.mean)} [${f(raw.ci.low)}, ${f(raw.ci.high)}] (${raw.ci.method}, n = ${raw.n})`,
  );
  console.log(
    `calibrated:  ${f(cal.mean)} [${f(cal.ci.low)}, ${f(cal.ci.high)}] (ppi++, lambda ${cal.lambda.toFixed(3)}, ${cal.nLabeled} human labels, ${cal.nUnlabeled} unlabeled)`,
  );
  const agreement = cal.agreement as {
    kappa: { estimate: number };
    tpr: { estimate: number };
    tnr: { estimate: number };
  };
  console.log(
    `judge vs humans: kappa ${agreement.kappa.estimate.toFixed(3)}, TPR ${agreement.tpr.estimate.toFixed(3)}, TNR ${agreement.tnr.estimate.toFixed(3)}`,
  );
  const plan = labelsNeeded({ correlation: 0.6, N, halfWidth: 0.05 });
  console.log(
    `labels for a ±0.05 interval at judge-human correlation 0.6: ${plan.n} (labels alone: ${plan.classicalN})`,
  );
  console.log(`judge calls to the mock server: ${server.stats.byRoute['/v1/chat/completions']}`);
  console.log(`\n${markdownSummary({ results: [{ name: 'support', ...result }] })}`);
} finally {
  await server.close();
}
