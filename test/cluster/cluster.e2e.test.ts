// Distributed evaluate() end to end, with the real parts on 127.0.0.1: a redis-server this suite starts
// (persistence off), the mock server, and four `evalgate worker` processes (the CLI). Limit windows are 5 s
// instead of a minute; the limiter's rule does not depend on the window's length.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisCache } from '../../src/cache/index.js';
import {
  ClusterError,
  type EvalResult,
  type ExampleRecord,
  evaluate,
  type Metric,
  ReplayMissError,
} from '../../src/index.js';
import { type MockServer, maxInWindow, startMockServer } from '../../src/testing/index.js';
import { redisServer } from '../_system.js';
import { type RedisProcess, startRedis, startWorkers, TASK, type WorkerProcess } from './_cluster.js';

type Task = typeof import('./_task.js');
let model: Task['model'];
let metrics: Task['metrics'];
let taskDataset: Task['taskDataset'];

const redisReq = redisServer('the cluster suite runs workers that share a local Redis');
const windowMs = 5000;
const common = { progress: false, resamples: 200, seed: 11 } as const;

let redis: RedisProcess;
let mock: MockServer;
let workers: WorkerProcess[] = [];
let single: MockServer;

const chat = (s: MockServer) => s.requests.filter((e) => e.route === '/v1/chat/completions');
const tokens = (e: { promptTokens: number; completionTokens: number }) => e.promptTokens + e.completionTokens;

/** The single-process result of the same task, dataset and seed (its own mock: same answers). */
async function reference(n: number): Promise<EvalResult> {
  return evaluate(taskDataset(n), model, metrics, { ...common, concurrency: 32 });
}

describe.skipIf(redisReq.skip)('cluster runs on Redis + BullMQ', () => {
  beforeAll(async () => {
    redis = await startRedis(redisReq.executable());
    mock = await startMockServer({ latencyMs: 20 });
    // The coordinator imports the same task module as the workers; its own (reference) runs use `single`.
    single = await startMockServer({ logBodies: false });
    process.env.EVALGATE_TEST_MOCK_URL = single.url;
    ({ model, metrics, taskDataset } = await import('./_task.js'));
    workers = await startWorkers(4, { redis: redis.url, mockUrl: mock.url, concurrency: 8, lockMs: 3000 });
  }, 150_000);
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await redis?.stop();
    await mock?.close();
    await single?.close();
  }, 30_000);

  it('one exact limit: 4 workers under rpm 600 / tpm per 5 s hold it at a mock that enforces it', async () => {
    const rpm = 600;
    const tpm = 15_000;
    mock.reset();
    mock.setOptions({ latencyMs: 200, rateLimit: { rpm, tpm, windowMs } });
    const n = 1200;
    const result = await evaluate(taskDataset(n), model, metrics, {
      ...common,
      cluster: { redis: redis.url, task: TASK, rateLimitName: 'exact' },
      rateLimit: { rpm, tpm, windowMs },
    });
    mock.setOptions({ rateLimit: undefined, latencyMs: 20 });
    const log = chat(mock);
    expect(result.nFailed).toBe(0);
    expect(mock.stats.rateLimited, 'requests the mock answered 429').toBe(0);
    expect(log).toHaveLength(n);
    expect(maxInWindow(log, windowMs), 'requests in the busiest window').toBeLessThanOrEqual(rpm);
    expect(maxInWindow(log, windowMs, tokens), 'tokens in the busiest window').toBeLessThanOrEqual(tpm);
    // The limit binds: 1200 requests at 600 per window cannot all arrive within one window. (Throughput
    // against the limit is a timing, measured by bench/scale.ts, not asserted here.)
    expect(log.at(-1)!.at - log[0]!.at).toBeGreaterThanOrEqual(windowMs);
  }, 60_000);

  it('control: one in-process limiter per worker sends more than the limit in a window', async () => {
    const rpm = 150;
    mock.reset();
    const result = await evaluate(taskDataset(600), model, metrics, {
      ...common,
      cluster: { redis: redis.url, task: TASK, rateLimitScope: 'per-worker' },
      rateLimit: { rpm, windowMs },
    });
    expect(result.nFailed).toBe(0);
    const busiest = maxInWindow(chat(mock), windowMs);
    expect(busiest, 'each worker spends the whole limit').toBeGreaterThan(rpm);
  }, 60_000);

  it("trajectory: the workers record each row's calls as a single-process run does", async () => {
    const n = 30;
    const result = await evaluate(taskDataset(n), model, metrics, {
      ...common,
      trajectory: 'tool-calls',
      cluster: { redis: redis.url, task: TASK },
    });
    const want = await evaluate(taskDataset(n), model, metrics, { ...common, trajectory: 'tool-calls' });
    const shape = (r: EvalResult) =>
      r.examples
        .map((e) => ({
          id: e.id,
          steps: e.trajectory?.steps.map(({ latencyMs: _l, cached: _c, ...s }) => s),
        }))
        .sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(shape(result)).toEqual(shape(want));
    expect(
      result.examples.every((e) => e.trajectory?.form === 'tool-calls' && e.trajectory.steps.length === 1),
    ).toBe(true);
  }, 60_000);

  it('determinism: metrics and scores equal a single-process run with the same seed', async () => {
    const n = 300;
    const result = await evaluate(taskDataset(n), model, metrics, {
      ...common,
      cluster: { redis: redis.url, task: TASK, chunkSize: 7 },
    });
    const want = await reference(n);
    expect(result.metrics).toEqual(want.metrics);
    expect(result.scores).toEqual(want.scores);
    expect(result.n).toBe(n);
  }, 60_000);

  it('shared Redis cache: a rerun pays 0 requests; replay on an empty cache throws before any request', async () => {
    const cache = redisCache({ url: redis.url, prefix: 'test:cache:' });
    const n = 200;
    mock.reset();
    const first = await evaluate(taskDataset(n), model, metrics, {
      ...common,
      cluster: { redis: redis.url, task: TASK },
      cache,
    });
    expect(chat(mock)).toHaveLength(n);
    expect(first.totals.requests).toBe(n);
    expect(first.totals.cacheMisses).toBe(n);
    mock.reset();
    const again = await evaluate(taskDataset(n), model, metrics, {
      ...common,
      cluster: { redis: redis.url, task: TASK },
      cache,
    });
    expect(chat(mock), 'requests of the rerun').toHaveLength(0);
    expect(again.totals.requests).toBe(0);
    expect(again.totals.cacheHits).toBe(n);
    expect(again.metrics).toEqual(first.metrics);
    const empty = redisCache({ url: redis.url, prefix: 'test:empty:' });
    const err = await evaluate(taskDataset(n), model, metrics, {
      ...common,
      cluster: { redis: redis.url, task: TASK },
      cache: { store: empty, mode: 'replay' },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplayMissError);
    expect(chat(mock), 'requests sent in replay mode').toHaveLength(0);
    await cache.close();
    await empty.close();
  }, 60_000);

  it('workers refuse a coordinator whose metrics differ (fingerprint)', async () => {
    const other: Metric = { name: 'other', kind: 'binary', score: () => 1 };
    mock.reset();
    const err = await evaluate(taskDataset(40), model, [other], {
      ...common,
      cluster: { redis: redis.url, task: TASK },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClusterError);
    expect((err as ClusterError).reason).toBe('mismatch');
    expect((err as Error).message).toMatch(
      /metrics \[exact, length\] on the worker, \[other\] on the coordinator/,
    );
    expect(chat(mock)).toHaveLength(0);
  }, 30_000);

  it('rejects a cache that workers cannot share, naming the option', async () => {
    const { memoryCache } = await import('../../src/cache/index.js');
    await expect(
      evaluate(taskDataset(4), model, metrics, {
        ...common,
        cluster: { redis: redis.url, task: TASK },
        cache: memoryCache(),
      }),
    ).rejects.toThrow(/Expected `cache` to be a redisCache\(\) store in cluster mode/);
  });
  it('budgets are global: the run stops once the workers together reach maxRequests', async () => {
    mock.reset();
    const result = await evaluate(taskDataset(600), model, metrics, {
      ...common,
      cluster: { redis: redis.url, task: TASK },
      budget: { maxRequests: 100 },
    });
    expect(result.run.stoppedBy).toBe('budget');
    expect(result.totals.requests).toBeGreaterThanOrEqual(100);
    // Totals count every request sent, so also those the stop aborted before they reached the server (at most
    // the 4 x 8 in flight).
    const arrived = chat(mock).length;
    expect(result.totals.requests, 'totals count what the workers sent').toBeGreaterThanOrEqual(arrived);
    expect(result.totals.requests).toBeLessThanOrEqual(arrived + 32);
    expect(result.n).toBeLessThan(600);
  }, 60_000);

  it('kill -9 of one of 4 workers mid-run: every row once, duplicates <= its in-flight rows, limit held', async () => {
    const rpm = 1500;
    const n = 2000;
    mock.reset();
    mock.setOptions({ latencyMs: 50 });
    const records: ExampleRecord[] = [];
    const victim = workers[0]!;
    let killed = false;
    const result = await evaluate(taskDataset(n), model, metrics, {
      ...common,
      cluster: { redis: redis.url, task: TASK, rateLimitName: 'kill' },
      rateLimit: { rpm, windowMs },
      onResult: (r) => {
        records.push(r);
        if (!killed && records.length >= 400) {
          killed = true;
          victim.proc.kill('SIGKILL');
        }
      },
    });
    mock.setOptions({ latencyMs: 20 });
    expect(killed).toBe(true);
    expect(result.n).toBe(n);
    expect(result.nFailed).toBe(0);
    expect(records).toHaveLength(n);
    expect(new Set(records.map((r) => r.id)).size, 'distinct rows recorded').toBe(n);
    // Rows whose request the mock received more than once: at most the 8 the killed worker had in flight.
    const sent = new Map<string, number>();
    for (const e of chat(mock)) {
      const prompt = String((e.body as { messages?: { content?: unknown }[] }).messages?.at(-1)?.content);
      sent.set(prompt, (sent.get(prompt) ?? 0) + 1);
    }
    const twice = [...sent.values()].filter((c) => c > 1).length;
    const extra = chat(mock).length - n;
    expect(
      twice,
      `rows sent twice (${extra} extra requests, ${result.totals.retries} retries)`,
    ).toBeLessThanOrEqual(8);
    expect(sent.size).toBe(n);
    expect(maxInWindow(chat(mock), windowMs), 'requests in the busiest window').toBeLessThanOrEqual(rpm);
    const want = await reference(n);
    expect(result.metrics).toEqual(want.metrics);
    expect(result.scores).toEqual(want.scores);
  }, 90_000);
});
