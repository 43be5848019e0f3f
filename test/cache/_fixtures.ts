// Shared by the end-to-end tests of test/cache and test/scheduler: a small dataset the mock server answers by
// echo, and an exact-match metric, so every answer is known in advance.
import type { EvalResult, Example, Metric } from '../../src/index.js';

export function echoDataset(n: number, prefix = 'question'): Example[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `q${i}`,
    input: `${prefix} ${i}`,
    reference: `${prefix} ${i}`,
  }));
}

export const echoMatch: Metric = {
  name: 'echo',
  kind: 'binary',
  score: ({ example, output }) => (output === example.reference ? 1 : 0),
};

/** What must be identical between two runs of the same dataset: per-example outputs and scores, and means. */
export function essence(r: EvalResult) {
  const rows = [...r.examples]
    .map((e) => ({ id: e.id, trial: e.trial, output: e.output, scores: e.scores, error: e.error }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.trial - b.trial));
  const means = Object.fromEntries(Object.entries(r.metrics).map(([k, m]) => [k, m.mean]));
  return { n: r.n, nFailed: r.nFailed, rows, means };
}
