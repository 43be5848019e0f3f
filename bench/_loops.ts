// The loops a user would write without evalgate, for bench/throughput.ts: measured in a process of their own
// (bench/_baselineLoops.ts) and, to show what evalgate's promise hooks cost them, beside evaluate().
import type OpenAI from 'openai';
import PQueue from 'p-queue';
import type { Example } from '../src/core/types.js';
import { BENCH_MODEL, benchDataset, echo, RESAMPLES, SEED, scoreOf } from './_benchRows.js';
import { built } from './_built.js';

const { bootstrapCI } = await built<typeof import('../src/stats/index.js')>('stats/index.js');

/** (b)'s loop: p-queue, the in-process model, the metric, then the same interval. Returns ms and the mean. */
export async function handWritten(n: number, concurrency: number): Promise<{ ms: number; mean: number }> {
  const ds = benchDataset(n);
  const t0 = performance.now();
  const queue = new PQueue({ concurrency });
  const scores = new Float64Array(ds.length);
  ds.forEach((ex, i) => {
    queue.add(async () => {
      scores[i] = scoreOf(ex, await echo(ex.input));
    });
  });
  await queue.onIdle();
  const ci = bootstrapCI(scores, { resamples: RESAMPLES, seed: SEED, confidence: 0.95, method: 'bca' });
  return { ms: performance.now() - t0, mean: ci.estimate };
}

/** (c)'s loop: a bare openai SDK + p-queue loop over `ds` with `client`. Returns examples per second. */
export async function bareLoop(client: OpenAI, ds: readonly Example[], concurrency: number): Promise<number> {
  const queue = new PQueue({ concurrency });
  const t0 = performance.now();
  let ok = 0;
  for (const ex of ds) {
    queue.add(async () => {
      const res = await client.chat.completions.create({
        model: BENCH_MODEL,
        messages: [{ role: 'user', content: String(ex.input) }],
      });
      if ((res.choices[0]?.message.content ?? '').includes(String(ex.reference))) ok++;
    });
  }
  await queue.onIdle();
  if (ok !== ds.length) throw new Error(`bare loop: ${ok} of ${ds.length} answers matched`);
  return ds.length / ((performance.now() - t0) / 1000);
}
