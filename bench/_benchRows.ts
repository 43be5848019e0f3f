// The rows, model and metric bench/throughput.ts measures, shared by evaluate()'s side and the baseline loops'
// process (bench/_baselineLoops.ts), so both do the same work.
import type { Example } from '../src/core/types.js';

export const BENCH_MODEL = 'mock-bench';
export const RESAMPLES = 200;
export const SEED = 7;

export function benchDataset(n: number): Example[] {
  return Array.from({ length: n }, (_, i) => ({ id: `q${i}`, input: `question ${i}`, reference: `${i}` }));
}

/** The in-process model: an async function, as a user's model is. */
export const echo = async (input: unknown) => `echo: ${String(input)}`;

/** The metric: varies by row (an example whose id ends in 3 scores 0), so the bootstrap has work to do. */
export const scoreOf = (example: Example, output: string) =>
  output.includes(String(example.reference)) && !String(example.id).endsWith('3') ? 1 : 0;
