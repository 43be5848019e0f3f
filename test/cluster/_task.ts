// The task module of the cluster tests and of bench/scale.ts: what every worker imports (`evalgate worker
// test/cluster/_task.ts`) and what the coordinator passes to evaluate(). The mock server's URL comes from the
// environment, so one module serves every test's server.
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { type Example, type Metric, openaiModel } from '../../src/index.js';

const url = process.env.EVALGATE_TEST_MOCK_URL ?? 'http://127.0.0.1:9/v1';

export const model = openaiModel({
  model: 'gpt-4o-mini',
  client: new OpenAI({ baseURL: url, apiKey: 'test', maxRetries: 0 }),
  max_tokens: 8,
});

/** Binary: the echoed answer equals the reference (a third of the references differ on purpose). */
const exact: Metric = {
  name: 'exact',
  kind: 'binary',
  score: ({ example, output }) => (output === example.reference ? 1 : 0),
};

/** Continuous, varying from row to row, so that the bootstrap intervals depend on every score. */
const length: Metric = {
  name: 'length',
  kind: 'continuous',
  bounds: [0, 1],
  score: ({ output }) => (output.length % 10) / 10,
};

export const metrics: readonly Metric[] = [exact, length];

/** `n` examples answered by echo; every third one's reference is wrong. */
export function taskDataset(n: number, prefix = 'question'): Example[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `q${i}`,
    input: `${prefix} ${i}${'!'.repeat(i % 7)}`,
    reference: i % 3 === 0 ? 'wrong' : `${prefix} ${i}${'!'.repeat(i % 7)}`,
  }));
}

/** This module's path (what `cluster.task` and `evalgate worker` name). */
export const TASK_PATH = fileURLToPath(import.meta.url);
