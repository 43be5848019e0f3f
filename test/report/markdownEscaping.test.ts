// Markdown output (markdownSummary, hence `compare --format markdown` and the vitest reporter's
// $GITHUB_STEP_SUMMARY) never renders user text as a link, an image or HTML: property-tested on the cell rule
// and on whole summaries built from arbitrary names.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { _markdownCell, markdownSummary } from '../../src/report/markdownSummary.js';
import type { MetricSummary } from '../../src/result/EvalResult.js';

const RUNS = { seed: 4242, numRuns: 1000 } as const;

/** Strings rich in Markdown syntax: link and image pieces, HTML, autolink triggers, escapes, Unicode. */
const markdownish = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc
    .array(
      fc.constantFrom(
        '[',
        ']',
        '(',
        ')',
        '!',
        '<',
        '>',
        '&',
        '\\',
        '`',
        '|',
        '@',
        ':',
        '//',
        'www.',
        'WWW.',
        'http',
        'https://',
        'img',
        'src=',
        'a',
        ' ',
        '\n',
        '#',
        '*',
        '_',
        '&lt;',
        '&#60;',
        '\\[',
        'x.co',
        'mailto:',
      ),
      { maxLength: 30 },
    )
    .map((parts) => parts.join('')),
);

/** The cell's text back: escapes and entities removed (the inverse of the rule, line breaks aside). */
function unescapeCell(md: string): string {
  return md.replace(/\\([\\`[\]|@:.])|&(amp|lt|gt);/g, (_m, c: string | undefined, e: string | undefined) =>
    c !== undefined ? c : e === 'amp' ? '&' : e === 'lt' ? '<' : '>',
  );
}

/** What remains of the cell once every escape pair and entity is cut out. */
function unescapedRemainder(md: string): string {
  return md.replace(/\\[\\`[\]|@:.]|&(amp|lt|gt);/g, '\u0000');
}

describe('_markdownCell', () => {
  it('round-trips: removing its escapes gives back the text (line breaks as one space)', () => {
    fc.assert(
      fc.property(markdownish, (s) => {
        expect(unescapeCell(_markdownCell(s))).toBe(s.replace(/[\r\n\u2028\u2029]+/g, ' '));
      }),
      RUNS,
    );
  });

  it('leaves no active character: no bracket, angle bracket, backtick, pipe, @, :// or www. outside an escape', () => {
    fc.assert(
      fc.property(markdownish, (s) => {
        const md = _markdownCell(s);
        const rest = unescapedRemainder(md);
        expect(rest).not.toMatch(/[[\]<>`|@\r\n]/);
        expect(rest).not.toMatch(/:\/\//);
        expect(rest.toLowerCase()).not.toContain('www.');
        // and every backslash is part of an escape pair (the remainder has none left)
        expect(rest).not.toContain('\\');
      }),
      RUNS,
    );
  });

  it.each([
    ['![pixel](https://t.example/p.png)', '!\\[pixel\\](https\\://t.example/p.png)'],
    ['[click](javascript:alert(1))', '\\[click\\](javascript:alert(1))'],
    ['<img src=x>', '&lt;img src=x&gt;'],
    ['see www.example.com', 'see www\\.example.com'],
    ['mail a@b.co', 'mail a\\@b.co'],
    ['`[x](y)`', '\\`\\[x\\](y)\\`'],
    ['a\\[b', 'a\\\\\\[b'],
  ])('%j -> %j', (s, md) => {
    expect(_markdownCell(s)).toBe(md);
  });
});

describe('markdownSummary with hostile names', () => {
  const summary = (mean: number): MetricSummary =>
    ({
      kind: 'binary',
      mean,
      ci: { low: mean - 0.1, high: mean + 0.1, level: 0.95, method: 'bca' },
      stderr: 0.05,
      n: 10,
      nMissing: 0,
    }) as MetricSummary;

  it('no user string (title, result name, metric name, segment name) yields a link, image or HTML tag', () => {
    fc.assert(
      fc.property(markdownish, markdownish, markdownish, markdownish, (title, name, metric, segment) => {
        const md = markdownSummary({
          title,
          results: [{ name, n: 10, nFailed: 0, metrics: { [metric]: summary(0.5) } }],
          comparisons: [
            {
              name,
              comparison: {
                alpha: 0.05,
                adjustment: 'holm',
                metrics: {
                  [metric]: {
                    metric,
                    baselineMean: 0.5,
                    candidateMean: 0.4,
                    difference: -0.1,
                    ci: { low: -0.2, high: -0.05, level: 0.95, method: 'bca' },
                    n: 10,
                    test: 'mcnemar',
                    pValue: 0.01,
                    pValueAdjusted: 0.01,
                    significant: true,
                  },
                } as never,
                segments: [
                  {
                    segment,
                    metric,
                    n: 10,
                    baselineMean: 0.5,
                    candidateMean: 0.4,
                    difference: -0.1,
                    ci: { low: -0.2, high: -0.05, level: 0.95, method: 'bca' },
                    test: 'mcnemar',
                    pValue: 0.01,
                    pAdjusted: 0.01,
                    regressed: true,
                  },
                ] as never,
              },
            },
          ],
        });
        const rest = unescapedRemainder(md);
        // No HTML: no raw angle bracket anywhere in the document.
        expect(rest).not.toMatch(/[<>]/);
        // No link or image: the only unescaped brackets are evalgate's own intervals, `[number, number]`
        // followed by a space or a cell end, never by `(` or `[`.
        for (const m of rest.matchAll(/[[\]]/g)) {
          const around = rest.slice(Math.max(0, m.index - 30), m.index + 2);
          if (m[0] === '[') expect(around.slice(-2)).toMatch(/^\[[-\d.]/);
          else expect(rest[m.index + 1] ?? ' ').toMatch(/[ \n]/);
        }
        expect(rest).not.toMatch(/\][([]/); // CommonMark: a link needs `](` or `][` with nothing between
        // No autolink: no scheme separator, www. host or e-mail sign outside an escape.
        expect(rest).not.toMatch(/:\/\/|@/);
        expect(rest.toLowerCase()).not.toContain('www.');
      }),
      { seed: 4243, numRuns: 300 },
    );
  });
});
