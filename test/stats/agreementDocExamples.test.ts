import { describe, expect, it } from 'vitest';
import {
  cohensKappa,
  judgeAgreement,
  kendallTau,
  krippendorffAlpha,
  labelsNeeded,
  ppiMean,
  roganGladen,
  spearman,
} from '../../src/stats/index.js';
import { expectRel } from './_rel.js';

// The @example results shown in the TSDoc of the agreement and calibration statistics.
describe('TSDoc examples (agreement, calibration)', () => {
  it('cohensKappa', () => {
    expectRel(cohensKappa([1, 2, 3, 3, 2, 1], [1, 2, 2, 3, 3, 1]).kappa, 0.4999999999999999, 1e-15);
    expectRel(
      cohensKappa([1, 2, 3, 3, 2, 1], [1, 2, 2, 3, 3, 1], { weights: 'quadratic' }).kappa,
      0.75,
      1e-15,
    );
  });
  it('krippendorffAlpha', () => {
    const data = [
      [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
      [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
      [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
      [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
    ];
    expectRel(krippendorffAlpha(data, { level: 'nominal' }).alpha, 0.743421052631579, 1e-14);
    expectRel(krippendorffAlpha(data, { level: 'ordinal' }).alpha, 0.8153875037548814, 1e-14);
  });
  it('spearman and kendallTau', () => {
    const s = spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]);
    expectRel(s.rho, 0.8207826816681233, 1e-14);
    expectRel(s.pValue, 0.08858700531354384, 1e-12);
    const t = kendallTau([12, 2, 1, 12, 2], [1, 4, 7, 1, 0]);
    expectRel(t.tau, -0.47140452079103173, 1e-14);
    expectRel(t.pValue, 0.2827454599327748, 1e-12);
    expect(t.method).toBe('asymptotic');
  });
  it('ppiMean, roganGladen, labelsNeeded', () => {
    const r = ppiMean({ human: [1, 0, 1, 1, 0, 1], judge: [1, 0, 1, 1, 1, 1] }, [1, 1, 0, 1, 1, 0, 1, 1]);
    expectRel(r.lambda, 0.3501683501683502, 1e-14);
    expectRel(r.estimate, 0.6374859708193041, 1e-14);
    expectRel(r.ci.low, 0.29925687651221217, 1e-12);
    expectRel(r.ci.high, 0.9757150651263962, 1e-12);
    const w = ppiMean({ human: [1, 0, 1, 1, 0, 1], judge: [1, 0, 1, 1, 1, 1] }, [1, 1, 0, 1, 1, 0, 1, 1], {
      weights: [3, 1, 1, 2, 1, 1],
      unlabeledWeights: [1, 1, 4, 1, 1, 1, 1, 1],
    });
    expectRel(w.estimate, 0.6574049936081444, 1e-14);
    const human = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0];
    const judge = [1, 1, 1, 0, 1, 0, 0, 0, 0, 0];
    expectRel(
      roganGladen({ human, judge }, [1, 0, 0, 1, 0, 0, 0, 1, 0, 0]).estimate,
      0.22857142857142845,
      1e-14,
    );
    expect(labelsNeeded({ correlation: 0.9, N: 10000, halfWidth: 0.05 })).toMatchObject({
      n: 76,
      classicalN: 385,
      saved: 309,
    });
  });
  it('judgeAgreement', () => {
    const r = judgeAgreement([1, 1, 0, 1, 0, 0, 1, 1, 0, 1], [1, 1, 0, 0, 0, 0, 1, 1, 1, 1], {
      kind: 'binary',
    });
    expect(r.accuracy?.estimate).toBe(0.8);
    expectRel(r.kappa?.estimate ?? Number.NaN, 0.5833333333333333, 1e-14);
  });
});
