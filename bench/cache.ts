/**
 * What the response cache buys, and what a cached call costs, measured in one run (the machine is shared: every
 * figure is a ratio against a baseline measured in the same script, next to the load average):
 *   (a) a replay (`mode: 'replay'`) of 100k cached calls made by a user's pipeline through `wrapOpenAI(client)`,
 *       read from a SQLite file: rows/s through evaluate(), goal >= 100,000 rows/s, next to the baseline of a
 *       raw SQLite read loop over the same 100k rows (prepared lookup + JSON.parse, one read transaction);
 *       and the same replay through `openaiModel()`; and `runtime.call()` alone on a cache hit, in µs;
 *   (b) a live run of 10k examples against the mock server (latency 100 ms, in its own process) and its cached
 *       re-run (same SQLite file, reopened): live / cached, the earlier target >= 50x.
 * The cache for (a) is filled directly, under the keys and in the format the request router writes (the replay
 * checks every row was a hit, so a key that drifted fails the bench rather than measuring misses).
 * evalgate is measured as users run it, the built package (dist/; see bench/_built.ts).
 *   npm run bench:cache             (builds, then runs this; BENCH_LIVE=0 skips (b))
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import type { Example, Metric, Model } from '../src/core/types.js';
import { built } from './_built.js';
import { startMockProcess } from './_mockProcess.js';

// The built package, as users run it (see bench/_built.ts); internals from the same build.
const { evaluate, openaiModel, wrapOpenAI } = await built<typeof import('../src/index.js')>('index.js');
const { cacheKey, sqliteCache } = await built<typeof import('../src/cache/index.js')>('cache/index.js');
const { _openSqliteFile } =
  await built<typeof import('../src/cache/_openSqliteFile.js')>('cache/_openSqliteFile.js');
const { CallEngine } = await built<typeof import('../src/calls/callRuntime.js')>('calls/callRuntime.js');
const { _ReadResponse } = await built<typeof import('../src/providers/_routeRequests.js')>(
  'providers/_routeRequests.js',
);

const LATENCY_MS = 100;
const LIVE_N = 10_000;
const REPLAY_N = 100_000;
const MODEL = 'mock-bench';
const RESAMPLES = 200;
/** Where the replayed client points: never contacted (replay sends nothing). */
const REPLAY_BASE = 'http://127.0.0.1:9/v1';

const dir = mkdtempSync(join(tmpdir(), 'evalgate-bench-cache-'));
const contains: Metric = {
  name: 'contains',
  kind: 'binary',
  score: ({ example, output }) => (output.includes(String(example.reference)) ? 1 : 0),
};
const dataset = (n: number): Example[] =>
  Array.from({ length: n }, (_, i) => ({ id: `q${i}`, input: `question ${i}`, reference: `${i}` }));
const fmt = (x: number, d = 0) =>
  x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');
const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');

/** The chat completion body a pipeline sends for an example. */
const body = (ex: Example) => ({ model: MODEL, messages: [{ role: 'user', content: String(ex.input) }] });

/** The request the router keys a chat completion by: endpoint, method and body (never a header). */
const routedRequest = (ex: Example) => ({
  endpoint: `${REPLAY_BASE}/chat/completions`,
  method: 'post',
  body: body(ex),
});

/** What the router stores for a chat completion: the HTTP status, content type and parsed JSON body. */
const storedResponse = (ex: Example) => ({
  status: 200,
  type: 'application/json',
  id: `req_${ex.id}`,
  body: {
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
});

async function fillReplayCache(path: string, ds: readonly Example[]): Promise<string[]> {
  const fill = sqliteCache(path, { synchronous: 'normal' });
  const keys = ds.map((ex) => cacheKey(routedRequest(ex), 0));
  await Promise.all(
    ds.map((ex, i) =>
      fill.set(keys[i] as string, { value: storedResponse(ex), usage: { inputTokens: 3, outputTokens: 4 } }),
    ),
  );
  await fill.close();
  return keys;
}

/** Baseline of (a): the same rows read by a raw SQLite loop (prepared lookup + JSON.parse), rows/s. */
function rawReadLoop(path: string, keys: readonly string[]): number {
  const { db } = _openSqliteFile(path, 30_000, 'normal');
  const select = db.pluck('SELECT entry FROM evalgate_responses WHERE key = ?');
  const t = performance.now();
  db.exec('BEGIN');
  let chars = 0;
  for (const key of keys) {
    const entry = JSON.parse(select(key) as string) as { value: { body: { choices: unknown[] } } };
    chars += entry.value.body.choices.length;
  }
  db.exec('COMMIT');
  const ms = performance.now() - t;
  db.close();
  if (chars !== keys.length) throw new Error('raw read loop: rows missing');
  return keys.length / (ms / 1000);
}

/**
 * The ceiling of (a) on this machine, from its two parts measured alone: the openai SDK's own work per call
 * (`chat.completions.create()` with the SDK's request method answering at once with the parsed body, as a routed
 * cache hit does, with no evalgate runtime, cache or key), and evaluate()'s work per row (an in-process model that
 * makes no call). Rows/s of each, and of both together (1 / (1/a + 1/b)).
 */
async function replayCeiling(ds: readonly Example[]): Promise<{ sdk: number; rows: number; both: number }> {
  const client = new OpenAI({ baseURL: REPLAY_BASE, apiKey: 'bench', maxRetries: 0 });
  let n = 0;
  Object.defineProperty(client, 'makeRequest', {
    value: async (options: unknown) => {
      const ex = ds[n++ % ds.length] as Example;
      const stored = storedResponse(ex);
      return {
        response: new _ReadResponse(
          { json: stored.body },
          { status: 200, headers: { 'content-type': stored.type, 'x-request-id': stored.id } },
        ),
        options: await options,
        controller: new AbortController(),
        requestLogID: 'log_bench',
        retryOfRequestLogID: undefined,
        startTime: Date.now(),
      };
    },
  });
  const sdkLoop = async (total: number) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: 256 }, async () => {
        while (next < total) {
          const ex = ds[next++] as Example;
          await client.chat.completions.create(
            body(ex) as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming,
          );
        }
      }),
    );
  };
  await sdkLoop(5000);
  let t = performance.now();
  await sdkLoop(ds.length);
  const sdk = ds.length / ((performance.now() - t) / 1000);
  const echo = async (input: unknown) => `echo: ${String(input)}`;
  const opts = { concurrency: 256, progress: false, resamples: RESAMPLES } as const;
  await evaluate(ds.slice(0, 5000), echo, [contains], opts);
  t = performance.now();
  await evaluate(ds, echo, [contains], opts);
  const rows = ds.length / ((performance.now() - t) / 1000);
  return { sdk, rows, both: 1 / (1 / sdk + 1 / rows) };
}

async function replaySection(): Promise<void> {
  const path = join(dir, 'replay.sqlite');
  const ds = dataset(REPLAY_N);
  const keys = await fillReplayCache(path, ds);
  const client = new OpenAI({ baseURL: REPLAY_BASE, apiKey: 'bench', maxRetries: 0 });
  const wrapped = wrapOpenAI(client);
  const pipeline = async (input: unknown) => {
    const res = await wrapped.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: String(input) }],
    });
    return res.choices[0]?.message.content ?? '';
  };
  const opts = { concurrency: 256, progress: false, resamples: RESAMPLES } as const;
  const replay = async (model: Model, n = REPLAY_N): Promise<number> => {
    const store = sqliteCache(path);
    const t = performance.now();
    const r = await evaluate(ds.slice(0, n), model, [contains], {
      ...opts,
      cache: { store, mode: 'replay' },
    });
    const ms = performance.now() - t;
    await store.close();
    if (r.totals.cacheHits !== n || r.totals.requests !== 0 || r.metrics.contains?.mean !== 1)
      throw new Error(`replay incomplete: ${r.totals.cacheHits} hits of ${n}, ${r.totals.requests} requests`);
    return n / (ms / 1000);
  };
  await replay(pipeline, 5000); // warm-up (JIT, SQLite page cache)
  rawReadLoop(path, keys.slice(0, 5000));
  const rawRate = rawReadLoop(path, keys);
  const wrappedRate = await replay(pipeline);
  const modelRate = await replay(openaiModel({ client, model: MODEL }));

  // The runtime alone on a cache hit: key + SQLite read + parse + counting, no SDK and no row.
  const store = sqliteCache(path);
  const rt = new CallEngine({ cache: { store, mode: 'replay' } });
  const signal = new AbortController().signal;
  const never = async (): Promise<never> => {
    throw new Error('replay must not send');
  };
  const t = performance.now();
  for (const ex of ds)
    await rt.call({ kind: 'model', exampleId: ex.id ?? '', request: routedRequest(ex) }, never, signal);
  const callUs = ((performance.now() - t) / REPLAY_N) * 1000;
  await store.close();
  if (rt.totals.cacheHits !== REPLAY_N) throw new Error('runtime.call(): not every call was a hit');
  const ceiling = await replayCeiling(ds);

  console.log(
    `(a) replay of 100k cached wrapOpenAI calls from SQLite through evaluate(): ${fmt(wrappedRate)} rows/s` +
      ` (goal >= 100,000: ${mark(wrappedRate >= 100_000)})` +
      `\n    baseline, raw SQLite read loop of the same rows (prepared lookup + JSON.parse): ${fmt(rawRate)} rows/s` +
      ` -> replay runs at ${fmt(wrappedRate / rawRate, 3)} of the raw read loop` +
      `\n    the same replay through openaiModel(): ${fmt(modelRate)} rows/s (${fmt(modelRate / rawRate, 3)} of the raw loop)` +
      `\n    runtime.call() alone on a cache hit (key + SQLite read + parse): ${fmt(callUs, 2)} µs/call` +
      `\n    ceiling on this machine: the openai SDK alone (create() answered at once, no evalgate) ${fmt(ceiling.sdk)} calls/s,` +
      ` evaluate() alone (in-process model) ${fmt(ceiling.rows)} rows/s, both ${fmt(ceiling.both)} rows/s` +
      ` -> replay runs at ${fmt(wrappedRate / ceiling.both, 3)} of that ceiling` +
      `\n    load average: ${load()}`,
  );
}

async function liveSection(): Promise<void> {
  const server = await startMockProcess(LATENCY_MS);
  try {
    const client = new OpenAI({ baseURL: server.url, apiKey: 'bench', maxRetries: 0 });
    const model = openaiModel({ client, model: MODEL });
    const concurrency = 256;
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
      `\n(b) 10k live vs cached, concurrency ${concurrency}: live ${fmt(liveMs)} ms; cached (0 requests)` +
        ` best ${fmt(best)} ms, median ${fmt(median)} ms -> ${fmt(liveMs / best, 1)}x faster` +
        ` (median ${fmt(liveMs / median, 1)}x; target >= 50x)\n    load average: ${load()}`,
    );
  } finally {
    await server.stop();
  }
}

try {
  console.log(`evalgate cache benchmark, node ${process.version}, load average at start: ${load()}\n`);
  await replaySection();
  if (process.env.BENCH_LIVE !== '0') await liveSection();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
