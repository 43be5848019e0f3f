import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { _createRng, type _Rng, _uniform } from '../../src/stats/_internal/rng.js';
import { _normPpf } from '../../src/stats/_internal/special.js';
import {
  type ConfidenceSequenceOptions,
  confidenceSequence,
  createConfidenceSequence,
} from '../../src/stats/index.js';
import { expectRel } from './_rel.js';

// Reference: confseq's predmix_empbern_twosided_cs (gostevehoward/confseq, commit and numpy version in
// `meta.reference` / `meta.numpy`), through test/stats/fixtures/generate_confseq.py.
interface Case {
  name: string;
  kind: string;
  confidence: number;
  alpha: number;
  runningIntersection: boolean;
  population: number | null;
  x: number[];
  lower: number[];
  upper: number[];
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/confseq.json', import.meta.url), 'utf8')) as {
  meta: { reference: { commit: string; function: string }; numpy: string };
  cases: Case[];
};
const optionsOf = (c: Case): ConfidenceSequenceOptions => ({
  confidence: c.confidence,
  runningIntersection: c.runningIntersection,
  ...(c.population === null ? {} : { population: c.population }),
});

describe('confidenceSequence against confseq predmix_empbern_twosided_cs', () => {
  it('the fixture names its reference', () => {
    expect(fixture.meta.reference.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(fixture.meta.reference.function).toBe('confseq.predmix.predmix_empbern_twosided_cs');
    expect(fixture.cases.length).toBeGreaterThanOrEqual(30);
    // The fixture exercises both running-intersection settings and both sampling schemes.
    expect(new Set(fixture.cases.map((c) => `${c.runningIntersection}/${c.population !== null}`)).size).toBe(
      4,
    );
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s: every point to 1e-9 relative', (_name, c) => {
    // confseq is called with alpha = 1 - confidence; evalgate computes the same double.
    expect(1 - c.confidence).toBe(c.alpha);
    const r = confidenceSequence(c.x, optionsOf(c));
    expect(r.n).toBe(c.x.length);
    expect(r.lower.length).toBe(c.x.length);
    expect(r.upper.length).toBe(c.x.length);
    for (let i = 0; i < c.x.length; i++) {
      expectRel(r.lower[i], c.lower[i], 1e-9, `${c.name} lower[${i}]`);
      expectRel(r.upper[i], c.upper[i], 1e-9, `${c.name} upper[${i}]`);
    }
  });

  // confseq takes observations in [0, 1] only; other bounds are checked as the rescaling of the [0, 1] cases.
  const rescaled = fixture.cases.filter((c) => c.x.length >= 100);
  it.each(
    rescaled.flatMap((c) =>
      (
        [
          [1, 5],
          [0, 100],
        ] as const
      ).map((b) => [`${c.name} on [${b[0]}, ${b[1]}]`, c, b] as const),
    ),
  )('%s equals the [0, 1] reference mapped back', (_name, c, [lo, hi]) => {
    const y = c.x.map((v) => lo + (hi - lo) * v);
    const r = confidenceSequence(y, { ...optionsOf(c), bounds: [lo, hi] });
    expect(r.bounds).toEqual([lo, hi]);
    for (let i = 0; i < c.x.length; i++) {
      expectRel(r.lower[i], lo + (hi - lo) * c.lower[i], 1e-9, `lower[${i}]`);
      expectRel(r.upper[i], lo + (hi - lo) * c.upper[i], 1e-9, `upper[${i}]`);
    }
    if (c.kind.startsWith('binary')) {
      // 0/1 data rescale exactly, so the [0, 1]-scale bounds are bit-for-bit those of the [0, 1] run.
      const r01 = confidenceSequence(c.x, optionsOf(c));
      for (let i = 0; i < c.x.length; i++) {
        expect(r.lower[i]).toBe(lo + (hi - lo) * r01.lower[i]);
        expect(r.upper[i]).toBe(lo + (hi - lo) * r01.upper[i]);
      }
    }
  });
});

describe('confidenceSequence result', () => {
  it('is frozen and self-describing, with defaults confidence 0.95, bounds [0, 1], running intersection', () => {
    const x = Object.freeze([1, 0, 1, 1, 0.5, 1]);
    const r = confidenceSequence(x);
    expect(Object.isFrozen(r)).toBe(true);
    expect(Object.isFrozen(r.bounds)).toBe(true);
    expect(r.method).toBe('prpl-eb');
    expect(r.confidence).toBe(0.95);
    expect(r.bounds).toEqual([0, 1]);
    expect(r.runningIntersection).toBe(true);
    expect(r.n).toBe(6);
    expect('population' in r).toBe(false);
    expect(r.lower).toBeInstanceOf(Float64Array);
    expect(confidenceSequence(x, { population: 10 }).population).toBe(10);
  });
  it('accepts a Float64Array, and an empty input gives empty sequences', () => {
    const c = fixture.cases[0];
    expect(confidenceSequence(Float64Array.from(c.x), optionsOf(c)).lower).toEqual(
      confidenceSequence(c.x, optionsOf(c)).lower,
    );
    const e = confidenceSequence([]);
    expect([e.n, e.lower.length, e.upper.length]).toEqual([0, 0, 0]);
  });
  it('running intersection: the lower bound never falls and the upper bound never rises', () => {
    for (const c of fixture.cases.filter((k) => k.runningIntersection)) {
      const r = confidenceSequence(c.x, optionsOf(c));
      for (let i = 1; i < r.n; i++) {
        expect(r.lower[i]).toBeGreaterThanOrEqual(r.lower[i - 1]);
        expect(r.upper[i]).toBeLessThanOrEqual(r.upper[i - 1]);
      }
    }
  });
});

describe('createConfidenceSequence (incremental form)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s: push() equals the batch form', (_name, c) => {
    const batch = confidenceSequence(c.x, optionsOf(c));
    const cs = createConfidenceSequence(optionsOf(c));
    expect(cs.current()).toEqual({ lower: 0, upper: 1 });
    for (let i = 0; i < c.x.length; i++) {
      const b = cs.push(c.x[i]);
      expect(b.lower).toBe(batch.lower[i]);
      expect(b.upper).toBe(batch.upper[i]);
      expect(cs.n).toBe(i + 1);
    }
    expect(cs.current()).toEqual({ lower: batch.lower[c.x.length - 1], upper: batch.upper[c.x.length - 1] });
  });
  it('describes itself like the batch result, and starts at `bounds`', () => {
    const cs = createConfidenceSequence({ bounds: [1, 5], confidence: 0.9, population: 40 });
    expect([cs.method, cs.confidence, cs.bounds, cs.runningIntersection, cs.population, cs.n]).toEqual([
      'prpl-eb',
      0.9,
      [1, 5],
      true,
      40,
      0,
    ]);
    expect(cs.current()).toEqual({ lower: 1, upper: 5 });
    expect(Object.isFrozen(cs)).toBe(true);
    expect(Object.isFrozen(cs.push(3))).toBe(true);
  });
  it('a rejected push leaves the sequence unchanged', () => {
    const x = [0.2, 0.9, 0.4, 0.7, 1, 0.6];
    const batch = confidenceSequence(x, { population: 6 });
    const cs = createConfidenceSequence({ population: 6 });
    cs.push(x[0]);
    cs.push(x[1]);
    expect(() => cs.push(1.5)).toThrow(RangeError);
    expect(() => cs.push('0.4' as unknown as number)).toThrow(TypeError);
    expect(() => cs.push(Number.NaN)).toThrow(RangeError);
    expect(cs.n).toBe(2);
    for (let i = 2; i < x.length; i++)
      expect(cs.push(x[i])).toEqual({ lower: batch.lower[i], upper: batch.upper[i] });
    expect(() => cs.push(0.5)).toThrow(
      'Cannot push observation 6: `population` is 6 and every value has been drawn without replacement',
    );
    expect(cs.n).toBe(6);
  });
});

describe('input validation', () => {
  // Rows with these values test an option alone, so they apply to createConfidenceSequence as well.
  const ONE = [0.5];
  const bad: [string, unknown, ConfidenceSequenceOptions | undefined, typeof TypeError, string][] = [
    [
      'values a string',
      'abc',
      undefined,
      TypeError,
      'Expected `values` to be an array of numbers, got `"abc"` (string)',
    ],
    [
      'values null',
      null,
      undefined,
      TypeError,
      'Expected `values` to be an array of numbers, got `null` (null)',
    ],
    [
      'values[2] a string',
      [0, 1, '1'],
      undefined,
      TypeError,
      'Expected `values[2]` to be a number, got `"1"` (string)',
    ],
    [
      'values[1] NaN',
      [0, Number.NaN],
      undefined,
      RangeError,
      'Expected `values[1]` to be a finite number, got `NaN` (number)',
    ],
    [
      'values[3] above bounds',
      [0, 1, 0.5, 1.5],
      undefined,
      RangeError,
      'Expected `values[3]` to be within `bounds` [0, 1], got `1.5` (number)',
    ],
    [
      'values[0] below bounds',
      [-0.1],
      undefined,
      RangeError,
      'Expected `values[0]` to be within `bounds` [0, 1], got `-0.1` (number)',
    ],
    [
      'values[1] outside [1, 5]',
      [3, 0, 4],
      { bounds: [1, 5] },
      RangeError,
      'Expected `values[1]` to be within `bounds` [1, 5], got `0` (number)',
    ],
    [
      'confidence 1.5',
      ONE,
      { confidence: 1.5 },
      RangeError,
      'Expected `confidence` to be a number in (0, 1), got `1.5` (number)',
    ],
    [
      'confidence 1',
      ONE,
      { confidence: 1 },
      RangeError,
      'Expected `confidence` to be a number in (0, 1), got `1` (number)',
    ],
    [
      'confidence 0',
      ONE,
      { confidence: 0 },
      RangeError,
      'Expected `confidence` to be a number in (0, 1), got `0` (number)',
    ],
    [
      'confidence NaN',
      ONE,
      { confidence: Number.NaN },
      RangeError,
      'Expected `confidence` to be a number in (0, 1), got `NaN` (number)',
    ],
    [
      'confidence a string',
      ONE,
      { confidence: '0.9' as unknown as number },
      TypeError,
      'Expected `confidence` to be a number in (0, 1), got `"0.9"` (string)',
    ],
    [
      'bounds reversed',
      ONE,
      { bounds: [1, 0] },
      RangeError,
      'Expected `bounds` to be [low, high] with finite numbers low < high, got `[1, 0]` (array)',
    ],
    [
      'bounds empty',
      ONE,
      { bounds: [1, 1] },
      RangeError,
      'Expected `bounds` to be [low, high] with finite numbers low < high, got `[1, 1]` (array)',
    ],
    [
      'bounds infinite',
      ONE,
      { bounds: [0, Number.POSITIVE_INFINITY] },
      RangeError,
      'Expected `bounds` to be [low, high] with finite numbers low < high, got `[0, Infinity]` (array)',
    ],
    [
      'bounds of one number',
      ONE,
      { bounds: [0] as unknown as [number, number] },
      TypeError,
      'Expected `bounds` to be [low, high] with finite numbers low < high, got `[0]` (array)',
    ],
    [
      'bounds a string',
      ONE,
      { bounds: '0,1' as unknown as [number, number] },
      TypeError,
      'Expected `bounds` to be [low, high] with finite numbers low < high, got `"0,1"` (string)',
    ],
    [
      'population 0',
      ONE,
      { population: 0 },
      RangeError,
      'Expected `population` to be an integer >= 1, got `0` (number)',
    ],
    [
      'population 2.5',
      ONE,
      { population: 2.5 },
      RangeError,
      'Expected `population` to be an integer >= 1, got `2.5` (number)',
    ],
    [
      'population a string',
      ONE,
      { population: '10' as unknown as number },
      TypeError,
      'Expected `population` to be an integer >= 1, got `"10"` (string)',
    ],
    [
      'more values than population',
      [0, 1, 1, 0],
      { population: 3 },
      RangeError,
      'Expected `values` to have at most `population` (3) elements when sampling without replacement, got `array(4)` (array)',
    ],
    [
      'runningIntersection a string',
      ONE,
      { runningIntersection: 'yes' as unknown as boolean },
      TypeError,
      'Expected `runningIntersection` to be a boolean, got `"yes"` (string)',
    ],
    [
      'options null',
      ONE,
      null as unknown as ConfidenceSequenceOptions,
      TypeError,
      'Expected `options` to be an options object, got `null` (null)',
    ],
  ];
  it.each(bad)('confidenceSequence: %s', (_name, values, options, ErrorClass, message) => {
    const call = () => confidenceSequence(values as number[], options);
    expect(call).toThrow(ErrorClass);
    expect(call).toThrow(message);
  });
  it.each(bad.filter(([, values]) => values === ONE))(
    'createConfidenceSequence: %s',
    (_name, _values, options, ErrorClass, message) => {
      expect(() => createConfidenceSequence(options)).toThrow(ErrorClass);
      expect(() => createConfidenceSequence(options)).toThrow(message);
    },
  );
  it.each([
    [2, RangeError, 'Expected `x` (observation index 0) to be within `bounds` [0, 1], got `2` (number)'],
    [
      Number.NaN,
      RangeError,
      'Expected `x` (observation index 0) to be within `bounds` [0, 1], got `NaN` (number)',
    ],
    [
      Number.NEGATIVE_INFINITY,
      RangeError,
      'Expected `x` (observation index 0) to be within `bounds` [0, 1], got `-Infinity` (number)',
    ],
    ['1', TypeError, 'Expected `x` (observation index 0) to be a number, got `"1"` (string)'],
    [undefined, TypeError, 'Expected `x` (observation index 0) to be a number, got `undefined` (undefined)'],
  ] as const)('push(%s) throws %o', (x, ErrorClass, message) => {
    const cs = createConfidenceSequence();
    expect(() => cs.push(x as unknown as number)).toThrow(ErrorClass);
    expect(() => cs.push(x as unknown as number)).toThrow(message);
  });
});

// Honesty: what the time-uniform guarantee buys over peeking at a fixed-n interval. Seeded and deterministic.
const RUNS = 2000;
const N_MAX = 500;
const ALPHA = 0.05;
/**
 * Binomial allowance for a rate estimated from RUNS runs whose true value is at most p: p + 3 sd with
 * sd = sqrt(p (1 - p) / RUNS). If the true rate were exactly p, a seed would exceed it with probability ~0.13%
 * (normal approximation to Binomial(RUNS, p), which is good here: RUNS p = 50 for p = 0.025).
 */
const allowance = (p: number): number => p + 3 * Math.sqrt((p * (1 - p)) / RUNS);

const bernoulli = (rng: _Rng, p: number): number => (_uniform(rng) < p ? 1 : 0);

describe('honesty simulations', () => {
  it('optional stopping at a threshold equal to the true mean: PrPl-EB keeps <= alpha/2, peeking at Wald does not', () => {
    // True mean exactly 0.7 = the gate's threshold, so every "lower bound >= 0.7" is a false pass.
    const threshold = 0.7;
    const z = _normPpf(1 - ALPHA / 2);
    const rng = _createRng('cs-honesty-optional-stopping');
    const x = new Float64Array(N_MAX);
    let csPasses = 0;
    let waldPasses = 0;
    for (let run = 0; run < RUNS; run++) {
      for (let i = 0; i < N_MAX; i++) x[i] = bernoulli(rng, threshold);
      // Confidence sequence, looked at after every observation, stopping at the first pass.
      const cs = createConfidenceSequence({ confidence: 1 - ALPHA });
      for (let i = 0; i < N_MAX; i++) {
        if (cs.push(x[i]).lower >= threshold) {
          csPasses++;
          break;
        }
      }
      // Fixed-n 95% Wald interval recomputed every 50 rows, stopping at the first pass.
      let sum = 0;
      for (let i = 0; i < N_MAX; i++) {
        sum += x[i];
        const n = i + 1;
        if (n % 50 !== 0) continue;
        const p = sum / n;
        if (p - z * Math.sqrt((p * (1 - p)) / n) >= threshold) {
          waldPasses++;
          break;
        }
      }
    }
    const csRate = csPasses / RUNS;
    const waldRate = waldPasses / RUNS;
    console.log(
      `false-pass rate over ${RUNS} runs of n <= ${N_MAX} at mean = threshold 0.7: PrPl-EB looked at after every row ${csRate}, ` +
        `fixed-n 95% Wald looked at every 50 rows ${waldRate} (nominal alpha/2 = ${ALPHA / 2}, allowance ${allowance(ALPHA / 2).toFixed(4)})`,
    );
    expect(csRate, `PrPl-EB false-pass rate ${csRate}`).toBeLessThanOrEqual(allowance(ALPHA / 2));
    // Peeking at a fixed-n interval breaks its level: the rate is far above alpha/2 -- beyond the allowance of a
    // rate at alpha/2, and at least twice alpha/2.
    expect(waldRate, `Wald peeking false-pass rate ${waldRate}`).toBeGreaterThan(allowance(ALPHA / 2));
    expect(waldRate).toBeGreaterThanOrEqual(2 * (ALPHA / 2));
    expect(waldRate).toBeGreaterThan(4 * csRate);
  });

  /** Fraction of runs whose running interval covers `mu` at every time <= n. */
  function uniformCoverage(
    draw: (rng: _Rng, x: Float64Array) => void,
    n: number,
    mu: number,
    options: ConfidenceSequenceOptions,
    seed: string,
    runs: number,
  ): number {
    const rng = _createRng(seed);
    const x = new Float64Array(n);
    let covered = 0;
    for (let run = 0; run < runs; run++) {
      draw(rng, x);
      const r = confidenceSequence(x, options);
      // With the running intersection the intervals are nested, so covering at every t is covering at t = n;
      // all times are checked anyway, so this does not lean on the nesting.
      let ok = true;
      for (let i = 0; i < n && ok; i++) ok = r.lower[i] <= mu && mu <= r.upper[i];
      if (ok) covered++;
    }
    return covered / runs;
  }

  it.each([
    {
      name: 'Bernoulli(0.7) on [0, 1]',
      mu: 0.7,
      options: {},
      draw: (rng: _Rng, x: Float64Array) => {
        for (let i = 0; i < x.length; i++) x[i] = bernoulli(rng, 0.7);
      },
    },
    {
      name: 'U^2 (mean 1/3, skewed, continuous) on [0, 1]',
      mu: 1 / 3,
      options: {},
      draw: (rng: _Rng, x: Float64Array) => {
        for (let i = 0; i < x.length; i++) x[i] = _uniform(rng) ** 2;
      },
    },
    {
      name: 'Likert 1-5 with P = (0.1, 0.1, 0.2, 0.3, 0.3) on bounds [1, 5]',
      mu: 0.1 * 1 + 0.1 * 2 + 0.2 * 3 + 0.3 * 4 + 0.3 * 5,
      options: { bounds: [1, 5] as const },
      draw: (rng: _Rng, x: Float64Array) => {
        for (let i = 0; i < x.length; i++) {
          const u = _uniform(rng);
          x[i] = u < 0.1 ? 1 : u < 0.2 ? 2 : u < 0.4 ? 3 : u < 0.7 ? 4 : 5;
        }
      },
    },
  ])('coverage at every time <= 500 is >= 95%: $name', ({ name, mu, options, draw }) => {
    const c = uniformCoverage(draw, N_MAX, mu, options, `cs-coverage-${name}`, 1000);
    console.log(`PrPl-EB 95% time-uniform coverage, ${name}, n <= ${N_MAX}, 1000 runs: ${c}`);
    expect(c, `coverage ${c}`).toBeGreaterThanOrEqual(0.95);
  });

  it('coverage at every time <= N is >= 95% when sampling without replacement from a population of N = 400', () => {
    const N = 400;
    const pop = new Float64Array(N);
    const popRng = _createRng('cs-coverage-population');
    for (let i = 0; i < N; i++) pop[i] = bernoulli(popRng, 0.3) * 0.5 + _uniform(popRng) * 0.5;
    let mu = 0;
    for (const v of pop) mu += v;
    mu /= N;
    const c = uniformCoverage(
      (rng, x) => {
        // A uniformly random order of the population (Fisher-Yates).
        x.set(pop);
        for (let i = N - 1; i > 0; i--) {
          const j = Math.floor(_uniform(rng) * (i + 1));
          const t = x[i];
          x[i] = x[j];
          x[j] = t;
        }
      },
      N,
      mu,
      { population: N },
      'cs-coverage-wor',
      1000,
    );
    console.log(`PrPl-EB 95% time-uniform coverage without replacement, N = ${N}, 1000 runs: ${c}`);
    expect(c, `coverage ${c}`).toBeGreaterThanOrEqual(0.95);
    // Knowing N tightens the end of the sequence: at t = N the interval is narrower than the i.i.d. one.
    const order = new Float64Array(pop);
    const wor = confidenceSequence(order, { population: N });
    const iid = confidenceSequence(order);
    expect(wor.upper[N - 1] - wor.lower[N - 1]).toBeLessThan(iid.upper[N - 1] - iid.lower[N - 1]);
  });
});
