// A cluster run gives the result of one process: the same dataset, model, metrics, seed and options run through
// a worker on Redis (in this process, so the suite stays quick) and in one process give equal results, timings
// aside. Each case below failed before its fix.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redisCache } from '../../src/cache/index.js';
import { type EvalResult, type EvaluateOptions, type Example, evaluate } from '../../src/index.js';
import { redisServer } from '../_system.js';
import { HUNG, within } from '../_within.js';
import { check } from '../properties/_prop.js';
import { type InProcessCluster, inProcessWorkers } from './_inProcessWorkers.js';
import { metrics, model, SAME_TASK } from './_sameTask.js';

const redisReq = redisServer('the same-answer suite runs a worker on a local Redis');
const common = { progress: false, resamples: 50, seed: 3 } as const;
let cluster: InProcessCluster;

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
      cluster: { redis: cluster.url(), task: SAME_TASK, chunkSize: 3 },
    }),
    20_000,
  );
  if (remote === HUNG) throw new Error('the cluster run had not ended after 20 s');
  return [local, remote];
}

describe.skipIf(redisReq.skip)('cluster: the result of one process', () => {
  cluster = inProcessWorkers(redisReq, { workers: 1, task: SAME_TASK, concurrency: 4 });

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

  it.each([
    ['maxRequests', { maxRequests: 8 }],
    // Each row spends its question's length + 3 tokens: 8 rows spend 8 * 3 + (0 + 1 + ... + 7) = 52.
    ['maxTokens', { maxTokens: 52 }],
  ] as const)(
    'a budget (%s) the whole run spends exactly is no budget stop: every row, stoppedBy null',
    async (_what, budget) => {
      const [local, remote] = await both(sameDataset(8), { budget });
      expect([local.run.stoppedBy, local.n]).toEqual([null, 8]);
      expect([remote.run.stoppedBy, remote.n], 'stoppedBy and n of the cluster run').toEqual([null, 8]);
      expect(timeless(remote)).toEqual(timeless(local));
    },
    30_000,
  );

  it('a budget one row short still stops the run, with no more requests than one process sends', async () => {
    const [local, remote] = await both(sameDataset(9), { budget: { maxRequests: 8 } });
    expect([local.run.stoppedBy, local.totals.requests]).toEqual(['budget', 8]);
    expect(remote.run.stoppedBy).toBe('budget');
    expect(remote.totals.requests).toBe(8);
    expect(remote.n).toBe(8);
  }, 30_000);

  it('maxRequests 0 with rows that make no call (the model fails first): every row runs, no budget stop', async () => {
    // The shrunk counterexample of the budget property below.
    const data: Example[] = [0, 1].map((i) => ({ id: `f${i}`, input: { q: 'y'.repeat(i), fail: true } }));
    const [local, remote] = await both(data, { trials: 2, maxFailureRate: 1, budget: { maxRequests: 0 } });
    expect([local.run.stoppedBy, local.n, local.nFailed]).toEqual([null, 4, 4]);
    expect(timeless(remote)).toEqual(timeless(local));
  }, 30_000);

  it('property: small random datasets, trials, segments, failing rows and metrics give the one-process result', async () => {
    const example = fc.record({
      q: fc.string({ maxLength: 12 }),
      fail: fc.boolean(),
      right: fc.boolean(),
      group: fc.option(fc.constantFrom('g1', 'g2'), { nil: undefined }),
      meta: fc.option(
        fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.string(), fc.integer(), fc.boolean())),
        {
          nil: undefined,
        },
      ),
    });
    await check(
      'cluster run equals one process',
      200,
      fc.asyncProperty(
        fc.array(example, { minLength: 1, maxLength: 14 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 5 }),
        fc.boolean(),
        async (rows, trials, chunkSize, segmented) => {
          const data: Example[] = rows.map((r, i) => ({
            id: `r${i}`,
            input: { q: r.q, ...(r.fail ? { fail: true } : {}) },
            reference: r.right ? `echo ${r.q}` : 'no',
            ...(r.group === undefined ? {} : { group: r.group }),
            ...(r.meta === undefined ? {} : { metadata: { details: r.meta } }),
          }));
          const options: EvaluateOptions = {
            ...common,
            trials,
            maxFailureRate: 1,
            ...(segmented ? { segmentBy: (e: Example) => (e.reference === 'no' ? 'wrong' : 'right') } : {}),
          };
          const local = await evaluate(data, model, metrics, options);
          const remote = await within(
            evaluate(data, model, metrics, {
              ...options,
              cluster: { redis: cluster.url(), task: SAME_TASK, chunkSize },
            }),
            20_000,
          );
          expect(remote, 'the cluster run had not ended after 20 s').not.toBe(HUNG);
          expect(timeless(remote as EvalResult)).toEqual(timeless(local));
        },
      ),
    );
  }, 120_000);

  it('property: a maxRequests budget sends as many requests as one process and stops it alike', async () => {
    await check(
      'cluster budget equals one process',
      100,
      fc.asyncProperty(
        fc.array(fc.boolean(), { minLength: 1, maxLength: 14 }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 1, max: 5 }),
        fc.nat({ max: 30 }),
        async (fails, trials, chunkSize, maxRequests) => {
          const data: Example[] = fails.map((fail, i) => ({
            id: `b${i}`,
            input: { q: 'y'.repeat(i), ...(fail ? { fail: true } : {}) },
          }));
          const options: EvaluateOptions = { ...common, trials, maxFailureRate: 1, budget: { maxRequests } };
          const local = await evaluate(data, model, metrics, options);
          const remote = await within(
            evaluate(data, model, metrics, {
              ...options,
              cluster: { redis: cluster.url(), task: SAME_TASK, chunkSize },
            }),
            20_000,
          );
          expect(remote, 'the cluster run had not ended after 20 s').not.toBe(HUNG);
          const r = remote as EvalResult;
          expect([r.totals.requests, r.run.stoppedBy]).toEqual([local.totals.requests, local.run.stoppedBy]);
        },
      ),
    );
  }, 120_000);

  it("a shared cache failing on the workers: the result warns of it as one process's does", async () => {
    // The cache's one key holds a string, not a hash: every read and write of it fails (WRONGTYPE).
    await cluster.redis().client.set('broken:entries', 'not a hash');
    const cache = redisCache({ url: cluster.url(), prefix: 'broken:' });
    try {
      const [local, remote] = await both(sameDataset(5), { cache });
      expect(local.warnings?.some((w) => w.startsWith('cache write failed 5 times'))).toBe(true);
      expect(remote.warnings).toEqual(local.warnings);
    } finally {
      await cache.close();
    }
  }, 30_000);
});
