/**
 * Rogan–Gladen corrected prevalence for a binary judge, with a delta-method interval over both samples.
 * @module
 */
import { _describe } from '../_internal/describe.js';
import { _checkNumberInRange, _checkNumericArray, _checkOptions } from '../_internal/validate.js';
import { _clopperPearson } from './_internal/clopperPearson.js';
import { _normPpf } from './_internal/special.js';
import type { LabeledPairs } from './ppiMean.js';

/** Options of {@link roganGladen}. */
export interface RoganGladenOptions {
  /** Confidence level of the two-sided interval, in (0, 1). @default 0.95 */
  readonly confidence?: number;
}

const ROGAN_GLADEN_KEYS = Object.keys({ confidence: true } satisfies Record<keyof RoganGladenOptions, true>);

/** Result of {@link roganGladen}. */
export interface RoganGladenResult {
  /** Corrected prevalence, clipped to [0, 1]. */
  readonly estimate: number;
  /** The unclipped Rogan–Gladen value (can leave [0, 1] by sampling error). */
  readonly raw: number;
  readonly ci: {
    readonly low: number;
    readonly high: number;
    readonly level: number;
    /**
     * `rogan-gladen-delta`: the delta-method interval; `rogan-gladen-delta-exact`: widened to hold the exact
     * range as well, because the unlabeled judge rate is 0 or 1 or the delta-method variance is 0 (see
     * {@link roganGladen}).
     */
    readonly method: 'rogan-gladen-delta' | 'rogan-gladen-delta-exact';
  };
  /** Delta-method standard error of `raw`. */
  readonly stderr: number;
  /** Judge's sensitivity (true positive rate) on the labeled items. */
  readonly sensitivity: number;
  /** Judge's specificity (true negative rate) on the labeled items. */
  readonly specificity: number;
  /** Share of judge positives on the unlabeled items. */
  readonly judgeRate: number;
  readonly n: number;
  readonly N: number;
  /** Set when the judge is no better than chance (sensitivity + specificity <= 1): no estimate. */
  readonly note?: string;
}

function _checkBinary(name: string, x: Float64Array): void {
  for (let i = 0; i < x.length; i++)
    if (x[i] !== 0 && x[i] !== 1)
      throw new RangeError(`Expected \`${name}[${i}]\` to be 0 or 1, got ${_describe(x[i])}`);
}

/**
 * Prevalence of the human label corrected for a binary judge's errors (Rogan & Gladen 1978), with an interval
 * that accounts for the sampling of both the labeled set (which estimates the judge's sensitivity and
 * specificity) and the unlabeled set (which estimates the judge's positive rate).
 *
 * Algorithm: on the labeled items, sensitivity se = TP/(TP + FN) and specificity sp = TN/(TN + FP); on the
 * unlabeled items, the judge's positive rate p. The corrected prevalence is (p + sp - 1)/(se + sp - 1). Its
 * variance comes from the delta method over the three independent binomial proportions (Greenland 1996):
 * [p(1 - p)/N + pi^2 se(1 - se)/n_pos + (1 - pi)^2 sp(1 - sp)/n_neg] / (se + sp - 1)^2, so the interval widens
 * with few labels as well as with few unlabeled items (a bootstrap of the labeled set alone, as some tools do,
 * misses the second term). Each binomial variance x(1 - x)/m vanishes when x is 0 or 1 (the Wald interval's
 * failure): one unlabeled item was taken as a known rate, and a judge with specificity 1 saying 0 on every
 * unlabeled item gave [0, 0] whatever the counts (a judge perfect on 10 labels and 50 unlabeled verdicts of 0 at a
 * true prevalence of 0.01 was covered 66% of the time at 95%). When p is 0 or 1, or the whole variance is 0, the
 * interval also holds the range of the prevalence over the box of the three Clopper-Pearson intervals, each at
 * level 1 - (1 - confidence)/3 (Bonferroni; the prevalence is linear-fractional, so its extremes are at the box's
 * corners), or [0, 1] when se + sp - 1 reaches 0 in that box; `ci.method` says so (a sensitivity or specificity
 * of 1 alone keeps the delta method, whose coverage stayed near the level there in simulation). The estimate and
 * the bounds are clipped to [0, 1]. For a judge no better than chance
 * (se + sp <= 1) the correction is undefined: NaN with a `note`. ppiMean gives a comparable, assumption-light
 * answer for any metric; Rogan–Gladen is the classical form for binary judges.
 *
 * @param labeled - `{ human, judge }`: 0/1 labels on the labeled items (both classes present in `human`).
 * @param unlabeledJudge - The judge's 0/1 verdicts on the unlabeled items.
 * @param options - `confidence` (default 0.95).
 * @returns A frozen {@link RoganGladenResult}.
 * @throws TypeError for non-numeric inputs; RangeError for values other than 0/1, unequal lengths, a labeled
 *   set without both classes, or `confidence` outside (0, 1).
 * @example
 * ```ts
 * const human = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0];
 * const judge = [1, 1, 1, 0, 1, 0, 0, 0, 0, 0]; // se = 0.75, sp = 5/6
 * roganGladen({ human, judge }, [1, 0, 0, 1, 0, 0, 0, 1, 0, 0]).estimate; // => 0.22857142857142845 (judge rate 0.3)
 * ```
 *
 * References: W. J. Rogan, B. Gladen (1978), Estimating prevalence from the results of a screening test,
 * doi:10.1093/oxfordjournals.aje.a112510; S. Greenland (1996), Basic methods for sensitivity analysis of biases,
 * doi:10.1093/ije/25.6.1107; M. Lang, A. Reiczigel (2014), Confidence limits for prevalence of disease adjusted
 * for estimated sensitivity and specificity, doi:10.1016/j.prevetmed.2013.09.015.
 */
export function roganGladen(
  labeled: LabeledPairs,
  unlabeledJudge: readonly number[] | Float64Array,
  options: RoganGladenOptions = {},
): RoganGladenResult {
  _checkOptions('roganGladen', options, ROGAN_GLADEN_KEYS);
  if (labeled === null || typeof labeled !== 'object')
    throw new TypeError(`Expected \`labeled\` to be an object { human, judge }, got ${_describe(labeled)}`);
  const human = _checkNumericArray('human', labeled.human, 1);
  const judge = _checkNumericArray('judge', labeled.judge, 1);
  if (judge.length !== human.length)
    throw new RangeError(
      `Expected \`judge\` to have the same length as \`human\` (${human.length}), got ${_describe(labeled.judge)}`,
    );
  const unlabeled = _checkNumericArray('unlabeledJudge', unlabeledJudge, 1);
  _checkBinary('human', human);
  _checkBinary('judge', judge);
  _checkBinary('unlabeledJudge', unlabeled);
  const confidence =
    options.confidence === undefined ? 0.95 : _checkNumberInRange('confidence', options.confidence, 0, 1);
  let tp = 0;
  let fn = 0;
  let tn = 0;
  let fp = 0;
  for (let i = 0; i < human.length; i++) {
    if (human[i] === 1) {
      if (judge[i] === 1) tp++;
      else fn++;
    } else if (judge[i] === 0) tn++;
    else fp++;
  }
  const nPos = tp + fn;
  const nNeg = tn + fp;
  if (nPos === 0 || nNeg === 0)
    throw new RangeError(
      `Expected the labeled set to contain both human classes (0 and 1), got ${nPos} positives and ${nNeg} negatives`,
    );
  const se = tp / nPos;
  const sp = tn / nNeg;
  let pos = 0;
  for (let i = 0; i < unlabeled.length; i++) pos += unlabeled[i];
  const N = unlabeled.length;
  const p = pos / N;
  const J = se + sp - 1;
  const base = { sensitivity: se, specificity: sp, judgeRate: p, n: human.length, N };
  if (!(J > 0)) {
    return Object.freeze({
      ...base,
      estimate: Number.NaN,
      raw: Number.NaN,
      stderr: Number.NaN,
      ci: Object.freeze({
        low: Number.NaN,
        high: Number.NaN,
        level: confidence,
        method: 'rogan-gladen-delta' as const,
      }),
      note: `The judge is no better than chance (sensitivity + specificity = ${se + sp} <= 1): the correction is undefined.`,
    });
  }
  const raw = (p + sp - 1) / J;
  const variance =
    ((p * (1 - p)) / N +
      (raw * raw * se * (1 - se)) / nPos +
      ((1 - raw) * (1 - raw) * sp * (1 - sp)) / nNeg) /
    (J * J);
  const stderr = Math.sqrt(variance);
  const z = _normPpf(1 - (1 - confidence) / 2);
  const clip = (v: number): number => Math.min(1, Math.max(0, v));
  let low = raw - z * stderr;
  let high = raw + z * stderr;
  const exact = p === 0 || p === 1 || stderr === 0;
  if (exact) {
    const range = exactRange([pos, N], [tp, nPos], [tn, nNeg], confidence);
    low = Math.min(low, range.low);
    high = Math.max(high, range.high);
  }
  return Object.freeze({
    ...base,
    estimate: clip(raw),
    raw,
    stderr,
    ci: Object.freeze({
      low: clip(low),
      high: clip(high),
      level: confidence,
      method: exact ? ('rogan-gladen-delta-exact' as const) : ('rogan-gladen-delta' as const),
    }),
  });
}

/**
 * The range of (p + sp - 1)/(se + sp - 1) over the box of the Clopper-Pearson intervals of p, se and sp (each
 * `[successes, trials]`), each at level 1 - (1 - confidence)/3, so that the box holds all three at `confidence`
 * (Bonferroni). A linear-fractional function's extremes over a box where its denominator stays positive are at the
 * box's corners; where se + sp - 1 reaches 0 in the box the prevalence is unbounded: [0, 1].
 */
function exactRange(
  p: readonly [number, number],
  se: readonly [number, number],
  sp: readonly [number, number],
  confidence: number,
): { low: number; high: number } {
  const level = 1 - (1 - confidence) / 3;
  const ps = _clopperPearson(p[0], p[1], level);
  const ses = _clopperPearson(se[0], se[1], level);
  const sps = _clopperPearson(sp[0], sp[1], level);
  if (!(ses[0] + sps[0] - 1 > 0)) return { low: 0, high: 1 };
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const pc of ps)
    for (const sec of ses)
      for (const spc of sps) {
        const v = (pc + spc - 1) / (sec + spc - 1);
        low = Math.min(low, v);
        high = Math.max(high, v);
      }
  return { low, high };
}
