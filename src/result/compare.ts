/**
 * compare(): candidate vs baseline on the same examples.
 * @module
 */
import { _describe } from '../_internal/describe.js';
import {
  _checkBoolean,
  _checkChoice,
  _checkInteger,
  _checkNumberInRange,
  _checkOptions,
  _checkOptionsObject,
} from '../_internal/validate.js';
import type { MetricKind } from '../core/types.js';
import { ComparisonError, type MetricDefinitionChange, MetricDefinitionError } from '../errors.js';
import { type CorpusAggregator, corpusAggregator } from '../metrics/corpusAggregation.js';
import { adjustPValues } from '../stats/adjustPValues.js';
import { BOOTSTRAP_MIN_ROWS, type BootstrapResult, bootstrapWithDistribution } from '../stats/bootstrapCI.js';
import { boundedMeanInterval } from '../stats/boundedMeanInterval.js';
import { clusteredMeanInterval } from '../stats/clusteredMeanInterval.js';
import { cohensD } from '../stats/cohensD.js';
import { mean as _mean, clusterMeans, clusterTotals } from '../stats/descriptive.js';
import { mcnemarTest } from '../stats/mcnemarTest.js';
import { pairedTTest } from '../stats/pairedTTest.js';
import { wilcoxonSignedRankTest } from '../stats/wilcoxonSignedRankTest.js';
import { assertResult, stoppedReason } from './assertResult.js';
import { brokenScores } from './brokenScores.js';
import type { Comparison, MetricComparison, PairedTestName, TestMethod } from './Comparison.js';
import { _calibratedDifference, _widthOf } from './calibratedDifference.js';
import { _compareSegments } from './compareSegments.js';
import { displayedComparison } from './documentDisplay.js';
import type { EvalResult } from './EvalResult.js';
import { clearsMargin, unseenCandidateFailures } from './nonInferiority.js';
import { hasTrials, pairCluster } from './rowClusters.js';

export type { CorpusAggregator } from '../metrics/corpusAggregation.js';

/** Options of {@link compare}. */
export interface CompareOptions {
  /** Metrics to compare; each must exist in both results. @default every metric present in both */
  readonly metrics?: readonly string[];
  /** 'auto': McNemar for binary metrics, paired t for continuous ones. @default 'auto' */
  readonly test?: 'auto' | 'paired-t' | 'wilcoxon';
  /** Confidence level of the difference's CI, in (0, 1). @default 0.95 */
  readonly confidence?: number;
  /**
   * Non-inferiority margin (>= 0, in metric units): `nonInferior` = CI low of (candidate - baseline) > -margin.
   * One number applies to every metric; a record (`{ exact_match: 0.02, llm_judge: 0.2 }`) gives each metric
   * its own, since metrics on different scales (a 0–1 rate, a 1–5 judge) need different margins; a metric the
   * record leaves out has no margin.
   */
  readonly margin?: number | Readonly<Record<string, number>>;
  /** Significance level for `significant` (adjusted p < alpha), in (0, 1). @default 0.05 */
  readonly alpha?: number;
  /** Compare the shared rows when some rows exist on one side only, instead of throwing. @default false */
  readonly allowUnpaired?: boolean;
  /** Bootstrap resamples for the CI. Minimum `1`. @default 9999 */
  readonly resamples?: number;
  /** Bootstrap seed. @default 'evalgate' */
  readonly seed?: string | number;
  /**
   * Multiple-comparison adjustment across metrics, and separately across every segment x metric cell of
   * `comparison.segments`. @default 'holm'
   */
  readonly adjustment?: 'holm' | 'bonferroni' | 'bh' | 'none';
  /**
   * For metrics whose summary says `aggregation: 'corpus'`: the aggregator to recompute the corpus score from
   * `result.scores.stats` on each bootstrap resample. @default the one the result records for the metric
   * (`config.metrics[i].aggregation`, e.g. BLEU and chrF); without either, such a metric is compared on its
   * per-example scores and `testMethod` says so.
   */
  readonly aggregators?: Readonly<Record<string, CorpusAggregator>>;
  /**
   * Compare a metric whose definition differs between the runs (its `kind`, `aggregation`, or the
   * `definition` both record: another judge model or rubric, BLEU with another tokenizer) instead of throwing a
   * {@link MetricDefinitionError}: the metric's `definitionChanged` then says what changed. The difference is then
   * partly the yardstick's, not the model's. @default false
   */
  readonly allowDefinitionChange?: boolean;
  /**
   * Judge non-inferiority on the rows both runs answered even when the candidate failed rows its baseline
   * answered. By default such rows make every metric's `nonInferior` false (a comparison drops a failed row, so a
   * candidate crashing on its hardest rows would be non-inferior on the rest); `failedOnOneSide` counts them.
   * @default false
   */
  readonly allowCandidateFailures?: boolean;
}

const COMPARE_KEYS = Object.keys({
  metrics: true,
  test: true,
  confidence: true,
  margin: true,
  alpha: true,
  allowUnpaired: true,
  resamples: true,
  seed: true,
  adjustment: true,
  aggregators: true,
  allowDefinitionChange: true,
  allowCandidateFailures: true,
} satisfies Record<keyof CompareOptions, true>);

/**
 * Compares a candidate run with a baseline run on the same examples, metric by metric.
 *
 * Algorithm: rows are paired by (id, trial) through `result.scores`. A row present on one side only makes the
 * comparison throw (`ComparisonError` naming it) unless `allowUnpaired`, which then compares the shared rows and
 * reports `nUnpaired`. For each metric, rows whose call failed or whose score is missing on either side are
 * dropped (the metric's `n` says how many remain; `failedOnOneSide` counts the rows failed in one run only). The difference candidate - baseline gets a paired BCa
 * bootstrap CI (a cluster bootstrap over `scores.groups` when rows carry groups, and over examples when a run has
 * several trials, whose rows are not independent: the test then runs on the per-cluster means, or their totals when the
 * clusters differ in size (the difference is a mean over rows); with fewer than 30 paired rows of
 * a metric whose bounds the results record, the finite-sample bounded-mean interval of the differences, over the
 * cluster means when clustered, as a summary gets); the test is McNemar's exact test
 * for binary metrics and the paired t-test for continuous ones under `test: 'auto'` (or the paired t / Wilcoxon
 * signed-rank test for every metric when asked; Wilcoxon's p-value is 1, with a note giving the test's own, when its
 * rank sums point against the mean difference: most rows a little worse and a few much better make a gain whose
 * ranks say "worse", and every verdict reads the p-value with the difference's sign). Two degenerate cases have known answers: identical paired scores
 * give difference 0, interval [0, 0] (method `'point'`), statistic 0, p = 1 and effect size 0 (never NaN); a
 * constant non-zero shift (every difference the same) gets the point interval (the bounded-mean one below 30 rows, as
 * above) and, in place of the paired t
 * (whose t is infinite and whose p = 0 overstates n rows), the exact two-sided sign test p = min(1, 2 · 2^-n)
 * (`test: 'sign'`, `testMethod: 'exact'`, with a note). Segments are compared by the same code, so the same holds
 * per segment. p-values are adjusted across metrics (Holm by default);
 * `significant` = adjusted p < alpha; `nonInferior` = CI low > -margin when a margin is given, and false when the
 * candidate failed rows its baseline answered (`failedOnOneSide`; `allowCandidateFailures` judges the rest). Effect size is
 * Cohen's d_z of the per-row differences (NaN when their sd is 0). Corpus metrics with an aggregator are compared
 * by a paired bootstrap of aggregate(candidate rows) - aggregate(baseline rows), and their p-value is the
 * two-sided bootstrap p-value 2 min(#(B <= 0) + 1, #(B >= 0) + 1)/(resamples + 1), clamped to 1 (test 'bootstrap').
 * With at most 12 independent units (rows, or clusters of rows) that p-value claims more than the rows hold
 * (one row gave 0.0002), so it is the exact paired randomization test instead: each unit's baseline and candidate
 * statistics swapped in all 2^u ways, p = 2 min(#(T >= t), #(T <= t)) / 2^u (`testMethod: 'permutation'`, with a
 * note); one unit has no interval (`method: 'none'`). With 2 to 29 independent units the interval is the bounded-mean
 * one of the per-row score differences (their cluster means when clustered), widened to hold the corpus difference.
 * When either run has segments (`segmentBy`), `segments` repeats the comparison on each segment's pairs, with
 * the p-values adjusted across all segment x metric cells and `regressed` naming the cells that got worse
 * (difference < -margin, adjusted p < alpha).
 *
 * @param baseline - The reference run.
 * @param candidate - The run being evaluated against it.
 * @param options - See {@link CompareOptions}: `test: 'auto'`, `confidence: 0.95`, `alpha: 0.05`,
 *   `allowUnpaired: false`, `resamples: 9999`, `seed: 'evalgate'`, `adjustment: 'holm'`.
 * @returns A frozen {@link Comparison}.
 * A metric both runs have must be defined alike on both sides: the same `kind` and `aggregation`, and,
 * when both results record one (evalgate results from this version on), the same `definition` (which built-in
 * metric, with the options that change its scores: a judge's model, rubric and scale, BLEU's tokenizer). Otherwise
 * the comparison throws a `MetricDefinitionError` naming the metric and each differing field (old -> new), since
 * the difference would be the yardstick's, not the model's; `allowDefinitionChange: true` compares anyway and sets
 * the metric's `definitionChanged`. A result saved without definitions compares on the other three fields only.
 *
 * @throws MetricDefinitionError (a ComparisonError) for a metric defined differently in the two results, without
 *   `allowDefinitionChange`.
 * @throws ComparisonError for unpaired rows (without `allowUnpaired`), duplicate (id, trial) rows, a requested
 *   metric missing on one side, no shared metric, or two runs with segments from different `segmentBy` fields. TypeError/RangeError for bad options.
 * @example
 * ```ts
 * const cmp = compare(baselineResult, candidateResult, { margin: 0.02 });
 * cmp.metrics.exact_match.difference; // => 0.04
 * cmp.metrics.exact_match.test; // => 'mcnemar'
 * cmp.metrics.exact_match.nonInferior; // => true
 * ```
 *
 * References: Q. McNemar (1947), doi:10.1007/BF02295996; S. Holm (1979), https://www.jstor.org/stable/4615733;
 * B. Efron (1987), doi:10.1080/01621459.1987.10478410; P. Koehn (2004), Statistical significance tests for machine
 * translation evaluation, https://aclanthology.org/W04-3250 (paired bootstrap for corpus metrics).
 */
export function compare(
  baseline: EvalResult,
  candidate: EvalResult,
  options: CompareOptions = {},
): Comparison {
  _checkOptions('compare', options, COMPARE_KEYS);
  assertResult(baseline, 'baseline');
  assertResult(candidate, 'candidate');
  const test = _checkChoice('test', options.test ?? 'auto', ['auto', 'paired-t', 'wilcoxon'] as const);
  const confidence = _checkNumberInRange('confidence', options.confidence ?? 0.95, 0, 1);
  const alpha = _checkNumberInRange('alpha', options.alpha ?? 0.05, 0, 1);
  const margin = _checkMargin(options.margin);
  const allowUnpaired = _checkBoolean('allowUnpaired', options.allowUnpaired, false);
  const allowCandidateFailures = _checkBoolean(
    'allowCandidateFailures',
    options.allowCandidateFailures,
    false,
  );
  const allowDefinitionChange = _checkBoolean('allowDefinitionChange', options.allowDefinitionChange, false);
  const resamples = _checkInteger('resamples', options.resamples ?? 9999, 1);
  const seed = options.seed ?? 'evalgate';
  const adjustment = _checkChoice('adjustment', options.adjustment ?? 'holm', [
    'holm',
    'bonferroni',
    'bh',
    'none',
  ] as const);
  const aggregators = options.aggregators ?? {};
  _checkOptionsObject('aggregators', aggregators);

  // Pair rows by (id, trial).
  const bIndex = _rowIndex('baseline', baseline);
  const cIndex = _rowIndex('candidate', candidate);
  const pairs: [number, number][] = [];
  let nUnpaired = 0;
  let firstUnpaired: { id: string; trial: number; side: string } | undefined;
  for (const [key, bi] of bIndex) {
    const ci = cIndex.get(key);
    if (ci === undefined) {
      nUnpaired++;
      firstUnpaired ??= { id: baseline.scores.ids[bi], trial: baseline.scores.trials[bi], side: 'baseline' };
    } else pairs.push([bi, ci]);
  }
  for (const [key, ci] of cIndex) {
    if (!bIndex.has(key)) {
      nUnpaired++;
      firstUnpaired ??= {
        id: candidate.scores.ids[ci],
        trial: candidate.scores.trials[ci],
        side: 'candidate',
      };
    }
  }
  if (firstUnpaired !== undefined && !allowUnpaired) {
    const other = firstUnpaired.side === 'baseline' ? 'candidate' : 'baseline';
    throw new ComparisonError(
      `Cannot pair the results: example "${firstUnpaired.id}" (trial ${firstUnpaired.trial}) is in the ${firstUnpaired.side} but not in the ${other} (${nUnpaired} unpaired rows, ${pairs.length} paired). Pass \`allowUnpaired: true\` to compare the shared rows.`,
      { exampleId: firstUnpaired.id },
    );
  }

  // Metrics to compare.
  const bMetrics = baseline.scores.metrics;
  const cMetrics = candidate.scores.metrics;
  let names: string[];
  if (options.metrics !== undefined) {
    if (!Array.isArray(options.metrics))
      throw new TypeError(
        `Expected \`metrics\` to be an array of metric names, got ${_describe(options.metrics)}`,
      );
    names = [...options.metrics];
    for (const name of names) {
      if (!Object.hasOwn(bMetrics, name))
        throw new ComparisonError(
          `Metric "${name}" is not in the baseline result (it has: ${Object.keys(bMetrics).join(', ') || 'none'}).`,
        );
      if (!Object.hasOwn(cMetrics, name))
        throw new ComparisonError(
          `Metric "${name}" is not in the candidate result (it has: ${Object.keys(cMetrics).join(', ') || 'none'}).`,
        );
    }
  } else {
    names = Object.keys(bMetrics).filter((name) => Object.hasOwn(cMetrics, name));
    if (names.length === 0)
      throw new ComparisonError(
        `The results share no metric (baseline: ${Object.keys(bMetrics).join(', ') || 'none'}; candidate: ${Object.keys(cMetrics).join(', ') || 'none'}).`,
      );
  }

  // A metric of one name defined differently on the two sides: its difference would be the yardstick's.
  const changed = new Map<string, string>();
  for (const name of names) {
    const changes = metricDefinitionChanges(baseline, candidate, name);
    if (changes.length === 0) continue;
    const what = describeDefinitionChanges(changes);
    if (!allowDefinitionChange)
      throw new MetricDefinitionError(
        `Metric "${name}" is defined differently in the two results (baseline -> candidate: ${what}): its difference would measure the change of the metric, not of the system. Re-score the baseline with the candidate's definition, or pass \`allowDefinitionChange: true\` to compare anyway.`,
        name,
        changes,
      );
    changed.set(name, `the metric's definition changed (baseline -> candidate: ${what})`);
  }

  if (typeof margin === 'object')
    for (const name of Object.keys(margin))
      if (!names.includes(name))
        throw new ComparisonError(
          `\`margin\` names metric "${name}", which is not compared (compared: ${names.join(', ')}).`,
        );

  // One metric on a set of pairs: the whole run's, or (below) one segment's, with the rows scored on one side only.
  const compareOn = (name: string, on: readonly [number, number][]) =>
    _withMissingOnOneSide(compareMetric(name, on), baseline, candidate, on);
  const compareMetric = (name: string, on: readonly [number, number][]) => {
    // Own entries only: a metric named `constructor` or `toString` must not find what every object inherits.
    const aggregator =
      (Object.hasOwn(aggregators, name) ? aggregators[name] : undefined) ??
      recordedAggregator(baseline, candidate, name);
    const isCorpus =
      baseline.metrics[name]?.aggregation === 'corpus' || candidate.metrics[name]?.aggregation === 'corpus';
    if (isCorpus && aggregator !== undefined) {
      if (typeof aggregator !== 'function')
        throw new TypeError(
          `Expected \`aggregators.${name}\` to be a function, got ${_describe(aggregator)}`,
        );
      return _compareCorpus(name, baseline, candidate, on, aggregator, {
        confidence,
        resamples,
        seed,
        margin: _marginOf(margin, name),
      });
    }
    return _compareMeans(name, baseline, candidate, on, {
      test,
      confidence,
      resamples,
      seed,
      margin: _marginOf(margin, name),
      corpusWithoutAggregator: isCorpus,
    });
  };
  const partial = names.map((name) => compareOn(name, pairs));
  const adjusted = adjustPValues(
    partial.map((m) => m.pValue),
    adjustment,
  );
  // Entries, not assignments: a metric a file names `__proto__` is an own entry, never the record's prototype.
  const entries: [string, MetricComparison][] = [];
  // Metrics both runs labeled: PPI++ on the paired differences, adjusted across those metrics alike.
  const raw = partial.map((m) =>
    _calibratedDifference(m.metric, baseline, candidate, pairs, {
      confidence,
      margin: _marginOf(margin, m.metric),
    }),
  );
  const calIndex = raw.flatMap((c, i) => (c?.calibrated === undefined ? [] : [i]));
  const calAdjusted = adjustPValues(
    calIndex.map((i) => raw[i]!.calibrated!.pValue),
    adjustment,
  );
  const failedOnOneSide = _failedOnOneSide(baseline, candidate, pairs);
  // Rows the candidate failed and its baseline answered: no metric sees them, so none is shown non-inferior.
  const unseen = unseenCandidateFailures(failedOnOneSide, allowCandidateFailures) > 0;
  const shown = <T extends { readonly nonInferior?: boolean }>(x: T): T =>
    unseen && x.nonInferior === true ? { ...x, nonInferior: false } : x;
  partial.forEach((m, i) => {
    const pValueAdjusted = adjusted[i];
    const k = calIndex.indexOf(i);
    const calibrated =
      k < 0
        ? undefined
        : Object.freeze({
            ...shown(raw[i]!.calibrated!),
            pValueAdjusted: calAdjusted[k]!,
            significant: calAdjusted[k]! < alpha,
          });
    const broken = _brokenSides(baseline, candidate, m.metric);
    const definitionChanged = changed.get(m.metric);
    // Both runs labeled but too few units for PPI++: say so where the calibrated difference would be.
    const fewLabels = raw[i]?.note;
    const note =
      fewLabels === undefined ? m.note : m.note === undefined ? fewLabels : `${m.note}; ${fewLabels}`;
    const entry: MetricComparison = {
      ...shown(m),
      ...(note === undefined ? {} : { note }),
      pValueAdjusted,
      significant: pValueAdjusted < alpha,
      ...(calibrated === undefined ? {} : { calibrated }),
      ...(broken === undefined ? {} : { broken }),
      ...(definitionChanged === undefined ? {} : { definitionChanged }),
    };
    entries.push([m.metric, Object.freeze(entry)]);
  });
  const metrics: Record<string, MetricComparison> = Object.fromEntries(entries);
  const out: { -readonly [K in keyof Comparison]: Comparison[K] } = {
    kind: 'evalgate-comparison',
    alpha,
    confidence,
    adjustment,
    nPaired: pairs.length,
    nUnpaired,
    metrics: Object.freeze(metrics),
  };
  if (typeof margin === 'number') out.margin = margin;
  if (failedOnOneSide !== undefined)
    out.failedOnOneSide = allowCandidateFailures
      ? Object.freeze({ ...failedOnOneSide, allowed: true as const })
      : failedOnOneSide;
  const segments = _compareSegments(baseline, candidate, pairs, names, compareOn, {
    adjustment,
    alpha,
    margin,
  });
  if (segments !== undefined) out.segments = segments;
  const stopped = [
    ['baseline', stoppedReason(baseline) ?? _gateStopped(baseline)],
    ['candidate', stoppedReason(candidate) ?? _gateStopped(candidate)],
  ].filter(([, why]) => why !== undefined);
  if (stopped.length > 0) out.partial = stopped.map(([side, why]) => `the ${side} run was ${why}`).join('; ');
  return Object.freeze(displayedComparison(out as Comparison));
}

/**
 * Why a run's rows cannot be compared at a fixed sample size: it stopped when its gate decided, before its last
 * row, so how many rows ran was chosen by the gate's data (only the gate's confidence sequence is valid at that
 * stopping time; a fixed-sample interval of a difference over those rows is not). Undefined otherwise.
 */
function _gateStopped(r: EvalResult): string | undefined {
  if (r.run?.stoppedBy !== 'decided') return undefined;
  const planned = r.run.rowsPlanned;
  if (planned !== undefined && r.n >= planned) return undefined; // decided on the last row: nothing skipped
  return `stopped by its gate after ${r.n}${planned === undefined ? '' : ` of ${planned}`} rows (the rows that ran were chosen by the gate's data: a fixed-sample comparison over them is not valid at that stopping time)`;
}

/** Validates `margin`: a number >= 0, or a record of them by metric name. */
function _checkMargin(margin: unknown): number | Readonly<Record<string, number>> | undefined {
  if (margin === undefined || typeof margin === 'number')
    return margin === undefined
      ? undefined
      : _checkNumberInRange('margin', margin, 0, Number.POSITIVE_INFINITY, '[)');
  _checkOptionsObject('margin', margin);
  for (const [name, m] of Object.entries(margin as Record<string, unknown>))
    _checkNumberInRange(`margin.${name}`, m, 0, Number.POSITIVE_INFINITY, '[)');
  return Object.freeze({ ...(margin as Record<string, number>) });
}

/** The margin of metric `name`. @internal */
export function _marginOf(
  margin: number | Readonly<Record<string, number>> | undefined,
  name: string,
): number | undefined {
  return typeof margin === 'object' ? (Object.hasOwn(margin, name) ? margin[name] : undefined) : margin;
}

/** (id, trial) -> row; duplicates are a ComparisonError. */
function _rowIndex(side: string, r: EvalResult): Map<string, number> {
  const map = new Map<string, number>();
  const { ids, trials } = r.scores;
  for (let i = 0; i < ids.length; i++) {
    const key = `${trials[i]}\u0000${ids[i]}`;
    if (map.has(key))
      throw new ComparisonError(`The ${side} result has example "${ids[i]}" (trial ${trials[i]}) twice.`, {
        exampleId: ids[i],
      });
    map.set(key, i);
  }
  return map;
}

interface _Common {
  readonly confidence: number;
  readonly resamples: number;
  readonly seed: string | number;
  readonly margin: number | undefined;
}

/**
 * Cluster labels of the paired rows, or undefined when every row is independent: the baseline's group, falling
 * back on the candidate's, and, when either run has several trials, the example (`example:<id>`), as a summary
 * clusters them: the trials of one example are not independent rows.
 */
function _groupsOf(baseline: EvalResult, candidate: EvalResult, rows: readonly [number, number][]) {
  const byExample = hasTrials(baseline.scores) || hasTrials(candidate.scores);
  const out: (string | null)[] = new Array(rows.length);
  let any = false;
  for (let k = 0; k < rows.length; k++) {
    const [bi, ci] = rows[k];
    // A pair has one id; its group is the baseline's, else the candidate's.
    const g = pairCluster(baseline.scores, bi, candidate.scores, ci, byExample);
    if (g !== null) any = true;
    out[k] = g;
  }
  return any ? out : undefined;
}

/**
 * The per-cluster totals of both sides when the clusters (and rows on their own) differ in size, else `undefined`
 * (equal sizes: the means are the totals scaled by one number, and the tests run on the means as before).
 */
function _unequalClusters(
  xb: Float64Array,
  xc: Float64Array,
  groups: readonly (string | null)[],
): { readonly baseline: number[]; readonly candidate: number[] } | undefined {
  const b = clusterTotals(xb, groups);
  if (b.sizes.every((m) => m === b.sizes[0])) return undefined;
  return { baseline: b.totals, candidate: clusterTotals(xc, groups).totals };
}

/** How the note names the Hoeffding interval a few-unit interval of unequal clusters is widened to. */
const HOEFFDING_TOO =
  "hold Hoeffding's interval of their size-weighted mean (clusters of unequal size: the difference is a mean over rows, not over clusters)";

/**
 * The finite-sample interval of few paired differences `d`, each in [-width, width]: the bounded-mean interval of the
 * differences, or of their cluster means when clustered. With clusters of unequal size the difference is a mean
 * over rows, the size-weighted mean of the cluster means, which that interval does not cover (25 singletons gained
 * beside a group of 100 unchanged: 0.2, where 25 of 26 clusters moved); it is then widened to hold Hoeffding's
 * interval of the weighted mean (`clusteredMeanInterval`), which does: `'hoeffding'` when that widened it, else the
 * bounded-mean interval already held it. Equal sizes: the bounded-mean interval, as before.
 */
function _fewPairedInterval(
  d: Float64Array,
  groups: readonly (string | null)[] | undefined,
  width: number,
  confidence: number,
): {
  readonly low: number;
  readonly high: number;
  readonly method: 'bounded-mean' | 'hoeffding';
  readonly unequal: boolean;
} {
  const bounds = [-width, width] as const;
  const iv = boundedMeanInterval(groups === undefined ? d : clusterMeans(d, groups), bounds, confidence);
  const weighted = groups === undefined ? undefined : clusteredMeanInterval(d, groups, bounds, confidence);
  if (weighted === undefined || weighted.method !== 'hoeffding')
    return { low: iv.low, high: iv.high, method: 'bounded-mean', unequal: false };
  const held = weighted.low >= iv.low && weighted.high <= iv.high;
  return {
    low: Math.min(iv.low, weighted.low),
    high: Math.max(iv.high, weighted.high),
    method: held ? 'bounded-mean' : 'hoeffding',
    unequal: true,
  };
}

function _ci(r: BootstrapResult) {
  return Object.freeze({ low: r.low, high: r.high, level: r.level, method: r.method });
}

function _compareMeans(
  name: string,
  baseline: EvalResult,
  candidate: EvalResult,
  pairs: readonly [number, number][],
  o: _Common & { readonly test: 'auto' | 'paired-t' | 'wilcoxon'; readonly corpusWithoutAggregator: boolean },
): Omit<MetricComparison, 'pValueAdjusted' | 'significant'> {
  const bScores = baseline.scores.metrics[name];
  const cScores = candidate.scores.metrics[name];
  const bFailed = baseline.scores.failed;
  const cFailed = candidate.scores.failed;
  const rows: [number, number][] = [];
  for (const [bi, ci] of pairs) {
    if (bFailed?.[bi] || cFailed?.[ci]) continue;
    const u = bScores[bi];
    const v = cScores[ci];
    if (typeof u !== 'number' || typeof v !== 'number' || !Number.isFinite(u) || !Number.isFinite(v))
      continue;
    rows.push([bi, ci]);
  }
  const n = rows.length;
  const xb = Float64Array.from(rows, ([bi]) => bScores[bi] as number);
  const xc = Float64Array.from(rows, ([, ci]) => cScores[ci] as number);
  const binaryValues = xb.every((v) => v === 0 || v === 1) && xc.every((v) => v === 0 || v === 1);
  const kind: MetricKind =
    baseline.metrics[name]?.kind ?? candidate.metrics[name]?.kind ?? (binaryValues ? 'binary' : 'continuous');
  const suffix = o.corpusWithoutAggregator
    ? 'compared on per-example scores: a corpus metric without an aggregator'
    : undefined;
  if (n === 0) {
    const nan = Number.NaN;
    const empty: Omit<MetricComparison, 'pValueAdjusted' | 'significant'> = {
      metric: name,
      kind,
      n: 0,
      baselineMean: nan,
      candidateMean: nan,
      difference: nan,
      ci: Object.freeze({ low: nan, high: nan, level: o.confidence, method: 'none' }),
      test:
        o.test === 'wilcoxon' ? 'wilcoxon' : kind === 'binary' && o.test === 'auto' ? 'mcnemar' : 'paired-t',
      testMethod: 'not-run',
      note: `no row has a score on both sides${suffix === undefined ? '' : `; ${suffix}`}`,
      statistic: nan,
      pValue: nan,
      effectSize: nan,
    };
    return o.margin === undefined ? empty : { ...empty, nonInferior: false, margin: o.margin };
  }
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = xc[i] - xb[i];
  const groups = _groupsOf(baseline, candidate, rows);
  // Clustered rows are not independent: the test runs on the per-cluster means (the independent units), as the
  // interval resamples whole clusters. Each unit's mean is aligned on both sides (one clustering). When the clusters
  // differ in size it runs on their totals: the difference is a mean over rows, and the mean of the clusters' total
  // differences is 0 exactly when the rows' is, where the mean of their mean differences need not even share its
  // sign (one group of 30 rows worse, ten of one row better: McNemar on the means called the candidate better).
  const totals = groups === undefined ? undefined : _unequalClusters(xb, xc, groups);
  const ub = groups === undefined ? xb : Float64Array.from(totals?.baseline ?? clusterMeans(xb, groups));
  const uc = groups === undefined ? xc : Float64Array.from(totals?.candidate ?? clusterMeans(xc, groups));
  const units = ub.length;
  const unitsBinary =
    totals === undefined && ub.every((v) => v === 0 || v === 1) && uc.every((v) => v === 0 || v === 1);
  const boot = bootstrapWithDistribution(d, {
    confidence: o.confidence,
    resamples: o.resamples,
    seed: o.seed,
    ...(groups === undefined ? {} : { groups }),
  }).result;

  let testName: PairedTestName;
  let testMethod: TestMethod;
  let note = suffix;
  let statistic: number;
  let pValue: number;
  let discordant: MetricComparison['discordant'];
  if (o.test === 'wilcoxon') {
    const r = wilcoxonSignedRankTest(uc, ub);
    testName = 'wilcoxon';
    testMethod = r.method;
    statistic = r.statistic;
    pValue = r.pValue;
    // Every verdict reads p with the sign of the (mean) difference. The signed-rank test weighs ranks, not sizes: when
    // its rank sums point the other way (most rows a little worse, a few much better), its p is evidence against the
    // difference's direction, and the p-value of that direction, 2 min(P(R+ >= r), P(R+ <= r)) read on the side of
    // the difference, is 1.
    if (_ranksAgainst(boot.estimate, r.rPlus, r.rMinus)) {
      note = `${note === undefined ? '' : `${note}; `}the Wilcoxon test (p = ${r.pValue}) finds the paired differences mostly ${boot.estimate > 0 ? 'negative' : 'positive'} (R+ ${r.rPlus} ${boot.estimate > 0 ? '<' : '>'} R- ${r.rMinus}) while the mean difference is ${_formatShift(boot.estimate)}: it is no evidence for the difference's direction, so p = 1`;
      pValue = 1;
    }
  } else if (o.test === 'auto' && kind === 'binary' && binaryValues && unitsBinary) {
    const r = mcnemarTest(ub, uc);
    testName = 'mcnemar';
    testMethod = r.method;
    statistic = r.statistic;
    pValue = r.pValue;
    discordant = Object.freeze({ baselineOnly: r.b, candidateOnly: r.c });
  } else {
    const r = pairedTTest(uc, ub);
    testName = 'paired-t';
    testMethod = r.method;
    if (kind === 'binary' && o.test === 'auto')
      note = !binaryValues
        ? 'paired t: a binary metric with scores other than 0/1'
        : totals !== undefined
          ? 'paired t: a binary metric whose clusters differ in size'
          : 'paired t: a binary metric whose per-cluster means are not all 0 or 1';
    statistic = r.statistic;
    pValue = r.pValue;
  }
  if (kind === 'binary' && discordant === undefined && binaryValues) {
    let bo = 0;
    let co = 0;
    for (let i = 0; i < n; i++) {
      if (xb[i] === 1 && xc[i] === 0) bo++;
      else if (xb[i] === 0 && xc[i] === 1) co++;
    }
    discordant = Object.freeze({ baselineOnly: bo, candidateOnly: co });
  }
  const dz = n > 1 ? cohensD(xc, xb).d : Number.NaN;
  // Every paired difference equal (identical runs, say): every resample has the same difference, so the
  // interval is that point. BCa is undefined there (scipy returns NaN), but "no uncertainty" is the honest
  // answer, and it lets a run pass a non-inferiority gate against itself.
  // Equal up to rounding (x - 0.05 - x is not exactly -0.05 for every x): then the interval is [min, max].
  // The rounding of c - b is relative to the scores, not to the difference (1234567.1 + 0.05 - 1234567.1 is
  // 0.05000000004656613), so the tolerance scales with the largest score as well.
  let dMin = d[0]!;
  let dMax = d[0]!;
  let scale = 1;
  for (let i = 0; i < n; i++) {
    if (d[i]! < dMin) dMin = d[i]!;
    if (d[i]! > dMax) dMax = d[i]!;
    scale = Math.max(scale, Math.abs(xb[i]!), Math.abs(xc[i]!));
  }
  const constant = dMax - dMin <= 1e-12 * Math.max(scale, Math.abs(dMin), Math.abs(dMax));
  // Identical paired scores: the answer is known exactly — difference 0, interval [0, 0], p = 1 (no evidence
  // of any difference), statistic and effect size 0, non-inferior at every margin >= 0 (a run is never worse
  // than itself). Whole runs and segments both come through here.
  const identical = n > 0 && dMin === 0 && dMax === 0;
  // Fewer than BOOTSTRAP_MIN_ROWS rows of a metric with recorded bounds: the point [d, d] of a constant shift would let
  // one row certify the difference, and the bootstrap of a few rows is far too narrow (5 binary rows, 3 up: BCa
  // [0.2, 1] where McNemar's exact p is 0.25). Each difference lies in [-w, w], so the finite-sample bounded-mean
  // interval is valid, as a summary of few rows gets. Without bounds it does not exist. From BOOTSTRAP_MIN_ROWS rows on a
  // constant shift keeps the point: n rows all moved by d are the evidence the sign test weighs.
  // Clustered rows count once per cluster (an example's trials, a group): 6 examples × 10 trials are 6 pairs.
  const few = units < BOOTSTRAP_MIN_ROWS && !identical;
  const fewWhat =
    groups === undefined
      ? `${n} paired row${n === 1 ? '' : 's'}`
      : `${units} independent paired unit${units === 1 ? '' : 's'} (an example's trials, or a group, count once)`;
  const width = few ? _widthOf(baseline, candidate, name) : undefined;
  let ci: MetricComparison['ci'];
  if (width !== undefined && dMin >= -width && dMax <= width) {
    // Clustered rows are not independent: the cluster means are the observations (as a summary does).
    const iv = _fewPairedInterval(d, groups, width, o.confidence);
    ci = Object.freeze({
      low: Math.min(iv.low, boot.estimate),
      high: Math.max(iv.high, boot.estimate),
      level: o.confidence,
      method: iv.method,
      note: `${constant ? `every paired difference is ${_formatShift(dMin)}: the bootstrap distribution is a point` : `only ${fewWhat} (< ${BOOTSTRAP_MIN_ROWS}): the bootstrap is unreliable`}, so the finite-sample bounded-mean interval of the differences${iv.unequal ? ` (their cluster means), widened to ${HOEFFDING_TOO}` : ''} (each in [${-width}, ${width}]) is reported`,
    });
  } else if (constant) ci = Object.freeze({ low: dMin, high: dMax, level: o.confidence, method: 'point' });
  else ci = _ci(boot);
  // Few rows of a metric with no recorded bounds: no finite-sample interval exists, and the bootstrap's (or the
  // point of a constant shift) is the spread of those rows: one row 3 -> 3.5 would be "non-inferior". The tests'
  // p-values stand; the interval is not evidence of non-inferiority, and `noInterval` says so.
  const unboundedFew = few && width === undefined && kind !== 'binary';
  if (identical) {
    pValue = 1;
    statistic = 0;
    note = note === undefined ? 'identical paired scores: the difference is exactly 0' : note;
  } else if (constant && testName === 'paired-t') {
    // A constant non-zero shift: sd(d) = 0, so t = ±Infinity and scipy's p = 0 (NaN for one pair), which claims
    // certainty that n rows cannot give. What the rows do show is that all n differences share one sign: the
    // exact two-sided sign test, p = min(1, 2 · 2^-n) (McNemar's exact test gives the same on 0/1 scores).
    const sign = _signTestOfConstantShift(units, dMin);
    testName = 'sign';
    testMethod = 'exact';
    statistic = sign.statistic;
    pValue = sign.pValue;
    note = `${note === undefined ? '' : `${note}; `}every paired difference is ${_formatShift(dMin)}: the t statistic is infinite, so the exact sign test ran`;
  }
  if (groups !== undefined && !identical)
    note = `${note === undefined ? '' : `${note}; `}rows are clustered (trials of one example, examples of one group): the test ran on the ${units} per-cluster ${totals === undefined ? 'means' : "totals (the clusters differ in size: a cluster's total weighs it by its rows, as the difference over rows does)"}`;
  const out: { -readonly [K in keyof MetricComparison]?: MetricComparison[K] } = {
    metric: name,
    kind,
    n,
    baselineMean: _mean(xb),
    candidateMean: _mean(xc),
    difference: identical ? 0 : boot.estimate,
    ci,
    test: testName,
    testMethod,
    ...(note === undefined ? {} : { note }),
    statistic,
    pValue,
    // sd(d) is 0 up to rounding on a constant shift: d_z would be rounding noise (1e8 and more), not an effect size.
    effectSize: identical ? 0 : constant || !Number.isFinite(dz) ? Number.NaN : dz,
  };
  if (o.margin !== undefined) {
    out.nonInferior = identical || clearsMargin({ difference: out.difference as number, ci }, o.margin);
    out.margin = o.margin;
  }
  if (discordant !== undefined) out.discordant = discordant;
  if (unboundedFew)
    out.noInterval = `only ${fewWhat} (< ${BOOTSTRAP_MIN_ROWS}) of a metric whose bounds the results do not both record: no finite-sample interval of the difference exists (its interval [${ci.low}, ${ci.high}] is the rows' spread), so it is not evidence of non-inferiority — declare the metric's \`bounds\` or pair at least ${BOOTSTRAP_MIN_ROWS} rows`;
  return out as Omit<MetricComparison, 'pValueAdjusted' | 'significant'>;
}

/** Up to this many independent units, a corpus comparison's p-value is the exact paired randomization test. */
const _EXACT_RANDOMIZATION_UNITS = 12;

/**
 * The exact two-sided paired randomization test of a corpus difference (Noreen 1989, "Computer-Intensive Methods
 * for Testing Hypotheses"; Riezler & Maxwell 2005, doi:10.3115/1654449.1654457, whose approximate form is
 * sacrebleu's paired-ar): under the null the two systems are exchangeable on each independent unit, so every one
 * of the 2^u ways of swapping the units' baseline and candidate statistics is as likely as the observed one.
 * p = min(1, 2 min(#(T >= t - gamma), #(T <= t + gamma)) / 2^u), with scipy.stats.permutation_test's tolerance
 * gamma = 100 eps |t| for rounding. The observed assignment and its mirror are two of them, so p >= 2^(1-u).
 * @param unitOf - Unit index (0 .. units - 1) of each row.
 * @internal
 */
export function _exactRandomizationPValue(
  bRows: readonly (readonly number[])[],
  cRows: readonly (readonly number[])[],
  unitOf: Int32Array,
  units: number,
  aggregate: CorpusAggregator,
  observed: number,
): number {
  const n = bRows.length;
  const total = 2 ** units;
  const gamma = 100 * Number.EPSILON * Math.abs(observed);
  const bBuf: (readonly number[])[] = new Array(n);
  const cBuf: (readonly number[])[] = new Array(n);
  let ge = 0;
  let le = 0;
  for (let mask = 0; mask < total; mask++) {
    for (let i = 0; i < n; i++) {
      const swap = ((mask >>> unitOf[i]!) & 1) === 1;
      bBuf[i] = swap ? cRows[i]! : bRows[i]!;
      cBuf[i] = swap ? bRows[i]! : cRows[i]!;
    }
    const t = aggregate(cBuf) - aggregate(bBuf);
    if (t >= observed - gamma) ge++;
    if (t <= observed + gamma) le++;
  }
  return Math.min(1, (2 * Math.min(ge, le)) / total);
}

/** The independent unit of each row: its cluster, or itself when it has none. */
function _unitsOf(
  groups: readonly (string | null)[] | undefined,
  n: number,
): { unitOf: Int32Array; units: number } {
  const unitOf = new Int32Array(n);
  const ids = new Map<string, number>();
  let units = 0;
  for (let i = 0; i < n; i++) {
    const g = groups?.[i] ?? null;
    if (g === null) unitOf[i] = units++;
    else {
      let id = ids.get(g);
      if (id === undefined) {
        id = units++;
        ids.set(g, id);
      }
      unitOf[i] = id;
    }
  }
  return { unitOf, units };
}

/**
 * The exact two-sided sign test when all `n` paired differences equal `shift` (non-zero): the statistic is the
 * number of positive differences (n or 0) and p = P(all n share a sign | p = 1/2) = min(1, 2 · 2^-n), as
 * `scipy.stats.binomtest(n, n, 0.5)` (or `binomtest(0, n, 0.5)`) gives.
 * @internal
 */
export function _signTestOfConstantShift(n: number, shift: number): { statistic: number; pValue: number } {
  return { statistic: shift > 0 ? n : 0, pValue: Math.min(1, 2 ** (1 - n)) };
}

/**
 * `m` with the rows of `on` that both runs answered but scored on one side only (a judge that could not read one
 * verdict, a metric with nothing to score on one side): `missingOnOneSide` and a note, when any. Like a failed row,
 * such a row is dropped from the metric's comparison.
 */
function _withMissingOnOneSide<M extends Pick<MetricComparison, 'metric' | 'note'>>(
  m: M,
  baseline: EvalResult,
  candidate: EvalResult,
  on: readonly (readonly [number, number])[],
): M {
  const corpus =
    baseline.scores.stats?.[m.metric] !== undefined && candidate.scores.stats?.[m.metric] !== undefined;
  const bCol = corpus ? baseline.scores.stats![m.metric]! : baseline.scores.metrics[m.metric];
  const cCol = corpus ? candidate.scores.stats![m.metric]! : candidate.scores.metrics[m.metric];
  const has = (v: unknown) => (typeof v === 'number' ? Number.isFinite(v) : v !== null && v !== undefined);
  let inBaseline = 0;
  let inCandidate = 0;
  for (const [bi, ci] of on) {
    if (baseline.scores.failed?.[bi] || candidate.scores.failed?.[ci]) continue;
    const b = has(bCol?.[bi]);
    const c = has(cCol?.[ci]);
    if (b && !c) inCandidate++;
    else if (c && !b) inBaseline++;
  }
  if (inBaseline + inCandidate === 0) return m;
  const said = [
    ...(inCandidate > 0
      ? [`${inCandidate} row${inCandidate === 1 ? '' : 's'} missing in the candidate only`]
      : []),
    ...(inBaseline > 0
      ? [`${inBaseline} row${inBaseline === 1 ? '' : 's'} missing in the baseline only`]
      : []),
  ].join(' and ');
  const note = `${said} (dropped)`;
  return {
    ...m,
    missingOnOneSide: Object.freeze({ baseline: inBaseline, candidate: inCandidate }),
    note: m.note === undefined ? note : `${m.note}; ${note}`,
  };
}

/** Paired rows whose call failed in one run only, per side; undefined when there are none. */
function _failedOnOneSide(
  baseline: EvalResult,
  candidate: EvalResult,
  pairs: readonly (readonly [number, number])[],
): Comparison['failedOnOneSide'] {
  const bFailed = baseline.scores.failed;
  const cFailed = candidate.scores.failed;
  let inBaseline = 0;
  let inCandidate = 0;
  for (const [bi, ci] of pairs) {
    const b = bFailed?.[bi] === true;
    const c = cFailed?.[ci] === true;
    if (b && !c) inBaseline++;
    else if (c && !b) inCandidate++;
  }
  return inBaseline + inCandidate === 0
    ? undefined
    : Object.freeze({ baseline: inBaseline, candidate: inCandidate });
}

/**
 * Whether the signed-rank sums point against the mean difference `difference` (R+ < R- with a gain, R+ > R- with a
 * loss): Wilcoxon's two-sided p-value then rests on evidence for the opposite direction.
 */
function _ranksAgainst(difference: number, rPlus: number, rMinus: number): boolean {
  return difference > 0 ? rPlus < rMinus : difference < 0 ? rPlus > rMinus : false;
}

/** A constant shift for a note, to 4 significant digits (`+0.1`, `-0.25`). */
function _formatShift(x: number): string {
  const s = String(Number(x.toPrecision(4)));
  return x > 0 ? `+${s}` : s;
}

function _compareCorpus(
  name: string,
  baseline: EvalResult,
  candidate: EvalResult,
  pairs: readonly [number, number][],
  aggregate: CorpusAggregator,
  o: _Common,
): Omit<MetricComparison, 'pValueAdjusted' | 'significant'> {
  const bStats = baseline.scores.stats?.[name];
  const cStats = candidate.scores.stats?.[name];
  if (bStats === undefined || cStats === undefined)
    throw new ComparisonError(
      `Metric "${name}" is a corpus metric but the ${bStats === undefined ? 'baseline' : 'candidate'} result has no sufficient statistics for it (scores.stats.${name}).`,
    );
  const bFailed = baseline.scores.failed;
  const cFailed = candidate.scores.failed;
  const bRows: (readonly number[])[] = [];
  const cRows: (readonly number[])[] = [];
  const rows: [number, number][] = [];
  for (const [bi, ci] of pairs) {
    if (bFailed?.[bi] || cFailed?.[ci]) continue;
    const u = bStats[bi];
    const v = cStats[ci];
    if (u === null || v === null || u === undefined || v === undefined) continue;
    bRows.push(u);
    cRows.push(v);
    rows.push([bi, ci]);
  }
  const n = rows.length;
  // Resample row indices: the statistic maps them to the rows of both runs (references, no copies of the stats).
  const bBuf: (readonly number[])[] = [];
  const cBuf: (readonly number[])[] = [];
  const statistic = (idx: Float64Array) => {
    bBuf.length = idx.length;
    cBuf.length = idx.length;
    for (let i = 0; i < idx.length; i++) {
      bBuf[i] = bRows[idx[i]];
      cBuf[i] = cRows[idx[i]];
    }
    return aggregate(cBuf) - aggregate(bBuf);
  };
  const baselineMean = n > 0 ? aggregate(bRows) : Number.NaN;
  const candidateMean = n > 0 ? aggregate(cRows) : Number.NaN;
  let ci: MetricComparison['ci'];
  let difference = Number.NaN;
  let pValue = Number.NaN;
  let testMethod: TestMethod = 'bootstrap';
  let note: string | undefined;
  let noInterval: string | undefined;
  let identical = false;
  if (n > 0) {
    const groups = _groupsOf(baseline, candidate, rows);
    const index = Float64Array.from({ length: n }, (_, i) => i);
    const { result, distribution } = bootstrapWithDistribution(index, {
      statistic,
      confidence: o.confidence,
      resamples: o.resamples,
      seed: o.seed,
      ...(groups === undefined ? {} : { groups }),
    });
    ci = _ci(result);
    difference = result.estimate;
    let le = 0;
    let ge = 0;
    let dMin = Number.POSITIVE_INFINITY;
    let dMax = Number.NEGATIVE_INFINITY;
    for (const v of distribution) {
      if (v <= 0) le++;
      if (v >= 0) ge++;
      if (v < dMin) dMin = v;
      if (v > dMax) dMax = v;
    }
    pValue = Math.min(1, (2 * Math.min(le + 1, ge + 1)) / (distribution.length + 1));
    identical = bRows.every((u, i) => _sameStats(u, cRows[i]!));
    if (identical) {
      // The same statistics on every row: the difference is exactly 0 on every resample.
      difference = 0;
      pValue = 1;
      ci = Object.freeze({ low: 0, high: 0, level: o.confidence, method: 'point' });
      note = 'identical paired statistics: the difference is exactly 0';
    } else if (!(Number.isFinite(ci.low) && Number.isFinite(ci.high)) && Number.isFinite(dMin)) {
      // A constant statistic under resampling (chrF 100 on every row of both runs, say): BCa is undefined there
      // (scipy returns NaN); every resample gives the same difference, so the interval is that point.
      const scale = Math.max(1, Math.abs(dMin), Math.abs(dMax));
      if (dMax - dMin <= 1e-12 * scale)
        ci = Object.freeze({
          low: Math.min(dMin, difference),
          high: Math.max(dMax, difference),
          level: o.confidence,
          method: 'point',
        });
    }
    const { unitOf, units } = _unitsOf(groups, n);
    if (!identical && units <= _EXACT_RANDOMIZATION_UNITS) {
      pValue = _exactRandomizationPValue(bRows, cRows, unitOf, units, aggregate, difference);
      testMethod = 'permutation';
      if (units === 1) {
        ci = Object.freeze({ low: Number.NaN, high: Number.NaN, level: o.confidence, method: 'none' });
        note = `one independent paired unit (row or cluster): no interval, and the exact paired randomization test over its 2 swaps gives p = ${pValue}`;
      } else
        note = `only ${units} independent paired units (rows or clusters): the p-value is the exact paired randomization test over all ${2 ** units} swaps, not the bootstrap's`;
    }
    // Clustered rows count once per cluster (an example's trials, a group), as in a mean metric's comparison:
    // 6 examples × 10 trials are 6 paired units, and the bootstrap of 6 clusters is their spread.
    if (!identical && units < BOOTSTRAP_MIN_ROWS && ci.method !== 'none') {
      const few = _fewCorpusRows(name, baseline, candidate, rows, groups, units, difference, o.confidence);
      if (few.ci !== undefined) ci = few.ci;
      noInterval = few.noInterval;
    }
  } else {
    ci = Object.freeze({ low: Number.NaN, high: Number.NaN, level: o.confidence, method: 'none' });
    testMethod = 'not-run';
    note = 'no row has statistics on both sides';
  }
  const out: { -readonly [K in keyof MetricComparison]?: MetricComparison[K] } = {
    metric: name,
    kind: baseline.metrics[name]?.kind ?? candidate.metrics[name]?.kind ?? 'continuous',
    n,
    baselineMean,
    candidateMean,
    difference,
    ci,
    test: 'bootstrap',
    testMethod,
    ...(note === undefined ? {} : { note }),
    statistic: difference,
    pValue,
    effectSize: Number.NaN,
  };
  if (o.margin !== undefined) {
    out.nonInferior = identical || clearsMargin({ difference: out.difference as number, ci }, o.margin);
    out.margin = o.margin;
  }
  if (noInterval !== undefined) out.noInterval = noInterval;
  return out as Omit<MetricComparison, 'pValueAdjusted' | 'significant'>;
}

/**
 * A corpus comparison on fewer than {@link BOOTSTRAP_MIN_ROWS} paired units (rows, or clusters of rows: an example's
 * trials, a group). The paired bootstrap of a few rows is their
 * spread (13 BLEU rows, each a little better: BCa [1.6, 7.5], non-inferior at margin 2), so it takes the route a
 * corpus summary of few rows takes: the finite-sample bounded-mean interval of the per-row score differences (each
 * in [-w, w], w the recorded range; cluster means when rows are clustered), widened to contain the corpus
 * difference. Without recorded bounds no such interval exists: `noInterval` says so and the interval stands.
 */
function _fewCorpusRows(
  name: string,
  baseline: EvalResult,
  candidate: EvalResult,
  rows: readonly (readonly [number, number])[],
  groups: readonly (string | null)[] | undefined,
  units: number,
  difference: number,
  confidence: number,
): { ci?: MetricComparison['ci']; noInterval?: string } {
  const n = rows.length;
  const fewWhat =
    groups === undefined
      ? `${n} paired row${n === 1 ? '' : 's'}`
      : `${units} independent paired unit${units === 1 ? '' : 's'} (an example's trials, or a group, count once)`;
  const width = _widthOf(baseline, candidate, name);
  const bScores = baseline.scores.metrics[name];
  const cScores = candidate.scores.metrics[name];
  const d = new Float64Array(n);
  let scored = width !== undefined;
  for (let i = 0; i < n && scored; i++) {
    const u = bScores?.[rows[i]![0]];
    const v = cScores?.[rows[i]![1]];
    scored = typeof u === 'number' && typeof v === 'number' && Number.isFinite(u) && Number.isFinite(v);
    if (scored) d[i] = (v as number) - (u as number);
    if (scored && width !== undefined && Math.abs(d[i]!) > width) scored = false;
  }
  if (width === undefined || !scored)
    return {
      noInterval: `only ${fewWhat} (< ${BOOTSTRAP_MIN_ROWS}) of a corpus metric whose bounds or per-row scores the results do not both record: no finite-sample interval of the difference exists (the bootstrap's is the rows' spread), so it is not evidence of non-inferiority — declare the metric's \`bounds\` or pair at least ${BOOTSTRAP_MIN_ROWS} rows`,
    };
  const iv = _fewPairedInterval(d, groups, width, confidence);
  return {
    ci: Object.freeze({
      low: Math.min(iv.low, difference),
      high: Math.max(iv.high, difference),
      level: confidence,
      method: iv.method,
      note: `only ${fewWhat} (< ${BOOTSTRAP_MIN_ROWS}): the bootstrap is unreliable, so the finite-sample bounded-mean interval of the per-row score differences${groups === undefined ? '' : ' (their cluster means)'}${iv.unequal ? `, widened to ${HOEFFDING_TOO}` : ''} (each in [${-width}, ${width}]), widened to contain the corpus difference, is reported`,
    }),
  };
}

/** Which side's summary of `name` is broken (see `MetricSummary.broken`), as a sentence; undefined if none. */
function _brokenSides(baseline: EvalResult, candidate: EvalResult, name: string): string | undefined {
  const parts: string[] = [];
  for (const [side, r] of [
    ['baseline', baseline],
    ['candidate', candidate],
  ] as const) {
    const b = r.metrics[name]?.broken;
    if (b !== undefined)
      parts.push(
        b.notNumber === undefined
          ? `the ${side}'s ${b.outOfBounds} of ${b.n} scores outside its bounds`
          : `the ${side}'s ${brokenScores(b)}`,
      );
  }
  return parts.length === 0 ? undefined : `metric \`${name}\` is broken: ${parts.join(', ')}`;
}

function _sameStats(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The aggregator both results record for metric `name`, when they record the same one. */
function recordedAggregator(
  baseline: EvalResult,
  candidate: EvalResult,
  name: string,
): CorpusAggregator | undefined {
  const of = (r: EvalResult) => recordedMetricEntry(r, name)?.aggregation;
  const b = of(baseline);
  if (b === undefined || JSON.stringify(b) !== JSON.stringify(of(candidate))) return undefined;
  return corpusAggregator(b);
}

/** The `config.metrics` entry `r` records for metric `name`, when it records one. @internal */
export function recordedMetricEntry(
  r: EvalResult,
  name: string,
): Readonly<Record<string, unknown>> | undefined {
  const entries = (r.config as { metrics?: unknown }).metrics;
  if (!Array.isArray(entries)) return undefined;
  const entry = (entries as unknown[]).find(
    (m) => m !== null && typeof m === 'object' && (m as { name?: unknown }).name === name,
  );
  return entry as Readonly<Record<string, unknown>> | undefined;
}

/** Canonical JSON text: keys sorted at every depth, so that two equal values have one text. */
function _canonicalText(value: unknown): string {
  if (value === undefined) return 'undefined';
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}

/**
 * How metric `name` is defined differently in the two results: `kind` and `aggregation` (each compared when either
 * result records it), and each field of `definition` and the built-in's `scoringRule` (see SCORING_RULES) when both
 * record a definition (a result saved by an earlier evalgate has none; a built-in metric's definition holds what
 * sets its bounds, such as a judge's scale). A custom metric's
 * `bounds` alone are not compared (see the README). Empty when they agree. @internal
 *
 * @param baseline - the reference run.
 * @param candidate - the run compared with it.
 * @param name - a metric both runs have.
 * @returns the differing fields, `definition.<key>` for a field of the definition, in a stable order.
 * @example
 * ```ts
 * metricDefinitionChanges(base, cand, 'exact_match');
 * // => [{ field: 'definition.lowercase', baseline: 'true', candidate: 'false' }]
 * ```
 */
export function metricDefinitionChanges(
  baseline: EvalResult,
  candidate: EvalResult,
  name: string,
): MetricDefinitionChange[] {
  return recordedMetricChanges(recordedMetricEntry(baseline, name), recordedMetricEntry(candidate, name));
}

/**
 * How two recorded `config.metrics` entries of one metric differ (see {@link metricDefinitionChanges}): for a
 * result and a run that has not finished yet (the paired gate's baseline and the run's own metric). @internal
 *
 * @param b - the baseline's entry (`{ name, kind, aggregation?, definition? }`), or `undefined`.
 * @param c - the candidate's entry, or `undefined`.
 * @returns the differing fields; empty when either entry is missing or they agree.
 * @example
 * ```ts
 * recordedMetricChanges({ kind: 'binary' }, { kind: 'continuous' });
 * // => [{ field: 'kind', baseline: '"binary"', candidate: '"continuous"' }]
 * ```
 */
export function recordedMetricChanges(
  b: Readonly<Record<string, unknown>> | undefined,
  c: Readonly<Record<string, unknown>> | undefined,
): MetricDefinitionChange[] {
  if (b === undefined || c === undefined) return [];
  const out: MetricDefinitionChange[] = [];
  const differ = (field: string, x: unknown, y: unknown) => {
    const bx = _canonicalText(x);
    const cy = _canonicalText(y);
    if (bx !== cy) out.push({ field, baseline: bx, candidate: cy });
  };
  differ('kind', b.kind, c.kind);
  differ('aggregation', b.aggregation, c.aggregation);
  const bd = b.definition;
  const cd = c.definition;
  if (bd !== null && typeof bd === 'object' && cd !== null && typeof cd === 'object') {
    const keys = [...new Set([...Object.keys(bd), ...Object.keys(cd)])].sort();
    for (const key of keys)
      differ(`definition.${key}`, (bd as Record<string, unknown>)[key], (cd as Record<string, unknown>)[key]);
    // A built-in's scoring rule (see SCORING_RULES): recorded beside definitions, from the evalgate that changed it.
    differ('scoringRule', b.scoringRule, c.scoringRule);
  }
  return out;
}

/** At most 80 characters of a recorded value, for a message. */
function _shortValue(text: string): string {
  return text.length <= 80 ? text : `${text.slice(0, 77)}...`;
}

/** The changes in words: `definition.model: "gpt-4o" -> "gpt-4o-mini"; kind: "binary" -> "continuous"`. @internal */
export function describeDefinitionChanges(changes: readonly MetricDefinitionChange[]): string {
  return changes
    .map((ch) => `${ch.field}: ${_shortValue(ch.baseline)} -> ${_shortValue(ch.candidate)}`)
    .join('; ');
}
