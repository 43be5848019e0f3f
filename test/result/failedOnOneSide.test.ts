/**
 * compare() drops a paired row from every metric when its call failed in either run (documented: a failure has no
 * score). A candidate that fails the hardest rows its baseline answered is then compared only on the rows it
 * answered, and looked as good or better with nothing saying so. The comparison now counts the paired rows that
 * failed in one run only (`failedOnOneSide`), and the text table and the HTML report say how many were dropped.
 */
import { describe, expect, it } from 'vitest';
import type { Metric } from '../../src/core/types.js';
import { evaluate } from '../../src/evaluate.js';
import { formatComparisonTable } from '../../src/report/formatComparisonTable.js';
import { renderHtmlReport } from '../../src/report/htmlReport.js';
import { markdownSummary } from '../../src/report/markdownSummary.js';
import { compare } from '../../src/result/compare.js';

const N = 100;
// Rows 0..3 are the hard ones: the baseline gets them wrong, the candidate fails on them.
const dataset = Array.from({ length: N }, (_, i) => ({ id: `q${i}`, input: i, reference: 'ok' }));
const right: Metric = {
  name: 'right',
  kind: 'binary',
  score: ({ output }) => (output === 'ok' ? 1 : 0),
};
const quiet = { progress: false, resamples: 50 } as const;
const baselineModel = async (input: unknown) => ((input as number) < 4 ? 'wrong' : 'ok');
const candidateModel = async (input: unknown) => {
  if ((input as number) < 4) throw new Error('the candidate pipeline crashed on this input');
  return 'ok';
};

describe('rows that failed in one run only', () => {
  it('are counted in the comparison and named in its table and report, on either side', async () => {
    const base = await evaluate(dataset, baselineModel, [right], quiet);
    const cand = await evaluate(dataset, candidateModel, [right], quiet);
    expect([base.nFailed, cand.nFailed]).toEqual([0, 4]);
    const c = compare(base, cand, { resamples: 50 });
    expect(c.metrics.right?.n).toBe(96);
    expect(c.failedOnOneSide).toEqual({ baseline: 0, candidate: 4 });
    expect(formatComparisonTable(c)).toContain(
      '100 paired rows, 4 failed in the candidate only (dropped from the comparison)',
    );
    expect(renderHtmlReport(cand, { baseline: base, comparison: c })).toContain(
      '100 paired rows, 4 failed in the candidate only (dropped from the comparison).',
    );
    const swapped = compare(cand, base, { resamples: 50 });
    expect(swapped.failedOnOneSide).toEqual({ baseline: 4, candidate: 0 });
    expect(formatComparisonTable(swapped)).toContain('4 failed in the baseline only');
  });

  it('are named in the Markdown summary (a CI step summary) under the differences', async () => {
    const base = await evaluate(dataset, baselineModel, [right], quiet);
    const cand = await evaluate(dataset, candidateModel, [right], quiet);
    const c = compare(base, cand, { resamples: 50 });
    const md = markdownSummary({ comparisons: [{ name: 'candidate vs baseline', comparison: c }] });
    expect(md).toContain(
      '- candidate vs baseline: 100 paired rows, 4 failed in the candidate only (dropped from the comparison)',
    );
    const same = markdownSummary({
      comparisons: [{ name: 'same', comparison: compare(base, base, { resamples: 50 }) }],
    });
    expect(same).not.toMatch(/failed in the/);
    // A partial run is said there too (its differences pass no gate).
    const partial = { ...c, partial: 'the candidate run was stopped by budget after 40 of 100 rows' };
    expect(markdownSummary({ comparisons: [{ name: 'cut', comparison: partial }] })).toContain(
      '- cut: the candidate run was stopped by budget after 40 of 100 rows (a partial run never passes a gate)',
    );
  });

  it('are not mentioned when no row failed on one side only', async () => {
    const base = await evaluate(dataset, baselineModel, [right], quiet);
    const c = compare(base, base, { resamples: 50 });
    expect(c.failedOnOneSide).toBeUndefined();
    expect(formatComparisonTable(c)).not.toMatch(/failed in the/);
  });
});
