// Rich display in notebooks: what evaluate(), compare() and loadResult() return carries a non-enumerable
// Symbol.for('Jupyter.display') method (the protocol of Deno's Jupyter kernel) whose HTML holds the numbers of
// the result and whose style sheet only reaches its own root.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  compare,
  type EvalResult,
  evaluate,
  formatComparisonTable,
  formatResultTable,
  JUPYTER_DISPLAY,
  type Metric,
  type NotebookBundle,
  segmentTable,
} from '../../src/index.js';
import { _escapeHtml as escapeHtml } from '../../src/report/_html.js';
import { resultBundle } from '../../src/report/notebookDisplay.js';
import { loadResult } from '../../src/result/loadResult.js';
import { saveResult } from '../../src/result/saveResult.js';
import { reportResult, XSS_METRIC } from './_reportFixture.js';

const dir = mkdtempSync(join(tmpdir(), 'evalgate-nb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const data = Array.from({ length: 60 }, (_, i) => ({ id: `q${i}`, input: i, reference: String(i) }));
const exact: Metric = {
  name: 'exact_match',
  kind: 'binary',
  score: ({ example, output }) => (output === example.reference ? 1 : 0),
};
// v1 misses every 4th example, v2 every 10th: a difference a paired test sees.
const v1 = async (input: unknown) => ((input as number) % 4 === 0 ? 'x' : String(input));
const v2 = async (input: unknown) => ((input as number) % 10 === 0 ? 'x' : String(input));
const opts = { progress: false, resamples: 200, seed: 3 } as const;

const show = (value: object): NotebookBundle =>
  (value as { [JUPYTER_DISPLAY]: () => NotebookBundle })[JUPYTER_DISPLAY]();

/** The style sheet's selectors, each of which must start with the root's id. */
function selectors(html: string): { id: string; selectors: string[] } {
  const id = /^<div id="([^"]+)" class="evalgate-nb"><style>/.exec(html)?.[1];
  expect(id, html.slice(0, 200)).toBeDefined();
  const css = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
  const list = [...css.matchAll(/([^{}]+)\{[^{}]*\}/g)].flatMap((m) => m[1]!.split(',').map((s) => s.trim()));
  return { id: id as string, selectors: list };
}

describe('notebook display', () => {
  let a: EvalResult;
  let b: EvalResult;
  it('a result shows an HTML table of its intervals and a forest plot, and the terminal table as text', async () => {
    a = await evaluate(data, v1, [exact], opts);
    b = await evaluate(data, v2, [exact], opts);
    const bundle = show(b);
    expect(Object.keys(bundle).sort()).toEqual(['text/html', 'text/plain']);
    expect(bundle['text/plain']).toBe(formatResultTable(b));
    const m = b.metrics.exact_match!;
    expect(m.mean).toBe(0.9);
    const html = bundle['text/html'];
    expect(html).toContain('<td>exact_match</td><td>binary</td><td class="num">0.9</td>');
    expect(html).toContain(`[${Number(m.ci.low.toPrecision(4))}, ${Number(m.ci.high.toPrecision(4))}]`);
    expect(html).toContain('<th>95% CI</th>');
    expect(html).toContain('<svg class="forest-plot"');
    expect(html).toContain(`data-estimate="0.9"`);
    expect(html).toContain('60 rows, 0 failed');
  });

  it('is non-enumerable: JSON, keys and a saved file are as before', async () => {
    expect(Object.keys(b)).not.toContain(JUPYTER_DISPLAY);
    expect(Object.getOwnPropertyDescriptor(b, JUPYTER_DISPLAY)?.enumerable).toBe(false);
    expect(JSON.stringify(b)).not.toContain('text/html');
    expect(JUPYTER_DISPLAY).toBe(Symbol.for('Jupyter.display'));
    const path = join(dir, 'b.json');
    await saveResult(b, path);
    expect(readFileSync(path, 'utf8')).not.toContain('Jupyter');
    const loaded = await loadResult(path);
    expect(Object.isFrozen(loaded)).toBe(true);
    expect(show(loaded)['text/plain']).toBe(formatResultTable(loaded));
    expect(show(loaded)['text/html']).toContain('<td class="num">0.9</td>');
  });

  it('a comparison shows the difference, its interval, the test and the verdict, with zero and -margin drawn', () => {
    const c = compare(a, b, { margin: 0.02 });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.keys(c)).not.toContain(JUPYTER_DISPLAY);
    const bundle = show(c);
    expect(bundle['text/plain']).toBe(formatComparisonTable(c));
    const m = c.metrics.exact_match!;
    expect(m.difference).toBeCloseTo(0.15, 12); // 0.9 - 0.75, an exact count difference, not a p-value
    const html = bundle['text/html'];
    expect(html).toContain(
      '<td>exact_match</td><td class="num">0.75</td><td class="num">0.9</td><td class="num">+0.15</td>',
    );
    expect(html).toContain(`[${Number(m.ci.low.toPrecision(4))}, ${Number(m.ci.high.toPrecision(4))}]`);
    expect(html).toContain('<td>mcnemar <span');
    expect(html).toContain('class="zero-line"');
    expect(html).toContain('class="margin-line"');
    expect(html).toContain(`>${m.significant ? 'better' : 'no significant difference'}<`);
    expect(html).toContain('on 60 paired rows');
  });

  it('a segment table shows one row per segment with each metric and interval', async () => {
    const even = await evaluate(
      data.filter((e) => e.input % 2 === 0),
      v2,
      [exact],
      opts,
    );
    const odd = await evaluate(
      data.filter((e) => e.input % 2 === 1),
      v2,
      [exact],
      opts,
    );
    const t = segmentTable({ even, odd });
    expect(JSON.parse(JSON.stringify(t))).toEqual({
      kind: 'evalgate-segments',
      segments: {
        even: {
          n: 30,
          metrics: {
            exact_match: { mean: even.metrics.exact_match!.mean, ci: even.metrics.exact_match!.ci, n: 30 },
          },
        },
        odd: { n: 30, metrics: { exact_match: { mean: 1, ci: odd.metrics.exact_match!.ci, n: 30 } } },
      },
    });
    // The multiples of 10 (0, 10, …, 50) are 6 of the 30 even inputs.
    expect(even.metrics.exact_match!.mean).toBe(0.8);
    const { 'text/html': html, 'text/plain': text } = show(t);
    expect(html).toContain('<td>even</td><td class="num">30</td><td class="num">0.8</td>');
    expect(html).toContain('<td>odd</td><td class="num">30</td><td class="num">1</td>');
    expect(text.split('\n')[0]).toMatch(/^segment\s+n\s+exact_match\s+95% CI$/);
    expect(() => segmentTable(null as never)).toThrow(
      new TypeError('Expected `results` to be an object of segment name -> EvalResult, got `null` (null)'),
    );
    expect(() => segmentTable({ x: 3 as never })).toThrow(
      new TypeError('Expected `results.x` to be an EvalResult, got `3` (number)'),
    );
  });

  it('scopes its CSS to its own root, with a root id of its own per display', () => {
    const first = show(b)['text/html'];
    const second = show(b)['text/html'];
    const s1 = selectors(first);
    const s2 = selectors(second);
    expect(s1.id).not.toBe(s2.id);
    expect(s1.selectors.length).toBeGreaterThan(10);
    for (const sel of s1.selectors) expect(sel.startsWith(`#${s1.id}`), sel).toBe(true);
    // No bare element rules that would restyle the notebook's own tables.
    expect(first).not.toMatch(/<style>[\s\S]*?(^|\})\s*(table|th|td|body|svg)\s*[{,]/);
  });

  it('escapes metric names and warnings', () => {
    const html = resultBundle(reportResult())['text/html'];
    expect(html).not.toContain(XSS_METRIC);
    expect(html).toContain(escapeHtml(XSS_METRIC));
  });
});
