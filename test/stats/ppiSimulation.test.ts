import { describe, expect, it } from 'vitest';
import { normalQuantile, ppiMean } from '../../src/stats/index.js';

/**
 * Seeded simulation of the calibration claim: a binary judge with 15% false positives and 10% false negatives
 * scores 10,000 items; 200 of them, drawn at random, get a human label. Over 2,000 repetitions the raw judge
 * interval (the judge's mean with its own sampling interval) rarely covers the human-level mean (the judge is
 * biased), while the PPI++ 95% interval covers it at its nominal rate and is narrower than the interval from
 * the 200 labels alone.
 */
describe('PPI++ on a biased judge (simulation, seeded)', () => {
  it('covers the human-level mean at ~95%, the raw judge interval does not, and beats the labels alone', () => {
    const N = 10_000;
    const nLabeled = 200;
    const reps = 2_000;
    const prevalence = 0.3;
    const fpRate = 0.15;
    const fnRate = 0.1;
    const z = normalQuantile(0.975);
    // xorshift128+ style generator (seeded), fast enough for 2e7 draws
    let s0 = 0x9e3779b9 | 0;
    let s1 = 0x243f6a88 | 0;
    const rand = (): number => {
      let x = s0;
      const y = s1;
      s0 = y;
      x ^= x << 23;
      x ^= x >>> 17;
      x ^= y ^ (y >>> 26);
      s1 = x;
      return ((s0 + s1) >>> 0) / 4294967296;
    };
    const human = new Float64Array(N);
    const judge = new Float64Array(N);
    const order = new Int32Array(N);
    const hl = new Float64Array(nLabeled);
    const jl = new Float64Array(nLabeled);
    const ju = new Float64Array(N - nLabeled);
    let rawCover = 0;
    let ppiCover = 0;
    let classicalCover = 0;
    let ppiWidth = 0;
    let classicalWidth = 0;
    let narrower = 0;
    const started = performance.now();
    for (let r = 0; r < reps; r++) {
      let humanSum = 0;
      let judgeSum = 0;
      for (let i = 0; i < N; i++) {
        const y = rand() < prevalence ? 1 : 0;
        const u = rand();
        const j = y === 1 ? (u < fnRate ? 0 : 1) : u < fpRate ? 1 : 0;
        human[i] = y;
        judge[i] = j;
        humanSum += y;
        judgeSum += j;
        order[i] = i;
      }
      const target = humanSum / N; // the human-level mean of these 10,000 items
      // raw judge interval: the judge's mean with its (Wald) sampling interval
      const pj = judgeSum / N;
      const half = z * Math.sqrt((pj * (1 - pj)) / N);
      if (pj - half <= target && target <= pj + half) rawCover++;
      // a uniform random subset of 200 items gets human labels (partial Fisher-Yates)
      for (let k = 0; k < nLabeled; k++) {
        const pick = k + Math.floor(rand() * (N - k));
        const t = order[k];
        order[k] = order[pick];
        order[pick] = t;
        hl[k] = human[order[k]];
        jl[k] = judge[order[k]];
      }
      for (let k = nLabeled; k < N; k++) ju[k - nLabeled] = judge[order[k]];
      const ppi = ppiMean({ human: hl, judge: jl }, ju);
      const classical = ppiMean({ human: hl, judge: jl }, ju, { lambda: 0 });
      if (ppi.ci.low <= target && target <= ppi.ci.high) ppiCover++;
      if (classical.ci.low <= target && target <= classical.ci.high) classicalCover++;
      const w1 = ppi.ci.high - ppi.ci.low;
      const w0 = classical.ci.high - classical.ci.low;
      ppiWidth += w1;
      classicalWidth += w0;
      if (w1 < w0) narrower++;
    }
    const seconds = (performance.now() - started) / 1000;
    const rawRate = rawCover / reps;
    const ppiRate = ppiCover / reps;
    console.log(
      `simulation (${reps} runs, ${seconds.toFixed(1)} s): raw judge interval covers ${(100 * rawRate).toFixed(1)}%, ` +
        `PPI++ 95% covers ${(100 * ppiRate).toFixed(1)}% (mean width ${(ppiWidth / reps).toFixed(4)}), ` +
        `200 labels alone cover ${((100 * classicalCover) / reps).toFixed(1)}% (mean width ${(classicalWidth / reps).toFixed(4)}); ` +
        `PPI++ narrower in ${((100 * narrower) / reps).toFixed(1)}% of runs`,
    );
    expect(rawRate).toBeLessThan(0.25);
    // 0.94 is 0.95 minus two binomial standard errors at 2,000 runs (sqrt(0.95 * 0.05 / 2000) = 0.0049)
    expect(ppiRate).toBeGreaterThanOrEqual(0.94);
    expect(ppiWidth / reps).toBeLessThan(classicalWidth / reps);
    expect(narrower / reps).toBeGreaterThan(0.9);
    expect(seconds, 'the simulation must stay well under a minute').toBeLessThan(60);
  });
});
