/**
 * compare() by segment: the whole-run comparison of every metric repeated on each segment's paired rows, with
 * the p-values of all segment x metric cells adjusted together.
 * @module
 */
import { ComparisonError } from '../errors.js';
import { adjustPValues, type PValueAdjustment } from '../stats/adjustPValues.js';
import type { MetricComparison, SegmentComparison } from './Comparison.js';
import type { EvalResult } from './EvalResult.js';

/** Compares one metric on a subset of the paired rows (what `compare()` does for the whole run). */
export type _CompareMetricOn = (
  metric: string,
  pairs: readonly [number, number][],
) => Omit<MetricComparison, 'pValueAdjusted' | 'significant'>;

/** How the cells are adjusted and judged. */
export interface _SegmentSettings {
  readonly adjustment: PValueAdjustment;
  readonly alpha: number;
  /** One margin, or one per metric (a metric without one: 0). */
  readonly margin: number | Readonly<Record<string, number>> | undefined;
}

/** The field a recorded `segmentBy` reads: a bare metadata key is its `metadata.` path; `'function'` as is. */
const slicing = (segmentBy: string) =>
  segmentBy === 'function' || segmentBy.includes('.') ? segmentBy : `metadata.${segmentBy}`;

/**
 * Refuses two runs that both have segments from different `segmentBy` fields: a pair takes the candidate's
 * labels where the baseline row has none, so one comparison segment would hold rows of two slicings (a
 * segment "math" of the rows the baseline left without a `lang`, not of every math row). Two functions cannot
 * be told apart and are taken as one.
 */
function checkSameSlicing(baseline: EvalResult, candidate: EvalResult): void {
  const b = baseline.config.segmentBy;
  const c = candidate.config.segmentBy;
  if (baseline.scores.segments === undefined || candidate.scores.segments === undefined) return;
  if (typeof b !== 'string' || typeof c !== 'string' || slicing(b) === slicing(c)) return;
  throw new ComparisonError(
    `Cannot compare by segment: the baseline was sliced by \`segmentBy: ${JSON.stringify(b)}\` and the candidate by \`segmentBy: ${JSON.stringify(c)}\`, so a segment would mix rows of both slicings. Run both with the same \`segmentBy\``,
  );
}

/**
 * The segment labels of each pair: the baseline row's, or the candidate row's when the baseline has none
 * (a baseline run without `segmentBy`, or a row without the field). Undefined when neither run has segments.
 */
function labelsOfPairs(
  baseline: EvalResult,
  candidate: EvalResult,
  pairs: readonly [number, number][],
): (readonly string[])[] | undefined {
  const b = baseline.scores.segments;
  const c = candidate.scores.segments;
  if (b === undefined && c === undefined) return undefined;
  return pairs.map(([bi, ci]) => {
    const own = b?.[bi];
    return own !== undefined && own.length > 0 ? own : (c?.[ci] ?? []);
  });
}

/**
 * One {@link SegmentComparison} per segment x metric, or undefined when neither run has segments.
 *
 * Algorithm: the pairs are split by segment (a pair in several segments counts in each); `compareOn` runs the
 * whole-run comparison of the metric (the same interval and test: McNemar, paired t, Wilcoxon, or the paired
 * bootstrap of a corpus aggregate) on the segment's pairs; then the p-values of every cell are adjusted together
 * (Holm's step-down by default, `'bh'` for Benjamini-Hochberg), as statsmodels `multipletests` over the flat
 * list of cells. A cell without a p-value (no paired score) stays NaN and does not count in the adjustment.
 * `regressed` = difference < -margin and pAdjusted < alpha. A cell keeps the comparison's `noInterval` (few rows of a
 * metric without recorded bounds: its `ci` is their spread, a point for one row).
 * @throws {ComparisonError} When both runs have segments from different `segmentBy` fields.
 *
 * References: S. Holm (1979), https://www.jstor.org/stable/4615733; Y. Benjamini and Y. Hochberg (1995),
 * doi:10.1111/j.2517-6161.1995.tb02031.x.
 */
export function _compareSegments(
  baseline: EvalResult,
  candidate: EvalResult,
  pairs: readonly [number, number][],
  metrics: readonly string[],
  compareOn: _CompareMetricOn,
  settings: _SegmentSettings,
): readonly SegmentComparison[] | undefined {
  const labels = labelsOfPairs(baseline, candidate, pairs);
  if (labels === undefined) return undefined;
  checkSameSlicing(baseline, candidate);
  const pairsOf = new Map<string, [number, number][]>();
  labels.forEach((segmentLabels, k) => {
    for (const label of segmentLabels) {
      const list = pairsOf.get(label);
      if (list === undefined) pairsOf.set(label, [pairs[k]!]);
      else list.push(pairs[k]!);
    }
  });
  const cells: Omit<SegmentComparison, 'pAdjusted' | 'regressed'>[] = [];
  for (const segment of [...pairsOf.keys()].sort()) {
    const segmentPairs = pairsOf.get(segment)!;
    for (const metric of metrics) {
      const m = compareOn(metric, segmentPairs);
      cells.push({
        segment,
        metric,
        n: m.n,
        baselineMean: m.baselineMean,
        candidateMean: m.candidateMean,
        difference: m.difference,
        ci: m.ci,
        ...(m.noInterval === undefined ? {} : { noInterval: m.noInterval }),
        test: m.test,
        testMethod: m.testMethod,
        pValue: m.pValue,
      });
    }
  }
  const adjusted = adjustPValues(
    cells.map((c) => c.pValue),
    settings.adjustment,
  );
  // Own names only: a record read through its prototype gives `margin.constructor` (Object) for a metric it
  // leaves out, and `difference < -Object` (NaN) is never true.
  const marginOf = (metric: string) =>
    typeof settings.margin === 'object'
      ? Object.hasOwn(settings.margin, metric)
        ? settings.margin[metric]!
        : 0
      : (settings.margin ?? 0);
  return Object.freeze(
    cells.map((c, i) => {
      const pAdjusted = adjusted[i]!;
      return Object.freeze({
        ...c,
        pAdjusted,
        regressed: c.difference < -marginOf(c.metric) && pAdjusted < settings.alpha,
      });
    }),
  );
}
