import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { bootstrapCI } from '../../src/stats/bootstrapCI.js';

// Coverage of the 95% BCa interval over 1,000 seeded simulated datasets. 1,999 resamples per interval (instead of
// the default 9,999) keep the test fast; the Monte Carlo error of the bounds at 1,999 resamples is small next to
// the sampling error of the coverage itself (sd sqrt(0.95 * 0.05 / 1000) = 0.7 points).
const DATASETS = 1000;
const RESAMPLES = 1999;

function coverage(draw: (u: () => number) => number, n: number, truth: number, seed: string): number {
  const u = seedrandom.alea(seed);
  let covered = 0;
  const x = new Float64Array(n);
  for (let k = 0; k < DATASETS; k++) {
    for (let i = 0; i < n; i++) x[i] = draw(u);
    const ci = bootstrapCI(x, { resamples: RESAMPLES, seed: `cov-${k}` });
    if (ci.low <= truth && truth <= ci.high) covered++;
  }
  return covered / DATASETS;
}

describe('BCa coverage (simulation)', () => {
  it('Bernoulli(0.7) mean at n = 50 is covered 93-97% of the time', () => {
    const c = coverage((u) => (u() < 0.7 ? 1 : 0), 50, 0.7, 'bernoulli');
    expect(c, `coverage ${c}`).toBeGreaterThanOrEqual(0.93);
    expect(c, `coverage ${c}`).toBeLessThanOrEqual(0.97);
  });
  it('Exponential(1) mean at n = 30 is covered 93-97% of the time', () => {
    const c = coverage((u) => -Math.log(1 - u()), 30, 1, 'exponential');
    expect(c, `coverage ${c}`).toBeGreaterThanOrEqual(0.93);
    expect(c, `coverage ${c}`).toBeLessThanOrEqual(0.97);
  });
});
