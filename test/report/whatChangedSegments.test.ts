/**
 * The report over real runs: 600 examples in 4 categories evaluated by evaluate() with segmentBy, compared by
 * compare() (test/segments/_segmentRuns.ts, fixed seed). Only "billing" regressed, by 20 points: the report lists it
 * first in every segment plot, draws only it as regressed, and says so in the "what to do" lines.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../src/report/htmlReport.js';
import { compare } from '../../src/result/compare.js';
import type { EvalResult } from '../../src/result/EvalResult.js';
import { REGRESSED, runOf } from '../segments/_segmentRuns.js';

let html: string;
let base: EvalResult;
beforeAll(async () => {
  base = await runOf('baseline');
  const cand = await runOf('candidate');
  html = renderHtmlReport(cand, { baseline: base, comparison: compare(base, cand) });
}, 60_000);

const rowsOf = (metric: string) => {
  const plot = html.split(`<figure class="segment-plot" data-metric="${metric}">`)[1]!.split('</figure>')[0]!;
  return [...plot.matchAll(/<g class="forest-row tone-(\w+)" data-label="([^"]+)">/g)].map((m) => [
    m[2],
    m[1],
  ]);
};

describe('report over segmented runs', () => {
  it('lists the regressed category first in each metric’s segment plot, and only it as regressed', () => {
    for (const metric of ['exact_match', 'quality']) {
      const rows = rowsOf(metric);
      expect(rows).toHaveLength(4);
      expect(rows[0], metric).toEqual([REGRESSED, 'bad']);
      expect(
        rows.slice(1).every(([, tone]) => tone !== 'bad'),
        metric,
      ).toBe(true);
    }
  });

  it('says what regressed in the "what to do" lines, naming only the regressed category', () => {
    const lines = [
      ...html.matchAll(/<li class="gate-line" data-kind="segment-regressed">([^<]+)<\/li>/g),
    ].map((m) => m[1]!);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toContain(`in segment &quot;${REGRESSED}&quot;`);
  });

  it('shows the baseline output beside the candidate’s for every example', () => {
    expect(html.split('<td class="baseline-output">').length - 1).toBe(600);
    expect(html.split('<td class="id">').length - 1).toBe(600);
  });
});
