/**
 * compare() of a corpus metric (BLEU, chrF) whose rows cluster: the few-rows rule counts independent units (an
 * example's trials, or a group, count once), as compare() of a mean metric and a run's summary do.
 *
 * Regression: the corpus route counted rows, so 6 examples sampled 10 times (60 paired rows) got the paired
 * cluster bootstrap of 6 clusters — the spread of 6 examples — where the same 6 examples sampled once get the
 * finite-sample bounded-mean interval. Sampling a deterministic pipeline more often adds no evidence.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Example } from '../../src/core/types.js';
import { evaluate } from '../../src/evaluate.js';
import { bleu } from '../../src/metrics/bleu.js';
import { chrf } from '../../src/metrics/chrf.js';
import { compare } from '../../src/result/compare.js';

const refs = Array.from(
  { length: 30 },
  (_, i) => `the cat number ${i} sat on the mat today with friend ${i * 7} and a dog`,
);
const words = (k: number) => async (input: unknown) =>
  `${(input as string).split(' ').slice(0, k).join(' ')} xx`;
const opts = { progress: false, resamples: 199 } as const;

/** Baseline keeps `k` words of each reference, the candidate `k + 1` on rows where `better(i)`. */
async function runs(n: number, k: number, trials: number, better: (i: number) => boolean) {
  const data: Example[] = refs.slice(0, n).map((r, i) => ({ id: String(i), input: r, reference: r }));
  const metrics = [bleu(), chrf()];
  const base = await evaluate(data, words(k), metrics, { ...opts, trials });
  const cand = await evaluate(
    data,
    async (x) => words(better(refs.indexOf(x as string)) ? k + 1 : k)(x),
    metrics,
    { ...opts, trials },
  );
  return compare(base, cand, { margin: 2, resamples: 199 });
}

describe('compare() of a corpus metric on few examples with many trials', () => {
  it('6 examples × 10 trials: the bounded-mean interval of 6 examples, not the bootstrap of 6 clusters', async () => {
    const one = await runs(6, 6, 1, (i) => i % 2 === 0);
    const ten = await runs(6, 6, 10, (i) => i % 2 === 0);
    for (const m of ['bleu', 'chrf']) {
      const x = ten.metrics[m]!;
      expect(x.n, m).toBe(60);
      expect(x.ci.method, m).toBe('bounded-mean');
      expect(x.ci.note, m).toContain('only 6 independent paired units');
      expect(x.ci.low, m).toBeLessThanOrEqual(one.metrics[m]!.ci.low);
      expect(x.nonInferior, m).toBe(one.metrics[m]!.nonInferior);
    }
  });

  it('property: k trials of n < 30 examples are never more certain than the finite-sample route (seeded)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 29 }),
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 3, max: 8 }),
        fc.integer({ min: 2, max: 5 }),
        async (n, trials, k, every) => {
          const better = (i: number) => i % every !== 0;
          const one = await runs(n, k, 1, better);
          const many = await runs(n, k, trials, better);
          for (const m of ['bleu', 'chrf']) {
            const a = one.metrics[m]!;
            const b = many.metrics[m]!;
            expect(b.ci.method, m).not.toMatch(/bca/);
            if (a.ci.method === 'bounded-mean') {
              expect(b.ci.method, m).toBe('bounded-mean');
              expect(b.ci.low, m).toBeLessThanOrEqual(a.ci.low + 1e-9 * Math.max(1, Math.abs(a.ci.low)));
              expect(b.ci.high, m).toBeGreaterThanOrEqual(
                a.ci.high - 1e-9 * Math.max(1, Math.abs(a.ci.high)),
              );
            }
            if (!a.nonInferior) expect(b.nonInferior, m).toBe(false);
          }
        },
      ),
      { seed: 2222, numRuns: 120 },
    );
  });
});

describe('compare() of a corpus metric on few clustered units: regression cases', () => {
  // The case the property above shrank to before the fix: 8 examples × 4 trials (32 rows) got cluster-bca.
  it('8 examples × 4 trials, 3 and 4 words kept: bounded-mean, as one trial gets', async () => {
    const better = (i: number) => i % 2 !== 0;
    const one = await runs(8, 3, 1, better);
    const four = await runs(8, 3, 4, better);
    for (const m of ['bleu', 'chrf']) {
      expect(four.metrics[m]!.n, m).toBe(32);
      expect(four.metrics[m]!.ci.method, m).toBe('bounded-mean');
      expect(four.metrics[m]!.ci.note, m).toContain('only 8 independent paired units (an example');
      expect(one.metrics[m]!.ci.note, m).toContain('only 8 paired rows (< 30)');
    }
  });
});
