/**
 * The shape of `compare()`'s result (implemented in `stats/compare.ts`). JSON-serializable.
 * @module
 */

import type { MetricKind } from '../core/types.js';
import type { ConfidenceInterval } from './EvalResult.js';

/** Candidate-minus-baseline on one metric within one segment (results evaluated with `segmentBy`). */
export interface SegmentComparison {
  readonly segment: string;
  readonly metric: string;
  /** Paired rows of this segment. */
  readonly n: number;
  readonly baselineMean: number;
  readonly candidateMean: number;
  /** candidate - baseline. */
  readonly difference: number;
  readonly ci: ConfidenceInterval;
  readonly test: PairedTestName;
  readonly pValue: number;
  /** Adjusted across every segment x metric cell. */
  readonly pAdjusted: number;
  /** True when this cell counts as a regression (worse beyond the margin, or significantly worse). */
  readonly regressed: boolean;
}

/** Which paired test produced a metric's p-value. */
export type PairedTestName = 'mcnemar' | 'paired-t' | 'wilcoxon' | 'bootstrap';

/** Candidate-minus-baseline on one metric, over the paired examples. */
export interface MetricComparison {
  readonly metric: string;
  readonly kind: MetricKind;
  /** Paired rows used. */
  readonly n: number;
  readonly baselineMean: number;
  readonly candidateMean: number;
  /** candidate - baseline. */
  readonly difference: number;
  /** Paired bootstrap CI of the difference (cluster bootstrap when examples have groups). */
  readonly ci: ConfidenceInterval;
  readonly test: PairedTestName;
  /** Which path of the test ran: 'exact' | 'asymptotic' | 'permutation' | … */
  readonly testMethod: string;
  readonly statistic: number;
  readonly pValue: number;
  /** Holm-adjusted across the compared metrics. */
  readonly pValueAdjusted: number;
  /** Cohen's d_z of the paired differences (NaN when undefined). */
  readonly effectSize: number;
  readonly significant: boolean;
  /** Present only when a margin was given: lower CI bound of the difference > -margin. */
  readonly nonInferior?: boolean;
  readonly margin?: number;
  /** For binary metrics: discordant counts (baseline right / candidate wrong, and the reverse). */
  readonly discordant?: { readonly baselineOnly: number; readonly candidateOnly: number };
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
  readonly metrics: Readonly<Record<string, MetricComparison>>;
  /**
   * Set when either run stopped early (budget, abort), e.g. "the candidate run was stopped by budget after 40 of
   * 100 rows": a comparison of partial runs never passes a gate.
   */
  readonly partial?: string;
  /** Per segment x metric differences, when both results were segmented. */
  readonly segments?: readonly SegmentComparison[];
}
