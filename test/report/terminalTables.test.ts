/**
 * The plain-text tables (`compare`'s output, `report`'s summary, notebook and reporter text) hold names from the
 * caller's data: a segment is any value of a dataset field. Control characters in them must not reach the terminal
 * raw (an ANSI sequence recolours or retitles it, a line break splits a row, a tab shifts the columns).
 *
 * Regression: renderTable padded cells as given, so a segment `\u001b[31mred\u001b[0m` coloured the terminal and
 * `a|b\nc` put half its row on a line of its own. Property-tested (seeded) over arbitrary strings, lone surrogates
 * included: the table has one line per row, no control character, and each cell reads back as the user wrote it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare, evaluate, formatSegmentTable } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';
import { renderTable } from '../../src/report/renderTable.js';

const RUNS = { seed: 5252, numRuns: 300 } as const;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters a terminal acts on.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Strings rich in what terminals act on: escape sequences, C1 controls, line breaks, bidi overrides, surrogates. */
const nasty = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc
    .array(
      fc.constantFrom(
        '\u001b[31m',
        '\u001b]0;title\u0007',
        '\u009b2J',
        '\r',
        '\n',
        '\r\n',
        '\t',
        '\u0008',
        '\u007f',
        '\u2028',
        '\u202e',
        '\u2066',
        '\ud800',
        '|',
        'a',
        'é',
        '漢',
        ' ',
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join('')),
);

/** Undoes the table's escapes of a cell (the cells below hold no backslash of their own). */
const readBack = (s: string) =>
  s.replace(/\\(n|r|t|u([0-9a-f]{4}))/g, (_, c: string, hex?: string) =>
    hex !== undefined
      ? String.fromCharCode(Number.parseInt(hex, 16))
      : c === 'n'
        ? '\n'
        : c === 'r'
          ? '\r'
          : '\t',
  );

describe('renderTable: cells with control characters', () => {
  it('one line per row, no control character, each cell read back as written (300 seeded runs)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            nasty.filter((s) => !s.includes('\\')),
            fc.constantFrom('0.5', '12'),
          ),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        (rows) => {
          const text = renderTable(['segment', 'value'], rows, ['l', 'r']);
          const lines = text.split('\n');
          expect(lines).toHaveLength(rows.length + 2);
          for (const line of lines) expect(line).not.toMatch(CONTROL);
          // Every line as wide as the header's rule: no cell shifted the columns.
          const width = lines[1]!.length;
          rows.forEach(([name, value], i) => {
            const line = lines[i + 2]!;
            expect(line.endsWith(value)).toBe(true);
            expect(line.length).toBe(width);
            expect(readBack(line.slice(0, line.length - value.length).replace(/ +$/, ''))).toBe(
              name.replace(/ +$/, ''),
            );
          });
        },
      ),
      RUNS,
    );
  });
});

describe('formatSegmentTable of a run whose segments hold escape sequences', () => {
  it('shows them escaped, one line per segment x metric cell', async () => {
    const names = ['\u001b[31mred\u001b[0m', 'a|b\nc', '\u009b2Jclear', 'plain'];
    const run = (w: number) =>
      evaluate(
        Array.from({ length: 40 }, (_, i) => ({ id: `q${i}`, input: i, reference: 'yes' })),
        async (x) => ((x as number) % w === 0 ? 'no' : 'yes'),
        [exactMatch()],
        { progress: false, resamples: 200, seed: 1, segmentBy: (e) => names[Number(e.input) % 4]! },
      );
    const text = formatSegmentTable(compare(await run(2), await run(3)));
    for (const line of text.split('\n')) expect(line).not.toMatch(CONTROL);
    expect(text.split('\n')).toHaveLength(2 + 4);
    for (const shown of ['\\u001b[31mred\\u001b[0m ', 'a|b\\nc ', '\\u009b2Jclear ', 'plain '])
      expect(text.split('\n').filter((l) => l.startsWith(shown))).toHaveLength(1);
  });
});
