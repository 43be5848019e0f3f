// The vitest matchers are the gate a team's CI trusts: what they pass must follow from the numbers the result
// states, whatever the run. Runs are real evaluate() runs (in-process model, random scores, random trials).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Example } from '../../src/core/types.js';
import { compare, evaluate } from '../../src/index.js';
import type { EvalResult } from '../../src/result/EvalResult.js';
import { loadResult } from '../../src/result/loadResult.js';
import { saveResult } from '../../src/result/saveResult.js';
import '../../src/vitest/index.js';
import { check, outputScoreMetrics, passes } from './_prop.js';

/** A run whose row scores are `scores[example]` (one entry per trial, in the order the trials ran). */
async function runOf(scores: readonly (readonly number[])[], trials: number): Promise<EvalResult> {
  const dataset: Example[] = scores.map((_, i) => ({ id: `e${i}`, input: i, reference: '' }));
  const next = new Map<number, number>();
  const model = async (input: unknown) => {
    const i = input as number;
    const t = next.get(i) ?? 0;
    next.set(i, t + 1);
    return String(scores[i]![t]!);
  };
  return evaluate(dataset, model, outputScoreMetrics, { progress: false, trials, resamples: 199, seed: 3 });
}

const score = fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true }));
/** 1 to 60 examples, 1 to 3 trials each, every score in [0, 1]. */
const runSpec = fc.tuple(fc.integer({ min: 1, max: 60 }), fc.constantFrom(1, 1, 2, 3)).chain(([n, trials]) =>
  fc.record({
    trials: fc.constant(trials),
    scores: fc.array(fc.array(score, { minLength: trials, maxLength: trials }), {
      minLength: n,
      maxLength: n,
    }),
  }),
);
const metricName = fc.constantFrom('em', 'graded');

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evalgate-matchers-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('matcher properties', () => {
  it('toHaveLowerBoundAtLeast: passes only where the stated lower bound reaches the threshold; monotone; never both ways; the same on the saved file', async () => {
    const seen = { pass: 0, fail: 0 };
    await check(
      'toHaveLowerBoundAtLeast is sound and monotone',
      150,
      fc.asyncProperty(
        runSpec,
        metricName,
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (spec, m, t) => {
          const result = await runOf(spec.scores, spec.trials);
          const yes = passes(() => expect(result).toHaveLowerBoundAtLeast(m, t));
          const no = passes(() => expect(result).not.toHaveLowerBoundAtLeast(m, t));
          expect(yes && no).toBe(false);
          seen[yes ? 'pass' : 'fail']++;
          // The verdict a later CI job reaches on the saved result file is the same.
          const file = join(dir, 'run.json');
          await saveResult(result, file);
          const loaded = await loadResult(file);
          expect(passes(() => expect(loaded).toHaveLowerBoundAtLeast(m, t))).toBe(yes);
          if (yes) {
            expect(result.metrics[m]!.ci.low).toBeGreaterThanOrEqual(t);
            // A lower threshold asks for less.
            expect(passes(() => expect(result).toHaveLowerBoundAtLeast(m, t / 2))).toBe(true);
          }
        },
      ),
    );
    // Both branches were exercised (a property that never passes would prove nothing about passing).
    expect(Math.min(seen.pass, seen.fail)).toBeGreaterThan(10);
  }, 120_000);

  it('toBeNonInferior: passes only where the stated interval clears the margin; monotone in the margin; never both ways', async () => {
    const seen = { pass: 0, fail: 0 };
    await check(
      'toBeNonInferior is sound and monotone',
      100,
      fc.asyncProperty(
        runSpec,
        // The candidate's changes: null keeps the baseline's score (most rows), a number replaces it.
        fc.array(fc.oneof({ arbitrary: fc.constant(null), weight: 3 }, { arbitrary: score, weight: 1 }), {
          minLength: 180,
          maxLength: 180,
        }),
        metricName,
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        async (spec, other, m, margin) => {
          // The candidate: the same examples and trials, some scores changed.
          let k = 0;
          const candidateScores = spec.scores.map((row) => row.map((v) => other[k++ % other.length] ?? v));
          const [base, cand] = [
            await runOf(spec.scores, spec.trials),
            await runOf(candidateScores, spec.trials),
          ];
          const comparison = compare(base, cand);
          const yes = passes(() => expect(comparison).toBeNonInferior({ margin, metric: m }));
          const no = passes(() => expect(comparison).not.toBeNonInferior({ margin, metric: m }));
          expect(yes && no).toBe(false);
          seen[yes ? 'pass' : 'fail']++;
          const c = comparison.metrics[m]!;
          if (yes) {
            expect(c.ci.low > -margin || (c.difference === 0 && c.ci.low === 0 && c.ci.high === 0)).toBe(
              true,
            );
            // A wider margin accepts more.
            const wider = Math.min(0.99, margin + (1 - margin) / 2);
            expect(passes(() => expect(comparison).toBeNonInferior({ margin: wider, metric: m }))).toBe(true);
          }
        },
      ),
    );
    expect(Math.min(seen.pass, seen.fail)).toBeGreaterThan(10);
  }, 240_000);

  it('a run compared with itself: difference 0 inside its interval, non-inferior once the bootstrap applies', async () => {
    await check(
      'compare(a, a) is never inferior',
      100,
      fc.asyncProperty(
        runSpec,
        metricName,
        fc.double({ min: 0.001, max: 0.9, noNaN: true }),
        async (spec, m, margin) => {
          const result = await runOf(spec.scores, spec.trials);
          const c = compare(result, result).metrics[m]!;
          expect(c.difference).toBe(0);
          expect(c.ci.low).toBeLessThanOrEqual(0);
          expect(c.ci.high).toBeGreaterThanOrEqual(0);
          // With enough examples for the bootstrap, identical runs are non-inferior at any positive margin.
          if (spec.scores.length >= 30)
            expect(passes(() => expect(compare(result, result)).toBeNonInferior({ margin, metric: m }))).toBe(
              true,
            );
        },
      ),
    );
  }, 120_000);
});
