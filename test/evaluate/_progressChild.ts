// Run by test/evaluate/progressLines.test.ts in a child process whose stderr is a pipe (not a TTY): a slow
// evaluation with the progress option given as JSON in argv[2] ("default" leaves it unset).
import { evaluate } from '../../src/index.js';

const arg = process.argv[2] ?? 'default';
const rows = Number(process.argv[3] ?? 30);
const delayMs = Number(process.argv[4] ?? 40);
const dataset = Array.from({ length: rows }, (_, i) => ({
  id: `r${i}`,
  input: i,
  reference: i % 5 === 0 ? 'x' : 'ok',
}));
const model = async () => {
  await new Promise((r) => setTimeout(r, delayMs));
  return { output: 'ok', usage: { inputTokens: 10, outputTokens: 5 }, costUsd: 0.001 };
};
const metric = {
  name: 'ok',
  kind: 'binary' as const,
  score: (c: { output: string; example: { reference?: unknown } }) =>
    c.output === c.example.reference ? 1 : 0,
};
const result = await evaluate(dataset, model, [metric], {
  concurrency: 1,
  resamples: 10,
  ...(arg === 'default' ? {} : { progress: JSON.parse(arg) }),
});
process.stdout.write(`done ${result.n}\n`);
