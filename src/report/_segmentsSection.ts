/**
 * The report's per-segment view: with a comparison of segmented runs, one forest plot per metric of the
 * candidate-minus-baseline difference in every segment, regressed segments first (worst first); without one, one
 * forest plot per metric of the segment estimates (the baseline's below them when it was segmented too).
 * @module
 */

import type { Comparison, SegmentComparison } from '../result/Comparison.js';
import type { EvalResult } from '../result/EvalResult.js';
import { type _ForestRow, _forestPlot } from './_forestPlot.js';
import { _escapeHtml } from './_html.js';
import { _formatNumber, formatInterval, formatPValue, formatSigned } from './format.js';
import { _comparisonMargin } from './formatComparisonTable.js';

/** Regressed cells first, then by difference, most negative first; NaN differences last. */
export function _segmentOrder(cells: readonly SegmentComparison[]): SegmentComparison[] {
  const key = (c: SegmentComparison) =>
    Number.isNaN(c.difference) ? Number.POSITIVE_INFINITY : c.difference;
  return [...cells].sort(
    (a, b) =>
      Number(b.regressed) - Number(a.regressed) || key(a) - key(b) || a.segment.localeCompare(b.segment),
  );
}

function _byMetric<T extends { readonly metric: string }>(cells: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const c of cells) out.set(c.metric, [...(out.get(c.metric) ?? []), c]);
  return out;
}

function _differencePlots(comparison: Comparison, cells: readonly SegmentComparison[]): string {
  const plots = [..._byMetric(cells)].map(([metric, list]) => {
    const margin = _comparisonMargin(comparison, metric);
    const rows: _ForestRow[] = _segmentOrder(list).map((c) => ({
      label: `${c.segment} (n=${c.n})`,
      key: c.segment,
      main: { estimate: c.difference, low: c.ci.low, high: c.ci.high },
      tone: c.regressed ? 'bad' : c.ci.low > 0 ? 'good' : 'neutral',
      note: `${formatSigned(c.difference)} ${formatInterval(c.ci, 3)} p=${formatPValue(c.pAdjusted)}`,
    }));
    const plot = _forestPlot(rows, {
      title: `${metric}: candidate − baseline per segment`,
      sharedAxis: true,
      referenceLines: [
        { value: 0, className: 'zero-line', label: '0' },
        ...(margin === undefined
          ? []
          : [{ value: -margin, className: 'margin-line', label: `−margin (${_formatNumber(-margin)})` }]),
      ],
      legend: ['candidate − baseline per segment (red: regressed)'],
    });
    return `<figure class="segment-plot" data-metric="${_escapeHtml(metric)}"><figcaption>${_escapeHtml(metric)}</figcaption>${plot}</figure>`;
  });
  const head = [
    'segment',
    'metric',
    'n',
    'baseline',
    'candidate',
    'difference',
    'CI',
    'test',
    'p',
    'p adj',
    '',
  ];
  const body = _segmentOrder(cells).map((c) => {
    const cells = [
      _escapeHtml(c.segment),
      _escapeHtml(c.metric),
      String(c.n),
      _formatNumber(c.baselineMean),
      _formatNumber(c.candidateMean),
      formatSigned(c.difference),
      formatInterval(c.ci),
      _escapeHtml(c.test),
      formatPValue(c.pValue),
      formatPValue(c.pAdjusted),
      c.regressed ? '<strong class="bad">regressed</strong>' : '',
    ];
    return `<tr${c.regressed ? ' class="regressed"' : ''}>${cells.map((x) => `<td>${x}</td>`).join('')}</tr>`;
  });
  const regressed = cells.filter((c) => c.regressed).length;
  return (
    `<p class="${regressed ? 'bad' : 'dim'}">${regressed} of ${cells.length} segment × metric cells regressed; p-values adjusted with ${_escapeHtml(comparison.adjustment)} across all cells.</p>` +
    `<div class="panels">${plots.join('')}</div>` +
    `<table class="summary" id="segments-table"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table>`
  );
}

function _estimatePlots(result: EvalResult, baseline: EvalResult | undefined): string {
  const segments = result.segments ?? {};
  const names = Object.keys(result.metrics);
  const plots = names.flatMap((metric) => {
    const rows: _ForestRow[] = Object.entries(segments).flatMap(([segment, byMetric]) => {
      const m = byMetric[metric];
      if (!m) return [];
      const b = baseline?.segments?.[segment]?.[metric];
      return [
        {
          label: segment,
          main: { estimate: m.mean, low: m.ci.low, high: m.ci.high },
          ...(b ? { secondary: { estimate: b.mean, low: b.ci.low, high: b.ci.high } } : {}),
          note: `${_formatNumber(m.mean)} ${formatInterval(m.ci)} n=${m.n}${m.warning ? ' (!)' : ''}`,
        },
      ];
    });
    if (rows.length === 0) return [];
    rows.sort((a, b) => a.main.estimate - b.main.estimate);
    const plot = _forestPlot(rows, {
      title: `${metric} per segment`,
      sharedAxis: true,
      legend: baseline?.segments ? ['this run', 'baseline'] : ['estimate and CI'],
    });
    return [
      `<figure class="segment-plot" data-metric="${_escapeHtml(metric)}"><figcaption>${_escapeHtml(metric)}, lowest first</figcaption>${plot}</figure>`,
    ];
  });
  return `<div class="panels">${plots.join('')}</div>`;
}

/** The segments section, or '' when neither the result nor the comparison has segments. */
export function _segmentsSection(
  result: EvalResult,
  baseline: EvalResult | undefined,
  comparison: Comparison | undefined,
): string {
  const cells = comparison?.segments;
  if (comparison && cells && cells.length > 0)
    return `<section id="segments"><h2>Segments</h2>${_differencePlots(comparison, cells)}</section>`;
  if (result.segments && Object.keys(result.segments).length > 0)
    return `<section id="segments"><h2>Segments</h2>${_estimatePlots(result, baseline)}</section>`;
  return '';
}
