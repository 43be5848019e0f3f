/**
 * The HTML report over text a dataset or a model can hold (ids, inputs, outputs, references, segment names, the
 * title and label): seeded property over strings rich in markup, `</script>`, U+2028, quotes and lone surrogates.
 * No such text opens an element or a script, ends the JSON island, or leaves an attribute; the island is JSON and
 * every id shows in its row as written. A guard: this hunt found no escape missing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, renderHtmlReport } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';
import { _escapeHtml } from '../../src/report/_html.js';

const RUNS = { seed: 5253, numRuns: 200 } as const;

const markup = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc
    .array(
      fc.constantFrom(
        '<script>',
        '</script>',
        '<!--',
        '<img src=x onerror=alert(1)>',
        '"',
        "'",
        '&amp;',
        '>',
        '<',
        '\u2028',
        '\u2029',
        '\ud800',
        '\u001b[31m',
        '`',
        '|',
        '\n',
        'a',
        ' ',
      ),
      { minLength: 1, maxLength: 8 },
    )
    .map((p) => p.join('')),
);

/** Every tag name the page opens or closes. */
const tags = (html: string) =>
  new Set([...html.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((m) => m[1]!.toLowerCase()));
/** The tags of the same report over plain text (the word diff's del / ins besides): what the page itself opens. */
async function pageTags(): Promise<Set<string>> {
  const data = ['a', 'b', 'c'].map((id, i) => ({
    id,
    input: `x${i}`,
    reference: `x${(i + 1) % 3}`,
    segment: `s${i}`,
  }));
  const result = await evaluate(data, async (x) => String(x), [exactMatch()], {
    progress: false,
    resamples: 50,
    seed: 1,
    segmentBy: 'segment',
  });
  return new Set([...tags(renderHtmlReport(result, { title: 't', label: 'l' })), 'del', 'ins']);
}

describe('renderHtmlReport over user text', () => {
  it('no user text opens an element, a script or leaves the JSON island (seeded)', async () => {
    const ALLOWED = await pageTags();
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(
          markup.map((s) => `i${s}`),
          { minLength: 3, maxLength: 3 },
        ),
        fc.array(markup, { minLength: 3, maxLength: 3 }),
        markup,
        markup,
        async (ids, texts, title, label) => {
          const data = ids.map((id, i) => ({
            id,
            input: texts[i],
            reference: texts[(i + 1) % 3],
            segment: texts[i],
          }));
          const result = await evaluate(data, async (x) => String(x), [exactMatch()], {
            progress: false,
            resamples: 50,
            seed: 1,
            segmentBy: 'segment',
          });
          const html = renderHtmlReport(result, { title, label });
          expect([...tags(html)].filter((t) => !ALLOWED.has(t))).toEqual([]);
          expect(html.match(/<script/gi)).toHaveLength(2);
          expect(html.match(/<\/script/gi)).toHaveLength(2);
          expect(html).not.toContain('<!--');
          // Every start tag is well formed (double-quoted values, in which user text has `"` escaped), and no
          // attribute is an event handler.
          const starts = html.match(/<[a-zA-Z][^>]*>/g) ?? [];
          for (const tag of starts) {
            expect(tag).toMatch(/^<[a-zA-Z][\w-]*(\s+[\w:-]+(="[^"]*")?)*\s*\/?>$/);
            const names = [...tag.matchAll(/\s([\w:-]+)(?:="[^"]*")?/g)].map((m) => m[1]!.toLowerCase());
            expect(names.filter((n) => n.startsWith('on'))).toEqual([]);
          }
          const island = html.match(/<script type="application\/json" id="evalgate-data">([^<]*)<\/script>/);
          expect(island).not.toBeNull();
          expect(island![1]).not.toMatch(/[\u2028\u2029]/);
          JSON.parse(island![1]!);
          // Each id shows in its row as written (escaped for HTML, never cut: ids are short).
          for (const id of ids) expect(html).toContain(`>${_escapeHtml(id)}<`);
        },
      ),
      RUNS,
    );
  }, 120_000);
});
