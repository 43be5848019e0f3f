// The run summary's calibration block reported the judge's agreement (kappa, accuracy, TPR, TNR and their
// intervals) over rows, as if every trial of a labeled example, or every example of a group, were another
// independent label: 30 labeled examples x 10 identical trials gave intervals as if 300 labels had been collected
// (accuracy 0.8 over 30 examples: Clopper-Pearson [0.61, 0.92] from 30 labels, [0.75, 0.84] from 300 rows). The
// intervals now count clusters (rowCluster: a row's group, else with trials its example): a cluster bootstrap for
// kappa (same seeded draws over units), Korn-Graubard's effective sample size for the proportions. Clusters of k
// identical rows give exactly the numbers of one row each.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Example, evaluate, type Metric, markdownSummary } from '../../src/index.js';
import { judgeAgreement } from '../../src/stats/index.js';

const params = { seed: 20261207, numRuns: 150 };

type Interval = { estimate: number; low: number; high: number };
const pick = (a: Record<string, unknown>, keys: readonly string[]) =>
  Object.fromEntries(
    keys.map((k) => {
      const v = a[k] as Interval | undefined;
      return [k, v === undefined ? undefined : { estimate: v.estimate, low: v.low, high: v.high }];
    }),
  );

const u = (i: number, salt: number): number => {
  let h = Math.imul(i ^ Math.imul(salt, 0x9e3779b9), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
};

// 30 labeled examples, 30 unlabeled; the judge's verdict depends on the example only, so every trial agrees.
const N = 60;
const verdict = (i: number) => (u(i, 2) < 0.8 ? (u(i, 1) < 0.6 ? 1 : 0) : u(i, 1) < 0.6 ? 0 : 1);
const examples = (copies = 1, grouped = false): Example[] =>
  Array.from({ length: N * copies }, (_, r) => {
    const i = Math.floor(r / copies);
    return {
      id: copies === 1 ? `q${i}` : `q${i}-${r % copies}`,
      input: i,
      ...(grouped ? { group: `g${i}` } : {}),
      ...(i % 2 === 0 ? { labels: { judge: u(i, 1) < 0.6 ? 1 : 0 } } : {}),
    };
  });
const judge: Metric = { name: 'judge', kind: 'binary', score: (ctx) => verdict(ctx.example.input as number) };
const opts = { resamples: 300, progress: false as const, seed: 7 };
const keys = ['accuracy', 'kappa', 'tpr', 'tnr'] as const;

describe('the run summary’s judge agreement counts clusters, not rows', () => {
  it('10 identical trials of each example give exactly the agreement of one trial', async () => {
    const one = await evaluate(examples(), async () => '', [judge], opts);
    const ten = await evaluate(examples(), async () => '', [judge], { ...opts, trials: 10 });
    const a1 = one.metrics.judge!.calibrated!.agreement as Record<string, unknown>;
    const a10 = ten.metrics.judge!.calibrated!.agreement as Record<string, unknown>;
    expect(a10.n).toBe(300);
    expect(a10.clusters).toBe(30);
    expect(a1.n).toBe(30);
    expect(a1.clusters).toBeUndefined();
    expect(pick(a10, keys)).toEqual(pick(a1, keys));
    expect((a1.accuracy as { method: string }).method).toBe('clopper-pearson');
    expect((a10.accuracy as { method: string }).method).toBe('korn-graubard');
    expect((a10.kappa as { method: string }).method).toBe('cluster-bca');
  });

  it('groups of 4 identical examples give exactly the agreement of one example each', async () => {
    const one = await evaluate(examples(), async () => '', [judge], opts);
    const four = await evaluate(examples(4, true), async () => '', [judge], opts);
    const a1 = one.metrics.judge!.calibrated!.agreement as Record<string, unknown>;
    const a4 = four.metrics.judge!.calibrated!.agreement as Record<string, unknown>;
    expect(a4.n).toBe(120);
    expect(a4.clusters).toBe(30);
    expect(pick(a4, keys)).toEqual(pick(a1, keys));
  });

  it('trials that disagree widen the interval past the rows’ Clopper-Pearson interval', async () => {
    const flaky: Metric = {
      name: 'judge',
      kind: 'binary',
      score: (ctx) => {
        const i = ctx.example.input as number;
        return u(i * 16 + (ctx.trial ?? 0), 5) < 0.3 ? 1 - verdict(i) : verdict(i);
      },
    };
    const r = await evaluate(examples(), async () => '', [flaky], { ...opts, trials: 10 });
    const a = r.metrics.judge!.calibrated!.agreement as Record<string, unknown>;
    const acc = a.accuracy as Interval;
    // The rows alone (300 of them) would give a Clopper-Pearson interval; 30 clusters give a wider one.
    const byRows = judgeAgreement(
      Array.from({ length: 300 }, (_, t) => (t < Math.round(acc.estimate * 300) ? 1 : 0)),
      Array.from({ length: 300 }, () => 1),
      { kind: 'binary' },
    ).accuracy!;
    expect(byRows.estimate).toBe(acc.estimate);
    expect(acc.high - acc.low).toBeGreaterThan(byRows.high - byRows.low);
  });
});

const itemsArb = (k: number) =>
  fc
    .integer({ min: 3, max: 40 })
    .chain((n) =>
      fc.tuple(
        fc.array(fc.integer({ min: 0, max: k - 1 }), { minLength: n, maxLength: n }),
        fc.array(fc.integer({ min: 0, max: k - 1 }), { minLength: n, maxLength: n }),
      ),
    );
const copy = <T>(a: readonly T[], k: number) => a.flatMap((v) => Array.from({ length: k }, () => v));

describe('judgeAgreement with clusters', () => {
  it.each([
    ['binary', 2],
    ['ordinal', 5],
  ] as const)(
    '%s: k identical copies of each item, clustered, give exactly one copy’s numbers',
    (kind, levels) => {
      fc.assert(
        fc.property(itemsArb(levels), fc.integer({ min: 2, max: 6 }), ([j, h], k) => {
          const one = judgeAgreement(j, h, { kind, resamples: 200, seed: 5 }) as unknown as Record<
            string,
            unknown
          >;
          const many = judgeAgreement(copy(j, k), copy(h, k), {
            kind,
            resamples: 200,
            seed: 5,
            clusters: copy(
              j.map((_, i) => `c${i}`),
              k,
            ),
          }) as unknown as Record<string, unknown>;
          expect(pick(many, keys)).toEqual(pick(one, keys));
          expect(many.clusters).toBe(j.length);
        }),
        params,
      );
    },
  );

  it('clusters of one item each are no clusters: the same result, methods included', () => {
    fc.assert(
      fc.property(itemsArb(2), ([j, h]) => {
        const plain = judgeAgreement(j, h, { kind: 'binary', resamples: 200 });
        const single = judgeAgreement(j, h, {
          kind: 'binary',
          resamples: 200,
          clusters: j.map((_, i) => (i % 2 === 0 ? null : i)),
        });
        expect(single).toEqual(plain);
      }),
      params,
    );
  });

  it('permuting the items leaves the estimates and the proportions’ intervals unchanged', () => {
    fc.assert(
      fc.property(
        itemsArb(2),
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 1, max: 1000 }),
        ([j, h], size, s) => {
          const cl = j.map((_, i) => Math.floor(i / size));
          const order = j.map((_, i) => i).sort((a, b) => u(a, s) - u(b, s));
          const a = judgeAgreement(j, h, { kind: 'binary', resamples: 200, clusters: cl });
          const b = judgeAgreement(
            order.map((i) => j[i]!),
            order.map((i) => h[i]!),
            { kind: 'binary', resamples: 200, clusters: order.map((i) => cl[i]!) },
          );
          for (const key of ['accuracy', 'tpr', 'tnr'] as const) expect(b[key]).toEqual(a[key]);
          if (Number.isNaN(a.kappa!.estimate)) expect(b.kappa!.estimate).toBeNaN();
          else expect(b.kappa!.estimate).toBe(a.kappa!.estimate);
        },
      ),
      params,
    );
  });

  it('the proportions’ intervals are never narrower than the rows’ Clopper-Pearson interval', () => {
    fc.assert(
      fc.property(itemsArb(2), fc.integer({ min: 2, max: 4 }), ([j, h], size) => {
        const cl = j.map((_, i) => Math.floor(i / size));
        const a = judgeAgreement(j, h, { kind: 'binary', resamples: 200, clusters: cl }).accuracy!;
        const rows = judgeAgreement(j, h, { kind: 'binary', resamples: 200 }).accuracy!;
        // The effective sample size is capped at the rows: never narrower than the rows' interval.
        expect(a.high - a.low).toBeGreaterThanOrEqual(rows.high - rows.low - 1e-12);
      }),
      params,
    );
  });

  it('refuses clusters of the wrong length or type', () => {
    expect(() => judgeAgreement([0, 1], [0, 1], { kind: 'binary', clusters: ['a'] })).toThrow(
      'Expected `clusters` to have the same length as `judge` (2), got',
    );
    expect(() =>
      judgeAgreement([0, 1], [0, 1], { kind: 'binary', clusters: [{}, 'a'] as unknown as string[] }),
    ).toThrow('Expected `clusters[0]` to be a string, a number or null, got');
  });
});

describe('the agreement table with clusters', () => {
  it('shows the units the intervals count beside the rows', async () => {
    const ten = await evaluate(examples(), async () => '', [judge], { ...opts, trials: 10 });
    const md = markdownSummary({ results: [{ name: 'run', ...ten }] });
    expect(md).toMatch(/\| judge \| 300 \(30 units\) \|/);
    const one = await evaluate(examples(), async () => '', [judge], opts);
    expect(markdownSummary({ results: [{ name: 'run', ...one }] })).toMatch(/\| judge \| 30 \|/);
  });
});
