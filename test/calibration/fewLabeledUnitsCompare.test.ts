// compare() of two labeled runs whose labels cover fewer than 10 independent units gave no calibrated difference
// and said nothing: 6 groups of 3 labeled examples (18 labeled pairs, above the 10-pair rule as rows) dropped
// `calibrated` while the run summaries warned "only 6 groups". The metric's comparison note now says why, counting
// units as the run summary's warning does (groups; with trials, examples; else pairs).
import { describe, expect, it } from 'vitest';
import { compare, type EvalResult, formatComparisonTable } from '../../src/index.js';
import { makeResult } from '../stats/_makeResult.js';

type Row = readonly [jb: number, jc: number, hb: number | null, hc: number | null];

function run(
  rows: readonly Row[],
  side: 0 | 1,
  layout: { ids?: string[]; groups?: (string | null)[]; trials?: number[] } = {},
): EvalResult {
  const r = makeResult({ ...layout, metrics: { s: rows.map((x) => x[side]) }, kinds: { s: 'binary' } });
  return { ...r, scores: { ...r.scores, labels: { s: rows.map((x) => x[2 + side] ?? null) } } };
}

const bit = (i: number, salt: number) => ((Math.imul(i + 1, 2654435761) ^ (salt * 40503)) >>> 7) % 3 === 0;
const row = (i: number, labeled: boolean): Row => {
  const jb = Number(bit(i, 1));
  const jc = Number(bit(i, 2) || bit(i, 1));
  return labeled ? [jb, jc, Number(bit(i, 3) || jb), Number(bit(i, 4) || jc)] : [jb, jc, null, null];
};

describe('compare() says why a labeled metric has no calibrated difference', () => {
  it('6 labeled groups (18 labeled pairs): a note naming 6 groups and the rule of 10', () => {
    // 40 examples in groups of 3; the first 6 groups labeled.
    const rows: Row[] = Array.from({ length: 40 }, (_, j) => row(j, j < 18));
    const layout = {
      ids: rows.map((_, j) => `q${j}`),
      groups: rows.map((_, j) => `doc${Math.floor(j / 3)}`),
    };
    const m = compare(run(rows, 0, layout), run(rows, 1, layout), { resamples: 50 }).metrics.s!;
    expect(m.calibrated).toBeUndefined();
    expect(m.note).toContain(
      "no calibrated comparison: human labels in both runs on only 6 scored groups (18 labeled pairs; a group's examples are one unit); at least 10 are needed",
    );
    expect(
      formatComparisonTable(compare(run(rows, 0, layout), run(rows, 1, layout), { resamples: 50 })),
    ).toContain('only 6 scored groups');
  });

  it('with 10 labeled groups the calibrated difference is there and no such note', () => {
    const rows: Row[] = Array.from({ length: 40 }, (_, j) => row(j, j < 30));
    const layout = {
      ids: rows.map((_, j) => `q${j}`),
      groups: rows.map((_, j) => `doc${Math.floor(j / 3)}`),
    };
    const m = compare(run(rows, 0, layout), run(rows, 1, layout), { resamples: 50 }).metrics.s!;
    expect(m.calibrated?.nLabeled).toBe(10);
    expect(m.note ?? '').not.toContain('no calibrated comparison');
  });

  it('trials: counts examples', () => {
    // 8 examples x 3 trials, 4 examples labeled (12 labeled pairs).
    const rows: Row[] = Array.from({ length: 24 }, (_, j) => row(Math.floor(j / 3), j < 12));
    const layout = {
      ids: rows.map((_, j) => `q${Math.floor(j / 3)}`),
      trials: rows.map((_, j) => j % 3),
    };
    const m = compare(run(rows, 0, layout), run(rows, 1, layout), { resamples: 50 }).metrics.s!;
    expect(m.calibrated).toBeUndefined();
    expect(m.note).toContain(
      "human labels in both runs on only 4 scored examples (12 labeled pairs over their trials; an example's trials are one unit); at least 10 are needed",
    );
  });

  it('independent rows: counts pairs; a run without labels gets no note', () => {
    const rows: Row[] = Array.from({ length: 40 }, (_, j) => row(j, j < 7));
    const m = compare(run(rows, 0), run(rows, 1), { resamples: 50 }).metrics.s!;
    expect(m.note).toContain('only 7 scored pairs; at least 10 are needed');
    const bare = makeResult({ metrics: { s: rows.map((x) => x[0]) }, kinds: { s: 'binary' } });
    const n = compare(bare, run(rows, 1), { resamples: 50 }).metrics.s!;
    expect(n.note ?? '').not.toContain('calibrated');
  });
});
