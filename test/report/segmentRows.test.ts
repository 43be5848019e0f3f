/**
 * The report's example rows carry their segment labels (a column and `data-segments`) and a select filters
 * them by segment (issue 18, item 6: "filter the examples by segment" must be something a reader can do). The
 * page's behaviour in a browser is test/report/segmentRows.chromium.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type EvalResult, evaluate, renderHtmlReport } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';
import { HOSTILE_SEGMENT, SEGMENTS_OF, segmentedRun } from './_segmentedRun.js';

const esc = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

describe('segment labels in the HTML report', () => {
  let run: EvalResult;
  let html: string;
  beforeAll(async () => {
    run = await segmentedRun();
    html = renderHtmlReport(run);
  });

  it('every example row carries its labels as a JSON array that parses back to the run’s labels', () => {
    const rows = [...html.matchAll(/<tr[^>]* data-segments="([^"]*)"><td class="id">([^<]*)<\/td>/g)];
    expect(rows.map((m) => m[2])).toEqual(Object.keys(SEGMENTS_OF));
    for (const [, attr, id] of rows) {
      const unescaped = attr!
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&');
      expect(JSON.parse(unescaped), id).toEqual(SEGMENTS_OF[id!]);
    }
  });

  it('shows a segment column with one chip per label, escaped', () => {
    expect(html).toContain('data-type="text">segment</button>');
    expect(html).toContain(
      '<td class="segments"><span class="segment">billing</span> <span class="segment">urgent</span></td>',
    );
    expect(html).toContain(`<td class="segments"><span class="segment">${esc(HOSTILE_SEGMENT)}</span></td>`);
    expect(html).toContain('<td class="segments"></td>'); // e8 is in no segment
    expect(html).not.toContain('<img');
  });

  it('offers a select with "all segments" and each label once, sorted', () => {
    const select = /<select id="segment-filter">(.*?)<\/select>/.exec(html)![1]!;
    const options = [...select.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].map((m) => [
      m[1],
      m[2],
    ]);
    expect(options).toEqual([
      ['', 'all segments'],
      [esc(HOSTILE_SEGMENT), esc(HOSTILE_SEGMENT)],
      ['billing', 'billing'],
      ['returns', 'returns'],
      ['shipping', 'shipping'],
      ['urgent', 'urgent'],
    ]);
  });

  it('a run without segments has neither the column nor the select', async () => {
    const plain = await evaluate(
      [{ id: 'a', input: 1, reference: '1' }],
      async (x) => String(x),
      [exactMatch()],
      {
        progress: false,
      },
    );
    const page = renderHtmlReport(plain);
    expect(page).not.toContain('<select id="segment-filter"');
    expect(page).not.toContain(' data-segments=');
    expect(page).not.toContain('class="segments"');
  });
});
