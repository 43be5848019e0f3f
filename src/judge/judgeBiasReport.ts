import { _describe } from '../_internal/describe.js';
import { _checkOptions } from '../_internal/validate.js';
import type { Metric, MetricRows, MetricRunInfo } from '../core/types.js';
import type { EvalResult, JudgeBias } from '../result/EvalResult.js';

export type { JudgeBias } from '../result/EvalResult.js';

import { clopperPearsonInterval } from '../stats/boundedMeanInterval.js';
import { clusteredProportionInterval } from '../stats/clusteredMeanInterval.js';
import { normalQuantile as _normPpf } from '../stats/descriptive.js';

/** Pearson r of two paired samples; NaN when either is constant. */
export function _pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return Number.NaN;
  // Rounding can push a perfect correlation a hair past 1, where atanh is NaN.
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** The inputs of {@link _judgeBias}: aligned per scored row. */
export interface _JudgeBiasInput {
  readonly scores: readonly number[];
  readonly lengths: readonly number[];
  /** Pairwise details of every judged row (scored or not), when the metric is pairwise. */
  readonly pairs?: readonly { readonly consistent: boolean; readonly positions: readonly string[] }[];
  readonly judgeModel?: string;
  readonly modelUnderTest?: string;
  readonly confidence: number;
}

/**
 * The `summarize` hook of a judged metric: its bias report from the scored rows (scores, output lengths, and
 * the pairwise judge's position details), attached to the metric's summary as `judge`.
 */
export function _judgeSummarize(judgeModel: string): NonNullable<Metric['summarize']> {
  return (rows: MetricRows, run: MetricRunInfo) => {
    const scores: number[] = [];
    const lengths: number[] = [];
    rows.values.forEach((v, i) => {
      if (v === null) return;
      scores.push(v);
      lengths.push(rows.outputLengths[i]!);
    });
    const pairs: { consistent: boolean; positions: string[] }[] = [];
    for (const d of rows.details) {
      const p = d as { consistent?: unknown; positions?: unknown } | undefined;
      if (typeof p?.consistent === 'boolean' && Array.isArray(p.positions))
        pairs.push({ consistent: p.consistent, positions: p.positions as string[] });
    }
    return {
      judge: _judgeBias({
        scores,
        lengths,
        judgeModel,
        ...(pairs.length === 0 ? {} : { pairs }),
        ...(run.modelName === undefined ? {} : { modelUnderTest: run.modelName }),
        confidence: run.confidence,
      }),
    };
  };
}

/**
 * Computes the bias measures of one judged metric (used by evaluate() and by {@link judgeBiasReport}): the length
 * correlation, and for pairwise details the position rates with their intervals (see `JudgeBias.positionIntervals`).
 */
export function _judgeBias(input: _JudgeBiasInput): JudgeBias {
  const n = input.scores.length;
  let lengthCorrelation: JudgeBias['lengthCorrelation'] = null;
  if (n >= 4) {
    // Fisher z interval, as scipy.stats.pearsonr(x, y).confidence_interval() (scipy 1.17.1) computes it:
    // tanh(atanh(r) -+ z_{1-alpha/2} / sqrt(n - 3)). A bootstrap would break on resamples where every score
    // is equal (r undefined), which judged scores on a short scale hit often.
    const r = _pearson(input.lengths, input.scores);
    const z = _normPpf(1 - (1 - input.confidence) / 2);
    const se = 1 / Math.sqrt(n - 3);
    const zr = Math.atanh(r);
    lengthCorrelation = {
      r,
      ci: {
        low: Math.tanh(zr - z * se),
        high: Math.tanh(zr + z * se),
        level: input.confidence,
        method: 'fisher-z',
      },
      n,
    };
  }
  let positionConsistency: JudgeBias['positionConsistency'];
  let positionIntervals: JudgeBias['positionIntervals'];
  if (input.pairs !== undefined && input.pairs.length > 0) {
    let consistent = 0;
    // One 0/1 per decisive single-order verdict (1: position 1 won), labelled with its pair: a pair's two verdicts
    // come from one judge on one question and are not independent, so the pair is the unit of the interval.
    const firstWon: number[] = [];
    const pairOf: string[] = [];
    input.pairs.forEach((p, i) => {
      if (p.consistent) consistent++;
      for (const pos of p.positions) {
        if (pos === 'tie') continue;
        firstWon.push(pos === '1' ? 1 : 0);
        pairOf.push(String(i));
      }
    });
    const n = input.pairs.length;
    const first = firstWon.reduce((a, b) => a + b, 0);
    positionConsistency = {
      rate: consistent / n,
      n,
      firstPositionRate: firstWon.length === 0 ? Number.NaN : first / firstWon.length,
    };
    const level = input.confidence;
    const cp = clopperPearsonInterval(consistent, n, level);
    const fp =
      firstWon.length === 0
        ? { low: Number.NaN, high: Number.NaN, method: 'none' as const }
        : clusteredProportionInterval(firstWon, pairOf, level);
    positionIntervals = {
      consistency: { low: cp.low, high: cp.high, level, method: 'clopper-pearson' },
      firstPosition: { low: fp.low, high: fp.high, level, method: fp.method },
    };
  }
  return {
    ...(input.judgeModel === undefined ? {} : { judgeModel: input.judgeModel }),
    ...(input.judgeModel === undefined || input.modelUnderTest === undefined
      ? {}
      : { selfJudging: input.judgeModel === input.modelUnderTest }),
    lengthCorrelation,
    ...(positionConsistency === undefined ? {} : { positionConsistency }),
    ...(positionIntervals === undefined ? {} : { positionIntervals }),
  };
}

/** Options of {@link judgeBiasReport}. */
export interface JudgeBiasReportOptions {
  /** The model under test, to flag a judge judging itself. @default the one recorded by evaluate(), if any */
  readonly modelUnderTest?: string;
  /** Confidence level of the correlation CI. @default the run's */
  readonly confidence?: number;
}

const JUDGE_BIAS_REPORT_KEYS = Object.keys({ modelUnderTest: true, confidence: true } satisfies Record<
  keyof JudgeBiasReportOptions,
  true
>);

/**
 * Measures a judged metric's biases from a result's records: the correlation of its scores with output
 * length (with a Fisher-z CI, as scipy.stats.pearsonr computes it), position consistency and first-position
 * preference for pairwise judges, each with an interval (`positionIntervals`: Clopper-Pearson over the pairs for
 * the consistency, as `scipy.stats.binomtest(k, n).proportion_ci(method='exact')`; for the first position, whose
 * two verdicts per pair are not independent, Clopper-Pearson on Korn and Graubard's effective count with each
 * pair a cluster), and whether the judge is the model under test. evaluate() already attaches the same measures to every judged
 * metric's summary (`result.metrics[name].judge`); this recomputes them, e.g. for a result loaded from a file.
 *
 * @param result - An EvalResult with its records in memory (not streamed to `output`).
 * @param metric - The judged metric's name.
 * @param options - {@link JudgeBiasReportOptions}.
 * @returns A {@link JudgeBias}.
 * @throws {TypeError} When the result has no records in memory or no such metric.
 * @example
 * ```ts
 * const bias = judgeBiasReport(result, 'llm_judge');
 * bias.lengthCorrelation; // => { r: 0.61, ci: { low: 0.42, high: 0.75, level: 0.95, method: 'fisher-z' }, n: 120 }
 * // a pairwise judge consistent on all of 20 pairs:
 * pairBias.positionIntervals?.consistency; // => { low: 0.8316, high: 1, level: 0.95, method: 'clopper-pearson' }
 * ```
 *
 * References: C. J. Clopper, E. S. Pearson (1934), doi:10.1093/biomet/26.4.404; E. L. Korn, B. I. Graubard (1998),
 * Survey Methodology 24(2):193-201.
 */
export function judgeBiasReport(
  result: EvalResult,
  metric: string,
  options: JudgeBiasReportOptions = {},
): JudgeBias {
  _checkOptions('judgeBiasReport', options, JUDGE_BIAS_REPORT_KEYS);
  if (result === null || typeof result !== 'object' || !Array.isArray(result.examples))
    throw new TypeError(`Expected \`result\` to be an EvalResult, got ${_describe(result)}`);
  if (result.metrics[metric] === undefined)
    throw new TypeError(`Expected \`metric\` to name a metric of the result, got ${_describe(metric)}`);
  if (result.examples.length === 0 && result.n > 0)
    throw new TypeError('judgeBiasReport needs the records in memory: this result streamed them to a file');
  const scores: number[] = [];
  const lengths: number[] = [];
  const pairs: { consistent: boolean; positions: string[] }[] = [];
  for (const rec of result.examples) {
    const d = rec.details?.[metric] as { consistent?: unknown; positions?: unknown } | undefined;
    if (d && typeof d.consistent === 'boolean' && Array.isArray(d.positions))
      pairs.push({ consistent: d.consistent, positions: d.positions as string[] });
    const s = rec.scores[metric];
    if (rec.output === null || s === null || s === undefined) continue;
    scores.push(s);
    lengths.push([...rec.output].length);
  }
  const recorded = result.metrics[metric]!.judge;
  const modelUnderTest = options.modelUnderTest ?? (result.config.model as string | undefined);
  const judgeModel = recorded?.judgeModel;
  return _judgeBias({
    scores,
    lengths,
    ...(pairs.length > 0 ? { pairs } : {}),
    ...(judgeModel === undefined ? {} : { judgeModel }),
    ...(modelUnderTest === undefined ? {} : { modelUnderTest }),
    confidence: options.confidence ?? result.metrics[metric]!.ci.level,
  });
}
