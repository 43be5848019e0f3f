// budget.maxRequests across several workers: exact, as in one process ("the request limit is exact").
//
// Regression: each worker enforced the budget on its own spend, and learnt of the others' only when the coordinator
// told it, a poll later: 3 workers (4 calls in flight each) sent 36 requests under maxRequests 20, 72 under 50 and
// 120 under 100, more than the 12 calls in flight. Workers now reserve each request on a counter of the run in Redis
// before sending it.
import { describe, expect, it } from 'vitest';
import { type EvalResult, type Example, evaluate } from '../../src/index.js';
import { redisServer } from '../_system.js';
import { HUNG, within } from '../_within.js';
import { inProcessWorkers } from './_inProcessWorkers.js';
import { metrics, model, SAME_TASK } from './_sameTask.js';

const redisReq = redisServer('the cluster budget suite runs three workers on a local Redis');

describe.skipIf(redisReq.skip)('cluster: maxRequests across workers', () => {
  const redis = inProcessWorkers(redisReq, { workers: 3, task: SAME_TASK, concurrency: 4 });

  it.each([20, 50, 100])(
    'maxRequests %i: exactly that many requests, the run stopped by its budget',
    async (maxRequests) => {
      const data: Example[] = Array.from({ length: 600 }, (_, i) => ({ id: `o${i}`, input: { q: `z${i}` } }));
      const got = await within(
        evaluate(data, model, metrics, {
          progress: false,
          resamples: 20,
          budget: { maxRequests },
          cluster: { redis: redis.url(), task: SAME_TASK, chunkSize: 4 },
        }),
        20_000,
      );
      expect(got, 'the cluster run had not ended after 20 s').not.toBe(HUNG);
      const r = got as EvalResult;
      expect(r.totals.requests, 'requests the workers sent').toBe(maxRequests);
      expect(r.run.stoppedBy).toBe('budget');
      expect(r.n).toBe(maxRequests);
    },
    30_000,
  );
});
