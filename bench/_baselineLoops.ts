// The loops a user would write without evalgate, for bench/throughput.ts, run in a process of their own that
// never calls evaluate(). Why a process of its own: evaluate() runs a row's code inside an AsyncLocalStorage
// scope, and on Node.js 20 and 22 an AsyncLocalStorage, once used, installs promise hooks for the rest of the
// process (every promise then costs ~5x on Node.js 20). A baseline measured in the process that ran evaluate()
// pays for evalgate's hooks too, so the ratios flattered evalgate; a user's own loop, in a process without
// evalgate, pays nothing of the kind.
//
// Protocol: one JSON request per line on stdin, one JSON answer per line on stdout.
//   { "loop": "handWritten", "n": 100000, "concurrency": 64 }    -> { "ms": ..., "mean": ... }
//   { "loop": "bare", "url": "...", "n": 1280, "concurrency": 64 } -> { "rate": ... }
import { createInterface } from 'node:readline';
import OpenAI from 'openai';
import PQueue from 'p-queue';
import { BENCH_MODEL, benchDataset, echo, RESAMPLES, SEED, scoreOf } from './_benchRows.js';
import { built } from './_built.js';

const { bootstrapCI } = await built<typeof import('../src/stats/index.js')>('stats/index.js');

/** The loop a user would write: p-queue, the model, the metric, then the same interval. */
async function handWritten(n: number, concurrency: number): Promise<{ ms: number; mean: number }> {
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

const clients = new Map<string, OpenAI>();

/** A bare openai SDK + p-queue loop against the mock at `url`: examples per second. */
async function bare(url: string, n: number, concurrency: number): Promise<{ rate: number }> {
  let client = clients.get(url);
  if (client === undefined) {
    client = new OpenAI({ baseURL: url, apiKey: 'bench', maxRetries: 3 });
    clients.set(url, client);
  }
  const ds = benchDataset(n);
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
  return { rate: ds.length / ((performance.now() - t0) / 1000) };
}

interface Ask {
  readonly loop: 'handWritten' | 'bare';
  readonly n: number;
  readonly concurrency: number;
  readonly url?: string;
}

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const ask = JSON.parse(line) as Ask;
  const answer =
    ask.loop === 'handWritten'
      ? await handWritten(ask.n, ask.concurrency)
      : await bare(String(ask.url), ask.n, ask.concurrency);
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}
