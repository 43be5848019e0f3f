/**
 * compare() drops a paired row from a metric when its score is missing on either side (a judge that could not read
 * its verdict, a metric that threw). A judge failing on the candidate's answers only (say its worst ones) made the
 * candidate's metric a mean over the rest with nothing saying so. The metric's comparison now counts the rows
 * scored on one side only (`missingOnOneSide`) and its note says so, in the table and in the matchers' messages.
 */
import { describe, expect, it } from 'vitest';
import '../../src/vitest/index.js';
import type { Metric } from '../../src/core/types.js';
import { evaluate } from '../../src/evaluate.js';
import { formatComparisonTable } from '../../src/report/formatComparisonTable.js';
import { compare } from '../../src/result/compare.js';

const dataset = Array.from({ length: 60 }, (_, i) => ({ id: `q${i}`, input: i, reference: 'ok' }));
/** A judge that cannot score an answer containing "refuse" (its verdict unreadable): a missing score. */
const judge: Metric = {
  name: 'judge',
  kind: 'continuous',
  bounds: [0, 1],
  score: ({ output }) => (String(output).includes('refuse') ? Number.NaN : String(output).length % 2),
};
const quiet = { progress: false, resamples: 200 } as const;
const baselineModel = async (input: unknown) => `ok ${input}`;
const candidateModel = async (input: unknown) => ((input as number) < 5 ? 'I refuse' : `ok ${input}`);

describe('scores missing on one side only', () => {
  it('are counted per metric and said in its note, the table and the matcher message', async () => {
    const base = await evaluate(dataset, baselineModel, [judge], quiet);
    const cand = await evaluate(dataset, candidateModel, [judge], quiet);
    const c = compare(base, cand, { margin: 0.1, resamples: 200 });
    const m = c.metrics.judge!;
    expect(m.n).toBe(55);
    expect(m.missingOnOneSide).toEqual({ baseline: 0, candidate: 5 });
    expect(m.note).toContain('5 rows missing in the candidate only (dropped)');
    expect(formatComparisonTable(c)).toContain('5 rows missing in the candidate only (dropped)');
    expect(() => expect(c).not.toBeNonInferior()).toThrow('5 rows missing in the candidate only (dropped)');
    const swapped = compare(cand, base, { resamples: 200 }).metrics.judge!;
    expect(swapped.missingOnOneSide).toEqual({ baseline: 5, candidate: 0 });
    expect(swapped.note).toContain('5 rows missing in the baseline only (dropped)');
  });

  it('are not mentioned when both sides scored the same rows', async () => {
    const base = await evaluate(dataset, candidateModel, [judge], quiet);
    const m = compare(base, base, { resamples: 200 }).metrics.judge!;
    expect(m.missingOnOneSide).toBeUndefined();
    expect(m.note ?? '').not.toMatch(/missing/);
  });
});
