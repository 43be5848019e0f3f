// Child process of jsonlStreaming.test.ts, run with --expose-gc: evaluates a large JSONL dataset with
// `output` set and reports the largest heap retained after a full GC at several points of the run.
import { evaluate, loadJsonl } from '../../src/index.js';

const [input, output] = process.argv.slice(2) as [string, string];
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
gc();
const base = process.memoryUsage().heapUsed;
let peak = 0;
let seen = 0;
const result = await evaluate(
  loadJsonl(input),
  async (text) => String(text).slice(0, 8),
  [{ name: 'len', kind: 'continuous', score: ({ output: o }) => o.length }],
  {
    concurrency: 64,
    output,
    progress: false,
    onResult: () => {
      if (++seen % 20_000 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - base);
      }
    },
  },
);
gc();
const retained = process.memoryUsage().heapUsed - base;
process.stdout.write(
  JSON.stringify({
    n: result.n,
    mean: result.metrics.len!.mean,
    examples: result.examples.length,
    peakMB: peak / 2 ** 20,
    retainedMB: retained / 2 ** 20,
  }),
);
