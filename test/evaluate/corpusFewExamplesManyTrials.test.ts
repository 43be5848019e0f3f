// A corpus metric's summary (BLEU, chrF) counted rows for its few-rows rule: 6 examples sampled 10 times (60 rows)
// got the cluster bootstrap of 6 clusters — the spread of 6 examples — where the same 6 examples sampled once get
// the finite-sample bounded-mean interval. The rule now counts independent units (an example's trials, or a group,
// count once), as a per-example metric's summary does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Example, evaluate } from '../../src/index.js';
import { bleu, chrf } from '../../src/metrics/index.js';

const refs = Array.from(
  { length: 30 },
  (_, i) => `the cat number ${i} sat on the mat today with friend ${i * 7}`,
);
const data = (n: number): Example[] =>
  refs.slice(0, n).map((r, i) => ({ id: `e${i}`, input: r, reference: r }));
const cut = async (input: unknown) => {
  const w = (input as string).split(' ');
  return `${w.slice(0, 4 + (w.length % 5)).join(' ')} xx`;
};
const opts = { progress: false, resamples: 199 } as const;

describe('a corpus metric summary on few examples with many trials', () => {
  it('6 examples × 10 trials: the bounded-mean interval of 6 examples', async () => {
    const one = await evaluate(data(6), cut, [bleu(), chrf()], opts);
    const ten = await evaluate(data(6), cut, [bleu(), chrf()], { ...opts, trials: 10 });
    for (const m of ['bleu', 'chrf']) {
      expect(ten.metrics[m]!.n, m).toBe(60);
      expect(one.metrics[m]!.ci.method, m).toBe('bounded-mean');
      expect(ten.metrics[m]!.ci.method, m).toBe('bounded-mean');
      expect(ten.metrics[m]!.ci.note, m).toContain('only 6 independent scored units');
      expect([ten.metrics[m]!.ci.low, ten.metrics[m]!.ci.high], m).toEqual([
        one.metrics[m]!.ci.low,
        one.metrics[m]!.ci.high,
      ]);
    }
  });

  it('property: k trials of n < 30 examples never get the bootstrap of a corpus metric (seeded)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 29 }), fc.integer({ min: 2, max: 6 }), async (n, trials) => {
        const r = await evaluate(data(n), cut, [bleu()], { ...opts, trials });
        expect(r.metrics.bleu!.ci.method).not.toMatch(/bca/);
      }),
      { seed: 2226, numRuns: 120 },
    );
  });

  // The case the property shrank to before the fix: 18 examples × 2 trials (36 rows) got cluster-bca.
  it('18 examples × 2 trials: bounded-mean', async () => {
    const r = await evaluate(data(18), cut, [bleu()], { ...opts, trials: 2 });
    expect(r.metrics.bleu!.ci.method).toBe('bounded-mean');
  });
});
