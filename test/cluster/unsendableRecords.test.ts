// A record a worker cannot send back as JSON (a metric's details holding a BigInt).
//
// Regression: the worker's JSON.stringify of the row's message threw (`Do not know how to serialize a BigInt`), so
// the chunk failed, ran again twice with back-off (its model calls paid again), and after about 20 s the row was
// recorded as a failed row: a run with one such row among 40 passed its failure rate with nFailed 1 and n - 1
// scores, where one process scores all 40. The run now stops with a ClusterError ('not-carried') naming the
// example and the field.
import { describe, expect, it } from 'vitest';
import { ClusterError, type EvalResult, evaluate } from '../../src/index.js';
import { redisServer } from '../_system.js';
import { HUNG, within } from '../_within.js';
import { DETAILS_TASK, detailsDataset, metrics, model } from './_detailsTask.js';
import { type InProcessCluster, inProcessWorkers } from './_inProcessWorkers.js';

const redisReq = redisServer('the cluster record suite runs a worker on a local Redis');
const common = { progress: false, resamples: 50, seed: 1 } as const;
let cluster: InProcessCluster;

describe.skipIf(redisReq.skip)('cluster: records the workers cannot send as JSON', () => {
  cluster = inProcessWorkers(redisReq, { workers: 1, task: DETAILS_TASK, concurrency: 4 });

  it("a metric's details holding a BigInt stop the run, naming the example and the field", async () => {
    const data = [...detailsDataset(39, 'plain'), ...detailsDataset(1, 'bigint')];
    const local = await evaluate(data, model, metrics, common);
    expect([local.n, local.nFailed, local.metrics.detailed?.n]).toEqual([40, 0, 40]);
    expect(local.examples[39]?.details).toEqual({ detailed: { n: 5n } });
    const got = await within(
      evaluate(data, model, metrics, {
        ...common,
        cluster: { redis: cluster.url(), task: DETAILS_TASK },
      }).catch((e: unknown) => e),
      20_000,
    );
    expect(got, 'the cluster run had not ended after 20 s').not.toBe(HUNG);
    expect(got).toBeInstanceOf(ClusterError);
    expect((got as ClusterError).reason).toBe('not-carried');
    expect((got as ClusterError).exampleId).toBe('bigint0');
    expect((got as Error).message).toMatch(
      /^The record of example "bigint0" \(trial 0\) cannot travel back to the coordinator: record\.details\.detailed\.n: a BigInt \(JSON cannot write it\)\. /,
    );
  }, 30_000);

  it('the worker then runs the next run, with the numbers of one process', async () => {
    const data = detailsDataset(8, 'date');
    const local = await evaluate(data, model, metrics, common);
    const remote = await within(
      evaluate(data, model, metrics, { ...common, cluster: { redis: cluster.url(), task: DETAILS_TASK } }),
      20_000,
    );
    expect(remote, 'the cluster run had not ended after 20 s').not.toBe(HUNG);
    const r = remote as EvalResult;
    expect(r.metrics.detailed).toEqual(local.metrics.detailed);
    expect(r.examples.map((e) => e.id)).toEqual(local.examples.map((e) => e.id));
    // A record travels as JSON: the worker's Date arrives as its ISO string, as a saved result reads it back.
    expect(r.examples[0]?.details).toEqual(JSON.parse(JSON.stringify(local.examples[0]?.details)));
  }, 30_000);
});
