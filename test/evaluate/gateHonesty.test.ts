// Honesty of anytime-valid gates (issue 14, item 5), seeded and deterministic:
// - type I: with the true mean exactly at the bar and a look after every row, wrong "pass" decisions over
//   2,000 simulated runs stay within the binomial bound of alpha, while looking at a fixed-n 95% interval every
//   50 rows and stopping at the first pass exceeds alpha by a wide margin (both rates printed);
// - the same decisions come out of evaluate() itself, rows finishing out of order;
// - coverage: the running interval covers the mean at every t <= n in >= 95% of simulated runs (Beta, uniform,
//   Bernoulli and without-replacement data).
// The 2,000-run simulations drive the gate module evaluate() uses (_GateTracker: units, run-order pushes,
// decision rule); the evaluate() check runs fewer runs because a run costs milliseconds, not microseconds.
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import type { Metric } from '../../src/index.js';
import { evaluate } from '../../src/index.js';
import { _GateTracker } from '../../src/run/gateTracker.js';
import { confidenceSequence } from '../../src/stats/index.js';

const ALPHA = 0.05;
const RUNS = 2000;
const BAR = 0.7;
const correct: Metric = { name: 'correct', kind: 'binary', score: ({ output }) => Number(output) };

/** Smallest k with P(Binomial(n, p) > k) <= tail: a count above it is evidence the rate exceeds p. */
function binomialUpper(n: number, p: number, tail: number): number {
  const logPmf = (k: number) => {
    let lc = 0;
    for (let i = 1; i <= k; i++) lc += Math.log((n - k + i) / i);
    return lc + k * Math.log(p) + (n - k) * Math.log(1 - p);
  };
  let above = 1;
  for (let k = 0; k <= n; k++) {
    above -= Math.exp(logPmf(k));
    if (above <= tail) return k;
  }
  return n;
}

/** A Bernoulli(mu) stream of `n` rows, seeded. */
function stream(seed: string, n: number, mu: number): number[] {
  const rng = seedrandom.alea(seed);
  return Array.from({ length: n }, () => (rng() < mu ? 1 : 0));
}

/**
 * Runs a gate over `values` through _GateTracker as evaluate() does: one unit per row, rows finishing in a
 * shuffled order within windows of `concurrency`. Returns the decision and the rows it took.
 */
function trackerRun(values: readonly number[], concurrency: number, seed: string) {
  const g = new _GateTracker({ metric: 'correct', atLeast: BAR }, correct, 0.95);
  g.start(undefined, 'as-given');
  const rng = seedrandom.alea(`${seed}/completion`);
  for (let start = 0; start < values.length && !g.decided; start += concurrency) {
    const window = Array.from({ length: Math.min(concurrency, values.length - start) }, (_, i) => start + i);
    for (const r of window) g.expectUnit(r, [r]);
    for (let i = window.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [window[i], window[j]] = [window[j]!, window[i]!];
    }
    for (const r of window)
      g.observe(r, {
        id: `r${r}`,
        trial: 0,
        group: null,
        failed: false,
        scores: { correct: values[r]! },
        stats: {},
      });
  }
  return g.result(undefined, 0, 0);
}

/** Looks at a fixed-n 95% Wald interval every `every` rows and stops at the first lower bound >= the bar. */
function naivePeekPasses(values: readonly number[], every: number): boolean {
  let s = 0;
  for (let t = 1; t <= values.length; t++) {
    s += values[t - 1]!;
    if (t % every !== 0) continue;
    const p = s / t;
    if (p - 1.959963984540054 * Math.sqrt((p * (1 - p)) / t) >= BAR) return true;
  }
  return false;
}

describe('type I error of a gate with a look after every row', () => {
  it(`wrong passes over ${RUNS} runs at mu = bar stay <= alpha; naive peeking every 50 rows does not`, () => {
    const horizon = 600;
    let gatePasses = 0;
    let naivePasses = 0;
    for (let run = 0; run < RUNS; run++) {
      const values = stream(`type-i/${run}`, horizon, BAR);
      if (trackerRun(values, 8, `type-i/${run}`).decision === 'pass') gatePasses++;
      if (naivePeekPasses(values, 50)) naivePasses++;
    }
    const bound = binomialUpper(RUNS, ALPHA, 1e-3);
    console.log(
      `type I at mu = ${BAR}, ${RUNS} runs of ${horizon} rows: anytime-valid gate ${gatePasses / RUNS} (looks after every row), ` +
        `naive 95% interval every 50 rows ${naivePasses / RUNS}; alpha ${ALPHA}, binomial bound ${bound}/${RUNS}`,
    );
    expect(gatePasses).toBeLessThanOrEqual(bound);
    // "By a wide margin": the naive rate is more than twice alpha (its 12 looks compound the error).
    expect(naivePasses / RUNS).toBeGreaterThan(2 * ALPHA);
  });
});

describe('evaluate() takes the decisions the sequence takes, whatever the completion order', () => {
  it('150 seeded runs through evaluate(): the same decision and row count as confidenceSequence() on the stream', async () => {
    const runs = 150;
    const horizon = 120;
    let wrong = 0;
    for (let run = 0; run < runs; run++) {
      // A true mean a little above the bar, so some runs decide within the horizon.
      const values = stream(`evaluate/${run}`, horizon, 0.85);
      const data = values.map((v, i) => ({ id: `r${i}`, input: v }));
      const rng = seedrandom.alea(`evaluate/${run}/latency`);
      // Each row yields a random number of times first, so rows finish out of order (no wall clock involved).
      const model = async (input: unknown) => {
        for (let k = Math.floor(rng() * 4); k > 0; k--) await new Promise((r) => setImmediate(r));
        return String(input);
      };
      const r = await evaluate(data, model, [correct], {
        concurrency: 8,
        progress: false,
        resamples: 1,
        shuffled: true,
        gate: { metric: 'correct', atLeast: BAR },
      });
      const cs = confidenceSequence(values);
      const t = cs.lower.findIndex((l, i) => l >= BAR || cs.upper[i]! < BAR);
      if (t === -1) {
        expect(r.gate!.decision).toBe('undecided');
        expect(r.n).toBe(horizon);
      } else {
        expect(r.gate!.decision).toBe(cs.lower[t]! >= BAR ? 'pass' : 'fail');
        expect(r.gate!.n).toBe(t + 1);
        expect(r.gate!.lower).toBe(cs.lower[t]);
        expect(r.gate!.upper).toBe(cs.upper[t]);
        // Rows that finished after the decision are at most the ones in flight when it was taken (rows that
        // finished out of order before it count in gate.rows: they had been paid already).
        expect(r.n - r.gate!.rows).toBeLessThanOrEqual(8);
        expect(r.gate!.rows).toBeGreaterThanOrEqual(t + 1);
      }
      if (r.gate!.decision === 'fail') wrong++;
    }
    // At mu = 0.85 a "fail" (mean < 0.7) is wrong.
    expect(wrong).toBeLessThanOrEqual(binomialUpper(runs, ALPHA, 1e-3));
  }, 60_000);
});

/** Beta(1, b) by inversion: 1 - U^(1/b). */
const beta1 = (rng: () => number, b: number): number => 1 - rng() ** (1 / b);

describe('coverage of the running interval at every t <= n', () => {
  const coverage = (draw: (run: number) => { values: number[]; mu: number }, population?: number) => {
    let covered = 0;
    for (let run = 0; run < RUNS; run++) {
      const { values, mu } = draw(run);
      const cs = confidenceSequence(values, population === undefined ? {} : { population });
      let ok = true;
      for (let t = 0; t < values.length && ok; t++) ok = cs.lower[t]! <= mu && mu <= cs.upper[t]!;
      if (ok) covered++;
    }
    return covered / RUNS;
  };
  // 95% nominal: a simulated rate below the binomial lower limit would refute it.
  const floor = 1 - binomialUpper(RUNS, ALPHA, 1e-3) / RUNS;

  it.each([
    ['Beta(1, 3)', (rng: () => number) => beta1(rng, 3), 1 / 4],
    ['uniform', (rng: () => number) => rng(), 0.5],
    ['Bernoulli(0.9)', (rng: () => number) => (rng() < 0.9 ? 1 : 0), 0.9],
  ])('%s data, n = 500', (name, sample, mu) => {
    const rate = coverage((run) => {
      const rng = seedrandom.alea(`coverage/${name}/${run}`);
      return { values: Array.from({ length: 500 }, () => sample(rng)), mu };
    });
    console.log(`coverage at every t <= 500, ${name}: ${rate}`);
    expect(rate).toBeGreaterThanOrEqual(Math.max(floor, 0.95));
  });

  it('without replacement: random orders of a fixed population of 300, covering its mean at every t <= 300', () => {
    const rngPop = seedrandom.alea('population');
    const pop = Array.from({ length: 300 }, () => beta1(rngPop, 2));
    const mu = pop.reduce((a, b) => a + b, 0) / pop.length;
    const rate = coverage((run) => {
      const rng = seedrandom.alea(`wor/${run}`);
      const values = [...pop];
      for (let i = values.length - 1; i > 0; i--) {
        const j = Math.floor(rng() * (i + 1));
        [values[i], values[j]] = [values[j]!, values[i]!];
      }
      return { values, mu };
    }, 300);
    console.log(`coverage at every t <= 300 without replacement: ${rate}`);
    expect(rate).toBeGreaterThanOrEqual(Math.max(floor, 0.95));
  });
});
