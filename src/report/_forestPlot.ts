/**
 * A forest plot as inline SVG: one row per metric with its estimate (a dot) and confidence interval (a
 * bar), optionally a second interval per row (the baseline), and vertical reference lines (zero, -margin).
 * Pure string building, no DOM and no dependencies, so the report stays one self-contained file.
 * @module
 */

import { _attr, type _Domain, _finite, _niceDomain, _ticks } from './_axis.js';
import { _escapeHtml } from './_html.js';
import { _estimateText, _formatNumber, _intervalText, formatInterval } from './format.js';

export interface _ForestInterval {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
}

export interface _ForestRow {
  readonly label: string;
  /** What the row stands for, in its `data-label` (a segment's name without the `(n=…)` of its label). @default label */
  readonly key?: string;
  readonly main: _ForestInterval;
  /** Drawn below the main interval in grey (the baseline's estimate). */
  readonly secondary?: _ForestInterval;
  /** Colours the main interval: good (green), bad (red) or neutral (blue). @default 'neutral' */
  readonly tone?: 'good' | 'bad' | 'neutral';
  /** Text right of the plot. @default the estimate and interval */
  readonly note?: string;
}

export interface _ReferenceLine {
  readonly value: number;
  readonly className: string;
  readonly label: string;
}

export interface _ForestPlotOptions {
  /** Accessible name of the figure. */
  readonly title: string;
  readonly referenceLines?: readonly _ReferenceLine[];
  /** One axis for every row, or a scale per row (for metrics on different scales, e.g. BLEU and accuracy). */
  readonly sharedAxis: boolean;
  /** Legend entries for the main and secondary intervals. */
  readonly legend?: readonly [main: string, secondary?: string];
}

const WIDTH = 760;
const X0 = 190;
const X1 = 560;
const TOP = 44;

const _values = (r: _ForestRow) => [
  r.main.estimate,
  r.main.low,
  r.main.high,
  ...(r.secondary ? [r.secondary.estimate, r.secondary.low, r.secondary.high] : []),
];

/**
 * Whether metrics can share one axis: yes unless their magnitudes differ by more than 20× (accuracy in
 * [0, 1] next to BLEU in [0, 100] would squash the accuracy interval to a dot).
 */
export function _canShareAxis(rows: readonly _ForestRow[]): boolean {
  const magnitudes = rows.map((r) => Math.max(0, ..._finite(_values(r)).map(Math.abs))).filter((m) => m > 0);
  if (magnitudes.length < 2) return true;
  return Math.max(...magnitudes) / Math.min(...magnitudes) <= 20;
}

function _interval(
  iv: _ForestInterval,
  x: (v: number) => number,
  cy: number,
  kind: 'main' | 'baseline',
  label: string,
): string {
  const parts: string[] = [];
  // A row without an interval (a paired gate's metric: its sequence bounds the difference) shows the estimate only.
  const shownInterval = Number.isNaN(iv.low) && Number.isNaN(iv.high) ? '' : ` ${formatInterval(iv)}`;
  const tip = `<title>${_escapeHtml(`${label}${kind === 'baseline' ? ' (baseline)' : ''}: ${_estimateText(iv.estimate)}${shownInterval}`)}</title>`;
  if (Number.isFinite(iv.low) && Number.isFinite(iv.high)) {
    const barClass = kind === 'main' ? 'ci-bar' : 'ci-bar-baseline';
    parts.push(
      `<line class="${barClass}"${_attr('x1', x(iv.low))}${_attr('x2', x(iv.high))}${_attr('y1', cy)}${_attr('y2', cy)}${_attr('data-low', iv.low)}${_attr('data-high', iv.high)}>${tip}</line>`,
      `<line class="ci-cap"${_attr('x1', x(iv.low))}${_attr('x2', x(iv.low))}${_attr('y1', cy - 4)}${_attr('y2', cy + 4)}/>`,
      `<line class="ci-cap"${_attr('x1', x(iv.high))}${_attr('x2', x(iv.high))}${_attr('y1', cy - 4)}${_attr('y2', cy + 4)}/>`,
    );
  }
  if (Number.isFinite(iv.estimate)) {
    parts.push(
      kind === 'main'
        ? `<circle class="estimate"${_attr('cx', x(iv.estimate))}${_attr('cy', cy)} r="5"${_attr('data-estimate', iv.estimate)}>${tip}</circle>`
        : `<rect class="estimate-baseline"${_attr('x', x(iv.estimate) - 4)}${_attr('y', cy - 4)} width="8" height="8"${_attr('data-estimate', iv.estimate)}>${tip}</rect>`,
    );
  }
  return parts.join('');
}

/** Renders the plot; every label is escaped. */
export function _forestPlot(rows: readonly _ForestRow[], options: _ForestPlotOptions): string {
  const refs = options.referenceLines ?? [];
  const hasSecondary = rows.some((r) => r.secondary);
  const rowHeight = hasSecondary ? 40 : 28;
  const shared: _Domain = _niceDomain([...rows.flatMap(_values), ...refs.map((r) => r.value)]);
  const axisY = TOP + rows.length * rowHeight + 6;
  const height = axisY + (options.sharedAxis ? 34 : 8);
  const scale =
    ([lo, hi]: _Domain) =>
    (v: number) =>
      X0 + ((Math.min(Math.max(v, lo), hi) - lo) / (hi - lo)) * (X1 - X0);

  const out: string[] = [
    `<svg class="forest-plot" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img"${_attr('aria-label', options.title)}>`,
  ];
  if (options.legend) {
    const [main, secondary] = options.legend;
    out.push(
      `<g class="legend"><circle class="estimate-legend" cx="${X0 + 6}" cy="12" r="5"/><text x="${X0 + 16}" y="16">${_escapeHtml(main)}</text>`,
    );
    if (secondary)
      out.push(
        `<rect class="estimate-baseline" x="${X0 + 156}" y="8" width="8" height="8"/><text x="${X0 + 170}" y="16">${_escapeHtml(secondary)}</text>`,
      );
    out.push('</g>');
  }
  rows.forEach((row, i) => {
    const cy = TOP + i * rowHeight + (hasSecondary ? 13 : 14);
    const domain = options.sharedAxis ? shared : _niceDomain([..._values(row), ...refs.map((r) => r.value)]);
    const x = scale(domain);
    const tone = row.tone ?? 'neutral';
    out.push(`<g class="forest-row tone-${tone}"${_attr('data-label', row.key ?? row.label)}>`);
    // Long names are cut to fit left of the plot; the full name is in the tooltip and the table below.
    const shown = row.label.length > 24 ? `${row.label.slice(0, 23)}…` : row.label;
    out.push(
      `<text class="row-label" x="${X0 - 12}" y="${cy + 4}" text-anchor="end"><title>${_escapeHtml(row.label)}</title>${_escapeHtml(shown)}</text>`,
    );
    if (!options.sharedAxis) {
      out.push(
        `<line class="row-axis"${_attr('x1', X0)}${_attr('x2', X1)}${_attr('y1', cy + (hasSecondary ? 20 : 11))}${_attr('y2', cy + (hasSecondary ? 20 : 11))}${_attr('data-domain-low', domain[0])}${_attr('data-domain-high', domain[1])}/>`,
        `<text class="tick"${_attr('x', X0)}${_attr('y', cy + (hasSecondary ? 20 : 11) - 2)} text-anchor="start">${_formatNumber(domain[0])}</text>`,
        `<text class="tick"${_attr('x', X1)}${_attr('y', cy + (hasSecondary ? 20 : 11) - 2)} text-anchor="end">${_formatNumber(domain[1])}</text>`,
      );
      for (const ref of refs)
        out.push(
          `<line class="${ref.className}"${_attr('x1', x(ref.value))}${_attr('x2', x(ref.value))}${_attr('y1', cy - 10)}${_attr('y2', cy + 10)}/>`,
        );
    }
    out.push(_interval(row.main, x, cy, 'main', row.label));
    if (row.secondary) out.push(_interval(row.secondary, x, cy + 12, 'baseline', row.label));
    const note = row.note ?? `${_estimateText(row.main.estimate)} ${_intervalText(row.main)}`;
    out.push(`<text class="row-note" x="${X1 + 14}" y="${cy + 4}">${_escapeHtml(note)}</text></g>`);
  });
  if (options.sharedAxis) {
    const x = scale(shared);
    for (const ref of refs)
      out.push(
        `<line class="${ref.className}"${_attr('x1', x(ref.value))}${_attr('x2', x(ref.value))}${_attr('y1', TOP - 4)}${_attr('y2', axisY)}${_attr('data-value', ref.value)}/>`,
        // Labels sit beside their line, away from zero, so "0" and "-margin" never overlap.
        `<text class="ref-label"${_attr('x', x(ref.value) + (ref.value < 0 ? -4 : 4))} y="${TOP - 8}" text-anchor="${ref.value < 0 ? 'end' : 'start'}">${_escapeHtml(ref.label)}</text>`,
      );
    out.push(
      `<line class="axis"${_attr('x1', X0)}${_attr('x2', X1)}${_attr('y1', axisY)}${_attr('y2', axisY)}${_attr('data-domain-low', shared[0])}${_attr('data-domain-high', shared[1])}/>`,
    );
    for (const t of _ticks(shared))
      out.push(
        `<line class="tick-mark"${_attr('x1', x(t))}${_attr('x2', x(t))}${_attr('y1', axisY)}${_attr('y2', axisY + 5)}/>`,
        `<text class="tick"${_attr('x', x(t))}${_attr('y', axisY + 18)} text-anchor="middle">${_formatNumber(t)}</text>`,
      );
  }
  out.push('</svg>');
  return out.join('');
}
