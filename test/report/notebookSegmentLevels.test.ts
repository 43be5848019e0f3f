// segmentTable() lays results side by side that may have been evaluated at different confidence levels: the
// notebook view must not head a 95% interval '90% CI' because the first segment's was at 90%.
import { describe, expect, it } from 'vitest';
import { JUPYTER_DISPLAY, segmentTable } from '../../src/report/notebookDisplay.js';
import type { EvalResult } from '../../src/result/EvalResult.js';
import { makeResult } from '../vitest/_fixtures.js';

const atLevel = (level: number, low: number, high: number): EvalResult => {
  const r = makeResult({ metrics: { exact_match: { mean: 0.5, low, high } } });
  const m = r.metrics.exact_match!;
  return { ...r, metrics: { exact_match: { ...m, ci: { ...m.ci, level } } } };
};

const bundle = (t: object) =>
  (t as { [JUPYTER_DISPLAY]: () => { 'text/html': string; 'text/plain': string } })[JUPYTER_DISPLAY]();

describe('the notebook view of a segment table', () => {
  it('segments at different levels: no header claims one level, each interval says its own', () => {
    const t = segmentTable({ small: atLevel(0.9, 0.3, 0.7), large: atLevel(0.95, 0.4, 0.6) });
    const { 'text/plain': text, 'text/html': html } = bundle(t);
    const [head, , small, large] = text.split('\n');
    expect(head).not.toContain('90% CI');
    expect(head).not.toContain('95% CI');
    expect(small).toContain('[0.3, 0.7] (90% CI)');
    expect(large).toContain('[0.4, 0.6] (95% CI)');
    expect(html).not.toContain('<th>90% CI</th>');
    expect(html).toContain('90% CI');
    expect(html).toContain('95% CI');
  });

  it('segments at one level keep it in the header and nothing in the cells', () => {
    const t = segmentTable({ small: atLevel(0.9, 0.3, 0.7), large: atLevel(0.9, 0.4, 0.6) });
    const { 'text/plain': text, 'text/html': html } = bundle(t);
    expect(text.split('\n')[0]).toContain('90% CI');
    expect(text).not.toContain('(90% CI)');
    expect(html).toContain('<th>90% CI</th>');
  });
});
