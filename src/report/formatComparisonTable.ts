import { _describe } from '../_internal/describe.js';
import type { Comparison, MetricComparison } from '../result/Comparison.js';
import { _formatNumber, formatInterval, formatLevel, formatPValue, formatSigned } from './format.js';
import { renderTable } from './renderTable.js';

/** Throws a TypeError unless `value` is a `Comparison` (what `compare()` returns). */
export function _checkComparison(name: string, value: unknown): asserts value is Comparison {
  const v = value as Partial<Comparison> | null;
  if (
    v === null ||
    typeof v !== 'object' ||
    v.kind !== 'evalgate-comparison' ||
    typeof v.metrics !== 'object'
  )
    throw new TypeError(`Expected \`${name}\` to be a comparison (from compare()), got ${_describe(value)}`);
}

/**
 * compare()'s non-inferiority verdict on metric `m`, as `evalgate compare` and `toBeNonInferior` read it:
 * `'broken'` when the metric is broken on either side (`broken`), `'no interval'` when compare() says no
 * finite-sample interval of the difference exists (`noInterval`: few rows of a metric without recorded bounds),
 * both of which the CLI and the matcher refuse, else its `nonInferior` flag
 * (identical paired scores are non-inferior at margin 0, where `ci.low > -0` is false); `undefined` without a
 * margin. Every view reads this, never `ci.low > -margin` on its own.
 */
export function _nonInferiority(
  m: MetricComparison,
  margin: number | undefined = m.margin,
): 'yes' | 'not shown' | 'no interval' | 'broken' | undefined {
  if (margin === undefined) return undefined;
  // A broken metric (over 5% of its scores outside its bounds) never passes a gate: the CLI and the matchers say so.
  if (m.broken !== undefined) return 'broken';
  if (m.noInterval !== undefined) return 'no interval';
  return (m.nonInferior ?? m.ci.low > -margin) ? 'yes' : 'not shown';
}

/**
 * The non-inferiority cell of metric `m`: `'yes'` when compare() found it non-inferior, `'not shown'` otherwise
 * (the data cannot rule out a loss of the margin; that is not a significant loss), `'no interval'` when compare()
 * says no finite-sample interval exists (`noInterval`), `''` without a margin. With per-metric margins the cell
 * names its margin: `'yes (0.2)'`.
 */
export function _nonInferiorCell(m: MetricComparison, comparison: Pick<Comparison, 'margin'>): string {
  const verdict = _nonInferiority(m);
  if (verdict === undefined) return '';
  return comparison.margin === undefined ? `${verdict} (${_formatNumber(m.margin!)})` : verdict;
}

/**
 * 'better' / 'worse' when the adjusted p-value is below `alpha`, else 'no significant difference'; 'not compared'
 * when there is no evidence at all (no row scored on both sides, or an undefined difference), which the CLI fails
 * as "cannot be compared" and which must not read as parity.
 */
export function significanceVerdict(
  m: MetricComparison,
  alpha: number,
):
  | 'better'
  | 'worse'
  | 'no significant difference'
  | 'not compared (n = 0)'
  | 'not compared (undefined difference)' {
  if (m.n === 0) return 'not compared (n = 0)';
  if (Number.isNaN(m.difference)) return 'not compared (undefined difference)';
  if (!(m.pValueAdjusted < alpha) || m.difference === 0) return 'no significant difference';
  return m.difference > 0 ? 'better' : 'worse';
}

/**
 * The margin a comparison was computed with for `metric` (or, without one, for any metric), if any: one margin
 * for every metric, or each metric's own.
 */
export function _comparisonMargin(comparison: Comparison, metric?: string): number | undefined {
  if (comparison.margin !== undefined) return comparison.margin;
  if (metric !== undefined) return comparison.metrics[metric]?.margin;
  return Object.values(comparison.metrics).find((m) => m.margin !== undefined)?.margin;
}

/** Column labels of a comparison table (plain text: escape them for HTML). */
export function _comparisonHeader(comparison: Comparison, margin: number | undefined): string[] {
  return [
    'metric',
    'baseline',
    'candidate',
    'difference',
    formatLevel(comparison.confidence),
    'n',
    'test',
    'p',
    `p (${comparison.adjustment})`,
    'd_z',
    `verdict (α=${_formatNumber(comparison.alpha)})`,
    ...(margin === undefined
      ? []
      : [
          comparison.margin === undefined
            ? 'non-inferior (margin)'
            : `non-inferior (margin ${_formatNumber(comparison.margin)})`,
        ]),
  ];
}

/**
 * Renders a comparison as a plain-text table: per metric the baseline and candidate estimates, their
 * difference with its confidence interval, the paired rows, the test that ran, the raw and adjusted
 * p-values, the effect size (Cohen's d_z), the significance verdict at the comparison's `alpha`, and, when a
 * margin was given, whether the candidate is non-inferior.
 *
 * @param comparison - What `compare(baseline, candidate, options)` returned.
 * @throws {TypeError} when `comparison` is not a comparison.
 * @returns The table, lines joined with `\n`, without a trailing newline.
 * @example
 * ```ts
 * console.log(formatComparisonTable(compare(base, candidate, { margin: 0.02 })));
 * // metric       baseline  candidate  difference  95% CI           n    test     p       p (holm)  d_z   verdict  non-inferior (margin 0.02)
 * // exact_match  0.7       0.74       +0.04       [0.01, 0.07]     200  mcnemar  0.0063  0.0063    0.2   better   yes
 * ```
 */
export function formatComparisonTable(comparison: Comparison): string {
  _checkComparison('comparison', comparison);
  const entries = Object.values(comparison.metrics);
  const margin = _comparisonMargin(comparison);
  const header = _comparisonHeader(comparison, margin);
  const rows = entries.map((m) => {
    const row = [
      m.metric,
      _formatNumber(m.baselineMean),
      _formatNumber(m.candidateMean),
      formatSigned(m.difference),
      formatInterval(m.ci),
      String(m.n),
      `${m.test} (${m.testMethod}${m.note === undefined ? '' : `; ${m.note}`}${m.definitionChanged === undefined ? '' : `; ${m.definitionChanged}`})`,
      formatPValue(m.pValue),
      formatPValue(m.pValueAdjusted),
      _formatNumber(m.effectSize, 3),
      significanceVerdict(m, comparison.alpha),
    ];
    if (margin !== undefined) row.push(_nonInferiorCell(m, comparison));
    return row;
  });
  const table = renderTable(header, rows, ['l', 'r', 'r', 'r', 'l', 'r', 'l', 'r', 'r', 'r', 'l', 'l']);
  const unpaired = comparison.nUnpaired > 0 ? `, ${comparison.nUnpaired} unpaired rows ignored` : '';
  return `${table}\n\n${comparison.nPaired} paired rows${failedOnOneSideText(comparison)}${unpaired}`;
}

/**
 * `, 4 failed in the candidate only (dropped from the comparison)`: the paired rows failed in one run only, which
 * no metric compares; '' when there are none. @internal
 */
export function failedOnOneSideText(comparison: Pick<Comparison, 'failedOnOneSide'>): string {
  const f = comparison.failedOnOneSide;
  if (f === undefined) return '';
  const parts = [
    ...(f.candidate > 0 ? [`${f.candidate} failed in the candidate only`] : []),
    ...(f.baseline > 0 ? [`${f.baseline} failed in the baseline only`] : []),
  ];
  return `, ${parts.join(' and ')} (dropped from the comparison)`;
}
