/**
 * What evalgate costs per row, against the loop a user would otherwise write, measured in the same run (the
 * machine is shared: every figure is a ratio against a baseline of this script, printed with the load average):
 *   (b) per-row overhead of evaluate() over a hand-written `p-queue` loop that calls the same in-process model
 *       and metric and takes the same interval (the same BCa bootstrap: method, resamples, seed): µs per row and
 *       the ratio of their rates; goals <= 3 µs and >= 0.8. Best of `ROUNDS`, alternating;
 *   (c) throughput of evaluate() over a user's pipeline through `wrapOpenAI(client)`, and through
 *       `openaiModel()`, as a fraction of a bare `openai` SDK + `p-queue` loop on the same mock server (latency
 *       100 ms, in its own process; each loop with its own client), at concurrency 64 and 256; goal >= 0.95.
 *       Best of `ROUNDS`, alternating.
 * The baselines run in a process of their own that never calls evaluate() (bench/_baselineLoops.ts), as a user's
 * loop would: on Node.js 20 and 22 the AsyncLocalStorage evaluate() uses leaves promise hooks on in the process
 * that used it, which a baseline measured beside evaluate() would pay too. Each baseline is also measured in this
 * process, after evaluate() has run, and printed beside it ("in-process"), to show what those hooks cost.
 * evalgate is measured as users run it, the built package (dist/; see bench/_built.ts).
 *   npm run bench:throughput          (builds, then runs this)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import type { Example, Metric } from '../src/core/types.js';
import {
  benchDataset as dataset,
  echo,
  BENCH_MODEL as MODEL,
  RESAMPLES,
  SEED,
  scoreOf,
} from './_benchRows.js';
import { built } from './_built.js';
import { bareLoop, handWritten } from './_loops.js';
import { startMockProcess } from './_mockProcess.js';

const { evaluate, openaiModel, wrapOpenAI } = await built<typeof import('../src/index.js')>('index.js');

const LATENCY_MS = 100;
const CONCURRENCIES = [64, 256];
const ROUNDS = 3;
const ROW_N = 100_000;

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');
const fmt = (x: number, d = 0) =>
  x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

/** The baseline loops' own process (bench/_baselineLoops.ts): ask it to run one, get its answer. */
interface BaselineProcess {
  ask<T>(question: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

function startBaselineProcess(): BaselineProcess {
  const script = fileURLToPath(new URL('./_baselineLoops.ts', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const answers = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return {
    async ask<T>(question: Record<string, unknown>): Promise<T> {
      child.stdin!.write(`${JSON.stringify(question)}\n`);
      const next = await answers.next();
      if (next.done === true) throw new Error('the baseline process ended before it answered');
      return JSON.parse(next.value) as T;
    },
    async stop() {
      child.stdin!.end();
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

// ---- (b) per-row overhead, in process ----

const varied: Metric = {
  name: 'varied',
  kind: 'binary',
  score: ({ example, output }) => scoreOf(example, output),
};

async function viaEvaluateInProcess(
  ds: readonly Example[],
  concurrency: number,
): Promise<{ ms: number; mean: number }> {
  const t0 = performance.now();
  const r = await evaluate(ds, echo, [varied], {
    concurrency,
    progress: false,
    resamples: RESAMPLES,
    seed: SEED,
  });
  return { ms: performance.now() - t0, mean: r.metrics.varied?.mean ?? Number.NaN };
}

async function rowOverhead(baselines: BaselineProcess): Promise<void> {
  const ds = dataset(ROW_N);
  const concurrency = 64;
  const apart = (n: number) =>
    baselines.ask<{ ms: number; mean: number }>({ loop: 'handWritten', n, concurrency });
  await apart(5000);
  await viaEvaluateInProcess(dataset(5000), concurrency);
  await handWritten(5000, concurrency);
  let bestBase = Number.POSITIVE_INFINITY;
  let bestHere = Number.POSITIVE_INFINITY;
  let bestEval = Number.POSITIVE_INFINITY;
  for (let r = 0; r < ROUNDS; r++) {
    const base = await apart(ROW_N);
    const ev = await viaEvaluateInProcess(ds, concurrency);
    const here = await handWritten(ROW_N, concurrency);
    if (Math.abs(base.mean - ev.mean) > 1e-12) throw new Error(`means differ: ${base.mean} vs ${ev.mean}`);
    bestBase = Math.min(bestBase, base.ms);
    bestHere = Math.min(bestHere, here.ms);
    bestEval = Math.min(bestEval, ev.ms);
  }
  const overheadUs = ((bestEval - bestBase) / ROW_N) * 1000;
  const ratio = bestBase / bestEval;
  console.log(
    `(b) per-row overhead, ${fmt(ROW_N)} rows in process (async model + metric + BCa interval, ${RESAMPLES} resamples), concurrency ${concurrency}, best of ${ROUNDS}:` +
      `\n    hand-written p-queue loop (its own process) ${fmt(bestBase)} ms (${fmt(ROW_N / (bestBase / 1000))} rows/s);` +
      ` evaluate() ${fmt(bestEval)} ms (${fmt(ROW_N / (bestEval / 1000))} rows/s)` +
      `\n    -> overhead ${fmt(overheadUs, 2)} µs/row (goal <= 3: ${overheadUs <= 3 ? 'met' : 'NOT met'});` +
      ` evaluate() runs at ${fmt(ratio, 3)} of the hand-written loop (goal >= 0.8: ${ratio >= 0.8 ? 'met' : 'NOT met'})` +
      `\n    (the same loop in-process, after evaluate() ran: ${fmt(bestHere)} ms; evaluate() at ${fmt(bestHere / bestEval, 3)} of it)` +
      `\n    load average: ${load()}`,
  );
}

// ---- (c) throughput against the mock ----

const server = await startMockProcess(LATENCY_MS);
/** The in-process bare loop's own client: the routed one below must not be the client a baseline uses. */
const bareClient = new OpenAI({ baseURL: server.url, apiKey: 'bench', maxRetries: 3 });
const client = new OpenAI({ baseURL: server.url, apiKey: 'bench', maxRetries: 0 });
const contains: Metric = {
  name: 'contains',
  kind: 'binary',
  score: ({ example, output }) => (output.includes(String(example.reference)) ? 1 : 0),
};

const wrapped = wrapOpenAI(client);
/** A user's own pipeline: the wrapped client called from a plain function. */
const pipeline = async (input: unknown) => {
  const res = await wrapped.chat.completions.create({
    model: MODEL,
    messages: [{ role: 'user', content: String(input) }],
  });
  return res.choices[0]?.message.content ?? '';
};

async function viaEvaluate(ds: readonly Example[], concurrency: number, own: boolean): Promise<number> {
  const t0 = performance.now();
  const r = await evaluate(ds, own ? pipeline : openaiModel({ client, model: MODEL }), [contains], {
    concurrency,
    progress: false,
    resamples: 999,
  });
  const elapsed = performance.now() - t0;
  if (r.metrics.contains?.mean !== 1 || r.nFailed !== 0) throw new Error('evaluate: unexpected failures');
  return ds.length / (elapsed / 1000);
}

async function againstMock(baselines: BaselineProcess): Promise<void> {
  const bare = async (n: number, concurrency: number) =>
    (await baselines.ask<{ rate: number }>({ loop: 'bare', url: server.url, n, concurrency })).rate;
  await bare(64, 64);
  await bareLoop(bareClient, dataset(64), 64);
  await viaEvaluate(dataset(64), 64, true);
  await viaEvaluate(dataset(64), 64, false);
  console.log(
    `\n(c) evaluate() vs a bare openai SDK + p-queue loop (its own process), mock latency ${LATENCY_MS} ms, best of ${ROUNDS} (goal >= 0.95)`,
  );
  console.log(
    'concurrency  examples  bare ex/s  wrapOpenAI ex/s  ratio  openaiModel ex/s  ratio   bare in-process ex/s',
  );
  const mark = (x: number) => `${x.toFixed(3)}${x >= 0.95 ? ' ' : '*'}`;
  for (const c of CONCURRENCIES) {
    const n = c * 20;
    const ds = dataset(n);
    let bestBare = 0;
    let bestHere = 0;
    let bestOwn = 0;
    let bestModel = 0;
    for (let r = 0; r < ROUNDS; r++) {
      bestBare = Math.max(bestBare, await bare(n, c));
      bestOwn = Math.max(bestOwn, await viaEvaluate(ds, c, true));
      bestModel = Math.max(bestModel, await viaEvaluate(ds, c, false));
      bestHere = Math.max(bestHere, await bareLoop(bareClient, ds, c));
    }
    console.log(
      `${String(c).padStart(11)}  ${String(n).padStart(8)}  ${bestBare.toFixed(1).padStart(9)}  ${bestOwn.toFixed(1).padStart(15)}  ${mark(bestOwn / bestBare)}  ${bestModel.toFixed(1).padStart(16)}  ${mark(bestModel / bestBare)}  ${bestHere.toFixed(1).padStart(20)}`,
    );
  }
  console.log(`(* below the 0.95 goal)    load average: ${load()}`);
}

const baselines = startBaselineProcess();
try {
  console.log(`evalgate throughput benchmark, node ${process.version}, load average at start: ${load()}\n`);
  if (process.env.BENCH_MOCK !== 'only') await rowOverhead(baselines);
  if (process.env.BENCH_MOCK !== '0') await againstMock(baselines);
} finally {
  await baselines.stop();
  await server.stop();
}
