/**
 * Records examples/vitest/baselines/qa.json: the production prompt's result against the mock endpoint.
 * Run once (the file is committed): `npx tsx examples/vitest/recordBaseline.ts`. Deterministic: the mock's
 * answers are a function of the question and the prompt, and the bootstrap is seeded.
 */
import { saveResult } from '../../src/result/saveResult.js';
import { evaluatePrompt, PROMPT_V1, startQaServer } from './_qa.js';

const server = await startQaServer();
try {
  const path = new URL('./baselines/qa.json', import.meta.url).pathname;
  await saveResult(await evaluatePrompt(server, PROMPT_V1), path);
  console.log(`wrote ${path}`);
} finally {
  await server.close();
}
