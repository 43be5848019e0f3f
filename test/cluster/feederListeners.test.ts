// Regression: the coordinator's feeder raced every chunk it enqueued against the run's stop by adding an abort
// listener to the run's signal that it never removed, so a run held one listener (and its closure) per chunk
// until it ended: 10 000 chunks, 10 000 listeners. The run's signal allows any number of listeners (setMaxListeners
// 0), so no MaxListenersExceededWarning ever said so. No worker runs here: the chunks stay queued.
import { getEventListeners } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedCluster } from '../../src/cluster/feedCluster.js';
import type { Example } from '../../src/index.js';
import { resolveRunConfig } from '../../src/run/options.js';
import { Run } from '../../src/run/Run.js';
import { redisServer } from '../_system.js';
import { HUNG, within } from '../_within.js';
import { type RedisProcess, startRedis, TASK } from './_cluster.js';

const redisReq = redisServer("the feeder's listener check enqueues chunks on a local Redis");
let redis: RedisProcess;

describe.skipIf(redisReq.skip)('cluster feeder on a real Redis', () => {
  beforeAll(async () => {
    redis = await startRedis(redisReq.executable());
  }, 30_000);
  afterAll(async () => redis?.stop());

  it("enqueuing 100 chunks leaves no listener per chunk on the run's signal", async () => {
    const rows = 100;
    const dataset: Example[] = Array.from({ length: rows }, (_, i) => ({ id: `q${i}`, input: `x${i}` }));
    const user = new AbortController();
    const config = resolveRunConfig(
      {
        progress: false,
        signal: user.signal,
        cluster: {
          redis: redis.url,
          task: TASK,
          queue: 'feeder-listeners',
          chunkSize: 1,
          maxChunksInFlight: rows + 1,
          stopGraceMs: 0,
        },
      },
      [],
    );
    const run = await Run.open(async () => 'never called', [], config);
    const before = getEventListeners(run.rows.signal, 'abort').length;
    const fed = feedCluster(run, dataset, config.cluster!).catch((err: unknown) => err);
    try {
      const until = Date.now() + 10_000;
      while (run.counts.queued < rows && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(run.counts.queued, 'chunks enqueued').toBe(rows);
      const during = getEventListeners(run.rows.signal, 'abort').length;
      // The feeder's own listener (a stop wakes it) is one; a listener per chunk would be 100 more.
      expect(during - before, `listeners added on the run's signal by ${rows} chunks`).toBeLessThanOrEqual(2);
    } finally {
      user.abort(new Error('test over'));
      expect(await within(fed, 10_000), 'the feeder stops on abort').not.toBe(HUNG);
      run.finish();
    }
  }, 30_000);
});
