/**
 * The main job, offline: evaluate two model variants on 300 generated questions, print each metric with its
 * confidence interval, compare the variants example by example, and write the JSON results.
 *
 *   npm run demo                      # against evalgate's own OpenAI-compatible mock server
 *   OPENAI_API_KEY=... npm run demo   # against a real endpoint (OPENAI_BASE_URL for a local server;
 *                                     # EVALGATE_DEMO_MODEL picks the model, default gpt-4o-mini)
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import {
  compare,
  type EvalResult,
  evaluate,
  formatComparisonTable,
  formatResultTable,
  loadJsonl,
  openaiModel,
  saveResult,
} from '../src/index.js';
import { exactMatch, levenshtein } from '../src/metrics/index.js';
import { startMockServer } from '../src/testing/index.js';
import { mockAnswer, unitHash } from './_mockSolver.js';

const dataset = fileURLToPath(new URL('./data/arithmetic.jsonl', import.meta.url));
const outDir = fileURLToPath(new URL('../results/', import.meta.url));
const live = Boolean(process.env.OPENAI_API_KEY);

const server = live
  ? undefined
  : await startMockServer({
      respond: (req) => mockAnswer(req.model, req.lastUserMessage),
      // 20-50 ms per call, varying by question, like a fast hosted model.
      latencyMs: (req) => 20 + Math.floor(unitHash(req.lastUserMessage) * 30),
    });
const client = server ? new OpenAI({ baseURL: server.url, apiKey: 'mock-key' }) : new OpenAI();
const liveModel = process.env.EVALGATE_DEMO_MODEL ?? 'gpt-4o-mini';

// Two variants of "the system": in mock mode two models of different strength; live, two prompts.
const variants = server
  ? [
      { name: 'strong', model: 'mock-strong', system: 'Answer with the final answer only.' },
      { name: 'weak', model: 'mock-weak', system: 'Answer with the final answer only.' },
    ]
  : [
      {
        name: 'strong',
        model: liveModel,
        system: 'Answer with the final answer only: a number or a single letter.',
      },
      { name: 'weak', model: liveModel, system: 'Answer in one short sentence.' },
    ];

// Letters are answers here, so keep the article "a" (SQuAD normalization would drop it).
const metrics = [
  exactMatch({ name: 'exact_match', removeArticles: false }),
  levenshtein({ name: 'edit_similarity' }),
];
mkdirSync(outDir, { recursive: true });

try {
  const results: Record<string, EvalResult> = {};
  for (const v of variants) {
    const model = openaiModel({ client, model: v.model, system: v.system, temperature: 0, max_tokens: 32 });
    const result = await evaluate(loadJsonl(dataset), model, metrics, { concurrency: 16, seed: 1 });
    results[v.name] = result;
    const file = `${outDir}demo-${v.name}.json`;
    await saveResult(result, file);
    console.log(`\n${v.name} (${v.model}${server ? ', mock server' : ''}) -> ${file}`);
    console.log(formatResultTable(result));
  }
  // Same 300 questions, paired by id: McNemar for exact match, paired t for edit similarity, Holm across both.
  const comparison = compare(results.strong!, results.weak!, { margin: 0.02 });
  console.log('\nweak (candidate) vs strong (baseline), paired by example:');
  console.log(formatComparisonTable(comparison));
} finally {
  await server?.close();
}
