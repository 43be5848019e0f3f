import { _describe } from '../_internal/describe.js';
import type { Comparison, SegmentComparison } from '../result/Comparison.js';
import type { EvalResult } from '../result/EvalResult.js';
import { _formatNumber, formatInterval, formatLevel, formatPValue, formatSigned } from './format.js';
import { _checkComparison } from './formatComparisonTable.js';
import { renderTable } from './renderTable.js';

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
 * Renders the segments of a run or of a comparison as a plain-text table.
 *
 * Given one result (`evaluate(…, { segmentBy })`): one line per segment x metric with the estimate, its
 * confidence interval, n, missing scores and the interval's method (and its warning when the segment is small).
 *
 * Given a comparison: `comparison.segments`, one line per segment x metric cell, regressed cells
 * first and then the largest losses: baseline and candidate estimates, the difference with its interval, the
 * paired rows, the test, the raw and adjusted p-values (adjusted across every cell), and `REGRESSED` where the
 * cell regressed (difference below -margin with adjusted p below alpha).
 *
 * @param comparison - What `compare()` returned for runs evaluated with `segmentBy`, or one such run.
 * @throws {TypeError} when `comparison` is neither a comparison nor a result.
 * @returns The table without a trailing newline, or `''` when there are no segments.
 * @example
 * ```ts
 * console.log(formatSegmentTable(result));
 * // segment   metric       estimate  95% CI          n    missing  method
 * // billing   exact_match    0.7533  [0.68, 0.82]    150        0  bca
 * // shipping  exact_match    0.7933  [0.72, 0.853]   150        0  bca
 * console.log(formatSegmentTable(compare(base, candidate)));
 * // segment   metric       baseline  candidate  difference  95% CI            n    test     p       p (holm)  verdict
 * // billing   exact_match    0.7533     0.5533        -0.2  [-0.2667, -0.14]  150  mcnemar  1.9e-9    1.5e-8  REGRESSED
 * // shipping  exact_match    0.7933       0.76    -0.03333  [-0.08, 0.01333]  150  mcnemar   0.267         1
 * ```
 */
export function formatSegmentTable(comparison: Comparison | EvalResult): string {
  const r = comparison as Partial<EvalResult> | null;
  if (r !== null && typeof r === 'object' && typeof r.schemaVersion === 'number')
    return _resultSegments(r as EvalResult);
  if ((r as Partial<Comparison> | null)?.kind !== 'evalgate-comparison')
    throw new TypeError(
      `Expected \`comparison\` to be a comparison (from compare()) or a result (from evaluate()), got ${_describe(comparison)}`,
    );
  _checkComparison('comparison', comparison);
  const cells = comparison.segments;
  if (cells === undefined || cells.length === 0) return '';
  const header = [
    'segment',
    'metric',
    'baseline',
    'candidate',
    'difference',
    formatLevel(comparison.confidence),
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
    formatSigned(c.difference),
    formatInterval(c.ci),
    String(c.n),
    c.test,
    formatPValue(c.pValue),
    formatPValue(c.pAdjusted),
    c.regressed ? 'REGRESSED' : '',
  ]);
  return renderTable(header, rows, ['l', 'l', 'r', 'r', 'r', 'l', 'r', 'l', 'r', 'r', 'l']);
}

/** The per-segment summaries of one run, in segment then metric order. */
function _resultSegments(result: EvalResult): string {
  const segments = result.segments;
  if (segments === undefined || Object.keys(segments).length === 0) return '';
  const levels = new Set(Object.values(segments).flatMap((s) => Object.values(s).map((m) => m.ci.level)));
  const rows = Object.entries(segments).flatMap(([segment, metrics]) =>
    Object.entries(metrics).map(([metric, m]) => [
      segment,
      metric,
      _formatNumber(m.mean),
      formatInterval(m.ci) + (levels.size === 1 ? '' : ` (${formatLevel(m.ci.level)})`),
      String(m.n),
      String(m.nMissing),
      m.ci.method + (m.warning ? ` (${m.warning})` : ''),
    ]),
  );
  const ci = levels.size === 1 ? formatLevel([...levels][0]!) : 'CI';
  return renderTable(['segment', 'metric', 'estimate', ci, 'n', 'missing', 'method'], rows, [
    'l',
    'l',
    'r',
    'l',
    'r',
    'r',
    'l',
  ]);
}
