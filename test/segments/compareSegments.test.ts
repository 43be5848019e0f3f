import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compare, type EvalResult, evaluate } from '../../src/index.js';
import { bleu, corpusBleu } from '../../src/metrics/index.js';
import { bootstrapCI } from '../../src/stats/index.js';
import { makeResult } from '../stats/_makeResult.js';
import { expectRel } from '../stats/_rel.js';
import { dataset, REGRESSED, runOf, sets } from './_segmentRuns.js';

interface Cell {
  segment: string;
  metric: string;
  difference: number;
  pValue: number;
  holm: number;
  bh: number;
}
// Written by fixtures/make_segment_pvalues.py (scipy 1.17.1, numpy 2.4.6; statsmodels multipletests semantics).
const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/segment_pvalues.json', import.meta.url), 'utf8'),
) as { cells: Cell[] };

let baseline: EvalResult;
let candidate: EvalResult;
beforeAll(async () => {
  [baseline, candidate] = await Promise.all([runOf('baseline'), runOf('candidate')]);
}, 60_000);

describe('compare() by segment', () => {
  it('finds the regressed category and only it, with p-values adjusted (Holm) across segment x metric cells', () => {
    const cmp = compare(baseline, candidate, { resamples: 999 });
    const cells = cmp.segments!;
    expect(cells.map((c) => `${c.segment}/${c.metric}`)).toEqual(
      fixture.cells.map((c) => `${c.segment}/${c.metric}`),
    );
    cells.forEach((cell, i) => {
      const want = fixture.cells[i]!;
      const label = `${cell.segment}/${cell.metric}`;
      expect(cell.n, label).toBe(150);
      expectRel(cell.difference, want.difference, 1e-9, `${label} difference`);
      expectRel(cell.pValue, want.pValue, 1e-9, `${label} p`);
      expectRel(cell.pAdjusted, want.holm, 1e-9, `${label} holm`);
      expect(cell.test).toBe(cell.metric === 'exact_match' ? 'mcnemar' : 'paired-t');
    });
    expect(cells.filter((c) => c.regressed).map((c) => `${c.segment}/${c.metric}`)).toEqual([
      `${REGRESSED}/exact_match`,
      `${REGRESSED}/quality`,
    ]);
    const billing = cells.find((c) => c.segment === REGRESSED && c.metric === 'exact_match')!;
    expectRel(billing.baselineMean - billing.candidateMean, 0.2, 1e-9, 'billing drop');
    expect(billing.ci.high).toBeLessThan(0);
    // The whole-run comparison is unchanged by segments: still adjusted across the 2 metrics only.
    expect(Object.keys(cmp.metrics)).toEqual(['exact_match', 'quality']);
  });

  it('adjusts with Benjamini-Hochberg when asked', () => {
    const cmp = compare(baseline, candidate, { resamples: 99, adjustment: 'bh' });
    cmp.segments!.forEach((cell, i) => {
      expectRel(cell.pAdjusted, fixture.cells[i]!.bh, 1e-9, `${cell.segment}/${cell.metric} bh`);
    });
  });

  it('gives each cell the paired bootstrap interval of its segment’s differences (same seed)', () => {
    const cmp = compare(baseline, candidate, { resamples: 999, seed: 5 });
    const rows = dataset.map((_, i) => i).filter((i) => dataset[i]!.metadata!.category === 'shipping');
    const d = rows.map((i) => (sets.candidate.has(i) ? 1 : 0) - (sets.baseline.has(i) ? 1 : 0));
    const want = bootstrapCI(d, { resamples: 999, seed: 5 });
    const cell = cmp.segments!.find((c) => c.segment === 'shipping' && c.metric === 'exact_match')!;
    expect(cell.ci).toEqual({ low: want.low, high: want.high, level: 0.95, method: 'bca' });
    expect(cell.regressed).toBe(false);
  });

  it('counts a regression only past the margin', () => {
    const within = compare(baseline, candidate, { resamples: 99, margin: 0.25 });
    expect(within.segments!.some((c) => c.regressed)).toBe(false);
    const past = compare(baseline, candidate, { resamples: 99, margin: 0.15 });
    expect(past.segments!.filter((c) => c.regressed).map((c) => c.metric)).toEqual(['exact_match']);
  });

  it.each(['constructor', 'toString', 'valueOf', '__proto__'])(
    'a metric named %j that a per-metric margin leaves out regresses at margin 0, like any other name',
    (name) => {
      // The margin record's missing names were read through its prototype: `margin.constructor` was Object,
      // -Object is NaN, and `difference < NaN` is false, so the cell never regressed whatever its p-value.
      const ids = Array.from({ length: 60 }, (_, i) => `q${i}`);
      const run = (values: number[]) => {
        const r = makeResult({ ids, metrics: { [name]: values, other: values } });
        return { ...r, scores: { ...r.scores, segments: ids.map(() => ['all']) } } as EvalResult;
      };
      const cmp = compare(run(ids.map(() => 1)), run(ids.map((_, i) => (i < 40 ? 0 : 1))), {
        resamples: 99,
        margin: { other: 0.01 },
      });
      const cells = cmp.segments!.map((c) => [c.metric, c.regressed]);
      expect(cells).toEqual([
        [name, true],
        ['other', true],
      ]);
    },
  );

  it('uses the candidate’s segments when the baseline has none, and has no segments when neither run does', () => {
    const { segments: _s, ...rest } = baseline;
    const plainBaseline = { ...rest, scores: { ...baseline.scores } } as EvalResult;
    delete (plainBaseline.scores as { segments?: unknown }).segments;
    const cmp = compare(plainBaseline, candidate, { resamples: 99 });
    expect(cmp.segments!.filter((c) => c.regressed).map((c) => c.segment)).toEqual([REGRESSED, REGRESSED]);
    const plainCandidate = { ...candidate, scores: { ...candidate.scores } } as EvalResult;
    delete (plainCandidate.scores as { segments?: unknown }).segments;
    expect(compare(plainBaseline, plainCandidate, { resamples: 99 }).segments).toBeUndefined();
  });

  it('re-aggregates a corpus metric on each segment’s rows (test bootstrap)', async () => {
    const refs = Array.from({ length: 12 }, (_, i) => `the quick brown fox number ${i} jumps over the dog`);
    const data = refs.map((r, i) => ({
      id: `s${i}`,
      input: i,
      reference: r,
      metadata: { half: i < 6 ? 'a' : 'b' },
    }));
    const hyp = (drop: boolean) => (i: number) =>
      drop && i >= 6 ? `a fox ${i} jumps` : `the quick brown fox number ${i} jumps over a dog`;
    const run = (drop: boolean) =>
      evaluate(data, async (input) => hyp(drop)(Number(input)), [bleu()], {
        segmentBy: 'half',
        resamples: 99,
        progress: false,
      });
    const cmp = compare(await run(false), await run(true), { resamples: 199 });
    const b = cmp.segments!.find((c) => c.segment === 'b')!;
    const idx = [6, 7, 8, 9, 10, 11];
    const score = (drop: boolean) =>
      corpusBleu(
        idx.map(hyp(drop)),
        idx.map((i) => [refs[i]!]),
      ).score;
    expect(b.test).toBe('bootstrap');
    expect(b.baselineMean).toBe(score(false));
    expect(b.candidateMean).toBe(score(true));
    expect(cmp.segments!.find((c) => c.segment === 'a')!.difference).toBe(0);
  });
});
