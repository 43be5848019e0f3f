import { describe, expect, it } from 'vitest';
import { toolUseSummary } from '../../src/agents/index.js';
import type { Model } from '../../src/core/types.js';
import { evaluate, markdownSummary, renderHtmlReport } from '../../src/index.js';
import { resultBundle } from '../../src/report/notebookDisplay.js';
import { trajectoryOf } from './_trajectories.js';

const agent: Model = async (input) => {
  const i = Number(input);
  return {
    output: `answer ${i}`,
    trajectory: {
      steps: [
        {
          toolCalls: [{ name: 'search', arguments: { q: `<script>alert(${i})</script>` } }],
          toolResults: [{ content: i === 0 ? 'Error: <b>down</b>' : 'hits' }],
        },
        ...(i === 0
          ? [
              {
                toolCalls: [{ name: 'search', arguments: { q: 'again' } }],
                toolResults: [{ content: 'hits' }],
              },
            ]
          : []),
        { toolCalls: [{ name: 'fetch', arguments: { url: 'u' } }], toolResults: [{ content: 'page' }] },
        { text: `answer ${i}` },
      ],
    },
  };
};

describe('tool-use summary and the reports', () => {
  it('toolUseSummary: hand-computed counts, most used first', () => {
    const s = toolUseSummary([
      {
        trajectory: trajectoryOf([
          {
            calls: [
              ['a', {}, '!e'],
              ['b', {}, 'ok'],
            ],
          },
          { calls: [['a', {}, 'ok']] },
          {},
        ]),
      },
      { trajectory: trajectoryOf([{ calls: [['c', {}, 'ok']] }, {}]) },
      {},
    ]);
    expect(s).toEqual({
      rows: 2,
      modelCalls: 5,
      toolCalls: 4,
      callsPerRow: 2,
      stepsPerRow: 2.5,
      toolResults: 4,
      toolErrors: 1,
      errorRate: 0.25,
      truncatedRows: 0,
      tools: [
        { name: 'a', calls: 2, errors: 1 },
        { name: 'b', calls: 1, errors: 0 },
        { name: 'c', calls: 1, errors: 0 },
      ],
    });
    expect(toolUseSummary([{}, {}])).toBeUndefined();
  });

  it('HTML: the tool-use section and each row trajectory collapsed, every text escaped', async () => {
    const result = await evaluate(
      ['0', '1', '2'].map((input) => ({ input })),
      agent,
      [],
      { trajectory: true, progress: false },
    );
    const html = renderHtmlReport(result);
    expect(html).toContain('<section id="tool-use"><h2>Tool use</h2>');
    // 3 rows: 4 + 3 + 3 tool calls... row 0 has 3 tool calls, rows 1 and 2 have 2: 7 / 3 per row; 1 error in 7 results.
    expect(html).toContain('2.33 tool calls per row');
    expect(html).toContain('tool error rate 14.3% (1 of 7 results)');
    expect(html).toContain('<td>search</td><td class="num">4</td><td class="num">1</td>');
    expect(html.match(/<details class="trajectory">/g)).toHaveLength(3);
    expect(html).not.toContain('<details class="trajectory" open');
    expect(html).toContain('<summary>4 steps · 3 tool calls · 1 errors</summary>');
    expect(html).not.toContain('<script>alert(');
    expect(html).toContain('&lt;script&gt;alert(0)&lt;/script&gt;');
    expect(html).not.toContain('<b>down</b>');

    const base = await evaluate(
      ['1', '2'].map((input) => ({ input })),
      agent,
      [],
      { trajectory: true, progress: false },
    );
    const vs = renderHtmlReport(result, { baseline: base });
    expect(vs).toContain('2.33 tool calls per row <span class="dim">(baseline 2)</span>');
    expect(vs).toContain('tool error rate 14.3% (1 of 7 results) <span class="dim">(baseline 0%)</span>');

    const plain = await evaluate([{ input: '1' }], async () => 'x', [], { progress: false });
    expect(renderHtmlReport(plain)).not.toContain('id="tool-use"');
  });

  it('Markdown summary and notebook display carry the summary', async () => {
    const result = await evaluate(
      ['0', '1', '2'].map((input) => ({ input })),
      agent,
      [],
      { trajectory: true, progress: false },
    );
    const md = markdownSummary({ results: [{ name: 'agent v1', ...result }] });
    expect(md).toContain('### Tool use');
    expect(md).toContain('| agent v1 | 3 | 3.33 | 2.33 | 14.3% | search (4), fetch (3) |');
    expect(markdownSummary({ results: [{ name: 'x', n: 1, nFailed: 0, metrics: {} }] })).not.toContain(
      'Tool use',
    );
    const bundle = resultBundle(result);
    expect(bundle['text/plain']).toContain(
      'tool use: 2.33 tool calls and 3.33 model calls per row · tool error rate 14.3% · most used: search (4), fetch (3)',
    );
    expect(bundle['text/html']).toContain('most used: search (4), fetch (3)');
  });
});
