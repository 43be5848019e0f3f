/**
 * What the response cache buys, measured in one run against the mock server (latency 100 ms, in its own
 * process), through evaluate() + openaiModel() + sqliteCache():
 *   1. a live run of 10k examples, then its cached re-run (same SQLite file, reopened): ratio live / cached,
 *      target >= 50x; at two concurrencies, since the live run's floor is n * latency / concurrency;
 *   2. a replay (`mode: 'replay'`) of 100k cached examples: examples/s, target >= 20k/s, next to the baseline
 *      of the same evaluate() with a plain in-process model function (no cache, no I/O) — the most a cached run
 *      could reach — and the runtime's own cost per cached call.
 * Both runs of a pair use the same options (resamples 200, so the bootstrap does not swamp the timing).
 *   npx tsx bench/cache.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { cacheKey, sqliteCache } from '../src/cache/index.js';
import { CallEngine } from '../src/calls/callRuntime.js';
import type { Example, Metric } from '../src/core/types.js';
import { evaluate, openaiModel } from '../src/index.js';
import { startMockProcess } from './_mockProcess.js';

const LATENCY_MS = 100;
const LIVE_N = 10_000;
const REPLAY_N = 100_000;
const MODEL = 'mock-bench';
const RESAMPLES = 200;

const dir = mkdtempSync(join(tmpdir(), 'evalgate-bench-cache-'));
const server = await startMockProcess(LATENCY_MS);
const client = new OpenAI({ baseURL: server.url, apiKey: 'bench', maxRetries: 0 });
const model = openaiModel({ client, model: MODEL });
const contains: Metric = {
  name: 'contains',
  kind: 'binary',
  score: ({ example, output }) => (output.includes(String(example.reference)) ? 1 : 0),
};
const dataset = (n: number): Example[] =>
  Array.from({ length: n }, (_, i) => ({ id: `q${i}`, input: `question ${i}`, reference: `${i}` }));
const fmt = (x: number, d = 0) =>
  x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

try {
  console.log(`evalgate cache benchmark — mock latency ${LATENCY_MS} ms, node ${process.version}\n`);
  for (const concurrency of [64, 256]) {
    const path = join(dir, `live-${concurrency}.sqlite`);
    const ds = dataset(LIVE_N);
    const opts = { concurrency, progress: false, resamples: RESAMPLES } as const;
    const s1 = sqliteCache(path);
    let t = performance.now();
    const live = await evaluate(ds, model, [contains], { ...opts, cache: s1 });
    const liveMs = performance.now() - t;
    await s1.close();
    // A loaded machine may reset a few of 256 sockets: those are retried (and counted), never lost.
    if (live.nFailed !== 0 || live.totals.requests - live.totals.retries !== LIVE_N)
      throw new Error(`live run incomplete: ${live.nFailed} failed, ${live.totals.requests} requests`);
    // The cached re-run, three times (each reopening the file): best and median, as the machine is shared.
    const cachedTimes: number[] = [];
    for (let round = 0; round < 3; round++) {
      const s2 = sqliteCache(path);
      t = performance.now();
      const cached = await evaluate(ds, model, [contains], { ...opts, cache: s2 });
      cachedTimes.push(performance.now() - t);
      await s2.close();
      if (cached.totals.requests !== 0 || cached.totals.cacheHits !== LIVE_N)
        throw new Error('cached run sent requests');
      if (cached.metrics.contains?.mean !== live.metrics.contains?.mean)
        throw new Error('cached result differs');
    }
    cachedTimes.sort((a, b) => a - b);
    const [best, median] = [cachedTimes[0] as number, cachedTimes[1] as number];
    console.log(
      `10k live vs cached, concurrency ${String(concurrency).padStart(3)}: live ${fmt(liveMs)} ms;` +
        ` cached (0 requests) best ${fmt(best)} ms, median ${fmt(median)} ms` +
        ` -> ${fmt(liveMs / best, 1)}x faster (median ${fmt(liveMs / median, 1)}x; target >= 50x)`,
    );
  }

  // Fill a cache with 100k responses under the keys openaiModel() uses, then replay them.
  const path = join(dir, 'replay.sqlite');
  const ds = dataset(REPLAY_N);
  const body = (ex: Example) => ({ model: MODEL, messages: [{ role: 'user', content: String(ex.input) }] });
  const fill = sqliteCache(path, { synchronous: 'normal' });
  await Promise.all(
    ds.map((ex) =>
      fill.set(cacheKey(body(ex), 0), {
        // What wrapOpenAI caches: the chat completion as the API returned it.
        value: {
          id: `chatcmpl-${ex.id}`,
          object: 'chat.completion',
          created: 0,
          model: MODEL,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: `echo: ${String(ex.input)}`, refusal: null },
              finish_reason: 'stop',
              logprobs: null,
            },
          ],
          usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
        },
        usage: { inputTokens: 3, outputTokens: 4 },
      }),
    ),
  );
  await fill.close();

  const plain = async (input: unknown) => `echo: ${String(input)}`;
  const opts = { concurrency: 256, progress: false, resamples: RESAMPLES } as const;
  await evaluate(dataset(5000), plain, [contains], opts); // warm-up
  let t = performance.now();
  await evaluate(ds, plain, [contains], opts);
  const plainMs = performance.now() - t;

  const store = sqliteCache(path);
  t = performance.now();
  const replay = await evaluate(ds, model, [contains], { ...opts, cache: { store, mode: 'replay' } });
  const replayMs = performance.now() - t;
  if (replay.totals.cacheHits !== REPLAY_N || replay.metrics.contains?.mean !== 1)
    throw new Error('replay incomplete');

  const rt = new CallEngine({ cache: { store, mode: 'replay' } });
  const signal = new AbortController().signal;
  const never = async (): Promise<never> => {
    throw new Error('replay must not send');
  };
  t = performance.now();
  for (const ex of ds)
    await rt.call({ kind: 'model', exampleId: ex.id ?? '', request: body(ex) }, never, signal);
  const callUs = ((performance.now() - t) / REPLAY_N) * 1000;
  await store.close();

  const plainRate = REPLAY_N / (plainMs / 1000);
  const replayRate = REPLAY_N / (replayMs / 1000);
  console.log(
    `\n100k replay through evaluate(): ${fmt(replayMs)} ms = ${fmt(replayRate)} examples/s (target >= 20,000)` +
      `\n  baseline, evaluate() with a plain in-process function: ${fmt(plainRate)} examples/s` +
      ` -> replay runs at ${fmt(replayRate / plainRate, 2)}x the baseline` +
      `\n  runtime.call() on a cache hit (key + SQLite read + parse): ${fmt(callUs, 2)} µs/call`,
  );
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
