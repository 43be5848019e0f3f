// Trials that agree carry no new information: an example answered the same way k times is still one example.
// Every interval, verdict and matcher of a bounded metric must be what the single-trial run gives.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Example } from '../../src/core/types.js';
import { compare, evaluate } from '../../src/index.js';
import type { EvalResult } from '../../src/result/EvalResult.js';
import '../../src/vitest/index.js';
import { check, outputScoreMetrics, passes } from './_prop.js';

/** A run where every trial of example i scores `scores[i]` on each metric. */
function runOf(scores: readonly number[], trials: number): Promise<EvalResult> {
  const dataset: Example[] = scores.map((_, i) => ({ id: `e${i}`, input: i, reference: '' }));
  return evaluate(dataset, async (i) => String(scores[i as number]), outputScoreMetrics, {
    progress: false,
    trials,
    resamples: 199,
    seed: 3,
  });
}

const scores = fc.array(fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true })), {
  minLength: 1,
  maxLength: 60,
});
const near = (a: number, b: number) =>
  a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

describe('replicated trials', () => {
  it('k agreeing trials per example give the intervals and lower-bound verdicts of one trial', async () => {
    await check(
      'replicated trials change no interval',
      150,
      fc.asyncProperty(
        scores,
        fc.integer({ min: 2, max: 4 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (s, k, t) => {
          const [one, many] = [await runOf(s, 1), await runOf(s, k)];
          for (const m of ['em', 'graded']) {
            const [a, b] = [one.metrics[m]!, many.metrics[m]!];
            expect(near(a.mean, b.mean), `${m} mean`).toBe(true);
            expect(
              near(a.ci.low, b.ci.low) && near(a.ci.high, b.ci.high),
              `${m}: [${a.ci.low}, ${a.ci.high}] (${a.ci.method}) vs [${b.ci.low}, ${b.ci.high}] (${b.ci.method})`,
            ).toBe(true);
            expect(
              passes(() => expect(many).toHaveLowerBoundAtLeast(m, t)),
              `${m} at ${t}`,
            ).toBe(passes(() => expect(one).toHaveLowerBoundAtLeast(m, t)));
          }
        },
      ),
    );
  }, 180_000);

  it('a comparison of replicated runs is the comparison of the single-trial runs', async () => {
    await check(
      'replicated trials change no paired interval',
      100,
      fc.asyncProperty(
        scores,
        fc.array(
          fc.oneof(
            { arbitrary: fc.constant(null), weight: 2 },
            { arbitrary: fc.double({ min: 0, max: 1, noNaN: true }), weight: 1 },
          ),
          { minLength: 60, maxLength: 60 },
        ),
        fc.integer({ min: 2, max: 3 }),
        async (s, change, k) => {
          const other = s.map((v, i) => change[i] ?? v);
          const one = compare(await runOf(s, 1), await runOf(other, 1), { margin: 0.1 });
          const many = compare(await runOf(s, k), await runOf(other, k), { margin: 0.1 });
          for (const m of ['em', 'graded']) {
            const [a, b] = [one.metrics[m]!, many.metrics[m]!];
            expect(near(a.difference, b.difference), `${m} difference`).toBe(true);
            expect(
              near(a.ci.low, b.ci.low) && near(a.ci.high, b.ci.high),
              `${m}: [${a.ci.low}, ${a.ci.high}] vs [${b.ci.low}, ${b.ci.high}] (n ${s.length}, k ${k})`,
            ).toBe(true);
            expect(b.nonInferior, m).toBe(a.nonInferior);
          }
        },
      ),
    );
  }, 180_000);
});
