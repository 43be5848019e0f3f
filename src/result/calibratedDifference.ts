/**
 * compare() of two runs that both carry human labels for a metric: PPI++ on the paired differences.
 * @module
 */
import { ppiMean } from '../stats/ppiMean.js';
import type { CalibratedDifference } from './Comparison.js';
import type { EvalResult } from './EvalResult.js';

/** Fewer pairs labeled in both runs than this and no calibrated comparison is made. */
const MIN_LABELED_PAIRS = 10;

/**
 * The calibrated comparison of `name` over `pairs` (row indices baseline, candidate), or undefined when fewer
 * than {@link MIN_LABELED_PAIRS} pairs have a human label in both runs and scores in both. The human difference
 * on a pair labeled in both runs is the "gold" value, the judge difference on every pair its prediction; PPI++
 * (`ppiMean`) then estimates the mean human difference with an interval that includes the judge's error.
 */
export function _calibratedDifference(
  name: string,
  baseline: EvalResult,
  candidate: EvalResult,
  pairs: readonly (readonly [number, number])[],
  options: { readonly confidence: number; readonly margin: number | undefined },
): Omit<CalibratedDifference, 'pValueAdjusted' | 'significant'> | undefined {
  const bl = baseline.scores.labels?.[name];
  const cl = candidate.scores.labels?.[name];
  if (bl === undefined || cl === undefined) return undefined;
  const bs = baseline.scores.metrics[name];
  const cs = candidate.scores.metrics[name];
  if (bs === undefined || cs === undefined) return undefined;
  const human: number[] = [];
  const judge: number[] = [];
  const unlabeled: number[] = [];
  for (const [bi, ci] of pairs) {
    const jb = bs[bi];
    const jc = cs[ci];
    if (jb === null || jb === undefined || jc === null || jc === undefined) continue;
    const hb = bl[bi];
    const hc = cl[ci];
    if (hb !== null && hb !== undefined && hc !== null && hc !== undefined) {
      human.push(hc - hb);
      judge.push(jc - jb);
    } else unlabeled.push(jc - jb);
  }
  if (human.length < MIN_LABELED_PAIRS) return undefined;
  const allLabeled = unlabeled.length === 0;
  const r = ppiMean({ human, judge }, allLabeled ? judge : unlabeled, {
    confidence: options.confidence,
    ...(allLabeled ? { lambda: 0 } : {}),
  });
  return {
    difference: r.estimate,
    ci: r.ci,
    stderr: r.stderr,
    lambda: r.lambda,
    pValue: r.pValue,
    ...(options.margin === undefined ? {} : { nonInferior: r.ci.low > -options.margin }),
    nLabeled: human.length,
    nUnlabeled: unlabeled.length,
  };
}
