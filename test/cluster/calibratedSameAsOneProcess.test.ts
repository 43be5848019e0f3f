// A cluster run's calibrated estimates are those of one process: human labels (`Example.labels`, `withLabels`) on a
// random subset of rows, some groups partly labeled, trials and segments, give the same PPI++ summary (mean,
// interval, lambda, nLabeled, nUnlabeled, agreement) per metric and per segment, the same compare() of two runs and
// the same sampleForLabeling() ids, number for number, through a worker on Redis as in one process.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compare,
  type EvalResult,
  type EvaluateOptions,
  type Example,
  evaluate,
  sampleForLabeling,
  withLabels,
} from '../../src/index.js';
import { redisServer } from '../_system.js';
import { HUNG, within } from '../_within.js';
import { check } from '../properties/_prop.js';
import { type InProcessCluster, inProcessWorkers } from './_inProcessWorkers.js';
import { metrics, model, SAME_TASK } from './_sameTask.js';

const redisReq = redisServer('the calibrated same-answer suite runs a worker on a local Redis');
const common = { progress: false, resamples: 20, seed: 5, maxFailureRate: 1 } as const;
let cluster: InProcessCluster;

type Dataset = Parameters<typeof evaluate>[0];

/** The one-process result and the cluster result of the same evaluation (the cluster run bounded in time). */
async function both(
  data: () => Dataset,
  options: EvaluateOptions,
  chunkSize = 3,
): Promise<[EvalResult, EvalResult]> {
  const local = await evaluate(data(), model, metrics, { ...common, ...options });
  const remote = await within(
    evaluate(data(), model, metrics, {
      ...common,
      ...options,
      cluster: { redis: cluster.url(), task: SAME_TASK, chunkSize },
    }),
    20_000,
  );
  if (remote === HUNG) throw new Error('the cluster run had not ended after 20 s');
  return [local, remote];
}

/** Deep equality that tells -0 from 0 at every leaf (toEqual does too; this names the path). */
function sameNumbers(got: unknown, want: unknown, at = 'result'): void {
  if (typeof want === 'number') {
    expect(Object.is(got, want), `${at}: ${String(got)} where one process has ${String(want)}`).toBe(true);
    return;
  }
  if (want === null || typeof want !== 'object') {
    expect(got, at).toEqual(want);
    return;
  }
  expect(got !== null && typeof got === 'object', `${at} is missing`).toBe(true);
  expect(Object.keys(got as object).sort(), `${at}: keys`).toEqual(Object.keys(want).sort());
  for (const k of Object.keys(want))
    sameNumbers((got as Record<string, unknown>)[k], (want as Record<string, unknown>)[k], `${at}.${k}`);
}

/** The calibrated parts of a result: per metric, and per segment and metric. */
function calibratedParts(r: EvalResult): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [m, s] of Object.entries(r.metrics)) out[m] = s.calibrated ?? null;
  for (const [seg, ms] of Object.entries(r.segments ?? {}))
    for (const [m, s] of Object.entries(ms)) out[`${seg}/${m}`] = s.calibrated ?? null;
  return out;
}

/** The result without what differs from run to run (clock times, latencies). */
function timeless(r: EvalResult): unknown {
  return {
    ...r,
    run: { ...r.run, startedAt: 0, finishedAt: 0, durationMs: 0 },
    examples: r.examples.map((e) => ({ ...e, latencyMs: 0 })),
  };
}

/** Checks one cluster result against the one-process result, calibrated parts first (they name the path). */
function expectSame(remote: EvalResult, local: EvalResult): void {
  sameNumbers(calibratedParts(remote), calibratedParts(local), 'calibrated');
  expect(timeless(remote)).toEqual(timeless(local));
}

/** The human label of metric `m` on a row: in the metric's bounds, from a label seed. */
function labelOf(m: string, s: number): number {
  if (m === 'exact') return s % 2;
  if (m === 'signed') return ((s % 5) - 2) / 2;
  return (s % 6) / 5;
}

describe.skipIf(redisReq.skip)('cluster: the calibrated estimates of one process', () => {
  cluster = inProcessWorkers(redisReq, { workers: 1, task: SAME_TASK, concurrency: 4 });

  it('property: labels on a random subset (groups partly labeled, trials, segments) give the one-process calibrated estimates, compare() and sampleForLabeling()', async () => {
    const row = fc.record({
      q: fc.string({ maxLength: 10 }),
      fail: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
      right: fc.boolean(),
      group: fc.option(fc.constantFrom('g1', 'g2', 'g3', 'g4'), { nil: undefined, freq: 2 }),
      // A label seed per row: labeled on about 2 rows in 3, on one metric or all.
      label: fc.option(fc.nat({ max: 59 }), { nil: undefined, freq: 3 }),
      all: fc.integer({ min: 0, max: 3 }).map((n) => n > 0),
    });
    let estimated = 0;
    let partlyLabeledGroups = 0;
    let segmentEstimated = 0;
    let compared = 0;
    await check(
      'cluster calibrated equals one process',
      40,
      fc.asyncProperty(
        fc.array(row, { minLength: 24, maxLength: 40 }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 2, max: 6 }),
        fc.boolean(),
        fc.boolean(),
        async (rows, trials, chunkSize, segmented, viaWithLabels) => {
          const base: Example[] = rows.map((r, i) => ({
            id: `c${i}`,
            input: { q: r.q, ...(r.fail ? { fail: true } : {}) },
            reference: r.right ? `echo ${r.q}` : 'no',
            ...(r.group === undefined ? {} : { group: r.group }),
          }));
          const labels = new Map<string, Record<string, number>>();
          rows.forEach((r, i) => {
            if (r.label === undefined) return;
            const names = r.all ? ['exact', 'signed', 'flaky'] : [['exact', 'signed', 'flaky'][r.label % 3]!];
            labels.set(`c${i}`, Object.fromEntries(names.map((m) => [m, labelOf(m, r.label! + i)])));
          });
          const inline = base.map((e) => {
            const l = labels.get(e.id as string);
            return l === undefined ? e : { ...e, labels: l };
          });
          const data = () => (viaWithLabels && labels.size > 0 ? withLabels(base, labels) : inline);
          const options: EvaluateOptions = {
            trials,
            ...(segmented
              ? { segmentBy: (e: Example) => (Number(String(e.id).slice(1)) % 4 === 0 ? 'few' : 'most') }
              : {}),
          };
          // A candidate run: the same data, answers for other rows right.
          const flipped = () => {
            const d = inline.map((e, i) =>
              i % 3 === 0 ? { ...e, reference: e.reference === 'no' ? 'x' : 'no' } : e,
            );
            return viaWithLabels && labels.size > 0
              ? withLabels(
                  d.map(({ labels: _, ...e }) => e),
                  labels,
                )
              : d;
          };
          const [local, remote] = await both(data, options, chunkSize);
          expectSame(remote, local);
          const [local2, remote2] = await both(flipped, options, chunkSize);
          expectSame(remote2, local2);
          const want = compare(local, local2, { seed: 1 });
          const got = compare(remote, remote2, { seed: 1 });
          for (const m of Object.keys(want.metrics))
            sameNumbers(
              got.metrics[m]?.calibrated ?? null,
              want.metrics[m]?.calibrated ?? null,
              `compare.${m}`,
            );
          expect(got).toEqual(want);
          expect(sampleForLabeling(remote, 5, { seed: 7 })).toEqual(sampleForLabeling(local, 5, { seed: 7 }));
          if (Object.values(local.metrics).some((s) => s.calibrated !== undefined)) estimated++;
          const segs = Object.values(local.segments ?? {}).flatMap((ms) => Object.values(ms));
          if (segs.some((s) => s.calibrated !== undefined)) segmentEstimated++;
          if (Object.values(want.metrics).some((d) => d.calibrated !== undefined)) compared++;
          const groups = new Map<string, Set<boolean>>();
          for (const [i, r] of rows.entries())
            if (r.group !== undefined)
              groups.set(r.group, (groups.get(r.group) ?? new Set()).add(labels.has(`c${i}`)));
          if ([...groups.values()].some((s) => s.size === 2)) partlyLabeledGroups++;
        },
      ),
    );
    // The property is about estimates: most runs must produce one, and many with groups partly labeled.
    expect(estimated, 'runs with a calibrated estimate').toBeGreaterThan(25);
    expect(partlyLabeledGroups, 'runs with a group partly labeled').toBeGreaterThan(25);
    expect(segmentEstimated, 'runs with a calibrated estimate in a segment').toBeGreaterThan(4);
    expect(compared, 'runs whose compare() has a calibrated difference').toBeGreaterThan(25);
  }, 120_000);

  /** 14 examples labeled on every metric (an estimate for each), with `extra` merged into each one's labels. */
  function labeled(
    ids: readonly string[],
    extra: (i: number) => Record<string, number> = () => ({}),
  ): Example[] {
    return ids.map((id, i) => {
      const labels: Record<string, number> = { exact: i % 2, signed: ((i % 5) - 2) / 2, flaky: (i % 6) / 5 };
      for (const [k, v] of Object.entries(extra(i)))
        Object.defineProperty(labels, k, { value: v, enumerable: true, writable: true, configurable: true });
      return {
        id,
        input: { q: 'z'.repeat(i) },
        reference: i % 3 === 0 ? 'no' : `echo ${'z'.repeat(i)}`,
        labels,
      };
    });
  }
  const plainIds = Array.from({ length: 14 }, (_, i) => `p${i}`);

  it.each([
    ['an array', (d: Example[]) => d],
    [
      'a stream',
      async function* (d: Example[]) {
        yield* d;
      },
    ],
  ] as const)(
    'labels of -0 (a human score of Math.round(-0.2)) in %s: the one-process result, not a refusal',
    async (_what, source) => {
      // Before, the coordinator refused the run (ClusterError 'not-carried': "example.labels.exact: -0").
      const data = labeled(plainIds, (i) => (i % 4 === 0 ? { signed: -0, exact: -0 } : {}));
      const [local, remote] = await both(() => source(data), { trials: 2 });
      expect(local.metrics.signed?.calibrated?.nLabeled).toBe(14);
      expect(Object.is(local.examples[0]?.labels?.signed, -0)).toBe(true);
      // The record is the worker's: the example it ran had the label -0, as one process's metrics see it.
      expect(Object.is(remote.examples[0]?.labels?.signed, -0), 'the -0 label of the cluster record').toBe(
        true,
      );
      expectSame(remote, local);
    },
    30_000,
  );

  it.each([
    ['quotes, a newline, U+2028, an emoji', (i: number) => `q "${i}"\n\u2028 é 🙂 ${i}`],
    [
      'names of Object.prototype',
      (i: number) => ['__proto__', 'constructor', 'toString', 'hasOwnProperty'][i] ?? `o${i}`,
    ],
    ['a $-key lookalike and a percent sign', (i: number) => (i % 2 === 0 ? `$number` : `%${i}%`) + i],
  ])(
    'labeled examples whose ids hold %s, through withLabels: the one-process result',
    async (_what, idOf) => {
      const ids = plainIds.map((_, i) => idOf(i));
      const data = labeled(ids);
      const labels = new Map(data.map((e) => [e.id as string, e.labels as Record<string, number>]));
      const bare = data.map(({ labels: _, ...e }) => e);
      const [local, remote] = await both(() => withLabels(bare, labels), { segmentBy: () => 'all' });
      expect(local.metrics.exact?.calibrated?.nLabeled).toBe(14);
      expectSame(remote, local);
    },
    30_000,
  );

  it('labels for metrics named __proto__, constructor and $number: the one-process warnings and result', async () => {
    // JSON.parse makes `__proto__` an own field (an object literal would set the prototype instead).
    const odd = JSON.parse('{"__proto__": 1, "constructor": 0, "$number": 0.5}') as Record<string, number>;
    const data = labeled(plainIds, (i) => (i < 3 ? odd : {}));
    expect(Object.keys(data[0]?.labels ?? {})).toContain('__proto__');
    const [local, remote] = await both(() => data, {});
    expect(local.warnings?.filter((w) => w.startsWith('human labels name metric'))).toHaveLength(3);
    expectSame(remote, local);
  }, 30_000);

  it('withLabels on a streamed dataset, one labeled id matching no example: the one-process result and note', async () => {
    const data = labeled(plainIds);
    const labels = new Map<string, Record<string, number>>([
      ...data.map((e) => [e.id as string, e.labels as Record<string, number>] as const),
      ['p7x', { exact: 1 }],
    ]);
    async function* stream(): AsyncGenerator<Example> {
      for (const { labels: _, ...e } of data) yield e;
    }
    const [local, remote] = await both(() => withLabels(stream(), labels), { trials: 2 });
    expect(local.warnings?.some((w) => w.includes('"p7x"'))).toBe(true);
    expectSame(remote, local);
    const [a, b] = await both(() => withLabels(stream(), labels), { trials: 2, seed: 9 });
    expect(compare(remote, b, { seed: 2 })).toEqual(compare(local, a, { seed: 2 }));
  }, 30_000);

  it("rows of a chunk that failed for good keep their labels, as one process's failed rows do", async () => {
    // A worker on its own queue that fails every chunk: the coordinator records the chunk's rows as failed.
    const { Worker } = await import('bullmq');
    const failing = new Worker(
      'always-fails',
      async () => {
        throw new Error('this worker fails every chunk');
      },
      { connection: { url: cluster.url() }, prefix: 'evalgate:bull' },
    );
    try {
      // In one process the model fails on every row: failed rows, each with its example's labels.
      const data = labeled(plainIds).map((e) => ({ ...e, input: { q: 'w', fail: true } }));
      const local = await evaluate(data, model, metrics, { ...common });
      const remote = await within(
        evaluate(data, model, metrics, {
          ...common,
          cluster: {
            redis: cluster.url(),
            task: SAME_TASK,
            queue: 'always-fails',
            attempts: 1,
            chunkSize: 5,
          },
        }),
        20_000,
      );
      if (remote === HUNG) throw new Error('the cluster run had not ended after 20 s');
      expect(remote.nFailed).toBe(14);
      expect(remote.examples.map((e) => e.labels)).toEqual(local.examples.map((e) => e.labels));
      // The score table's labels too: calibration counts labeled rows without a score in its warnings.
      expect(local.scores.labels?.exact).toHaveLength(14);
      expect(remote.scores.labels).toEqual(local.scores.labels);
    } finally {
      await failing.close();
    }
  }, 30_000);
});
