// Every view of a comparison reads compare()'s non-inferiority verdict (`nonInferior`, and `noInterval` when a
// metric without recorded bounds has too few paired rows to certify anything), as `evalgate compare` and
// toBeNonInferior do. Regressions: two identical runs at margin 0 (compare(): non-inferior) got a red panel, a
// red forest row and the gate advice "worse than the baseline by more than the margin 0"; one unbounded row
// 3 -> 3.5 (compare(): noInterval, the CLI refuses) read "yes" in every table and passed every colour and gate.
import { describe, expect, it } from 'vitest';
import {
  type Comparison,
  compare,
  comparisonBundle,
  type EvalResult,
  evaluate,
  formatComparisonTable,
  type Metric,
  markdownSummary,
  renderHtmlReport,
} from '../../src/index.js';

const opts = { progress: false, resamples: 999 } as const;
const echo = async (input: unknown) => String(input);
const len = (add: number): Metric => ({
  name: 'len',
  kind: 'continuous',
  score: ({ output }) => 3 + (Number(output) % 2) + add,
});
const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `r${i}`, input: i }));

async function views(base: EvalResult, cand: EvalResult, c: Comparison) {
  const html = renderHtmlReport(cand, { baseline: base, comparison: c });
  const panel = html.match(/<figure class="metric-panel tone-(\w+)" data-metric="len"/)?.[1];
  const advice = html.match(/<section id="gates">[\s\S]*?<\/section>/)?.[0] ?? '';
  const bundle = comparisonBundle(c);
  const forest = bundle['text/html'].match(/<g class="forest-row tone-(\w+)" data-label="len"/)?.[1];
  return {
    text: formatComparisonTable(c),
    markdown: markdownSummary({ comparisons: [{ name: 'v2', comparison: c }] }),
    html,
    panel,
    advice,
    forest,
    notebook: bundle['text/html'],
  };
}

describe('report views agree with compare() on non-inferiority', () => {
  it('two identical runs at margin 0: non-inferior everywhere, no red, no gate line', async () => {
    const base = await evaluate(rows(40), echo, [len(0)], opts);
    const again = await evaluate(rows(40), echo, [len(0)], opts);
    const c = compare(base, again, { margin: 0 });
    expect(c.metrics.len!.nonInferior).toBe(true);
    const v = await views(base, again, c);
    expect(v.text).toMatch(/\nlen .* yes\n/);
    expect(v.markdown).toMatch(/\| len \|.*\| yes \(0\) \|/);
    expect(v.panel).not.toBe('bad');
    expect(v.forest).not.toBe('bad');
    expect(v.advice).toContain('Every gate passes.');
    expect(v.advice).not.toContain('worse than the baseline');
  });

  it('an unbounded metric on 2 rows moved up by 0.5: noInterval, so no view says non-inferior', async () => {
    const base = await evaluate(rows(2), echo, [len(0)], opts);
    const cand = await evaluate(rows(2), echo, [len(0.5)], opts);
    const c = compare(base, cand, { margin: 0.02 });
    const m = c.metrics.len!;
    expect(m.noInterval).toBeDefined();
    const v = await views(base, cand, c);
    expect(v.text).not.toMatch(/\nlen .* yes\n/);
    expect(v.text).toMatch(/\nlen .* no interval\n/);
    expect(v.markdown).not.toMatch(/\| len \|.*\| yes \(0\.02\) \|/);
    expect(v.markdown).toMatch(/\| len \|.*\| no interval \(0\.02\) \|/);
    expect(v.html).not.toMatch(/<td[^>]*>yes<\/td>/);
    expect(v.html).toContain('no interval');
    expect(v.notebook).not.toMatch(/<td[^>]*>yes<\/td>/);
    expect(v.notebook).toContain('no interval');
    expect(v.panel).not.toBe('good');
    expect(v.forest).not.toBe('good');
    expect(v.advice).not.toContain('Every gate passes.');
    expect(v.advice).toContain('no finite-sample interval');
  });
});
