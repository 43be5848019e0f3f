/**
 * compare() of two labeled runs when every labeled pair has the same human difference: PPI++'s normal interval
 * has a standard error of 0 there, which made a handful of labels certify a point difference (and a
 * non-inferiority verdict). The calibrated difference's interval is then the bounded-mean interval of the
 * labeled differences, over the metric's recorded range.
 */
import { describe, expect, it } from 'vitest';
import { compare, type EvalResult, evaluate, type Metric } from '../../src/index.js';
import '../../src/vitest/index.js';

const judge: Metric = {
  name: 'judge',
  kind: 'binary',
  score: (c) => (c.example.metadata as { j: number }).j,
};

/** 400 rows, the judge says 1 on odd rows only; `nLabels` odd rows carry the human label `label`. */
function run(
  nLabels: number,
  label: 0 | 1,
  judgeOf: (i: number) => number = (i) => i % 2,
): Promise<EvalResult> {
  const every = Math.floor(400 / nLabels);
  return evaluate(
    Array.from({ length: 400 }, (_, i) => ({
      id: `r${i}`,
      input: i,
      metadata: { j: judgeOf(i) },
      ...(i % every === 1 && (i - 1) / every < nLabels ? { labels: { judge: label } } : {}),
    })),
    async (x) => String(x),
    [judge],
    { progress: false, resamples: 199 },
  );
}

describe('calibrated comparison with identical label differences', () => {
  it('10 pairs labeled the same in both runs do not make a judge-worse candidate non-inferior', async () => {
    // Baseline: the judge says 1 everywhere. Candidate: 0 on half the rows. Humans label 10 rows 1 in both.
    const base = await run(10, 1, () => 1);
    const cand = await run(10, 1, (i) => i % 2);
    const m = compare(base, cand, { margin: 0.05, resamples: 199 }).metrics.judge!;
    expect(m.difference).toBeLessThan(-0.4);
    const c = m.calibrated!;
    expect(c.nLabeled).toBe(10);
    // The human differences are all 0 on 10 pairs: that cannot bound the mean difference to [0, 0].
    expect(c.ci.low).toBeLessThan(-0.05);
    expect(c.nonInferior).toBe(false);
    expect(() => expect(compare(base, cand, { margin: 0.05, resamples: 199 })).toBeNonInferior()).toThrow(
      /non-inferior/,
    );
  });
});
