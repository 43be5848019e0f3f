/**
 * The HTML report of an in-memory result shows what its records hold as text, whatever it is.
 *
 * Regression: a record holding a BigInt (an example field, a metric's details) or a cycle made renderHtmlReport
 * throw JSON.stringify's own message (`Do not know how to serialize a BigInt`), and a metric summary holding a
 * BigInt did the same through the page's embedded data: no page at all.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, type Metric, renderHtmlReport } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';

const cyclic = () => {
  const o: Record<string, unknown> = { name: 'loop' };
  o.self = o;
  return o;
};

/** The text of the embedded data, parsed back (the page's script reads it so). */
const embedded = (html: string) =>
  JSON.parse(/<script type="application\/json" id="evalgate-data">(.*?)<\/script>/s.exec(html)![1]!);

describe('renderHtmlReport: values JSON cannot write', () => {
  it.each([
    ['a BigInt input', { input: { n: 12345678901234567890n } }, '12345678901234567890n'],
    ['a BigInt reference', { input: 'q', reference: 7n }, '7n'],
    ['a cycle in the input', { input: cyclic() }, '[Circular *1]'],
  ])('%s renders as text', async (_what, fields, shown) => {
    const r = await evaluate([{ id: 'row-1', ...fields }], async () => 'an answer', [exactMatch()], {
      progress: false,
    });
    const html = renderHtmlReport(r);
    expect(html).toContain('row-1');
    expect(html).toContain('an answer');
    expect(html).toContain(shown);
  });

  it("a metric's details and summary holding a BigInt", async () => {
    const m: Metric = {
      name: 'm',
      kind: 'binary',
      score: () => ({ value: 1, details: { reason: 5n } }),
      summarize: () => ({ tokens: 2n ** 70n }),
    };
    const r = await evaluate([{ id: 'row-1', input: 'q' }], async () => 'a', [m], { progress: false });
    const html = renderHtmlReport(r);
    expect(html).toContain('5n');
    expect(embedded(html).metrics.m.tokens).toBe(String(2n ** 70n));
  });

  it('plain values render as before (JSON text)', async () => {
    const r = await evaluate([{ id: 'row-1', input: { q: 'x', n: 1 } }], async () => 'a', [exactMatch()], {
      progress: false,
    });
    expect(renderHtmlReport(r)).toContain('{&quot;q&quot;:&quot;x&quot;,&quot;n&quot;:1}');
  });
});
