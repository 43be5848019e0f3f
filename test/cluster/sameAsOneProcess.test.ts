// A cluster run gives the result of one process: the same dataset, model, metrics, seed and options run through
// a worker on Redis (in this process, so the suite stays quick) and in one process give equal results, timings
// aside. Each case below failed before its fix.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClusterWorker, runWorker } from '../../src/cluster/runWorker.js';
import { type EvalResult, type EvaluateOptions, type Example, evaluate } from '../../src/index.js';
import { redisServer } from '../_system.js';
import { HUNG, within } from '../_within.js';
import { type RedisProcess, startRedis } from './_cluster.js';
import { metrics, model, SAME_TASK } from './_sameTask.js';

const redisReq = redisServer('the same-answer suite runs a worker on a local Redis');
const common = { progress: false, resamples: 50, seed: 3 } as const;
let redis: RedisProcess;
let worker: ClusterWorker;

/** The result without what differs from run to run (clock times, latencies). */
function timeless(r: EvalResult): unknown {
  return {
    ...r,
    run: { ...r.run, startedAt: 0, finishedAt: 0, durationMs: 0 },
    examples: r.examples.map((e) => ({ ...e, latencyMs: 0 })),
  };
}

/** `n` examples: question `i` is `i` x's; every reference but the odd ones is wrong. */
function sameDataset(n: number): Example[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `e${i}`,
    input: { q: 'x'.repeat(i) },
    reference: i % 2 === 1 ? `echo ${'x'.repeat(i)}` : 'no',
  }));
}

/** The one-process result and the cluster result of the same evaluation (the cluster run bounded in time). */
async function both(data: Example[], options: EvaluateOptions): Promise<[EvalResult, EvalResult]> {
  const local = await evaluate(data, model, metrics, { ...common, ...options });
  const remote = await within(
    evaluate(data, model, metrics, {
      ...common,
      ...options,
      cluster: { redis: redis.url, task: SAME_TASK, chunkSize: 3 },
    }),
    20_000,
  );
  if (remote === HUNG) throw new Error('the cluster run had not ended after 20 s');
  return [local, remote];
}

describe.skipIf(redisReq.skip)('cluster: the result of one process', () => {
  beforeAll(async () => {
    redis = await startRedis(redisReq.executable());
    worker = await runWorker({ redis: redis.url, task: SAME_TASK, concurrency: 4 });
  }, 30_000);
  afterAll(async () => {
    await worker?.close();
    await redis?.stop();
  }, 30_000);

  it('calls without a price: totals.unpricedCalls and the no-price warning as in one process', async () => {
    const [local, remote] = await both(sameDataset(7), {});
    expect(local.totals.unpricedCalls).toBe(7);
    expect(remote.totals.unpricedCalls).toBe(7);
    expect(remote.warnings).toEqual(local.warnings);
  }, 30_000);

  it('-0 scores come back -0 (Math.round(-0.2) is -0), trials and segments as in one process', async () => {
    const [local, remote] = await both(sameDataset(9), {
      trials: 2,
      segmentBy: (e: Example) => (e.reference === 'no' ? 'wrong' : 'right'),
    });
    expect(Object.is(local.examples[6]?.scores.signed, -0)).toBe(true);
    expect(Object.is(remote.examples[6]?.scores.signed, -0), 'score of the row whose metric gave -0').toBe(
      true,
    );
    expect(timeless(remote)).toEqual(timeless(local));
  }, 30_000);

  it('an object { $number: "7" } in metadata and details comes back as that object, not the number 7', async () => {
    const data = sameDataset(4).map((e, i) => ({
      ...e,
      metadata: { details: i === 2 ? { m: { $number: '7' }, n: { $number: 'NaN' } } : { i } },
    }));
    const [local, remote] = await both(data, {});
    expect(remote.examples[2]?.metadata).toEqual({ details: { m: { $number: '7' }, n: { $number: 'NaN' } } });
    expect(remote.examples[2]?.details).toEqual({ flaky: { m: { $number: '7' }, n: { $number: 'NaN' } } });
    expect(timeless(remote)).toEqual(timeless(local));
  }, 30_000);
});
