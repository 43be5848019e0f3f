// Child process of regexBacktracking.test.ts: evaluate() with a pattern that backtracks catastrophically on one
// row's output, default options. Prints each row's score and metric details as JSON; a run that hangs on that row
// is killed by the parent's hang detector.
import { evaluate } from '../../src/index.js';
import { regexMatch } from '../../src/metrics/index.js';

const outputs: Record<string, string> = { ok: 'aaaa', evil: `${'a'.repeat(40)}!`, no: 'b', late: 'aa' };
const result = await evaluate(
  Object.keys(outputs).map((id) => ({ id, input: id })),
  async (input) => outputs[input as string] as string,
  [regexMatch(/^(a+)+$/), regexMatch('(x+x+)+y', { name: 'nested' })],
  { progress: false, concurrency: 1 },
);
process.stdout.write(
  JSON.stringify(result.examples.map((r) => ({ id: r.id, scores: r.scores, details: r.details ?? null }))),
);
