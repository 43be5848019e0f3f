// compare() on clustered rows (trials of one example, examples of one group): the rows of a cluster are not
// independent evidence, so its interval resamples whole clusters and its test runs on per-cluster means, as a
// summary and a gate treat them. Repeating every row k times identically adds no evidence.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare, type Example, evaluate } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';
import { bootstrapCI } from '../../src/stats/bootstrapCI.js';
import { mcnemarTest } from '../../src/stats/mcnemarTest.js';
import { pairedTTest } from '../../src/stats/pairedTTest.js';
import { check } from '../properties/_prop.js';
import { makeResult } from '../stats/_makeResult.js';

const ds: Example[] = Array.from({ length: 40 }, (_, i) => ({ id: `e${i}`, input: i, reference: 'y' }));
// The baseline answers examples 0..19 right, the candidate 0..22: three examples better, none worse.
const baseline = async (input: unknown) => ((input as number) < 20 ? 'y' : 'n');
const candidate = async (input: unknown) => ((input as number) < 23 ? 'y' : 'n');

describe('compare() of runs with trials > 1', () => {
  it('a deterministic model sampled 10 times: the same McNemar p as one trial (0.25), not 2^-29', async () => {
    const opts = { progress: false, resamples: 999 } as const;
    const one = compare(
      await evaluate(ds, baseline, [exactMatch()], opts),
      await evaluate(ds, candidate, [exactMatch()], opts),
      { resamples: 999 },
    ).metrics.exact_match!;
    const ten = compare(
      await evaluate(ds, baseline, [exactMatch()], { ...opts, trials: 10 }),
      await evaluate(ds, candidate, [exactMatch()], { ...opts, trials: 10 }),
      { resamples: 999 },
    ).metrics.exact_match!;
    expect(one.pValue).toBe(0.25);
    expect(ten.n).toBe(400);
    expect(ten.test).toBe('mcnemar');
    expect(ten.pValue).toBe(0.25);
    expect(ten.significant).toBe(false);
    expect(ten.discordant).toEqual({ baselineOnly: 0, candidateOnly: 3 });
  });

  it('resamples whole examples for the interval (cluster bootstrap by example id)', async () => {
    const opts = { progress: false, resamples: 999, trials: 3 } as const;
    const flaky = async (input: unknown, ctx: { trial: number }) =>
      ((input as number) + ctx.trial) % 3 === 0 ? 'n' : 'y';
    const b = await evaluate(ds, baseline, [exactMatch()], opts);
    const c = await evaluate(ds, flaky, [exactMatch()], opts);
    const m = compare(b, c, { resamples: 999 }).metrics.exact_match!;
    const d = c.scores.metrics.exact_match!.map(
      (v, i) => (v as number) - (b.scores.metrics.exact_match![i] as number),
    );
    const want = bootstrapCI(d, {
      resamples: 999,
      seed: 'evalgate',
      groups: b.scores.ids.map((id) => `example:${id}`),
    });
    expect(m.ci).toEqual({ low: want.low, high: want.high, level: 0.95, method: 'cluster-bca' });
  });
});

describe('compare() of clustered rows: the test runs on per-cluster means', () => {
  it('examples in groups: the paired t-test of the group means', () => {
    const groups = Array.from({ length: 40 }, (_, i) => `doc${i % 8}`);
    const b = Array.from({ length: 40 }, (_, i) => 0.5 + 0.01 * (i % 8) + ((i * 7) % 5) / 50);
    const c = b.map((v, i) => v + (i % 8 < 3 ? 0.04 : -0.01) + ((i * 3) % 4) / 100);
    const m = compare(
      makeResult({ metrics: { q: b }, groups, kinds: { q: 'continuous' } }),
      makeResult({ metrics: { q: c }, groups, kinds: { q: 'continuous' } }),
      { resamples: 999 },
    ).metrics.q!;
    const meanOf = (xs: readonly number[], g: number) =>
      xs.filter((_, i) => i % 8 === g).reduce((s, v) => s + v, 0) / 5;
    const gb = Array.from({ length: 8 }, (_, g) => meanOf(b, g));
    const gc = Array.from({ length: 8 }, (_, g) => meanOf(c, g));
    const want = pairedTTest(gc, gb);
    expect(m.test).toBe('paired-t');
    expect(m.pValue).toBe(want.pValue);
    expect(m.statistic).toBe(want.statistic);
  });

  it('property: k identical copies of every example, clustered, give the p-value of the examples alone', async () => {
    await check(
      'clustered copies add no evidence',
      300,
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 })), {
          minLength: 2,
          maxLength: 40,
        }),
        fc.integer({ min: 2, max: 6 }),
        fc.boolean(),
        (pairs, k, asTrials) => {
          const b = pairs.map(([u]) => u);
          const c = pairs.map(([, v]) => v);
          const alone = compare(makeResult({ metrics: { s: b } }), makeResult({ metrics: { s: c } }), {
            resamples: 50,
          }).metrics.s!;
          const rep = <T>(xs: readonly T[]) => xs.flatMap((x) => new Array<T>(k).fill(x));
          const ids = rep(pairs.map((_, i) => `e${i}`));
          const layout = asTrials
            ? { ids, trials: ids.map((_, j) => j % k) }
            : { ids: ids.map((id, j) => `${id}-${j % k}`), groups: ids };
          const copies = compare(
            makeResult({ ...layout, metrics: { s: rep(b) }, kinds: { s: 'binary' } }),
            makeResult({ ...layout, metrics: { s: rep(c) }, kinds: { s: 'binary' } }),
            { resamples: 50 },
          ).metrics.s!;
          expect(copies.test).toBe(alone.test);
          expect(copies.pValue).toBe(alone.pValue);
          expect(copies.pValue).toBe(pairs.every(([u, v]) => u === v) ? 1 : mcnemarTest(b, c).pValue);
        },
      ),
    );
  });
});

describe('compare() of few examples with many trials', () => {
  it('6 examples × 10 trials of a bounded metric: the interval of 6 paired examples, not of 6 clusters bootstrapped', async () => {
    const ds6: Example[] = Array.from({ length: 6 }, (_, i) => ({ id: `e${i}`, input: i }));
    const metric = (values: readonly number[]) => ({
      name: 'score',
      kind: 'continuous' as const,
      bounds: [0, 1] as [number, number],
      score: ({ example }: { example: Example }) => values[example.input as number]!,
    });
    const b = [0.2, 0.9, 0.85, 0.7, 0.95, 0.6];
    const c = [0.3, 0.95, 0.9, 0.72, 0.97, 0.7];
    const run = (values: readonly number[], trials: number) =>
      evaluate(ds6, async () => 'x', [metric(values)], { progress: false, resamples: 999, trials });
    const one = compare(await run(b, 1), await run(c, 1), { resamples: 999 }).metrics.score!;
    const ten = compare(await run(b, 10), await run(c, 10), { resamples: 999 }).metrics.score!;
    expect(one.ci.method).toBe('bounded-mean');
    expect(ten.n).toBe(60);
    expect(ten.ci.method).toBe('bounded-mean');
    expect([ten.ci.low, ten.ci.high]).toEqual([one.ci.low, one.ci.high]);
  });
});
