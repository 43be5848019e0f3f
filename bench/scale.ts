/**
 * Scale-out of a cluster run: throughput of evaluate({ cluster }) with 1, 2 and 4 `evalgate worker` processes
 * (concurrency 8 each) against the mock server at 200 ms latency, with no limit binding; then, with 4 workers
 * and rpm 600 per 5 s window, the global limit (one redisRateLimiter shared through Redis) next to the control
 * (an in-process limiter per worker, each allowed the whole limit), against a mock enforcing that limit.
 * Baseline: the 1-worker run of the same dataset in the same process. Targets: 2 workers >= 1.8x, 4 workers
 * >= 3.2x; global limit: busiest window <= 600, 0 answers 429, throughput >= 0.9 x the limit.
 * Needs redis-server (Debian package redis-server).   npm run bench:scale
 */
import { availableParallelism, loadavg } from 'node:os';
import { evaluate } from '../src/index.js';
import { maxInWindow, startMockServer } from '../src/testing/index.js';
import { redisServer } from '../test/_system.js';
import { startRedis, startWorkers, TASK, type WorkerProcess } from '../test/cluster/_cluster.js';

const LATENCY_MS = 200;
const CONCURRENCY = 8;
const ROWS = 1280;
const CHUNK = 16;
/** Limits of the limit runs: the 600 per 5 s, and a lower one that binds on a loaded machine too. */
const RPMS = [600, 150];
const WINDOW_MS = 5000;

const redis = await startRedis(redisServer('bench/scale.ts runs workers on a local Redis').executable());
const mock = await startMockServer({ latencyMs: LATENCY_MS, logBodies: false });
process.env.EVALGATE_TEST_MOCK_URL = mock.url;
const { model, metrics, taskDataset } = await import('../test/cluster/_task.js');
const chat = () => mock.requests.filter((e) => e.route === '/v1/chat/completions');
const workers: WorkerProcess[] = [];

async function timed(n: number, extra: Parameters<typeof evaluate>[3] = {}) {
  mock.reset();
  const t0 = performance.now();
  const result = await evaluate(taskDataset(n, `r${Math.random()}`), model, metrics, {
    progress: false,
    resamples: 200,
    cluster: { redis: redis.url, task: TASK, chunkSize: CHUNK },
    ...extra,
  });
  const seconds = (performance.now() - t0) / 1000;
  return { result, seconds, rowsPerSecond: n / seconds };
}

try {
  const scaling: { workers: number; rowsPerSecond: number }[] = [];
  for (const target of [1, 2, 4]) {
    workers.push(
      ...(await startWorkers(target - workers.length, {
        redis: redis.url,
        mockUrl: mock.url,
        concurrency: CONCURRENCY,
        lockMs: 10_000,
      })),
    );
    await timed(8 * target * CONCURRENCY); // warm-up: every worker's first run
    const { rowsPerSecond, result } = await timed(ROWS);
    if (result.nFailed > 0) throw new Error(`${result.nFailed} rows failed`);
    scaling.push({ workers: target, rowsPerSecond });
  }
  const base = scaling[0]!.rowsPerSecond;
  console.log(
    `\nThroughput, no limit binding (${ROWS} rows in chunks of ${CHUNK}, mock ${LATENCY_MS} ms, concurrency ${CONCURRENCY} per worker; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores)`,
  );
  console.log('workers  rows/s   x 1 worker  ideal');
  for (const s of scaling)
    console.log(
      `${String(s.workers).padStart(7)}  ${s.rowsPerSecond.toFixed(1).padStart(6)}  ${(s.rowsPerSecond / base).toFixed(2).padStart(10)}  ${String(s.workers).padStart(5)}`,
    );

  for (const RPM of RPMS) {
    const LIMIT_ROWS = 3 * RPM;
    mock.setOptions({ rateLimit: { rpm: RPM, windowMs: WINDOW_MS } });
    const rows: string[] = [];
    for (const scope of ['global', 'per-worker'] as const) {
      const { result, seconds } = await timed(LIMIT_ROWS, {
        cluster: {
          redis: redis.url,
          task: TASK,
          chunkSize: CHUNK,
          rateLimitScope: scope,
          rateLimitName: `bench-${Date.now()}`,
        },
        rateLimit: { rpm: RPM, windowMs: WINDOW_MS },
        maxFailureRate: 1,
        retry: { maxRetries: 8, baseMs: 200, maxMs: 2000 },
      });
      const log = chat();
      const ok = log.filter((e) => e.status === 200);
      const limitPerSecond = RPM / (WINDOW_MS / 1000);
      const okPerSecond = ok.length / seconds;
      rows.push(
        `${scope.padEnd(11)} ${String(maxInWindow(log, WINDOW_MS)).padStart(19)} ${String(maxInWindow(ok, WINDOW_MS)).padStart(11)} ${String(mock.stats.rateLimited).padStart(6)} ${okPerSecond.toFixed(1).padStart(8)} ${(okPerSecond / limitPerSecond).toFixed(2).padStart(8)} ${String(result.nFailed).padStart(7)}`,
      );
    }
    console.log(
      `\n4 workers, limit rpm ${RPM} per ${WINDOW_MS / 1000} s window, mock enforcing it (${LIMIT_ROWS} rows; load average ${loadavg()[0]!.toFixed(1)})`,
    );
    console.log('limiter     busiest window:sent busiest:200   429s   200s/s  x limit  failed');
    for (const r of rows) console.log(r);
  }
} finally {
  await Promise.all(workers.map((w) => w.stop()));
  await redis.stop();
  await mock.close();
}
