// compare() of two labeled runs whose examples share a `group` (no trials): the calibrated (PPI++) difference took
// every row as an independent pair, so 40 documents of 5 questions each, identical within a document, reported
// 5x the labeled pairs and an interval about sqrt(5) narrower than the 40 documents give. PPI++ assumes independent
// pairs: a group is one unit now (the means of its labeled pairs; a group with no label, the mean of its judge
// differences), as compare()'s test and interval already treat groups.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare, type EvalResult } from '../../src/index.js';
import { makeResult } from '../stats/_makeResult.js';

type Row = readonly [jb: number, jc: number, hb: number | null, hc: number | null];

/** A binary judge metric `s` over rows, with human labels and optional groups. */
function run(
  rows: readonly Row[],
  side: 0 | 1,
  layout: { ids?: string[]; groups?: (string | null)[] } = {},
): EvalResult {
  const r = makeResult({ ...layout, metrics: { s: rows.map((x) => x[side]) }, kinds: { s: 'binary' } });
  return { ...r, scores: { ...r.scores, labels: { s: rows.map((x) => x[2 + side] ?? null) } } };
}

function calibrated(rows: readonly Row[], layout: { ids?: string[]; groups?: (string | null)[] } = {}) {
  return compare(run(rows, 0, layout), run(rows, 1, layout), { resamples: 50 }).metrics.s!.calibrated;
}

/** Deterministic 0/1 draws. */
const bit = (i: number, salt: number) => ((Math.imul(i + 1, 2654435761) ^ (salt * 40503)) >>> 7) % 3 === 0;

describe('compare() calibrated difference with groups', () => {
  it('40 groups of 5 identical examples give the calibrated difference of the 40 examples alone', () => {
    const docs: Row[] = Array.from({ length: 40 }, (_, i) => {
      const jb = Number(bit(i, 1));
      const jc = Number(bit(i, 2) || bit(i, 1));
      return i % 2 === 0 ? [jb, jc, Number(bit(i, 3) || jb), Number(bit(i, 4) || jc)] : [jb, jc, null, null];
    });
    const alone = calibrated(docs)!;
    const rows = docs.flatMap((d) => [d, d, d, d, d]);
    const grouped = calibrated(rows, {
      ids: rows.map((_, j) => `q${j}`),
      groups: rows.map((_, j) => `doc${Math.floor(j / 5)}`),
    })!;
    expect(alone.nLabeled).toBe(20);
    expect(grouped.nLabeled).toBe(20);
    expect(grouped.nUnlabeled).toBe(20);
    expect(grouped.difference).toBe(alone.difference);
    expect(grouped.ci).toEqual(alone.ci);
    expect(grouped.pValue).toBe(alone.pValue);
  });

  it('a group with labeled and unlabeled examples is one labeled unit, never also an unlabeled one', () => {
    // 12 groups of 3: in each, the first example labeled, the other two not.
    const rows: Row[] = Array.from({ length: 36 }, (_, j) => {
      const g = Math.floor(j / 3);
      const jb = Number(bit(g, 5));
      const jc = Number(bit(g, 6));
      return j % 3 === 0 ? [jb, jc, Number(bit(g, 7)), Number(bit(g, 8))] : [jb, jc, null, null];
    });
    const c = calibrated(rows, {
      ids: rows.map((_, j) => `q${j}`),
      groups: rows.map((_, j) => `doc${Math.floor(j / 3)}`),
    })!;
    expect(c.nLabeled).toBe(12);
    expect(c.nUnlabeled).toBe(0);
  });

  it('property: k identical copies of every example, grouped, give the calibrated difference of the examples alone (seeded)', () => {
    const label = fc.option(fc.integer({ min: 0, max: 1 }), { nil: null });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 }), label, label), {
          minLength: 30,
          maxLength: 80,
        }),
        fc.integer({ min: 2, max: 5 }),
        (docs, k) => {
          const alone = calibrated(docs);
          const rows = docs.flatMap((d) => new Array<Row>(k).fill(d));
          const grouped = calibrated(rows, {
            ids: rows.map((_, j) => `q${j}`),
            groups: rows.map((_, j) => `doc${Math.floor(j / k)}`),
          });
          expect(grouped === undefined).toBe(alone === undefined);
          if (alone === undefined || grouped === undefined) return;
          expect(grouped.nLabeled).toBe(alone.nLabeled);
          expect(grouped.nUnlabeled).toBe(alone.nUnlabeled);
          expect(grouped.difference).toBe(alone.difference);
          expect(grouped.ci).toEqual(alone.ci);
          expect(grouped.pValue).toBe(alone.pValue);
        },
      ),
      { seed: 2225, numRuns: 300 },
    );
  });

  // The case the property shrank to before the fix: 6 labeled documents, each twice, made 12 "labeled pairs".
  it('6 labeled groups of 2 identical examples: fewer than 10 labeled units, no calibrated difference', () => {
    const docs: Row[] = Array.from({ length: 30 }, (_, i) => (i < 6 ? [0, 0, 0, 0] : [0, 0, null, null]));
    const rows = docs.flatMap((d) => [d, d]);
    const grouped = calibrated(rows, {
      ids: rows.map((_, j) => `q${j}`),
      groups: rows.map((_, j) => `doc${Math.floor(j / 2)}`),
    });
    expect(calibrated(docs)).toBeUndefined();
    expect(grouped).toBeUndefined();
  });
});
