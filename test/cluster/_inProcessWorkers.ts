// A local Redis and workers in this process (runWorker), started before a suite's tests and closed after them:
// the set-up of the cluster suites that need no mock server and no worker processes.
import { afterAll, beforeAll } from 'vitest';
import { type ClusterWorker, runWorker } from '../../src/cluster/runWorker.js';
import type { SystemRequirement } from '../_system.js';
import { type RedisProcess, startRedis } from './_cluster.js';

/**
 * Registers, in the calling `describe`, a Redis and `workers` in-process workers of `task` (`concurrency` rows each).
 * @returns The Redis URL, readable once the suite's `beforeAll` has run.
 */
export function inProcessWorkers(
  redisReq: SystemRequirement,
  options: { readonly workers: number; readonly task: string; readonly concurrency: number },
): { readonly url: () => string } {
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
  return {
    url: () => {
      if (redis === undefined)
        throw new Error('inProcessWorkers: Redis is not started yet (read the URL in a test)');
      return redis.url;
    },
  };
}
