// A dataset that fails midway in a cluster run: as in one process (test/dataset/partialOnSourceError.test.ts), the
// DatasetError carries the partial result of the rows the workers ran, and every request a worker sent has its row
// in it (the workers finish what they hold; nothing paid for is dropped). Before, the coordinator aborted the
// workers' chunks and threw the error alone.
import { describe, expect, it } from 'vitest';
import { DatasetError, type EvalResult, evaluate } from '../../src/index.js';
import { redisServer } from '../_system.js';
import { HUNG, within } from '../_within.js';
import { inProcessWorkers } from './_inProcessWorkers.js';
import { metrics, model, SAME_TASK } from './_sameTask.js';

const redisReq = redisServer('the cluster dataset-failure suite runs two workers on a local Redis');

async function* failingAfter(n: number) {
  for (let i = 0; i < n; i++) yield { id: `d${i}`, input: { q: `d${i}` }, reference: `echo d${i}` };
  // Let the chunks already sent reach the workers before the source fails.
  await new Promise((r) => setTimeout(r, 300));
  throw new Error('connection reset');
}

describe.skipIf(redisReq.skip)('cluster: a dataset that fails after rows were sent', () => {
  const redis = inProcessWorkers(redisReq, { workers: 2, task: SAME_TASK, concurrency: 4 });

  it('the DatasetError carries the rows the workers ran, every sent request with its row', async () => {
    const got = await within(
      evaluate(failingAfter(24), model, metrics, {
        progress: false,
        resamples: 20,
        cluster: { redis: redis.url(), task: SAME_TASK, chunkSize: 4 },
      }).catch((e: unknown) => e),
      20_000,
    );
    expect(got, 'the cluster run had not ended after 20 s').not.toBe(HUNG);
    expect(got).toBeInstanceOf(DatasetError);
    const err = got as DatasetError;
    expect(err.message).toBe(
      'dataset row 24: reading the dataset failed after 24 rows: Error: connection reset',
    );
    const result = err.result as EvalResult;
    expect(result, 'the partial result is attached').toBeDefined();
    expect(result.run.stoppedBy).toBe('abort');
    // The 24 rows were sent in 6 chunks; a chunk no worker had started when the run stopped is not started.
    expect(result.n).toBeGreaterThan(0);
    expect(result.n).toBeLessThanOrEqual(24);
    expect(result.totals.requests, 'every request sent has its row').toBe(result.n);
    expect(result.metrics.exact?.mean).toBe(1);
    expect(result.warnings?.[0]).toMatch(/^the run stopped when its dataset failed \(dataset row 24/);
  }, 30_000);
});
