// A corpus metric (BLEU, chrF) of fewer than 30 rows: the bootstrap of a few rows is their spread (chrF on two
// rows gave BCa [52.9, 63.3], and toHaveLowerBoundAtLeast('chrf', 50) passed on them). Such a summary takes the
// finite-sample route a per-example metric takes: the bounded-mean interval of the rows' scores, widened to hold
// the corpus estimate; from 30 rows on, BCa as before.
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/index.js';
import { bleu, chrf, corpusChrf } from '../../src/metrics/index.js';
import '../../src/vitest/index.js';

const refs = ['the cat sat on the mat', 'a dog ran in the park', 'the sun is hot today', 'birds fly south'];
const rows = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `r${i}`, input: refs[i % 4]!, reference: refs[i % 4]! }));
/** Answers the first four words of the reference. */
const model = async (input: unknown) => String(input).split(' ').slice(0, 4).join(' ');
const opts = { progress: false, resamples: 999 } as const;

describe('a corpus metric on fewer than 30 rows', () => {
  it.each([2, 3, 10, 29])('%i rows: the bounded-mean interval, holding the corpus estimate', async (n) => {
    const r = await evaluate(rows(n), model, [chrf(), bleu()], opts);
    for (const name of ['chrf', 'bleu']) {
      const m = r.metrics[name]!;
      expect(m.aggregation).toBe('corpus');
      expect(m.ci.method).toBe('bounded-mean');
      expect(m.ci.low).toBeLessThanOrEqual(m.mean);
      expect(m.ci.high).toBeGreaterThanOrEqual(m.mean);
      expect(m.warning).toContain('n < 30');
    }
    const hyps = await Promise.all(rows(n).map((x) => model(x.input)));
    expect(r.metrics.chrf!.mean).toBe(
      corpusChrf(
        hyps,
        rows(n).map((x) => [x.reference]),
      ).score,
    );
  });

  it('two rows certify no lower bound of 50 (the bootstrap did)', async () => {
    const r = await evaluate(rows(2), model, [chrf()], opts);
    expect(r.metrics.chrf!.mean).toBeGreaterThan(50);
    expect(r.metrics.chrf!.ci.low).toBeLessThan(50);
    expect(() => expect(r).toHaveLowerBoundAtLeast('chrf', 50)).toThrow();
  });

  it('30 rows: BCa', async () => {
    const r = await evaluate(rows(30), model, [chrf()], opts);
    expect(r.metrics.chrf!.ci.method).toBe('bca');
  });
});
