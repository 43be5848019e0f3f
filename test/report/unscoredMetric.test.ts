// A metric no row scored (every model call failed: n = 0) has no estimate and no interval; the summaries say so
// with a dash and 'none' beside the warning, never 'NaN [NaN, NaN]' posing as numbers.
import { describe, expect, it } from 'vitest';
import {
  type EvalResult,
  type Example,
  evaluate,
  formatResultTable,
  markdownSummary,
  renderHistoryReport,
  renderHtmlReport,
} from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';
import { resultBundle } from '../../src/report/notebookDisplay.js';

const dataset: Example[] = Array.from({ length: 5 }, (_, i) => ({
  id: `q${i}`,
  input: `${i}`,
  reference: `${i}`,
}));

const failedRun = (): Promise<EvalResult> =>
  evaluate(
    dataset,
    async () => {
      throw new Error('the model is down');
    },
    [exactMatch()],
    { concurrency: 1, progress: false, resamples: 100, maxFailureRate: 1 },
  );

/** The page without its (data-free) script, whose code says `NaN`-free things like `Number(v)`. */
const visible = (html: string) => html.replace(/<script>[\s\S]*?<\/script>/g, '');

describe('a metric that no row scored', () => {
  it('reads as a dash and "none", not NaN, on every result surface', async () => {
    const r = await failedRun();
    expect(r.metrics.exact_match!.n).toBe(0);
    expect(Number.isNaN(r.metrics.exact_match!.mean)).toBe(true);
    const table = formatResultTable(r);
    expect(table).not.toContain('NaN');
    expect(table.split('\n')[2]).toMatch(/^exact_match\s+—\s+none\s+0\s+0\s+bca \(no scored examples\)$/);
    const md = markdownSummary({ results: [{ name: 'run', ...r }] });
    expect(md).not.toContain('NaN');
    expect(md).toContain('| run | exact_match | — | none (bca) | 0 | 5/5 |');
    expect(visible(renderHtmlReport(r))).not.toContain('NaN');
    expect(visible(renderHtmlReport(r, { baseline: r }))).not.toContain('NaN');
    expect(resultBundle(r)['text/html']).not.toContain('NaN');
    expect(resultBundle(r)['text/plain']).not.toContain('NaN');
  });

  it('reads as a dash and "none" in the history report beside runs that scored', async () => {
    const failed = await failedRun();
    const scored = await evaluate(dataset, async (input) => String(input), [exactMatch()], {
      concurrency: 1,
      progress: false,
      resamples: 100,
    });
    const html = visible(renderHistoryReport([scored, failed, scored]));
    expect(html).not.toContain('NaN');
    expect(html).toContain('<td>— <span class="dim">none</span></td>');
  });
});
