// A broken metric (over 5% of its scores outside its declared bounds) never passes a gate: compare() marks it
// `broken`, `evalgate compare` lists it as CANNOT PASS and the matchers fail naming it. Regression: the report's
// views read only `nonInferior`, so 4 of 40 candidate scores at 50 on a [0, 1] metric (missing, the other 36
// unchanged) read "yes" in the text, Markdown and HTML tables, a green panel and "Every gate passes."
import { describe, expect, it } from 'vitest';
import {
  compare,
  evaluate,
  formatComparisonTable,
  type Metric,
  markdownSummary,
  renderHtmlReport,
} from '../../src/index.js';

const opts = { progress: false, resamples: 999 } as const;
const rows = Array.from({ length: 40 }, (_, i) => ({ id: `r${i}`, input: i }));
const rate = (broken: boolean): Metric => ({
  name: 'rate',
  kind: 'continuous',
  bounds: [0, 1],
  // The candidate scores 4 rows on a 0-100 scale (a bug in the metric), the others as the baseline.
  score: ({ output }) => (broken && Number(output) < 4 ? 50 : 0.5 + (Number(output) % 5) / 10),
});

describe('report views of a broken metric', () => {
  it('never say non-inferior, nor pass the gate', async () => {
    const echo = async (input: unknown) => String(input);
    const base = await evaluate(rows, echo, [rate(false)], opts);
    const cand = await evaluate(rows, echo, [rate(true)], opts);
    expect(cand.metrics.rate!.broken).toEqual({ outOfBounds: 4, n: 40 });
    const c = compare(base, cand, { margin: 0.02 });
    const m = c.metrics.rate!;
    expect(m.broken).toBeDefined();
    const text = formatComparisonTable(c);
    expect(text).not.toMatch(/\nrate .* yes\n/);
    expect(text).toMatch(/\nrate .* broken\n/);
    expect(markdownSummary({ comparisons: [{ name: 'v2', comparison: c }] })).toMatch(
      /\| rate \|.*\| broken \(0\.02\) \|/,
    );
    const html = renderHtmlReport(cand, { baseline: base, comparison: c });
    expect(html.match(/<figure class="metric-panel tone-(\w+)" data-metric="rate"/)?.[1]).toBe('bad');
    const advice = html.match(/<section id="gates">[\s\S]*?<\/section>/)?.[0] ?? '';
    expect(advice).not.toContain('Every gate passes.');
    expect(advice).toContain('rate: cannot be shown non-inferior: metric `rate` is broken');
  });
});
