// The example table keeps to a byte budget (`maxExampleBytes`, default 20 MB) and a fold of at most 20,000
// characters per text, and says on the page what it left out. Regression: 20,000 rows of ~5.4 kB outputs with
// a baseline and a comparison gave a 108 MB page at the default 5,000-row cap (Chromium took 139 s to open it).
import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../src/index.js';
import { _cellText } from '../../src/report/_examplesSection.js';
import { exampleRecord, makeComparison, makeResult } from '../vitest/_fixtures.js';

const chunk = 'The answer, in several sentences & with <markup>: '.repeat(108); // 5,400 characters
const run = (n: number, tag: string) =>
  makeResult({
    examples: Array.from({ length: n }, (_, i) =>
      exampleRecord(`q${i}`, `${tag} ${i} ${chunk}`, { exact_match: i % 2 }, { input: { question: chunk } }),
    ),
  });
const comparison = () =>
  makeComparison({
    exact_match: { baselineMean: 0.5, candidateMean: 0.5, low: -0.01, high: 0.01, pValue: 1 },
  });

describe('the examples section keeps to its byte budget', () => {
  it('20,000 rows of 5.4 kB outputs with a baseline: under 20 MB of rows, and the page says how many were left out', () => {
    const html = renderHtmlReport(run(20_000, 'candidate'), {
      baseline: run(20_000, 'baseline'),
      comparison: comparison(),
    });
    const bytes = Buffer.byteLength(html, 'utf8');
    expect(bytes).toBeLessThan(20_000_000 + 200_000);
    const shown = Number(html.match(/<span id="shown-count">(\d+) of \d+ shown<\/span>/)![1]);
    expect(shown).toBeGreaterThan(100);
    expect(shown).toBeLessThan(5000);
    expect(html).toContain('showing the first 5000 of 20000');
    expect(html).toContain(
      `${(5000 - shown).toLocaleString('en-US')} of 5,000 rows left out: the table stops at ${shown.toLocaleString('en-US')} rows to stay under 20 MB (maxExampleBytes)`,
    );
    expect(html.match(/<tr[ >]/g)!.length - 1).toBeGreaterThanOrEqual(shown); // the header row aside
  });

  it('a smaller budget shows fewer rows; Infinity shows every capped row', () => {
    const small = renderHtmlReport(run(50, 'c'), { maxExampleBytes: 100_000 });
    const n = Number(small.match(/<span id="shown-count">(\d+) of/)![1]);
    expect(n).toBeLessThan(50);
    expect(small).toContain(`${50 - n} of 50 rows left out`);
    const all = renderHtmlReport(run(50, 'c'), { maxExampleBytes: Number.POSITIVE_INFINITY });
    expect(all).toContain('<span id="shown-count">50 of 50 shown</span>');
    expect(all).not.toContain('rows left out');
  });

  it.each([-1, 1.5, Number.NaN, '1000'])('maxExampleBytes %p is refused naming the option', (v) => {
    expect(() => renderHtmlReport(run(2, 'c'), { maxExampleBytes: v as number })).toThrow(/maxExampleBytes/);
  });
});

describe('a long text is cut in its fold, visibly and validly', () => {
  it('a 1 MB output: the fold holds 20,000 characters and says how many more are in the result file', () => {
    const text = 'x'.repeat(1_000_000);
    const cut = { chars: 0 };
    const html = _cellText(text, cut);
    expect(html.length).toBeLessThan(25_000);
    expect(html).toContain('show 20,000 of 1,000,000 characters');
    expect(html).toContain('truncated: 980,000 more characters, full text in the result file');
    expect(cut.chars).toBe(980_000);
  });

  it('never cuts a surrogate pair or an entity', () => {
    const emoji = `${'a'.repeat(19_999)}😀${'b'.repeat(100)}`; // the pair straddles 20,000
    const html = _cellText(emoji);
    expect(html).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(html).not.toMatch(/(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(html).toContain('truncated: 102 more characters'); // the pair moves to the cut side whole
    const amp = `${'a'.repeat(19_999)}&<${'b'.repeat(100)}`;
    const fold = _cellText(amp).match(/<details class="full">[\s\S]*<\/details>/)![0];
    expect(fold).toContain('a&amp;<span class="warn">');
    expect(fold).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#39;)/);
  });

  it('a text under the fold limit is whole, with no truncation note', () => {
    const html = _cellText('y'.repeat(5_000));
    expect(html).toContain('show all 5,000 characters');
    expect(html).not.toContain('truncated');
  });
});
