import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { _nctSf, minimumDetectableEffect, sampleSize } from '../../src/stats/sampleSize.js';
import { expectRel } from './_rel.js';

// References from test/stats/fixtures/generate.py: scipy 1.17.1 nct / norm, mpmath 1.3.0 for deep nct tails.
interface NctRow {
  c: number;
  df: number;
  ncp: number;
  sf: number;
  sf_mpmath?: number;
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/scipy-cases.json', import.meta.url), 'utf8')) as {
  nct: NctRow[];
  power: {
    paired_t: { n: number; dz: number; alpha: number; alternative: 'two-sided' | 'greater'; power: number }[];
    connor: {
      baseline: number;
      effect: number;
      discordance: number;
      alpha: number;
      power: number;
      n: number;
    }[];
  };
};

describe('noncentral t tail used for paired-t power', () => {
  it('matches scipy.stats.nct.sf to 1e-9 (mpmath where scipy is inexact, sf < 1e-6)', () => {
    for (const r of fx.nct) expectRel(_nctSf(r.c, r.df, r.ncp), r.sf_mpmath ?? r.sf, 1e-9, JSON.stringify(r));
  });
});

describe('sampleSize', () => {
  it.each(fx.power.connor)('McNemar (Connor 1987) %j', (c) => {
    const r = sampleSize({
      test: 'mcnemar',
      baseline: c.baseline,
      minDetectableEffect: c.effect,
      discordance: c.discordance,
      alpha: c.alpha,
      power: c.power,
    });
    expectRel(r.nExact, c.n, 1e-12);
    expect(r.n).toBe(Math.ceil(c.n));
    expect(r.method).toBe('connor-1987');
    expect(r.power).toBeGreaterThanOrEqual(c.power);
  });
  it.each(fx.power.paired_t)('paired t: power at (n, d_z) matches scipy nct %j', (c) => {
    const r = minimumDetectableEffect({
      test: 'paired-t',
      n: c.n,
      alpha: c.alpha,
      alternative: c.alternative,
      power: c.power,
    });
    // The effect detectable with power c.power at n is c.dz (the fixture computed the power at c.dz).
    expectRel(r.dz as number, c.dz, 1e-9);
  });
  it('paired t: d_z = 0.5 needs 34 pairs at alpha 0.05, power 0.8 (G*Power, Cohen 1988)', () => {
    const r = sampleSize({ test: 'paired-t', minDetectableEffect: 0.5 });
    expect(r.n).toBe(34);
    expect(r.power).toBeGreaterThanOrEqual(0.8);
    expect(sampleSize({ test: 'paired-t', minDetectableEffect: 0.5 * 33 }).n).toBeLessThanOrEqual(3);
    // Raw units with sd: the same design.
    expect(sampleSize({ test: 'paired-t', minDetectableEffect: 2, sd: 4 }).n).toBe(34);
  });
  it('McNemar with a correlation assumption: higher correlation, fewer discordant pairs, smaller n', () => {
    const n0 = sampleSize({ test: 'mcnemar', baseline: 0.7, minDetectableEffect: 0.05 }).n;
    const n5 = sampleSize({ test: 'mcnemar', baseline: 0.7, minDetectableEffect: 0.05, correlation: 0.5 }).n;
    expect(n5).toBeLessThan(n0);
    const r = sampleSize({ test: 'mcnemar', baseline: 0.7, minDetectableEffect: 0.05, correlation: 0 });
    // independence: psi = p1 + p2 - 2 p1 p2
    expectRel(r.discordance as number, 0.7 + 0.75 - 2 * 0.7 * 0.75, 1e-12);
  });
});

describe('round trips (property): minimumDetectableEffect inverts sampleSize', () => {
  const designs = [
    { test: 'mcnemar', baseline: 0.7, discordance: 0.25 },
    { test: 'mcnemar', baseline: 0.55, correlation: 0.3 },
    { test: 'mcnemar', baseline: 0.9, discordance: 0.08, alpha: 0.01, power: 0.9 },
    { test: 'paired-t' },
    { test: 'paired-t', sd: 0.3, alternative: 'greater' },
    { test: 'paired-t', alpha: 0.01, power: 0.95 },
  ] as const;
  it.each(designs)('%j', (design) => {
    const ns = design.test === 'mcnemar' ? [400, 1234, 5000] : [20, 57, 150, 400, 1234];
    for (const n of ns) {
      const mde = minimumDetectableEffect({ ...design, n });
      expect(mde.power).toBeGreaterThanOrEqual((design as { power?: number }).power ?? 0.8);
      const back = sampleSize({ ...design, minDetectableEffect: mde.effect });
      // n is the smallest sample reaching the power for that effect: at most the n we started from, and the
      // effect detectable with one pair fewer is larger.
      expect(back.n).toBeLessThanOrEqual(n);
      expect(back.n).toBeGreaterThanOrEqual(n - 1);
      const mdeFewer = minimumDetectableEffect({ ...design, n: n - 1 });
      expect(mdeFewer.effect).toBeGreaterThan(mde.effect);
    }
  });
});

describe('sampleSize / minimumDetectableEffect bad input', () => {
  it.each([
    [
      { test: 'mcnemar', minDetectableEffect: 0.05 },
      RangeError,
      'Expected `baseline` (the baseline accuracy) to be a number in (0, 1), got `undefined` (undefined)',
    ],
    [
      { test: 'anova', minDetectableEffect: 0.05 },
      TypeError,
      "Expected `test` to be one of 'mcnemar' | 'paired-t', got `\"anova\"` (string)",
    ],
    [
      { test: 'paired-t', minDetectableEffect: -1 },
      RangeError,
      'Expected `minDetectableEffect` to be a number in (0, Infinity), got `-1` (number)',
    ],
    [
      { test: 'paired-t', minDetectableEffect: 0.5, power: 1 },
      RangeError,
      'Expected `power` to be a number in (0, 1), got `1` (number)',
    ],
    [
      { test: 'mcnemar', baseline: 0.7, minDetectableEffect: 0.1, discordance: 0.05 },
      RangeError,
      'Expected `discordance` to be at least the effect 0.1',
    ],
    [{ test: 'mcnemar', baseline: 0.95, minDetectableEffect: 0.1 }, RangeError, 'baseline + effect <= 1'],
  ])('%j', (opts, Err, msg) => {
    expect(() => sampleSize(opts as never)).toThrow(Err);
    expect(() => sampleSize(opts as never)).toThrow(msg);
  });
  it('n below 2', () => {
    expect(() => minimumDetectableEffect({ test: 'paired-t', n: 1 })).toThrow(
      'Expected `n` to be an integer >= 2, got `1` (number)',
    );
  });
});
