/**
 * The calibrated estimate of a grouped run whose labels were drawn row by row, as sampleForLabeling draws them
 * (uniformly over examples): two documents of 40 questions the judge gets wrong (it says 1, the humans 0) beside 60
 * questions on their own it gets right, humans' mean 0.214. Labels land in the large documents far more often than
 * in any one small one, and each document with a label was one labeled unit standing for all 40 of its rows, its
 * unlabeled rows left out: over 200 seeded draws of 40 labels the calibrated mean averaged 0.0003 and its interval
 * covered 0.214 in 0 of them. A cluster's labeled rows now stand for themselves and its unlabeled rows for
 * themselves, one dependent pair of units (ppiMean's `clusters`): the row-level estimate, which labels drawn
 * uniformly over rows make unbiased.
 */
import { describe, expect, it } from 'vitest';
import {
  compare,
  type EvalResult,
  type Example,
  evaluate,
  type Metric,
  sampleForLabeling,
} from '../../src/index.js';

interface Row {
  readonly id: string;
  readonly group?: string;
  readonly judge: number;
  readonly human: number;
}
const ROWS: Row[] = [
  ...Array.from({ length: 80 }, (_, j) => ({ id: `d${j}`, group: `doc${j % 2}`, judge: 1, human: 0 })),
  ...Array.from({ length: 60 }, (_, i) => ({ id: `s${i}`, judge: i % 2, human: i % 2 })),
];
const TRUTH = ROWS.reduce((s, r) => s + r.human, 0) / ROWS.length;
const judged: Metric = { name: 'judged', kind: 'binary', score: ({ output }) => Number(output) };

function dataset(labeled: ReadonlySet<string>, human: (r: Row) => number = (r) => r.human): Example[] {
  return ROWS.map((r) => ({
    id: r.id,
    input: r.judge,
    ...(r.group === undefined ? {} : { group: r.group }),
    ...(labeled.has(r.id) ? { labels: { judged: human(r) } } : {}),
  }));
}
const run = (ds: Example[], output: (judge: number) => number = (j) => j): Promise<EvalResult> =>
  evaluate(ds, async (x) => String(output(x as number)), [judged], { progress: false, resamples: 99 });

describe('calibrated estimates of a grouped run labeled by sampleForLabeling', () => {
  it("the summary: the calibrated mean is the rows' mean on average over 200 label draws, and covers it", async () => {
    const unlabeled = await run(dataset(new Set()));
    let sum = 0;
    let covered = 0;
    let draws = 0;
    for (let seed = 0; seed < 200; seed++) {
      const c = (await run(dataset(new Set(sampleForLabeling(unlabeled, 40, { seed }))))).metrics.judged!
        .calibrated;
      if (c === undefined) continue; // fewer than 10 labeled units
      draws++;
      sum += c.mean;
      if (c.ci.low <= TRUTH && TRUTH <= c.ci.high) covered++;
    }
    expect(draws).toBeGreaterThan(150);
    expect(Math.abs(sum / draws - TRUTH)).toBeLessThan(0.02); // before: 0.0003 against 0.214
    expect(covered / draws).toBeGreaterThanOrEqual(0.9); // before: 0
  });

  it('compare(): a candidate the judge cannot tell apart, worse in the two documents by the humans', async () => {
    // Baseline: humans agree with the judge everywhere (1 in the documents). Candidate: the same outputs by the
    // judge, but the humans score the documents' answers 0: the rows' human difference is -80/140 = -0.571.
    const truth = -80 / 140;
    const base0 = await run(dataset(new Set()));
    let sum = 0;
    let covered = 0;
    let draws = 0;
    for (let seed = 0; seed < 100; seed++) {
      const ids = new Set(sampleForLabeling(base0, 40, { seed }));
      const baseline = await run(dataset(ids, (r) => r.judge));
      const candidate = await run(dataset(ids));
      const c = compare(baseline, candidate, { resamples: 99 }).metrics.judged!.calibrated;
      if (c === undefined) continue;
      draws++;
      sum += c.difference;
      if (c.ci.low <= truth && truth <= c.ci.high) covered++;
    }
    expect(draws).toBeGreaterThan(75);
    expect(Math.abs(sum / draws - truth)).toBeLessThan(0.03); // before: -0.82
    expect(covered / draws).toBeGreaterThanOrEqual(0.9);
  });

  it('a cluster with labeled and unlabeled rows counts once among the labeled units, its rows all used', async () => {
    // d0 (doc0) labeled, the other 39 of doc0 not: doc0 is one labeled unit; doc1 (no label) one unlabeled unit.
    const ids = new Set(['d0', ...Array.from({ length: 12 }, (_, i) => `s${i}`)]);
    const c = (await run(dataset(ids))).metrics.judged!.calibrated!;
    expect(c.nLabeled).toBe(13);
    expect(c.nUnlabeled).toBe(1 + 48);
  });
});
