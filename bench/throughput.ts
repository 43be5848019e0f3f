/**
 * Throughput of evaluate() + openaiModel(), and of evaluate() over a user's own pipeline through
 * `wrapOpenAI(client)`, against the mock server (latency 100 ms, in its own process), next to the baseline a user
 * would otherwise write: a bare `openai` SDK + `p-queue` loop on the same server, measured in the same run,
 * alternating, best of `ROUNDS`. Prints examples/s and the ratios per concurrency.
 * Target: ratio >= 0.9 at every concurrency.   npx tsx bench/throughput.ts
 */
import OpenAI from 'openai';
import PQueue from 'p-queue';
import type { Example, Metric } from '../src/core/types.js';
import { evaluate, openaiModel, wrapOpenAI } from '../src/index.js';
import { startMockProcess } from './_mockProcess.js';

const LATENCY_MS = 100;
const CONCURRENCIES = [8, 64, 256];
const ROUNDS = 3;
const MODEL = 'mock-bench';

const server = await startMockProcess(LATENCY_MS);
const client = new OpenAI({ baseURL: server.url, apiKey: 'bench', maxRetries: 0 });
const contains: Metric = {
  name: 'contains',
  kind: 'binary',
  score: ({ example, output }) => (output.includes(String(example.reference)) ? 1 : 0),
};

function dataset(n: number): Example[] {
  return Array.from({ length: n }, (_, i) => ({ id: `q${i}`, input: `question ${i}`, reference: `${i}` }));
}

async function bare(ds: readonly Example[], concurrency: number): Promise<number> {
  const queue = new PQueue({ concurrency });
  const t0 = performance.now();
  let ok = 0;
  for (const ex of ds) {
    queue.add(async () => {
      const res = await client.chat.completions.create({
        model: MODEL,
        messages: [{ role: 'user', content: String(ex.input) }],
      });
      if ((res.choices[0]?.message.content ?? '').includes(String(ex.reference))) ok++;
    });
  }
  await queue.onIdle();
  if (ok !== ds.length) throw new Error(`bare loop: ${ok} of ${ds.length} answers matched`);
  return ds.length / ((performance.now() - t0) / 1000);
}

const wrapped = wrapOpenAI(client);
/** A user's own pipeline: the wrapped client called from a plain function. */
const pipeline = async (input: unknown) => {
  const res = await wrapped.chat.completions.create({
    model: MODEL,
    messages: [{ role: 'user', content: String(input) }],
  });
  return res.choices[0]?.message.content ?? '';
};

async function viaEvaluate(ds: readonly Example[], concurrency: number, own = false): Promise<number> {
  const t0 = performance.now();
  const r = await evaluate(ds, own ? pipeline : openaiModel({ client, model: MODEL }), [contains], {
    concurrency,
    progress: false,
    resamples: 999,
  });
  const elapsed = performance.now() - t0;
  if (r.metrics.contains!.mean !== 1 || r.nFailed !== 0) throw new Error('evaluate: unexpected failures');
  return ds.length / (elapsed / 1000);
}

try {
  // Warm up connections and JIT.
  await bare(dataset(64), 64);
  await viaEvaluate(dataset(64), 64);
  await viaEvaluate(dataset(64), 64, true);
  console.log(
    `evaluate() + openaiModel vs bare openai SDK + p-queue, mock latency ${LATENCY_MS} ms, best of ${ROUNDS}`,
  );
  console.log('concurrency  examples  bare ex/s  openaiModel ex/s  ratio  wrapOpenAI ex/s  ratio');
  const mark = (x: number) => `${x.toFixed(3)}${x >= 0.9 ? ' ' : '*'}`;
  for (const c of CONCURRENCIES) {
    const ds = dataset(c * 20);
    let bestBare = 0;
    let bestEval = 0;
    let bestOwn = 0;
    for (let r = 0; r < ROUNDS; r++) {
      bestBare = Math.max(bestBare, await bare(ds, c));
      bestEval = Math.max(bestEval, await viaEvaluate(ds, c));
      bestOwn = Math.max(bestOwn, await viaEvaluate(ds, c, true));
    }
    console.log(
      `${String(c).padStart(11)}  ${String(ds.length).padStart(8)}  ${bestBare.toFixed(1).padStart(9)}  ${bestEval.toFixed(1).padStart(16)}  ${mark(bestEval / bestBare)}  ${bestOwn.toFixed(1).padStart(15)}  ${mark(bestOwn / bestBare)}`,
    );
  }
  console.log('(* below the 0.9 target)');
} finally {
  await server.stop();
}
