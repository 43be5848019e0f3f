/**
 * The shape of `compare()`'s result (implemented in `stats/compare.ts`). JSON-serializable.
 * @module
 */

import type { MetricKind } from '../core/types.js';
import type { ConfidenceInterval } from './EvalResult.js';

/**
 * Which path of a paired test ran: McNemar's `'exact'`, `'mid-p'` or `'asymptotic'`; the paired `'t'` test;
 * Wilcoxon's `'exact'`, `'permutation'` or `'asymptotic'`; the paired `'bootstrap'` of a corpus aggregate; or
 * `'not-run'`.
 */
export type TestMethod = 'exact' | 'mid-p' | 'asymptotic' | 'permutation' | 't' | 'bootstrap' | 'not-run';

/**
 * Which paired test produced a metric's p-value. `'sign'`: the exact sign test, run in place of the paired t
 * when every paired difference is the same non-zero number (t is infinite there; see `compare()`).
 */
export type PairedTestName = 'mcnemar' | 'paired-t' | 'wilcoxon' | 'bootstrap' | 'sign';

/** Candidate-minus-baseline on one metric, over the paired examples. */
/**
 * The prediction-powered comparison of a metric both runs labeled: PPI++ on the paired differences, with
 * human differences on the pairs labeled in both runs and judge differences on every pair.
 */
export interface CalibratedDifference {
  /** Estimate of the mean human-score difference, candidate - baseline. */
  readonly difference: number;
  readonly ci: {
    readonly low: number;
    readonly high: number;
    readonly level: number;
    /**
     * `'ppi++'`: PPI++'s normal interval (the bounded-mean interval of the labeled differences when they are all
     * equal). `'point'`: [0, 0], the paired data identical on both sides (the same output, judge score and label on
     * every pair: a run compared with itself), where every human difference is known to be 0.
     */
    readonly method: 'ppi++' | 'point';
  };
  readonly stderr: number;
  readonly lambda: number;
  /** Two-sided p-value of the normal test of no difference. */
  readonly pValue: number;
  /** `pValue` adjusted (the comparison's `adjustment`) across the calibrated metrics. */
  readonly pValueAdjusted: number;
  /** `pValueAdjusted` below the comparison's alpha. */
  readonly significant: boolean;
  /**
   * With a `margin`: whether the interval's lower bound is above -margin, and false when the candidate failed rows
   * its baseline answered (unless compared with `allowCandidateFailures`).
   */
  readonly nonInferior?: boolean;
  /**
   * Pairs labeled in both runs; clustered rows count once per cluster (with trials, examples: each the mean over its
   * trials; with groups, groups: each the mean over its labeled pairs).
   */
  readonly nLabeled: number;
  /** Pairs with judge scores only (clustered: clusters with no labeled pair). */
  readonly nUnlabeled: number;
}

export interface MetricComparison {
  readonly metric: string;
  readonly kind: MetricKind;
  /** Paired rows used. */
  readonly n: number;
  /**
   * Paired rows both runs answered whose score of this metric is missing on one side only (`candidate`: missing in
   * the candidate, scored in the baseline), set when any: dropped from this metric's comparison, and said in `note`.
   * A judge that cannot read its verdict on the candidate's answers shows here.
   */
  readonly missingOnOneSide?: { readonly baseline: number; readonly candidate: number };
  readonly baselineMean: number;
  readonly candidateMean: number;
  /** candidate - baseline. */
  readonly difference: number;
  /** Paired bootstrap CI of the difference (cluster bootstrap when examples have groups). */
  readonly ci: ConfidenceInterval;
  /**
   * Set when the metric is broken on either side (its summary's `broken`: more than 5% of its scores outside
   * its declared bounds): the comparison is not evidence, and the matchers fail naming the metric.
   */
  readonly broken?: string;
  /**
   * Set, saying why, when fewer than 30 rows are paired on a metric whose bounds the results do not both record:
   * no finite-sample interval of the difference exists (`ci` is the rows' spread, and `nonInferior` reads it as
   * it is), so it is no evidence of non-inferiority: `toBeNonInferior` fails, under `.not` too, and
   * `evalgate compare` with a margin does not pass it. The tests' p-values stand.
   */
  readonly noInterval?: string;
  readonly test: PairedTestName;
  /** Which path of the test ran (`'not-run'`: no row was scored on both sides). */
  readonly testMethod: TestMethod;
  /**
   * What a reader should know about how the test ran, in words (e.g. a corpus metric compared per example), and
   * why there is no `calibrated` difference when both runs carry labels on fewer than 10 independent units.
   */
  readonly note?: string;
  /**
   * Set, saying what changed (baseline -> candidate), when the metric is defined differently in the two results
   * (its kind, aggregation or recorded definition) and the comparison was asked for anyway
   * (`allowDefinitionChange: true`): the difference is then partly the metric's, not the system's.
   */
  readonly definitionChanged?: string;
  readonly statistic: number;
  /**
   * Two-sided p-value of `test`, read with the sign of `difference` by every verdict (better, worse, regressed): a
   * Wilcoxon p-value whose rank sums point against the difference (R+ < R- with a gain) is reported as 1, the
   * test's own p in `note`.
   */
  readonly pValue: number;
  /** Holm-adjusted across the compared metrics. */
  readonly pValueAdjusted: number;
  /** Cohen's d_z of the paired differences (NaN when undefined). */
  readonly effectSize: number;
  readonly significant: boolean;
  /**
   * Present only when a margin was given: lower CI bound of the difference > -margin, and false when the candidate
   * failed rows its baseline answered (unless compared with `allowCandidateFailures`).
   */
  readonly nonInferior?: boolean;
  readonly margin?: number;
  /** For binary metrics: discordant counts (baseline right / candidate wrong, and the reverse). */
  readonly discordant?: { readonly baselineOnly: number; readonly candidateOnly: number };
  /**
   * Both runs carry human labels for this metric on enough shared rows (10 independent units: pairs, or an
   * example's trials, a group's examples, as one): the PPI++ comparison. With fewer, `note` says how many.
   */
  readonly calibrated?: CalibratedDifference;
}

/**
 * Candidate-minus-baseline on one metric within one segment (a cell of `comparison.segments`): the same paired
 * difference, interval and test as the whole-run {@link MetricComparison}, on the segment's paired rows only.
 */
export interface SegmentComparison {
  readonly segment: string;
  readonly metric: string;
  /** Paired rows of the segment with a score on both sides. */
  readonly n: number;
  readonly baselineMean: number;
  readonly candidateMean: number;
  /** candidate - baseline. */
  readonly difference: number;
  /** Paired bootstrap CI of the difference on the segment's rows (not adjusted for multiplicity). */
  readonly ci: ConfidenceInterval;
  /**
   * Set, saying why, as {@link MetricComparison.noInterval}: fewer than 30 paired rows (independent units) of a metric
   * whose bounds the results do not both record, so `ci` is the rows' spread (one row 0.55 -> 0.05: the point
   * [-0.5, -0.5]), no interval of the difference.
   */
  readonly noInterval?: string;
  readonly test: PairedTestName;
  /** Which path of the test ran. */
  readonly testMethod: string;
  readonly pValue: number;
  /** Adjusted across every segment x metric cell, by `comparison.adjustment` (Holm by default). */
  readonly pAdjusted: number;
  /**
   * True when the candidate is significantly worse on this cell: `difference < -margin` (margin 0 when the
   * comparison has none) and `pAdjusted < alpha`.
   */
  readonly regressed: boolean;
}

/** The result of `compare(baseline, candidate)`. */
export interface Comparison {
  readonly kind: 'evalgate-comparison';
  readonly alpha: number;
  readonly confidence: number;
  readonly margin?: number;
  readonly adjustment: 'holm' | 'bonferroni' | 'bh' | 'none';
  /** Paired rows found in both results. */
  readonly nPaired: number;
  /** Rows present in one result only (non-zero only with `allowUnpaired`). */
  readonly nUnpaired: number;
  /**
   * Paired rows whose call failed in one run only (`candidate`: failed in the candidate, answered in the baseline),
   * set when any did. Such a row has no score on one side and is dropped from every metric's comparison, as a row
   * failed on both sides is: a candidate that fails the rows its baseline answered is compared on the rest only.
   */
  readonly failedOnOneSide?: {
    readonly baseline: number;
    readonly candidate: number;
    /** Set when compared with `allowCandidateFailures`: `nonInferior` then judges the rows both runs answered. */
    readonly allowed?: true;
  };
  readonly metrics: Readonly<Record<string, MetricComparison>>;
  /**
   * When either run has segments (`segmentBy`): one cell per segment x metric, segments in label order and
   * metrics in comparison order, with p-values adjusted across all the cells. Filter on `regressed` for the
   * segments that got worse.
   */
  readonly segments?: readonly SegmentComparison[];
  /**
   * Set when either run stopped early (budget, abort, or its gate deciding before its last row, whose rows the
   * gate's data chose), e.g. "the candidate run was stopped by budget after 40 of 100 rows": a comparison of
   * partial runs never passes a gate.
   */
  readonly partial?: string;
}
