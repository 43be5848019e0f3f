/**
 * Small multiples: one panel per metric, each on its own axis (the metric's declared bounds, or a round domain
 * over its values), showing the run's estimate and interval, the baseline's below it, and, with a comparison,
 * the difference and its interval on a second axis with zero and `-margin` drawn. A 0-1 metric next to a 1-5
 * judge keeps its full width.
 * @module
 */

import type { Comparison, MetricComparison } from '../result/Comparison.js';
import type { GateResult, MetricSummary } from '../result/EvalResult.js';
import { _attr, type _Domain, _metricDomain, _niceDomain, _scale, _ticks } from './_axis.js';
import { _escapeHtml } from './_html.js';
import {
  _estimateText,
  _formatNumber,
  _intervalText,
  formatInterval,
  formatSigned,
  gatedIntervalCell,
} from './format.js';
import { _comparisonMargin, _nonInferiority, significanceVerdict } from './formatComparisonTable.js';

const WIDTH = 400;
const X0 = 14;
const X1 = 218;
const NOTE_X = 228;

export type _Tone = 'good' | 'bad' | 'neutral';

/**
 * Red when worse (significantly, or not shown non-inferior by compare(), or with no interval to show it),
 * green when better or non-inferior.
 */
export function _differenceTone(m: MetricComparison, comparison: Comparison): _Tone {
  const nonInferior = _nonInferiority(m, _comparisonMargin(comparison, m.metric));
  const verdict = significanceVerdict(m, comparison.alpha);
  if ((nonInferior !== undefined && nonInferior !== 'yes') || verdict === 'worse') return 'bad';
  if (verdict === 'better' || nonInferior === 'yes') return 'good';
  return 'neutral';
}

interface _Interval {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
}

/** One interval: a bar with end caps at `cy`, and a dot (main) or square (baseline) at the estimate. */
export function _intervalMarks(
  iv: _Interval,
  x: (v: number) => number,
  cy: number,
  kind: 'main' | 'baseline' | 'diff',
  tip: string,
): string {
  const title = `<title>${_escapeHtml(tip)}</title>`;
  const parts: string[] = [];
  if (Number.isFinite(iv.low) && Number.isFinite(iv.high)) {
    const bar = kind === 'baseline' ? 'ci-bar-baseline' : kind === 'diff' ? 'diff-bar' : 'ci-bar';
    parts.push(
      `<line class="${bar}"${_attr('x1', x(iv.low))}${_attr('x2', x(iv.high))}${_attr('y1', cy)}${_attr('y2', cy)}${_attr('data-low', iv.low)}${_attr('data-high', iv.high)}>${title}</line>`,
      `<line class="ci-cap"${_attr('x1', x(iv.low))}${_attr('x2', x(iv.low))}${_attr('y1', cy - 4)}${_attr('y2', cy + 4)}/>`,
      `<line class="ci-cap"${_attr('x1', x(iv.high))}${_attr('x2', x(iv.high))}${_attr('y1', cy - 4)}${_attr('y2', cy + 4)}/>`,
    );
  }
  if (Number.isFinite(iv.estimate))
    parts.push(
      kind === 'baseline'
        ? `<rect class="estimate-baseline"${_attr('x', x(iv.estimate) - 4)}${_attr('y', cy - 4)} width="8" height="8"${_attr('data-estimate', iv.estimate)}>${title}</rect>`
        : `<circle class="${kind === 'diff' ? 'diff-estimate' : 'estimate'}"${_attr('cx', x(iv.estimate))}${_attr('cy', cy)} r="5"${_attr('data-estimate', iv.estimate)}>${title}</circle>`,
    );
  return parts.join('');
}

/** An axis line at `y` with round ticks below it; `className` and the data-domain attributes let tests find it. */
export function _axisMarks(domain: _Domain, x: (v: number) => number, y: number, className: string): string {
  const out = [
    `<line class="${className}"${_attr('x1', X0)}${_attr('x2', X1)}${_attr('y1', y)}${_attr('y2', y)}${_attr('data-domain-low', domain[0])}${_attr('data-domain-high', domain[1])}/>`,
  ];
  for (const t of _ticks(domain))
    out.push(
      `<line class="tick-mark"${_attr('x1', x(t))}${_attr('x2', x(t))}${_attr('y1', y)}${_attr('y2', y + 4)}/>`,
      `<text class="tick"${_attr('x', x(t))}${_attr('y', y + 15)} text-anchor="middle">${_formatNumber(t)}</text>`,
    );
  return out.join('');
}

const _iv = (m: MetricSummary): _Interval => ({ estimate: m.mean, low: m.ci.low, high: m.ci.high });

/** One metric's panel (an SVG in a figure). */
function _panel(
  name: string,
  m: MetricSummary,
  b: MetricSummary | undefined,
  diff: MetricComparison | undefined,
  comparison: Comparison | undefined,
  bounds: readonly [number, number] | undefined,
  gate: GateResult | undefined,
): string {
  // A gate that decided on this metric stopped the run early: its bootstrap interval is void, so the panel draws
  // the gate's confidence sequence instead (a paired gate's sequence bounds the difference, not the metric: no
  // bar then), and the note states the decision.
  const gated = gatedIntervalCell(gate, name, m.ci);
  const own: _Interval =
    gated === undefined || gate!.decision === 'undecided'
      ? _iv(m)
      : gate!.kind === 'non-inferiority'
        ? { estimate: m.mean, low: Number.NaN, high: Number.NaN }
        : { estimate: m.mean, low: gate!.lower, high: gate!.upper };
  const values = [m.mean, own.low, own.high, ...(b ? [b.mean, b.ci.low, b.ci.high] : [])].filter((v) =>
    Number.isFinite(v),
  );
  const domain = _metricDomain(values, bounds);
  const x = _scale(domain, X0, X1);
  const out: string[] = [];
  let y = 40;
  const row = (iv: _Interval, kind: 'main' | 'baseline', label: string, shown = _intervalText(iv)) => {
    out.push(
      _intervalMarks(iv, x, y, kind, `${name} (${label}): ${_estimateText(iv.estimate)} ${shown}`),
      `<text class="row-note${kind === 'baseline' ? ' dim' : ''}"${_attr('x', NOTE_X)}${_attr('y', y + 4)}>${_escapeHtml(`${label} ${_estimateText(iv.estimate)} ${shown}`)}</text>`,
    );
    y += 18;
  };
  if (b) row(_iv(b), 'baseline', 'baseline');
  row(
    own,
    'main',
    b ? 'candidate' : 'estimate',
    gated === undefined || gate!.decision === 'undecided'
      ? undefined
      : gate!.kind === 'non-inferiority'
        ? `gate ${gate!.decision === 'pass' ? 'non-inferior' : 'inferior'}`
        : `gate ${gate!.decision}, CS ${formatInterval(own)}`,
  );
  const axisY = y - 4;
  out.push(_axisMarks(domain, x, axisY, 'axis'));
  y = axisY + 48;
  let tone: _Tone = 'neutral';
  if (diff && comparison) {
    const margin = _comparisonMargin(comparison, diff.metric);
    const refs = [0, ...(margin === undefined ? [] : [-margin])];
    const dDomain = _niceDomain([diff.difference, diff.ci.low, diff.ci.high, ...refs]);
    const dx = _scale(dDomain, X0, X1);
    tone = _differenceTone(diff, comparison);
    out.push(
      `<text class="panel-sub"${_attr('x', X0)}${_attr('y', y - 17)}>candidate − baseline</text>`,
      `<line class="zero-line"${_attr('x1', dx(0))}${_attr('x2', dx(0))}${_attr('y1', y - 10)}${_attr('y2', y + 8)}${_attr('data-value', 0)}/>`,
      ...(margin === undefined
        ? []
        : [
            `<line class="margin-line"${_attr('x1', dx(-margin))}${_attr('x2', dx(-margin))}${_attr('y1', y - 10)}${_attr('y2', y + 8)}${_attr('data-value', -margin)}><title>−margin ${_formatNumber(-margin)}</title></line>`,
          ]),
      `<g class="diff tone-${tone}">${_intervalMarks(
        { estimate: diff.difference, low: diff.ci.low, high: diff.ci.high },
        dx,
        y,
        'diff',
        `${name}: candidate − baseline ${formatSigned(diff.difference)} ${formatInterval(diff.ci)}`,
      )}</g>`,
      `<text class="row-note tone-${tone}"${_attr('x', NOTE_X)}${_attr('y', y + 4)}>${_escapeHtml(`${formatSigned(diff.difference)} ${formatInterval(diff.ci)}`)}</text>`,
      _axisMarks(dDomain, dx, y + 10, 'diff-axis'),
    );
    y += 34;
  }
  const height = diff && comparison ? y : axisY + 22;
  const shown = name.length > 28 ? `${name.slice(0, 27)}…` : name;
  const captions = [
    ...(gated === undefined ? [] : [`<span class="gate-cell">${_escapeHtml(gated)}</span>`]),
    ...(m.warning ? [`<span class="warn">${_escapeHtml(m.warning)}</span>`] : []),
  ];
  const warning = captions.length === 0 ? '' : `<figcaption>${captions.join('<br>')}</figcaption>`;
  return (
    `<figure class="metric-panel tone-${tone}"${_attr('data-metric', name)}>` +
    `<svg class="panel-plot" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img"${_attr('aria-label', `${name}: estimate and confidence interval`)}>` +
    `<text class="panel-title"${_attr('x', X0)} y="16"><title>${_escapeHtml(name)}</title>${_escapeHtml(shown)}</text>` +
    `<text class="panel-sub"${_attr('x', WIDTH - 8)} y="16" text-anchor="end">${_escapeHtml(`${m.kind}, n=${m.n}${m.nMissing ? `, ${m.nMissing} missing` : ''}`)}</text>` +
    `${out.join('')}</svg>${warning}</figure>`
  );
}

/** The declared bounds of each metric, from `result.config.metrics` (written by `evaluate()`). */
export function _declaredBounds(
  config: Readonly<Record<string, unknown>>,
): Map<string, readonly [number, number]> {
  const out = new Map<string, readonly [number, number]>();
  const metrics = config.metrics;
  if (!Array.isArray(metrics)) return out;
  for (const m of metrics as unknown[]) {
    const { name, bounds } = (m ?? {}) as { name?: unknown; bounds?: unknown };
    if (
      typeof name === 'string' &&
      Array.isArray(bounds) &&
      bounds.length === 2 &&
      bounds.every((v) => typeof v === 'number' && Number.isFinite(v))
    )
      out.set(name, [bounds[0] as number, bounds[1] as number]);
  }
  return out;
}

/** Every metric's panel, in the result's order. */
export function _metricPanels(
  metrics: Readonly<Record<string, MetricSummary>>,
  baseline: Readonly<Record<string, MetricSummary>> | undefined,
  comparison: Comparison | undefined,
  bounds: ReadonlyMap<string, readonly [number, number]>,
  gate?: GateResult,
): string {
  const panels = Object.entries(metrics).map(([name, m]) =>
    _panel(name, m, baseline?.[name], comparison?.metrics[name], comparison, bounds.get(name), gate),
  );
  return `<div class="panels">${panels.join('')}</div>`;
}
