/**
 * Sample-size planning for paired comparisons (McNemar, paired t) and its inverse, the minimum detectable effect.
 * @module
 */
import { _describe } from '../_internal/describe.js';
import {
  _checkChoice,
  _checkInteger,
  _checkNumberInRange,
  _checkOptions,
  _checkOptionsObject,
} from '../_internal/validate.js';
import { _lgamma, _normCdf, _normPpf, _tPpf } from './_internal/special.js';
import type { Alternative } from './types.js';

/** Assumptions shared by {@link sampleSize} and {@link minimumDetectableEffect}. */
export interface PowerAssumptions {
  /** 'mcnemar' (paired binary outcomes) or 'paired-t' (paired continuous scores). */
  readonly test: 'mcnemar' | 'paired-t';
  /** Significance level, in (0, 1). @default 0.05 */
  readonly alpha?: number;
  /** Target power 1 - beta, in (0, 1). @default 0.8 */
  readonly power?: number;
  /** 'two-sided' uses alpha/2 in each tail; 'less' / 'greater' a one-sided test at alpha. @default 'two-sided' */
  readonly alternative?: Alternative;
  /** McNemar: the baseline's accuracy p1, in (0, 1). Required for 'mcnemar'. */
  readonly baseline?: number;
  /**
   * McNemar: assumed discordance rate psi = P(the two systems disagree on an example), in (0, 1]. Takes precedence
   * over `correlation`.
   */
  readonly discordance?: number;
  /**
   * McNemar: assumed phi correlation between the two systems' 0/1 outcomes, in [-1, 1]; the discordance follows
   * from it and the two accuracies. @default 0 (independent errors: conservative when systems err on the same examples)
   */
  readonly correlation?: number;
  /**
   * Paired t: standard deviation of the paired differences. When given, effects are in metric units; otherwise
   * they are standardized (Cohen's d_z).
   */
  readonly sd?: number;
}

/** Options of {@link sampleSize}. */
export interface SampleSizeOptions extends PowerAssumptions {
  /**
   * The difference to detect, > 0: McNemar: candidate accuracy - baseline accuracy (absolute, e.g. 0.05);
   * paired t: mean difference (d_z units, or metric units with `sd`).
   */
  readonly minDetectableEffect: number;
}

/** Options of {@link minimumDetectableEffect}. */
export interface MinimumDetectableEffectOptions extends PowerAssumptions {
  /** Number of paired examples. Integer, minimum `2`. */
  readonly n: number;
}

const POWER_KEY_SET = {
  test: true,
  alpha: true,
  power: true,
  alternative: true,
  baseline: true,
  discordance: true,
  correlation: true,
  sd: true,
} satisfies Record<keyof PowerAssumptions, true>;
const SAMPLE_SIZE_KEYS = Object.keys({ ...POWER_KEY_SET, minDetectableEffect: true } satisfies Record<
  keyof SampleSizeOptions,
  true
>);
const MINIMUM_DETECTABLE_EFFECT_KEYS = Object.keys({ ...POWER_KEY_SET, n: true } satisfies Record<
  keyof MinimumDetectableEffectOptions,
  true
>);

/** A power calculation, frozen and self-describing. */
export interface PowerResult {
  readonly test: 'mcnemar' | 'paired-t';
  /** 'connor-1987' (McNemar, normal approximation) or 'noncentral-t' (exact power of the paired t-test). */
  readonly method: 'connor-1987' | 'noncentral-t';
  /** Paired examples: the smallest integer reaching the power (sampleSize), or the given n. */
  readonly n: number;
  /** McNemar: the unrounded Connor n for this effect. Paired t: equal to n. */
  readonly nExact: number;
  /** The effect (as in `minDetectableEffect`). */
  readonly effect: number;
  /** Power achieved at (n, effect). */
  readonly power: number;
  readonly alpha: number;
  readonly alternative: Alternative;
  /** McNemar: the discordance rate used. */
  readonly discordance?: number;
  /** Paired t: the effect in d_z units. */
  readonly dz?: number;
}

/**
 * Paired examples needed to detect a given difference with a given power.
 *
 * Algorithm. McNemar (Connor 1987): with baseline accuracy p1, candidate accuracy p2 = p1 + delta and discordance
 * psi = p10 + p01 (given, or derived from the phi correlation rho: p11 = p1 p2 + rho sqrt(p1 q1 p2 q2),
 * psi = p1 + p2 - 2 p11), n = [z_{1-a} sqrt(psi) + z_{1-b} sqrt(psi - delta^2)]^2 / delta^2 with a = alpha/2
 * two-sided; `n` is its ceiling. Paired t: exact power from the noncentral t distribution,
 * power = P(T'_{n-1, d sqrt n} > t_{crit}) (+ the lower tail two-sided), with P(T' > c) = E[Phi(ncp - c S)],
 * S = sqrt(chi2_{n-1}/(n-1)), integrated numerically (composite Simpson, 4096 panels over +-14 sd of S); `n` is the
 * smallest integer >= 2 whose power reaches the target.
 *
 * @param options - `test`, `minDetectableEffect`, `alpha` (0.05), `power` (0.8), `alternative` ('two-sided');
 *   McNemar: `baseline` (required), `discordance` or `correlation` (0); paired t: `sd` (optional).
 * @returns A frozen {@link PowerResult}.
 * @throws TypeError for wrong types or an unknown `test`; RangeError for values out of range, a `baseline` missing
 *   for McNemar, or assumptions that are impossible (discordance below the effect, p2 > 1).
 * @example
 * ```ts
 * sampleSize({ test: 'mcnemar', baseline: 0.7, minDetectableEffect: 0.05, discordance: 0.2 }).n; // => 626
 * sampleSize({ test: 'paired-t', minDetectableEffect: 0.5 }).n; // => 34
 * ```
 *
 * References: R. J. Connor (1987), Sample size for testing differences in proportions for the paired-sample
 * design, Biometrics 43(1), doi:10.2307/2531443; J. Cohen (1988), doi:10.4324/9780203771587 (d_z and power of t);
 * R. V. Lenth (1989), Algorithm AS 243, doi:10.2307/2347982 (noncentral t).
 */
export function sampleSize(options: SampleSizeOptions): PowerResult {
  _checkOptions('sampleSize', options, SAMPLE_SIZE_KEYS);
  const o = _checkAssumptions(options);
  const effect = _checkNumberInRange(
    'minDetectableEffect',
    options.minDetectableEffect,
    0,
    Number.POSITIVE_INFINITY,
  );
  if (o.test === 'mcnemar') {
    const psi = _discordance(o, effect);
    const nExact = _connorN(effect, psi, o.zAlpha, o.zBeta);
    const n = Math.max(1, Math.ceil(nExact - 1e-9));
    return Object.freeze({
      test: 'mcnemar' as const,
      method: 'connor-1987' as const,
      n,
      nExact,
      effect,
      power: _connorPower(n, effect, psi, o.zAlpha),
      alpha: o.alpha,
      alternative: o.alternative,
      discordance: psi,
    });
  }
  const dz = effect / o.sd;
  // Exponential then binary search for the smallest n with power >= target (power increases with n).
  let hi = 2;
  while (_tPower(hi, dz, o) < o.power) {
    hi *= 2;
    if (hi > 2 ** 40)
      throw new RangeError(`Expected \`minDetectableEffect\` to be detectable, got ${_describe(effect)}`);
  }
  let lo = Math.max(2, Math.floor(hi / 2));
  if (_tPower(lo, dz, o) >= o.power) hi = lo;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (_tPower(mid, dz, o) >= o.power) hi = mid;
    else lo = mid;
  }
  return Object.freeze({
    test: 'paired-t' as const,
    method: 'noncentral-t' as const,
    n: hi,
    nExact: hi,
    effect,
    power: _tPower(hi, dz, o),
    alpha: o.alpha,
    alternative: o.alternative,
    dz,
  });
}

/**
 * Smallest difference detectable with `n` paired examples at the given alpha and power (inverse of {@link sampleSize}).
 *
 * Algorithm: solves power(n, effect) = target for the effect by bisection, with the power functions of
 * {@link sampleSize} (Connor's formula taken as exact in n for McNemar; the noncentral t power for paired t).
 * Round trip: `sampleSize({ ..., minDetectableEffect: minimumDetectableEffect({ ..., n }).effect }).n <= n`.
 *
 * @param options - `test`, `n`, `alpha` (0.05), `power` (0.8), `alternative` ('two-sided'); McNemar: `baseline`,
 *   `discordance` or `correlation` (0); paired t: `sd` (optional).
 * @returns A frozen {@link PowerResult} whose `effect` is the minimum detectable effect.
 * @throws TypeError / RangeError as {@link sampleSize}; RangeError when `n` < 2.
 * @example
 * ```ts
 * minimumDetectableEffect({ test: 'paired-t', n: 34 }).effect; // => 0.49502809797346004 (d_z)
 * ```
 *
 * References: R. J. Connor (1987), doi:10.2307/2531443; J. Cohen (1988), doi:10.4324/9780203771587.
 */
export function minimumDetectableEffect(options: MinimumDetectableEffectOptions): PowerResult {
  _checkOptions('minimumDetectableEffect', options, MINIMUM_DETECTABLE_EFFECT_KEYS);
  const o = _checkAssumptions(options);
  const n = _checkInteger('n', options.n, 2);
  if (o.test === 'mcnemar') {
    const p1 = o.baseline;
    // Connor's n decreases with the effect; bisection on (0, upper] for n_connor(effect) = n.
    // Realizable effects: p2 = p1 + effect <= 1 and effect <= psi (p01 - p10 <= p01 + p10).
    let hiE = o.discordanceGiven === undefined ? 1 - p1 : Math.min(o.discordanceGiven, 1 - p1);
    if (hiE <= 0)
      throw new RangeError(`Expected \`baseline\` to leave room for an improvement, got ${_describe(p1)}`);
    // With a correlation assumption, large effects can be unattainable (p11 > min(p1, p2)): shrink to the largest
    // attainable one (attainability is monotone in the effect).
    if (!_attainable(o, hiE)) {
      let ok = 0;
      let bad = hiE;
      for (let i = 0; i < 200 && bad - ok > 1e-15; i++) {
        const mid = (ok + bad) / 2;
        if (_attainable(o, mid)) ok = mid;
        else bad = mid;
      }
      hiE = ok;
    }
    let loE = 0;
    const nAt = (e: number) => _connorN(e, _discordance(o, e), o.zAlpha, o.zBeta);
    if (nAt(hiE) > n) {
      throw new RangeError(
        `Expected \`n\` to be large enough to detect any improvement over the baseline under these assumptions, got ${_describe(n)}`,
      );
    }
    for (let i = 0; i < 200 && hiE - loE > 1e-15 * hiE; i++) {
      const mid = (loE + hiE) / 2;
      if (nAt(mid) > n) loE = mid;
      else hiE = mid;
    }
    const psi = _discordance(o, hiE);
    return Object.freeze({
      test: 'mcnemar' as const,
      method: 'connor-1987' as const,
      n,
      nExact: nAt(hiE),
      effect: hiE,
      power: _connorPower(n, hiE, psi, o.zAlpha),
      alpha: o.alpha,
      alternative: o.alternative,
      discordance: psi,
    });
  }
  let hiD = 1;
  while (_tPower(n, hiD, o) < o.power) hiD *= 2;
  let loD = 0;
  for (let i = 0; i < 200 && hiD - loD > 1e-13 * hiD; i++) {
    const mid = (loD + hiD) / 2;
    if (_tPower(n, mid, o) >= o.power) hiD = mid;
    else loD = mid;
  }
  return Object.freeze({
    test: 'paired-t' as const,
    method: 'noncentral-t' as const,
    n,
    nExact: n,
    effect: hiD * o.sd,
    power: _tPower(n, hiD, o),
    alpha: o.alpha,
    alternative: o.alternative,
    dz: hiD,
  });
}

interface _Checked {
  readonly test: 'mcnemar' | 'paired-t';
  readonly alpha: number;
  readonly power: number;
  readonly alternative: Alternative;
  readonly zAlpha: number;
  readonly zBeta: number;
  readonly baseline: number;
  readonly discordanceGiven: number | undefined;
  readonly correlation: number;
  readonly sd: number;
}

function _checkAssumptions(options: PowerAssumptions): _Checked {
  if (options === undefined || options === null || typeof options !== 'object')
    throw new TypeError(`Expected \`options\` to be an options object, got ${_describe(options)}`);
  _checkOptionsObject('options', options);
  const test = _checkChoice('test', options.test, ['mcnemar', 'paired-t'] as const);
  const alpha = _checkNumberInRange('alpha', options.alpha ?? 0.05, 0, 1);
  const power = _checkNumberInRange('power', options.power ?? 0.8, 0, 1);
  const alternative = _checkChoice('alternative', options.alternative ?? 'two-sided', [
    'two-sided',
    'less',
    'greater',
  ] as const);
  const tailAlpha = alternative === 'two-sided' ? alpha / 2 : alpha;
  let baseline = Number.NaN;
  let discordanceGiven: number | undefined;
  let correlation = 0;
  let sd = 1;
  if (test === 'mcnemar') {
    if (options.baseline === undefined)
      throw new RangeError(
        'Expected `baseline` (the baseline accuracy) to be a number in (0, 1), got `undefined` (undefined)',
      );
    baseline = _checkNumberInRange('baseline', options.baseline, 0, 1);
    if (options.discordance !== undefined)
      discordanceGiven = _checkNumberInRange('discordance', options.discordance, 0, 1, '(]');
    if (options.correlation !== undefined)
      correlation = _checkNumberInRange('correlation', options.correlation, -1, 1, '[]');
  } else if (options.sd !== undefined)
    sd = _checkNumberInRange('sd', options.sd, 0, Number.POSITIVE_INFINITY);
  return {
    test,
    alpha,
    power,
    alternative,
    zAlpha: -_normPpf(tailAlpha),
    zBeta: _normPpf(power),
    baseline,
    discordanceGiven,
    correlation,
    sd,
  };
}

/** Whether an effect is compatible with the assumptions (no throw from _discordance). */
function _attainable(o: _Checked, effect: number): boolean {
  try {
    _discordance(o, effect);
    return true;
  } catch {
    return false;
  }
}

/** Discordance psi for an effect: the given one, or the one implied by the phi correlation. */
function _discordance(o: _Checked, effect: number): number {
  const p1 = o.baseline;
  const p2 = p1 + effect;
  if (p2 > 1)
    throw new RangeError(
      `Expected \`minDetectableEffect\` to keep the candidate accuracy baseline + effect <= 1, got ${_describe(effect)}`,
    );
  let psi: number;
  if (o.discordanceGiven !== undefined) psi = o.discordanceGiven;
  else {
    const p11 = p1 * p2 + o.correlation * Math.sqrt(p1 * (1 - p1) * p2 * (1 - p2));
    psi = p1 + p2 - 2 * p11;
    if (p11 < 0 || p11 > Math.min(p1, p2) || psi <= 0)
      throw new RangeError(
        `Expected \`correlation\` to be attainable for accuracies ${p1} and ${p2}, got ${_describe(o.correlation)}`,
      );
  }
  if (psi < effect)
    throw new RangeError(
      `Expected \`discordance\` to be at least the effect ${effect} (p10 + p01 >= |p01 - p10|), got ${_describe(psi)}`,
    );
  return psi;
}

/** Connor (1987) sample size. */
function _connorN(delta: number, psi: number, zAlpha: number, zBeta: number): number {
  const s = zAlpha * Math.sqrt(psi) + zBeta * Math.sqrt(Math.max(0, psi - delta * delta));
  return (s * s) / (delta * delta);
}

/** Power of McNemar's test at n under Connor's approximation (the inverse of _connorN in the power). */
function _connorPower(n: number, delta: number, psi: number, zAlpha: number): number {
  const v = Math.sqrt(psi - delta * delta);
  if (v === 0) return 1;
  return _normCdf((delta * Math.sqrt(n) - zAlpha * Math.sqrt(psi)) / v);
}

/** Power of the paired t-test with n pairs and standardized effect dz, through the noncentral t distribution. */
function _tPower(n: number, dz: number, o: _Checked): number {
  const df = n - 1;
  const ncp = dz * Math.sqrt(n);
  if (o.alternative === 'two-sided') {
    const c = _tPpf(1 - o.alpha / 2, df);
    return _nctSf(c, df, ncp) + _nctSf(c, df, -ncp);
  }
  // One-sided at alpha; the sign of the alternative is immaterial for a positive effect in the tested direction.
  return _nctSf(_tPpf(1 - o.alpha, df), df, ncp);
}

/** 16-point Gauss-Legendre nodes and weights on [-1, 1], by Newton's method on the Legendre polynomial. */
const GL = (() => {
  const m = 16;
  const x = new Float64Array(m);
  const w = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (m + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1;
      let p1 = z;
      for (let k = 2; k <= m; k++) {
        const p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = (m * (z * p1 - p0)) / (z * z - 1);
      const step = p1 / dp;
      z -= step;
      if (Math.abs(step) < 1e-16) break;
    }
    x[i] = z;
    w[i] = 2 / ((1 - z * z) * dp * dp);
  }
  return { x, w };
})();

/**
 * Noncentral t upper tail P(T' > c), T' = (Z + ncp)/S with S = sqrt(chi2_df/df): E[Phi(ncp - c S)] integrated over
 * the density of S by composite 16-point Gauss-Legendre (128 panels over the region holding all but e^-98 of its
 * mass). Agrees with mpmath to ~1e-12; scipy 1.17.1's nct.sf is itself off by up to 3e-5 relative below 1e-9.
 */
export function _nctSf(c: number, df: number, ncp: number): number {
  const sd = 1 / Math.sqrt(2 * df);
  const lo = Math.max(0, 1 - 14 * sd);
  const hi = 1 + 14 * sd + 6 / df; // the chi distribution is right-skewed for small df
  const panels = 128;
  const h = (hi - lo) / panels;
  const logC = Math.LN2 + (df / 2) * Math.log(df / 2) - _lgamma(df / 2);
  let sum = 0;
  for (let k = 0; k < panels; k++) {
    const mid = lo + (k + 0.5) * h;
    for (let i = 0; i < GL.x.length; i++) {
      const s = mid + 0.5 * h * GL.x[i];
      const dens = Math.exp(logC + (df - 1) * Math.log(s) - (df * s * s) / 2);
      sum += GL.w[i] * dens * _normCdf(ncp - c * s);
    }
  }
  return Math.min(1, Math.max(0, 0.5 * h * sum));
}
