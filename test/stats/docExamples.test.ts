import { describe, expect, it } from 'vitest';
import {
  adjustPValues,
  bootstrapCI,
  cohensD,
  confidenceSequence,
  createConfidenceSequence,
  mcnemarTest,
  mcnemarTestFromTable,
  minimumDetectableEffect,
  pairedTTest,
  sampleSize,
  wilcoxonSignedRankTest,
} from '../../src/stats/index.js';
import { expectRel } from './_rel.js';

// The @example results shown in the TSDoc of src/stats/*.ts, checked through the public entry point.
describe('TSDoc examples', () => {
  it('bootstrapCI', () => {
    const ci = bootstrapCI([1, 0, 1, 1, 0, 1, 1, 1, 0, 1]);
    expectRel(ci.estimate, 0.7, 1e-15);
    expect(ci.low).toBeLessThan(0.7);
    expect(ci.high).toBeGreaterThan(0.7);
    const again = bootstrapCI([1, 0, 1, 1, 0, 1, 1, 1, 0, 1]);
    expect([again.low, again.high]).toEqual([ci.low, ci.high]);
  });
  it('mcnemarTest / mcnemarTestFromTable', () => {
    expect(mcnemarTest([1, 1, 1, 0, 1], [0, 0, 0, 0, 1]).pValue).toBe(0.25);
    expectRel(
      mcnemarTestFromTable([
        [30, 3],
        [10, 7],
      ]).pValue,
      0.09228515625,
      1e-12,
    );
    expectRel(
      mcnemarTestFromTable(
        [
          [30, 3],
          [10, 7],
        ],
        { exact: false },
      ).statistic,
      2.769230769230769,
      1e-15,
    );
  });
  it('pairedTTest, wilcoxonSignedRankTest, cohensD', () => {
    const a = [78, 85, 62, 90, 71, 88, 67, 94, 80, 73];
    const b = [72, 80, 65, 81, 70, 77, 60, 86, 76, 75];
    expectRel(pairedTTest(a, b).statistic, 3.129903560222949, 1e-12);
    expectRel(pairedTTest(a, b).pValue, 0.012123584220230884, 1e-12);
    const w = wilcoxonSignedRankTest(a, b);
    expect([w.statistic, w.pValue, w.method]).toEqual([5, 0.01953125, 'exact']);
    expectRel(cohensD(a, b).d, 0.9897624106974509, 1e-12);
  });
  it('adjustPValues', () => {
    const h = adjustPValues([0.01, 0.04, 0.03], 'holm');
    for (const [i, want] of [0.03, 0.06, 0.06].entries()) expectRel(h[i], want, 1e-15);
    const bh = adjustPValues([0.01, 0.04, 0.03], 'bh');
    for (const [i, want] of [0.03, 0.04, 0.04].entries()) expectRel(bh[i], want, 1e-15);
  });
  it('sampleSize / minimumDetectableEffect', () => {
    expect(
      sampleSize({ test: 'mcnemar', baseline: 0.7, minDetectableEffect: 0.05, discordance: 0.2 }).n,
    ).toBe(626);
    expect(sampleSize({ test: 'paired-t', minDetectableEffect: 0.5 }).n).toBe(34);
    expectRel(minimumDetectableEffect({ test: 'paired-t', n: 34 }).effect, 0.49502809797346004, 1e-9);
  });
  it('confidenceSequence / createConfidenceSequence', () => {
    const cs = confidenceSequence(Array.from({ length: 200 }, (_, i) => (i % 4 === 0 ? 0 : 1)));
    expectRel(cs.lower[199], 0.6385392080702397, 1e-12);
    expectRel(cs.upper[199], 0.857792203437291, 1e-12);
    const inc = createConfidenceSequence({ confidence: 0.95 });
    expect(inc.current()).toEqual({ lower: 0, upper: 1 });
    let passedAt = 0;
    for (let i = 0; i < 2000 && passedAt === 0; i++)
      if (inc.push(i % 10 === 0 ? 0 : 1).lower >= 0.8) passedAt = inc.n;
    expect(passedAt).toBe(129);
  });
});
