/**
 * compare() of two runs that both carry human labels for a metric: PPI++ on the paired differences.
 * @module
 */
import { boundedMeanInterval } from '../stats/boundedMeanInterval.js';
import { ppiMean } from '../stats/ppiMean.js';
import type { CalibratedDifference } from './Comparison.js';
import type { EvalResult } from './EvalResult.js';
import { recordedBounds } from './recordedBounds.js';
import { calibrationUnits, clusteredUnitsText, hasGroups, hasTrials, pairCluster } from './rowClusters.js';

/** Fewer pairs labeled in both runs than this and no calibrated comparison is made. */
const MIN_LABELED_PAIRS = 10;

/**
 * The calibrated comparison of `name` over `pairs` (row indices baseline, candidate) as `calibrated`; undefined
 * when either run carries no labels for it. When fewer than {@link MIN_LABELED_PAIRS} independent units (pairs, or
 * with trials examples, with groups groups) have a human label in both runs and scores in both, no `calibrated`
 * but a `note` saying so, counted as the run summary's warning counts them. The human difference
 * on a pair labeled in both runs is the "gold" value, the judge difference on every pair its prediction; PPI++
 * (`ppiMean`) then estimates the mean human difference with an interval that includes the judge's error. PPI++
 * assumes independent pairs, so clustered rows count once per cluster (the rule of `rowCluster`: a row's group,
 * else with trials its example): a cluster with labeled pairs is one labeled unit, the means of its labeled pairs'
 * human and judge differences (its unlabeled pairs are left out: as a second unit they would not be independent of
 * the first); a cluster with none is one unlabeled unit, the mean of its judge differences. Each unit weighs the pairs
 * it stands for, so that the estimate is the mean difference over pairs, as compare()'s own. Labels are then read as
 * drawn at random over clusters, as the interval's validity requires. Paired data identical on both sides (the same
 * output, judge score and label on every pair: a run compared with itself) have a known answer, as compare()'s raw
 * identical case has: difference 0, interval [0, 0] (`'point'`), p = 1, non-inferior at every margin >= 0.
 */
export function _calibratedDifference(
  name: string,
  baseline: EvalResult,
  candidate: EvalResult,
  pairs: readonly (readonly [number, number])[],
  options: { readonly confidence: number; readonly margin: number | undefined },
):
  | {
      readonly calibrated?: Omit<CalibratedDifference, 'pValueAdjusted' | 'significant'>;
      readonly note?: string;
    }
  | undefined {
  const bl = baseline.scores.labels?.[name];
  const cl = candidate.scores.labels?.[name];
  if (bl === undefined || cl === undefined) return undefined;
  const bs = baseline.scores.metrics[name];
  const cs = candidate.scores.metrics[name];
  if (bs === undefined || cs === undefined) return undefined;
  // The trials of one example are not independent (its label is the example's, on every trial), nor are the examples
  // of one group: a cluster's labeled pairs are one unit and its unlabeled pairs another, taken together in the
  // variance (calibrationUnits, ppiMean's clusters).
  const byExample = hasTrials(baseline.scores) || hasTrials(candidate.scores);
  const judgeDiffs: number[] = [];
  const humanDiffs: (number | null)[] = [];
  const clusterOf: (string | null)[] = [];
  for (const [bi, ci] of pairs) {
    const jb = bs[bi];
    const jc = cs[ci];
    if (jb === null || jb === undefined || jc === null || jc === undefined) continue;
    const hb = bl[bi];
    const hc = cl[ci];
    judgeDiffs.push(jc - jb);
    humanDiffs.push(hb !== null && hb !== undefined && hc !== null && hc !== undefined ? hc - hb : null);
    // A pair has one id; its group is the baseline's, else the candidate's (as compare() pairs clusters).
    clusterOf.push(pairCluster(baseline.scores, bi, candidate.scores, ci, byExample));
  }
  const unitsOf = calibrationUnits(judgeDiffs, humanDiffs, clusterOf);
  const { human, judge, unlabeled, labeledRows, unlabeledRows, labeledClusters, unlabeledClusters } = unitsOf;
  if (human.length < MIN_LABELED_PAIRS)
    return { note: _fewLabelsNote(human.length, humanDiffs, baseline, candidate, byExample) };
  if (_identicalPairs(name, baseline, candidate, pairs, judgeDiffs, humanDiffs)) {
    // The same output, judge score and label on both sides of every pair (a run compared with itself, or a rerun
    // from the cache): every human difference is 0, known exactly, as compare()'s raw identical case is.
    const calibrated = {
      difference: 0,
      ci: Object.freeze({ low: 0, high: 0, level: options.confidence, method: 'point' as const }),
      stderr: 0,
      lambda: 0,
      pValue: 1,
      ...(options.margin === undefined ? {} : { nonInferior: true }),
      nLabeled: human.length,
      nUnlabeled: unitsOf.unlabeledUnits,
    };
    return { calibrated };
  }
  const allLabeled = unlabeled.length === 0;
  // A paired difference of scores in a recorded range [lo, hi] lies in [-(hi - lo), hi - lo]: so does the interval.
  const range = _widthOf(baseline, candidate, name);
  // Each unit weighs the pairs it stands for: the estimate is the mean difference over pairs, as compare()'s is.
  const r = ppiMean({ human, judge }, allLabeled ? judge : unlabeled, {
    confidence: options.confidence,
    ...(allLabeled ? { lambda: 0 } : {}),
    ...(range === undefined ? {} : { bounds: [-range, range] as const }),
    weights: labeledRows,
    unlabeledWeights: allLabeled ? labeledRows : unlabeledRows,
    // A cluster's labeled and unlabeled rows are two units, not independent.
    ...(allLabeled ? {} : { clusters: { labeled: labeledClusters, unlabeled: unlabeledClusters } }),
  });
  let ci = r.ci;
  const width = r.stderr > 0 ? undefined : range;
  if (width !== undefined && human.every((h) => Math.abs(h) <= width)) {
    // Every labeled pair differs by the same amount (all 0, say): PPI++'s normal interval has a standard error
    // of 0, a point that ten labels cannot certify. The estimate is then the labels' mean difference, and the
    // finite-sample interval of those differences (each in [-width, width]) is valid.
    const iv = boundedMeanInterval(human, [-width, width], options.confidence);
    ci = Object.freeze({
      low: Math.min(iv.low, r.estimate),
      high: Math.max(iv.high, r.estimate),
      level: r.ci.level,
      method: r.ci.method,
    });
  }
  const calibrated = {
    difference: r.estimate,
    ci,
    stderr: r.stderr,
    lambda: r.lambda,
    pValue: r.pValue,
    ...(options.margin === undefined ? {} : { nonInferior: ci.low > -options.margin }),
    nLabeled: human.length,
    nUnlabeled: unitsOf.unlabeledUnits,
  };
  return { calibrated };
}

/**
 * Whether the paired data of `name` are identical on both sides, so that every human difference is known to be 0:
 * every judge difference and every human difference (pairs labeled in both runs) is 0, and every pair is labeled in
 * both runs, or the records show both rows gave the same output (a human label scores an example's output: the same
 * output gets the same label), or the two results are one run ({@link _sameRun}). Judge scores and labels alone do
 * not say so: a judge blind to a change scores two different outputs alike, and the unlabeled pairs' human
 * difference is then unknown. Two runs whose records were streamed to files qualify only when fully labeled.
 */
function _identicalPairs(
  name: string,
  baseline: EvalResult,
  candidate: EvalResult,
  pairs: readonly (readonly [number, number])[],
  judgeDiffs: readonly number[],
  humanDiffs: readonly (number | null)[],
): boolean {
  if (!judgeDiffs.every((d) => d === 0) || !humanDiffs.every((h) => h === null || h === 0)) return false;
  if (humanDiffs.every((h) => h !== null) || _sameRun(baseline, candidate)) return true;
  const outputs = (r: EvalResult) => new Map(r.examples.map((e) => [`${e.trial}\u0000${e.id}`, e.output]));
  const [bo, co] = [outputs(baseline), outputs(candidate)];
  const bs = baseline.scores;
  const cs = candidate.scores;
  for (const [bi, ci] of pairs) {
    const jb = bs.metrics[name]![bi];
    const jc = cs.metrics[name]![ci];
    if (jb === null || jb === undefined || jc === null || jc === undefined) continue; // not a pair of the estimate
    const b = bo.get(`${bs.trials[bi]}\u0000${bs.ids[bi]}`);
    const c = co.get(`${cs.trials[ci]}\u0000${cs.ids[ci]}`);
    if (typeof b !== 'string' || b !== c) return false;
  }
  return true;
}

/**
 * Whether two results are one run: the same object, or copies of one run whose records were streamed to a file
 * (loaded twice from one saved result): the same records file, written by a run that started and finished at the
 * same instants. Its records are not read to say so (they are in the file).
 */
function _sameRun(a: EvalResult, b: EvalResult): boolean {
  if (a === b) return true;
  return (
    a.examplesFile !== undefined &&
    a.examplesFile === b.examplesFile &&
    a.run.startedAt === b.run.startedAt &&
    a.run.finishedAt === b.run.finishedAt &&
    a.run.durationMs === b.run.durationMs &&
    a.n === b.n
  );
}

/** Why there is no calibrated comparison: how many units are labeled in both runs, in the run summary's words. */
function _fewLabelsNote(
  units: number,
  humanDiffs: readonly (number | null)[],
  baseline: EvalResult,
  candidate: EvalResult,
  byExample: boolean,
): string {
  const pairs = humanDiffs.filter((h) => h !== null).length;
  const grouped = hasGroups(baseline.scores) || hasGroups(candidate.scores);
  const what = grouped || byExample ? clusteredUnitsText(grouped, `${pairs} labeled pairs`) : 'pairs';
  return `no calibrated comparison: human labels in both runs on only ${units} scored ${what}; at least ${MIN_LABELED_PAIRS} are needed`;
}

/**
 * The width hi - lo of the score range of `name` that both results record (`config.metrics[i].bounds`; a binary
 * metric is [0, 1]): a paired difference lies in [-width, width]. Undefined when either result records none.
 * @internal
 */
export function _widthOf(baseline: EvalResult, candidate: EvalResult, name: string): number | undefined {
  let width = 0;
  for (const r of [baseline, candidate]) {
    const b = recordedBounds(r, name) ?? (r.metrics[name]?.kind === 'binary' ? [0, 1] : undefined);
    if (b === undefined) return undefined;
    width = Math.max(width, b[1] - b[0]);
  }
  return width;
}
