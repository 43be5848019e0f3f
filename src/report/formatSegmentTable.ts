import type { Comparison, SegmentComparison } from '../result/Comparison.js';
import { _formatInterval, _formatLevel, _formatNumber, _formatPValue, _formatSigned } from './format.js';
import { _checkComparison } from './formatComparisonTable.js';
import { _renderTable } from './renderTable.js';

/** Cells worst first: regressed cells, then by difference (most negative first), then segment and metric. */
export function _worstFirst(cells: readonly SegmentComparison[]): SegmentComparison[] {
  return [...cells].sort(
    (a, b) =>
      Number(b.regressed) - Number(a.regressed) ||
      (Number.isNaN(a.difference) ? 1 : 0) - (Number.isNaN(b.difference) ? 1 : 0) ||
      a.difference - b.difference ||
      (a.segment < b.segment ? -1 : a.segment > b.segment ? 1 : 0) ||
      (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0),
  );
}

/**
 * Renders `comparison.segments` as a plain-text table, one line per segment x metric cell, regressed cells
 * first and then the largest losses: baseline and candidate estimates, the difference with its interval, the
 * paired rows, the test, the raw and adjusted p-values (adjusted across every cell), and `REGRESSED` where the
 * cell regressed (difference below -margin with adjusted p below alpha).
 *
 * @param comparison - What `compare()` returned for runs evaluated with `segmentBy`.
 * @throws {TypeError} when `comparison` is not a comparison.
 * @returns The table without a trailing newline, or `''` when the comparison has no segments.
 * @example
 * ```ts
 * console.log(formatSegmentTable(compare(base, candidate)));
 * // segment   metric       baseline  candidate  difference  95% CI            n    test     p       p (holm)  verdict
 * // billing   exact_match    0.7533     0.5533        -0.2  [-0.2667, -0.14]  150  mcnemar  1.9e-9    1.5e-8  REGRESSED
 * // shipping  exact_match    0.7933       0.76    -0.03333  [-0.08, 0.01333]  150  mcnemar   0.267         1
 * ```
 */
export function formatSegmentTable(comparison: Comparison): string {
  _checkComparison('comparison', comparison);
  const cells = comparison.segments;
  if (cells === undefined || cells.length === 0) return '';
  const header = [
    'segment',
    'metric',
    'baseline',
    'candidate',
    'difference',
    _formatLevel(comparison.confidence),
    'n',
    'test',
    'p',
    `p (${comparison.adjustment})`,
    'verdict',
  ];
  const rows = _worstFirst(cells).map((c) => [
    c.segment,
    c.metric,
    _formatNumber(c.baselineMean),
    _formatNumber(c.candidateMean),
    _formatSigned(c.difference),
    _formatInterval(c.ci),
    String(c.n),
    c.test,
    _formatPValue(c.pValue),
    _formatPValue(c.pAdjusted),
    c.regressed ? 'REGRESSED' : '',
  ]);
  return _renderTable(header, rows, ['l', 'l', 'r', 'r', 'r', 'l', 'r', 'l', 'r', 'r', 'l']);
}
