// A local Redis and workers in this process (runWorker), started before a suite's tests and closed after them:
// the set-up of the cluster suites that need no mock server and no worker processes. It lives beside _cluster.ts,
// not in it, because it registers vitest hooks and _cluster.ts is also imported by bench/scale.ts.
import { afterAll, beforeAll } from 'vitest';
import { type ClusterWorker, runWorker } from '../../src/cluster/runWorker.js';
import type { SystemRequirement } from '../_system.js';
import { type RedisProcess, startRedis } from './_cluster.js';

/** What {@link inProcessWorkers} gives a suite: its Redis, readable once the suite's `beforeAll` has run. */
export interface InProcessCluster {
  /** The Redis URL the workers listen on. */
  readonly url: () => string;
  /** The Redis process, with a command connection for the test's own checks. */
  readonly redis: () => RedisProcess;
}

/**
 * Registers, in the calling `describe`, a Redis and `workers` in-process workers of `task` (`concurrency` rows each).
 *
 * @example
 * describe.skipIf(redisReq.skip)('cluster: …', () => {
 *   const cluster = inProcessWorkers(redisReq, { workers: 1, task: SAME_TASK, concurrency: 4 });
 *   it('…', async () => evaluate(data, model, metrics, { cluster: { redis: cluster.url(), task: SAME_TASK } }));
 * });
 * @returns The Redis URL and process, readable once the suite's `beforeAll` has run.
 */
export function inProcessWorkers(
  redisReq: SystemRequirement,
  options: { readonly workers: number; readonly task: string; readonly concurrency: number },
): InProcessCluster {
  let redis: RedisProcess | undefined;
  const workers: ClusterWorker[] = [];
  beforeAll(async () => {
    redis = await startRedis(redisReq.executable());
    for (let i = 0; i < options.workers; i++)
      workers.push(
        await runWorker({ redis: redis.url, task: options.task, concurrency: options.concurrency }),
      );
  }, 30_000);
  afterAll(async () => {
    for (const w of workers) await w.close();
    await redis?.stop();
  }, 30_000);
  const started = (): RedisProcess => {
    if (redis === undefined)
      throw new Error('inProcessWorkers: Redis is not started yet (read it in a test)');
    return redis;
  };
  return { url: () => started().url, redis: started };
}
