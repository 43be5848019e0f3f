// The run summary's calibrated (PPI++) estimate with trials > 1 counted every trial of a labeled example as another
// labeled row: 10 trials of 30 labeled examples reported nLabeled 300 and an interval about sqrt(10) narrower than
// the 30 human labels support (with only a "may be too narrow" note). compare()'s calibrated difference already
// took one unit per example; the summary now does too: each example is the mean of its trials' judge scores with
// its one label, and the estimate is ppi_py's on those (fixture from test/stats/fixtures/gen_ppi.py).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Example, evaluate, type Metric } from '../../src/index.js';
import { _calibrate } from '../../src/run/calibrate.js';
import { ppiMean } from '../../src/stats/index.js';

const rel = (got: number, want: number) => Math.abs(got - want) <= 1e-9 * Math.abs(want);

const u = (i: number, salt: number): number => {
  let h = Math.imul(i ^ Math.imul(salt, 0x9e3779b9), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
};

interface PpiOut {
  lambda: number;
  estimate: number;
  stderr: number;
  low: number;
  high: number;
}
const fixture = JSON.parse(readFileSync(new URL('../stats/fixtures/ppi.json', import.meta.url), 'utf8')) as {
  ppi: { human: number[]; judge: number[]; unlabeled: number[]; confidence: number; auto: PpiOut }[];
};

describe('the run summary’s calibrated estimate with trials', () => {
  it('takes the trials of an example as one unit: ppi_py on the per-example means (fixture)', async () => {
    // Case 0: 296 labeled (0/1 labels, 0/1 judge), 485 unlabeled, 90%. Each example's 10 trials score its judge
    // value -0.25 and +0.25 in turn: the mean of its trials is the fixture's judge value, exactly.
    const c = fixture.ppi[0]!;
    const examples: Example[] = [
      ...c.human.map((h, i) => ({ id: `l${i}`, input: c.judge[i], labels: { judge: h } })),
      ...c.unlabeled.map((v, i) => ({ id: `u${i}`, input: v })),
    ];
    const judge: Metric = {
      name: 'judge',
      kind: 'continuous',
      bounds: [-0.25, 1.25],
      score: (ctx) => (ctx.example.input as number) + ((ctx.trial ?? 0) % 2 === 0 ? -0.25 : 0.25),
    };
    const r = await evaluate(examples, async () => '', [judge], {
      trials: 10,
      confidence: c.confidence,
      resamples: 100,
      progress: false,
    });
    const cal = r.metrics.judge!.calibrated!;
    expect(r.n).toBe(7810);
    expect(cal.nLabeled).toBe(296);
    expect(cal.nUnlabeled).toBe(485);
    expect(cal.ci.method).toBe('ppi++');
    for (const [got, want] of [
      [cal.lambda, c.auto.lambda],
      [cal.mean, c.auto.estimate],
      [cal.stderr, c.auto.stderr],
      [cal.ci.low, c.auto.low],
      [cal.ci.high, c.auto.high],
    ] as const)
      expect(rel(got, want), `${got} vs ppi_py ${want}`).toBe(true);
    expect(cal.warning ?? '').not.toMatch(/too narrow/);
  });

  it('the interval with 10 trials of each example equals the interval of the per-example means', async () => {
    const N = 60;
    const examples: Example[] = Array.from({ length: N }, (_, i) => ({
      id: `q${i}`,
      input: i,
      ...(i % 2 === 0 ? { labels: { judge: u(i, 1) < 0.6 ? 1 : 0 } } : {}),
    }));
    // A judge whose score differs from trial to trial.
    const score = (i: number, trial: number) =>
      Math.round(100 * (0.3 * u(i, 1) + 0.7 * u(i * 16 + trial, 7))) / 100;
    const judge: Metric = {
      name: 'judge',
      kind: 'continuous',
      bounds: [0, 1],
      score: (ctx) => score(ctx.example.input as number, ctx.trial ?? 0),
    };
    const r = await evaluate(examples, async () => '', [judge], {
      trials: 10,
      resamples: 100,
      progress: false,
    });
    const cal = r.metrics.judge!.calibrated!;
    const mean = (i: number) => {
      let s = 0;
      for (let t = 0; t < 10; t++) s += score(i, t);
      return s / 10;
    };
    const human: number[] = [];
    const judged: number[] = [];
    const unlabeled: number[] = [];
    for (const ex of examples) {
      const i = ex.input as number;
      if (ex.labels === undefined) unlabeled.push(mean(i));
      else {
        human.push(ex.labels.judge!);
        judged.push(mean(i));
      }
    }
    const want = ppiMean({ human, judge: judged }, unlabeled, { confidence: 0.95, bounds: [0, 1] });
    expect(cal.nLabeled).toBe(30);
    expect(cal.nUnlabeled).toBe(30);
    expect(rel(cal.mean, want.estimate)).toBe(true);
    expect(rel(cal.stderr, want.stderr)).toBe(true);
    expect(rel(cal.ci.low, want.ci.low)).toBe(true);
    expect(rel(cal.ci.high, want.ci.high)).toBe(true);
    expect(rel(cal.lambda, want.lambda)).toBe(true);
  });

  it('a deterministic judge sampled 10 times gives the calibrated estimate of one trial', async () => {
    const examples: Example[] = Array.from({ length: 60 }, (_, i) => ({
      id: `q${i}`,
      input: i,
      ...(i % 3 === 0 ? { labels: { judge: u(i, 1) < 0.6 ? 1 : 0 } } : {}),
    }));
    const judge: Metric = {
      name: 'judge',
      kind: 'binary',
      score: (ctx) =>
        u(ctx.example.input as number, 1) < 0.6 === u(ctx.example.input as number, 5) < 0.85 ? 1 : 0,
    };
    const run = (trials: number) =>
      evaluate(examples, async () => '', [judge], { trials, resamples: 100, progress: false });
    const one = (await run(1)).metrics.judge!.calibrated!;
    const ten = (await run(10)).metrics.judge!.calibrated!;
    expect(ten.nLabeled).toBe(20);
    expect(ten.nUnlabeled).toBe(40);
    expect(ten.mean).toBe(one.mean);
    expect(ten.ci).toEqual(one.ci);
    expect(ten.stderr).toBe(one.stderr);
    expect(ten.lambda).toBe(one.lambda);
  });

  it('too few labeled examples, however many trials: no estimate, and the warning counts examples', async () => {
    const examples: Example[] = Array.from({ length: 40 }, (_, i) => ({
      id: `q${i}`,
      input: i,
      ...(i < 8 * 5 && i % 5 === 0 ? { labels: { judge: i % 2 } } : {}),
    }));
    const judge: Metric = {
      name: 'judge',
      kind: 'binary',
      score: (ctx) => (ctx.example.input as number) % 2,
    };
    const r = await evaluate(examples, async () => '', [judge], {
      trials: 3,
      resamples: 100,
      progress: false,
    });
    expect(r.metrics.judge!.calibrated).toBeUndefined();
    expect(r.warnings).toContain(
      "metric `judge` has human labels on only 8 examples (24 rows over their trials; an example's trials are one unit): at least 10 are needed for a calibrated estimate",
    );
  });

  it("examples in groups are one unit each: 5 identical examples per group give the estimate of the groups' examples alone", async () => {
    // 40 documents, half labeled; each document asked 5 times as 5 examples of one group, every copy scored and
    // labeled alike. PPI++ assumes independent units: the group is one (it had counted 100 labeled rows).
    const doc = (d: number) => ({
      input: d,
      ...(d % 2 === 0 ? { labels: { judge: u(d, 1) < 0.5 === u(d, 2) < 0.8 ? 1 : 0 } } : {}),
    });
    const judge: Metric = {
      name: 'judge',
      kind: 'binary',
      score: (ctx) => (u(ctx.example.input as number, 1) < 0.5 ? 1 : 0),
    };
    const alone = await evaluate(
      Array.from({ length: 40 }, (_, d) => ({ id: `d${d}`, ...doc(d) })),
      async () => '',
      [judge],
      { resamples: 100, progress: false },
    );
    const grouped = await evaluate(
      Array.from({ length: 200 }, (_, j) => ({ id: `q${j}`, group: `d${j % 40}`, ...doc(j % 40) })),
      async () => '',
      [judge],
      { resamples: 100, progress: false },
    );
    const [a, g] = [alone.metrics.judge!.calibrated!, grouped.metrics.judge!.calibrated!];
    expect(a.nLabeled).toBe(20);
    expect(g.nLabeled).toBe(20);
    expect(g.nUnlabeled).toBe(20);
    for (const key of ['mean', 'stderr', 'lambda'] as const)
      expect(
        Math.abs(g[key] - a[key]) <= 1e-12 * Math.max(1, Math.abs(a[key])),
        `${key}: ${g[key]} vs ${a[key]}`,
      ).toBe(true);
    expect(Math.abs(g.ci.low - a.ci.low) <= 1e-12 && Math.abs(g.ci.high - a.ci.high) <= 1e-12).toBe(true);
    expect(g.warning ?? '').not.toMatch(/too narrow/);
  });

  it('labels on fewer than 10 groups give no estimate, and the warning counts groups', async () => {
    // 12 labeled examples, but in 4 groups: 4 units.
    const examples: Example[] = Array.from({ length: 40 }, (_, i) => ({
      id: `q${i}`,
      input: i,
      group: `g${i % 8}`,
      ...(i % 8 < 4 && i < 24 ? { labels: { judge: i % 2 } } : {}),
    }));
    const judge: Metric = {
      name: 'judge',
      kind: 'binary',
      score: (ctx) => (ctx.example.input as number) % 2,
    };
    const r = await evaluate(examples, async () => '', [judge], { resamples: 100, progress: false });
    expect(r.metrics.judge!.calibrated).toBeUndefined();
    expect(r.warnings).toContain(
      "metric `judge` has human labels on only 4 groups (12 rows; a group's examples are one unit): at least 10 are needed for a calibrated estimate",
    );
  });

  it('k identical trials of every example give the estimate of one trial (property)', () => {
    const judge: Metric = { name: 'judge', kind: 'continuous', bounds: [0, 1], score: () => 0 };
    const inputs = { confidence: 0.9, resamples: 100, seed: 1 } as const;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            value: fc.integer({ min: 0, max: 20 }).map((v) => v / 20),
            label: fc.option(
              fc.integer({ min: 0, max: 4 }).map((v) => v / 4),
              { nil: null },
            ),
          }),
          { minLength: 12, maxLength: 40 },
        ),
        fc.integer({ min: 2, max: 6 }),
        (rows, k) => {
          const one = _calibrate(
            judge,
            rows.map((r) => r.value),
            rows.map((r) => r.label),
            inputs,
          );
          const values = rows.flatMap((r) => Array.from({ length: k }, () => r.value));
          const labels = rows.flatMap((r) => Array.from({ length: k }, () => r.label));
          const clusterOf = rows.flatMap((_, i) => Array.from({ length: k }, () => `e${i}`));
          const many = _calibrate(judge, values, labels, { ...inputs, clusterOf });
          if (one === undefined) {
            expect(many).toBeUndefined();
            return;
          }
          expect(many).toBeDefined();
          expect(many!.nLabeled).toBe(one.nLabeled);
          expect(many!.nUnlabeled).toBe(one.nUnlabeled);
          for (const key of ['mean', 'stderr', 'lambda'] as const) {
            const a = many![key];
            const b = one[key];
            expect(a === b || Math.abs(a - b) <= 1e-9 * Math.abs(b), `${key}: ${a} vs ${b}`).toBe(true);
          }
          expect(
            Math.abs(many!.ci.low - one.ci.low) <= 1e-9 * Math.abs(one.ci.low) || many!.ci.low === one.ci.low,
          ).toBe(true);
          expect(
            Math.abs(many!.ci.high - one.ci.high) <= 1e-9 * Math.abs(one.ci.high) ||
              many!.ci.high === one.ci.high,
          ).toBe(true);
        },
      ),
      { seed: 23, numRuns: 200 },
    );
  });
});
