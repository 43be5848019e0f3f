import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { _niceDomain } from '../../src/report/_axis.js';
import { _canShareAxis } from '../../src/report/_forestPlot.js';
import { _escapeHtml, _jsonForScript } from '../../src/report/_html.js';
import { renderHtmlReport, writeHtmlReport } from '../../src/report/htmlReport.js';
import { exampleRecord, makeResult } from '../vitest/_fixtures.js';
import { reportComparison, reportResult, XSS_METRIC, XSS_SCRIPT } from './_reportFixture.js';

const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

describe('escaping', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(_escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('encodes JSON for a script element so it cannot close it, and parses back unchanged', () => {
    const value = { text: '</script><!-- & \u2028\u2029 -->', n: 1 };
    const encoded = _jsonForScript(value);
    expect(encoded).not.toMatch(/[<>&\u2028\u2029]/);
    expect(encoded).toBe('{"text":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\\u2029 --\\u003e","n":1}');
    expect(JSON.parse(encoded)).toEqual(value);
  });

  it('never lets model text or metric names into the page unescaped', () => {
    const html = renderHtmlReport(reportResult(), { comparison: reportComparison() });
    expect(html).not.toContain(XSS_SCRIPT);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('onerror="');
    expect(html).not.toContain("onmouseover='");
    // exactly our two script elements open and close
    expect(count(html, '<script')).toBe(2);
    expect(count(html, '</script>')).toBe(2);
  });
});

describe('renderHtmlReport', () => {
  const result = reportResult();

  it('is one self-contained document: no external URL besides the SVG namespace', () => {
    const html = renderHtmlReport(result, { comparison: reportComparison() });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    const urls = html.match(/(?:https?:)?\/\/[^\s"')]+/g) ?? [];
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg']));
    expect(html).toContain(`content="default-src 'none';`);
  });

  it('draws one CI bar per metric, and a difference bar per metric only with a comparison', () => {
    expect(count(renderHtmlReport(result), 'class="ci-bar"')).toBe(3);
    expect(renderHtmlReport(result)).not.toContain('id="comparison"');
    expect(renderHtmlReport(result)).not.toContain('class="diff-bar"');
    const withComparison = renderHtmlReport(result, { comparison: reportComparison() });
    expect(count(withComparison, 'class="ci-bar"')).toBe(3);
    expect(count(withComparison, 'class="diff-bar"')).toBe(3);
    // one -margin line in each metric's difference row
    expect(count(withComparison, 'class="margin-line"')).toBe(3);
  });

  it('leaves out the bar, not the dot, when an interval is undefined', () => {
    const degenerate = makeResult({ metrics: { constant: { mean: 1, low: Number.NaN, high: Number.NaN } } });
    const html = renderHtmlReport(degenerate);
    expect(count(html, 'class="ci-bar"')).toBe(0);
    expect(count(html, 'class="estimate"')).toBe(1);
  });

  it('gives every metric its own axis, on its declared bounds when it has them', () => {
    const rows = (a: number, b: number) => [
      { label: 'a', main: { estimate: a, low: a * 0.9, high: a * 1.1 } },
      { label: 'b', main: { estimate: b, low: b * 0.9, high: b * 1.1 } },
    ];
    expect(_canShareAxis(rows(0.7, 0.8))).toBe(true);
    expect(_canShareAxis(rows(0.7, 31.4))).toBe(false);
    const mixed = {
      ...makeResult({
        metrics: {
          exact_match: { mean: 0.7, low: 0.6, high: 0.8 },
          bleu: { mean: 31.4, low: 28.2, high: 34.9, kind: 'continuous' },
          judge: { mean: 3.9, low: 3.6, high: 4.2, kind: 'continuous' },
        },
      }),
      config: { metrics: [{ name: 'judge', kind: 'continuous', bounds: [1, 5] }] },
    };
    const html = renderHtmlReport(mixed);
    expect(count(html, 'class="axis"')).toBe(3 + 3 + 3); // a panel and a histogram per metric; latency, tokens, cost
    const domains = [
      ...html.matchAll(/class="axis"[^>]*data-domain-low="([^"]+)" data-domain-high="([^"]+)"/g),
    ]
      .slice(0, 3)
      .map((m) => [Number(m[1]), Number(m[2])]);
    expect(domains).toEqual([
      [0, 1],
      [28, 36],
      [1, 5],
    ]);
  });

  it.each([
    [
      [0.2, 0.9],
      [0, 1],
    ],
    [
      [28.2, 34.9],
      [28, 36],
    ],
    [
      [-0.06, 0.11],
      [-0.1, 0.15],
    ],
    [
      [5, 5],
      [4.5, 5.5],
    ],
  ] as const)('picks a round axis domain for %j', (values, want) => {
    expect(_niceDomain(values)).toEqual(want);
  });

  it('shows where the records went when they were streamed to a file', () => {
    const streamed = { ...makeResult({ examples: [] }), examplesFile: 'results/<run>.jsonl' };
    expect(renderHtmlReport(streamed)).toContain(
      'No example records in this result. They were streamed to <code>results/&lt;run&gt;.jsonl</code>.',
    );
  });

  it('caps the example table at maxExamples and says so', () => {
    const many = makeResult({
      examples: Array.from({ length: 30 }, (_, i) => exampleRecord(`e${i}`, 'x', { exact_match: 1 })),
    });
    const html = renderHtmlReport(many, { maxExamples: 10 });
    expect(count(html, '<td class="id">')).toBe(10);
    expect(html).toContain('showing the first 10 of 30');
  });

  it('rejects bad arguments with TypeErrors naming them', () => {
    expect(() => renderHtmlReport({} as never)).toThrow(
      new TypeError(
        'Expected `result` to be an evalgate result (from evaluate() or loadResult()), got `object` (object)',
      ),
    );
    expect(() => renderHtmlReport(result, { comparison: result as never })).toThrow(
      new TypeError('Expected `comparison` to be a comparison (from compare()), got `object` (object)'),
    );
    expect(() => renderHtmlReport(result, { baseline: 'base.json' as never })).toThrow(
      new TypeError(
        'Expected `baseline` to be an evalgate result (from evaluate() or loadResult()), got `"base.json"` (string)',
      ),
    );
    expect(() => renderHtmlReport(result, { maxExamples: -1 })).toThrow(
      new RangeError('Expected `maxExamples` to be an integer >= 0 (or Infinity), got `-1` (number)'),
    );
    expect(() => renderHtmlReport(result, { title: 3 as never })).toThrow(
      new TypeError('Expected `title` to be a string, got `3` (number)'),
    );
  });

  it('writeHtmlReport writes the same page to a file', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'evalgate-html-')), 'sub/report.html');
    await writeHtmlReport(result, path, { title: `Report for ${XSS_METRIC}` });
    const html = await readFile(path, 'utf8');
    expect(html).toBe(renderHtmlReport(result, { title: `Report for ${XSS_METRIC}` }));
    expect(html).toContain(
      '<title>Report for judge&lt;/script&gt;&lt;script&gt;window.__pwned=4&lt;/script&gt;</title>',
    );
  });
});
