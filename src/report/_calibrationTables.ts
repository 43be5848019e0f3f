/**
 * Raw and calibrated estimates side by side, and the judges' agreement with the human labels: the rows every
 * report shares (HTML report, Markdown summary, notebook display), rendered by each in its own markup.
 * @module
 */
import type { Comparison } from '../result/Comparison.js';
import type { MetricSummary } from '../result/EvalResult.js';
import { _escapeHtml } from './_html.js';
import { _formatNumber, formatInterval, formatPValue, formatSigned } from './format.js';

/** A cell's text for an estimate with an interval stored as JSON-safe numbers (null for NaN). */
function est(value: unknown): string {
  const v = value as { estimate?: number | null; low?: number | null; high?: number | null } | undefined;
  if (v === undefined || v === null || typeof v.estimate !== 'number') return '–';
  const low = typeof v.low === 'number' ? v.low : Number.NaN;
  const high = typeof v.high === 'number' ? v.high : Number.NaN;
  return `${_formatNumber(v.estimate)} ${formatInterval({ low, high })}`;
}

/** Header and rows of the raw-vs-calibrated table (metrics with a calibrated estimate only). */
export function _calibrationRows(
  metrics: Readonly<Record<string, MetricSummary>>,
): { header: string[]; rows: string[][] } | undefined {
  const rows = Object.entries(metrics)
    .filter(([, m]) => m.calibrated !== undefined)
    .map(([name, m]) => {
      const c = m.calibrated!;
      return [
        name,
        `${_formatNumber(m.mean)} ${formatInterval(m.ci)}`,
        `${_formatNumber(c.mean)} ${formatInterval(c.ci)}`,
        _formatNumber(c.lambda, 3),
        `${c.nLabeled} / ${c.nLabeled + c.nUnlabeled}`,
        // NaN when the PPI++ standard error is 0 (labels without spread): no number of labels matches it.
        Number.isFinite(c.effectiveN) ? _formatNumber(c.effectiveN, 1) : '–',
      ];
    });
  if (rows.length === 0) return undefined;
  return {
    header: ['metric', 'raw judge (CI)', 'calibrated, PPI++ (CI)', 'lambda', 'human labels', 'effective n'],
    rows,
  };
}

/** Header and rows of the agreement table (judge vs humans on the labeled rows). */
export function _agreementRows(
  metrics: Readonly<Record<string, MetricSummary>>,
): { header: string[]; rows: string[][] } | undefined {
  const rows = Object.entries(metrics)
    .filter(([, m]) => m.calibrated !== undefined)
    .map(([name, m]) => {
      const a = m.calibrated!.agreement as Record<string, unknown>;
      const ceiling = a.humanCeiling as { alpha?: number | null } | undefined;
      return [
        name,
        // With trials or groups the intervals count clusters, not the n rows: say how many.
        typeof a.clusters === 'number' ? `${a.n ?? '–'} (${a.clusters} units)` : String(a.n ?? '–'),
        est(a.accuracy),
        est(a.tpr),
        est(a.tnr),
        est(a.kappa),
        est(a.alpha),
        est(a.spearman),
        typeof ceiling?.alpha === 'number' ? _formatNumber(ceiling.alpha) : '–',
      ];
    });
  if (rows.length === 0) return undefined;
  return {
    header: ['metric', 'n', 'accuracy', 'TPR', 'TNR', 'kappa', 'alpha', 'Spearman', 'human alpha (ceiling)'],
    rows,
  };
}

/** The two tables as an HTML section (empty string when no metric is calibrated). */
export function _calibrationHtml(
  metrics: Readonly<Record<string, MetricSummary>>,
  tableClass = 'summary',
): string {
  const cal = _calibrationRows(metrics);
  const agr = _agreementRows(metrics);
  if (cal === undefined || agr === undefined) return '';
  const table = (t: { header: string[]; rows: string[][] }) =>
    `<table class="${tableClass}"><thead><tr>${t.header.map((h) => `<th>${_escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${t.rows
      .map((r) => `<tr>${r.map((c) => `<td>${_escapeHtml(c)}</td>`).join('')}</tr>`)
      .join('')}</tbody></table>`;
  return (
    `<section id="calibration"><h2>Is the judge right?</h2><p class="dim">Raw judge estimates beside the ` +
    `prediction-powered (PPI++) estimates from the human labels, whose intervals include the judge's error; ` +
    `then the judge's agreement with the humans on the labeled rows.</p>${table(cal)}${table(agr)}</section>`
  );
}

/** Header and rows of the calibrated comparison table (metrics both runs labeled), or undefined. */
export function _calibratedComparisonRows(
  comparison: Pick<Comparison, 'metrics' | 'adjustment'>,
): { header: string[]; rows: string[][] } | undefined {
  const rows = Object.values(comparison.metrics)
    .filter((m) => m.calibrated !== undefined)
    .map((m) => {
      const c = m.calibrated!;
      return [
        m.metric,
        `${formatSigned(m.difference)} ${formatInterval(m.ci)}`,
        `${formatSigned(c.difference)} ${formatInterval(c.ci)}`,
        _formatNumber(c.lambda, 3),
        String(c.nLabeled),
        `${formatPValue(c.pValueAdjusted)} (${comparison.adjustment})`,
        c.significant ? 'significant' : 'not significant',
        ...(c.nonInferior === undefined ? [] : [c.nonInferior ? 'non-inferior' : 'NOT non-inferior']),
      ];
    });
  if (rows.length === 0) return undefined;
  const margin = rows.some((r) => r.length > 7);
  return {
    header: [
      'metric',
      'raw judge difference (CI)',
      'calibrated, PPI++ (CI)',
      'lambda',
      'labeled pairs',
      'p (adj.)',
      'verdict',
      ...(margin ? ['margin'] : []),
    ],
    rows,
  };
}

/** The calibrated comparison as an HTML section (empty string when no metric has one). */
export function _calibratedComparisonHtml(comparison: Comparison): string {
  const t = _calibratedComparisonRows(comparison);
  if (t === undefined) return '';
  return `<section id="calibrated-comparison"><h2>Calibrated differences (human labels in both runs)</h2><table class="summary"><thead><tr>${t.header
    .map((h) => `<th>${_escapeHtml(h)}</th>`)
    .join('')}</tr></thead><tbody>${t.rows
    .map((r) => `<tr>${r.map((c) => `<td>${_escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table></section>`;
}
