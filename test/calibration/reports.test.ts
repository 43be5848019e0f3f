import { describe, expect, it } from 'vitest';
import {
  type Example,
  evaluate,
  type Metric,
  markdownSummary,
  renderHtmlReport,
  resultBundle,
} from '../../src/index.js';

// A local "judge" metric (no network) that passes every right answer and a third of the wrong ones; a random
// 60 of 200 examples carry the human label. Every report shows raw and calibrated side by side and the
// agreement table; a run without labels shows neither.
const N = 200;
const right = (i: number) => (i * 37) % 100 < 55;
const fp = (i: number) => (i * 53) % 3 === 0;
const labeledIds = new Set(Array.from({ length: 60 }, (_, k) => (k * 67 + 11) % N));
const examples: Example[] = Array.from({ length: N }, (_, i) => ({
  id: `e${i}`,
  input: i,
  ...(labeledIds.has(i) ? { labels: { judged: right(i) ? 1 : 0 } } : {}),
}));
const judged: Metric = {
  name: 'judged',
  kind: 'binary',
  score: ({ example }) => {
    const i = example.input as number;
    return right(i) || fp(i) ? 1 : 0;
  },
};
const model = async (input: unknown) => String(input);

describe('reports show raw and calibrated estimates and the agreement table', () => {
  it('Markdown summary, HTML report and notebook display', async () => {
    const r = await evaluate(examples, model, [judged], { progress: false, resamples: 999 });
    const c = r.metrics.judged!.calibrated!;
    expect([c.nLabeled, c.nUnlabeled]).toEqual([60, 140]);
    const md = markdownSummary({ results: [{ name: 'run', ...r }] });
    expect(md).toContain('### Calibrated with human labels (raw judge vs PPI++)');
    expect(md).toContain('### Judge agreement with the human labels');
    expect(md).toContain('| 60 / 200 |');
    const html = renderHtmlReport(r);
    expect(html).toContain('<section id="calibration"><h2>Is the judge right?</h2>');
    expect(html).toContain('human alpha (ceiling)');
    expect(resultBundle(r)['text/html']).toContain('calibrated, PPI++ (CI)');
    const plain = await evaluate(
      examples.map(({ labels: _l, ...e }) => e),
      model,
      [judged],
      { progress: false, resamples: 999 },
    );
    expect(markdownSummary({ results: [{ name: 'run', ...plain }] })).not.toContain('Calibrated');
    expect(renderHtmlReport(plain)).not.toContain('id="calibration"');
  });
});
