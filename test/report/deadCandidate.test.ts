/**
 * A comparison in which no row was scored on both sides (every candidate call failed): there is no evidence
 * either way, and the CLI fails it as "cannot be compared". The tables must not call it "no significant
 * difference", a verdict that reads as evidence of parity.
 */
import { describe, expect, it } from 'vitest';
import { compare, evaluate, formatComparisonTable, markdownSummary } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';

const data = Array.from({ length: 40 }, (_, i) => ({ id: `q${i}`, input: i, reference: 'yes' }));

describe('a comparison with no paired scores', () => {
  it('reads "not compared (n = 0)" in the text table and the Markdown summary', async () => {
    const opts = { progress: false, resamples: 200, retry: { maxRetries: 0 } } as const;
    const base = await evaluate(data, async () => 'yes', [exactMatch()], opts);
    const dead = await evaluate(
      data,
      async () => {
        throw new Error('down');
      },
      [exactMatch()],
      { ...opts, maxFailureRate: 1 },
    );
    const c = compare(base, dead, { resamples: 200 });
    expect(c.metrics.exact_match!.n).toBe(0);
    const text = formatComparisonTable(c);
    const md = markdownSummary({ comparisons: [{ name: 'dead', comparison: c }] });
    for (const out of [text, md]) {
      expect(out).not.toContain('no significant difference');
      expect(out).toContain('not compared (n = 0)');
    }
  });
});
