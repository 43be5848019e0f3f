// Node runs a setTimeout whose delay exceeds 2^31-1 ms after 1 ms. Regression: the Redis waits bounded by a
// user's number (`cluster.connectTimeoutMs`: the first PING and the store of the run's spec) passed it to
// setTimeout as it was, so `connectTimeoutMs: 2**31` (24.9 days) failed a run against a live Redis at once with
// "Redis did not answer within 2147483648 ms". A bound past 2^31-1 ms is not timed, as everywhere else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { _within } from '../../src/_internal/redisConnection.js';
import { type ClusterWorker, runWorker } from '../../src/cluster/runWorker.js';
import { type EvalResult, evaluate } from '../../src/index.js';
import { type MockServer, startMockServer } from '../../src/testing/index.js';
import { redisServer } from '../_system.js';
import { HUNG, within } from '../_within.js';
import { type RedisProcess, startRedis, TASK } from './_cluster.js';

type Task = typeof import('./_task.js');

describe('Redis waits bounded above 2^31-1 ms', () => {
  it('_within(p, 2**31) waits for p: a promise of 50 ms is not timed out', async () => {
    const p = new Promise<string>((resolve) => setTimeout(() => resolve('done'), 50));
    const r = await within(_within(p, 2 ** 31, () => new Error('timed out')).catch((err: unknown) => err));
    expect(r).toBe('done');
  });
});

const redisReq = redisServer('the connect-timeout check runs a cluster run on a local Redis');

describe.skipIf(redisReq.skip)('cluster.connectTimeoutMs above 2^31-1 ms on a real Redis', () => {
  let redis: RedisProcess;
  let mock: MockServer;
  let worker: ClusterWorker | undefined;
  let task: Task;
  beforeAll(async () => {
    mock = await startMockServer({ latencyMs: 1 });
    process.env.EVALGATE_TEST_MOCK_URL = mock.url;
    task = await import('./_task.js');
    redis = await startRedis(redisReq.executable());
    worker = await runWorker({ redis: redis.url, task: TASK, queue: 'huge-timeouts', maxWaitMs: 10_000 });
  }, 60_000);
  afterAll(async () => {
    await worker?.close();
    await redis?.stop();
    await mock?.close();
  }, 30_000);

  it('connectTimeoutMs: 2**31 runs every row instead of failing at once', async () => {
    const r = await within(
      evaluate(task.taskDataset(4, 'huge'), task.model, task.metrics, {
        progress: false,
        resamples: 50,
        cluster: { redis: redis.url, task: TASK, queue: 'huge-timeouts', connectTimeoutMs: 2 ** 31 },
      }).catch((err: unknown) => err),
      20_000,
    );
    expect(r).not.toBe(HUNG);
    expect(r, String((r as Error).message)).not.toBeInstanceOf(Error);
    const { examples } = r as EvalResult;
    expect(examples.map((e) => e.output)).toEqual(task.taskDataset(4, 'huge').map((e) => e.input));
  }, 30_000);
});
