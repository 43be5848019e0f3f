/**
 * Histograms for the report: each metric's per-example scores, and the latency, tokens and cost of each row,
 * the run's bars beside the baseline's. Heights are shares of rows, so runs of different sizes compare.
 * @module
 */

import type { ExampleRecord } from '../result/EvalResult.js';
import { _attr, type _Domain, _finite, _metricDomain, _roundDomain, _scale } from './_axis.js';
import { _escapeHtml } from './_html.js';
import { _axisMarks } from './_metricPanels.js';
import { _formatCost, _formatNumber } from './format.js';

const WIDTH = 400;
const HEIGHT = 150;
const X0 = 14;
const X1 = 218;
const TOP = 26;
const BOTTOM = 110;

interface _Bins {
  readonly edges: readonly number[];
  /** Integer-valued data: one bin per value, labelled by it. */
  readonly discrete: boolean;
  readonly domain: _Domain;
}

/** One bin per value for small integer ranges (0/1, a 1-5 judge), else 12 equal bins over the domain. */
function _bins(
  values: readonly number[],
  bounds: readonly [number, number] | undefined,
  fromZero: boolean,
): _Bins {
  const xs = _finite(values);
  const lo = xs.length ? Math.min(...xs) : 0;
  const hi = xs.length ? Math.max(...xs) : 1;
  const intLo = bounds && Number.isInteger(bounds[0]) ? Math.min(bounds[0], lo) : lo;
  const intHi = bounds && Number.isInteger(bounds[1]) ? Math.max(bounds[1], hi) : hi;
  if (xs.every(Number.isInteger) && intHi - intLo <= 10 && Number.isInteger(intLo)) {
    const edges = Array.from({ length: intHi - intLo + 2 }, (_, i) => intLo - 0.5 + i);
    return { edges, discrete: true, domain: [intLo - 0.5, intHi + 0.5] };
  }
  const domain = fromZero ? _roundDomain([0, ...xs]) : _metricDomain(xs, bounds);
  const edges = Array.from({ length: 13 }, (_, i) => domain[0] + ((domain[1] - domain[0]) * i) / 12);
  return { edges, discrete: false, domain };
}

function _counts(values: readonly number[], edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    let k = edges.findIndex((e, i) => i > 0 && v < e) - 1;
    if (k < 0) k = v < edges[0]! ? 0 : counts.length - 1;
    counts[k]!++;
  }
  return counts;
}

function _quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return (
    sorted[lo]! + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]!) - sorted[lo]!)
  );
}

function _stats(values: readonly number[], format: (x: number) => string): string {
  const xs = _finite(values).sort((a, b) => a - b);
  if (xs.length === 0) return 'no values';
  const total = xs.reduce((a, b) => a + b, 0);
  return `median ${format(_quantile(xs, 0.5))}, p90 ${format(_quantile(xs, 0.9))}, total ${format(total)}, n=${xs.length}`;
}

export interface _HistogramSpec {
  readonly title: string;
  readonly kind: 'metric' | 'latency' | 'tokens' | 'cost';
  readonly values: readonly number[];
  readonly baseline?: readonly number[];
  readonly bounds?: readonly [number, number];
  readonly format?: (x: number) => string;
}

/** One histogram panel. */
export function _histogram(spec: _HistogramSpec): string {
  const all = [...spec.values, ...(spec.baseline ?? [])];
  const bins = _bins(all, spec.bounds, spec.kind !== 'metric');
  const x = _scale(bins.domain, X0, X1);
  const cand = _counts(spec.values, bins.edges);
  const base = spec.baseline ? _counts(spec.baseline, bins.edges) : undefined;
  const nCand = Math.max(1, _finite(spec.values).length);
  const nBase = Math.max(1, _finite(spec.baseline ?? []).length);
  const maxShare = Math.max(1e-9, ...cand.map((c) => c / nCand), ...(base ?? []).map((c) => c / nBase));
  const h = (share: number) => (share / maxShare) * (BOTTOM - TOP);
  const out: string[] = [];
  cand.forEach((c, k) => {
    const left = x(bins.edges[k]!) + 1;
    const right = x(bins.edges[k + 1]!) - 1;
    const width = Math.max(1, (right - left) / (base ? 2 : 1));
    const label = bins.discrete
      ? _formatNumber(bins.edges[k]! + 0.5)
      : `[${_formatNumber(bins.edges[k]!)}, ${_formatNumber(bins.edges[k + 1]!)})`;
    if (base) {
      const bh = h(base[k]! / nBase);
      out.push(
        `<rect class="hist-bar-baseline"${_attr('x', left)}${_attr('y', BOTTOM - bh)}${_attr('width', width)}${_attr('height', bh)}${_attr('data-count', base[k]!)}><title>${_escapeHtml(`baseline ${label}: ${base[k]} of ${nBase}`)}</title></rect>`,
      );
    }
    const ch = h(c / nCand);
    out.push(
      `<rect class="hist-bar"${_attr('x', base ? left + width : left)}${_attr('y', BOTTOM - ch)}${_attr('width', width)}${_attr('height', ch)}${_attr('data-count', c)}><title>${_escapeHtml(`${base ? 'candidate' : 'this run'} ${label}: ${c} of ${nCand}`)}</title></rect>`,
    );
  });
  const format = spec.format ?? ((v: number) => _formatNumber(v));
  const axis = bins.discrete
    ? [
        `<line class="axis"${_attr('x1', X0)}${_attr('x2', X1)}${_attr('y1', BOTTOM)}${_attr('y2', BOTTOM)}/>`,
        ...bins.edges
          .slice(0, -1)
          .map(
            (e) =>
              `<text class="tick"${_attr('x', x(e + 0.5))}${_attr('y', BOTTOM + 15)} text-anchor="middle">${_formatNumber(e + 0.5)}</text>`,
          ),
      ].join('')
    : _axisMarks(bins.domain, x, BOTTOM, 'axis');
  const notes = [
    `<text class="row-note" x="228"${_attr('y', TOP + 12)}>${_escapeHtml(base ? 'candidate' : 'this run')}</text>`,
    `<text class="row-note dim" x="228"${_attr('y', TOP + 28)}>${_escapeHtml(_stats(spec.values, format).replace(/, total .*$/, ''))}</text>`,
    ...(spec.baseline
      ? [
          `<text class="row-note" x="228"${_attr('y', TOP + 52)}>baseline</text>`,
          `<text class="row-note dim" x="228"${_attr('y', TOP + 68)}>${_escapeHtml(_stats(spec.baseline, format).replace(/, total .*$/, ''))}</text>`,
        ]
      : []),
  ];
  const total =
    spec.kind === 'metric'
      ? ''
      : `<figcaption class="dim">${_escapeHtml(`${base ? 'candidate: ' : ''}${_stats(spec.values, format)}${spec.baseline ? `; baseline: ${_stats(spec.baseline, format)}` : ''}`)}</figcaption>`;
  return (
    `<figure class="histogram" data-kind="${spec.kind}"${_attr('data-title', spec.title)}>` +
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img"${_attr('aria-label', `${spec.title}: distribution`)}>` +
    `<text class="panel-title"${_attr('x', X0)} y="16">${_escapeHtml(spec.title.length > 40 ? `${spec.title.slice(0, 39)}…` : spec.title)}</text>` +
    `${out.join('')}${axis}${notes.join('')}</svg>${total}</figure>`
  );
}

const _scores = (records: readonly ExampleRecord[], metric: string) =>
  records.map((r) => r.scores[metric]).filter((s): s is number => typeof s === 'number');

/** The distributions section: a histogram per metric, then latency, tokens and cost per row. */
export function _distributionsSection(
  metricNames: readonly string[],
  records: readonly ExampleRecord[],
  baseline: readonly ExampleRecord[] | undefined,
  bounds: ReadonlyMap<string, readonly [number, number]>,
): string {
  if (records.length === 0) return '';
  const b = baseline && baseline.length > 0 ? baseline : undefined;
  const metricPanels = metricNames.map((name) =>
    _histogram({
      title: name,
      kind: 'metric',
      values: _scores(records, name),
      ...(b ? { baseline: _scores(b, name) } : {}),
      ...(bounds.has(name) ? { bounds: bounds.get(name)! } : {}),
    }),
  );
  const tokens = (r: ExampleRecord) =>
    r.usage ? (r.usage.inputTokens ?? 0) + (r.usage.outputTokens ?? 0) : Number.NaN;
  const costs = (rs: readonly ExampleRecord[]) => rs.map((r) => r.costUsd ?? Number.NaN);
  const usagePanels = [
    _histogram({
      title: 'latency per row (ms)',
      kind: 'latency',
      values: records.map((r) => r.latencyMs),
      ...(b ? { baseline: b.map((r) => r.latencyMs) } : {}),
      format: (v) => `${_formatNumber(v, 3)} ms`,
    }),
    _histogram({
      title: 'tokens per row (input + output)',
      kind: 'tokens',
      values: records.map(tokens),
      ...(b ? { baseline: b.map(tokens) } : {}),
      format: (v) => _formatNumber(v, 4),
    }),
    _histogram({
      title: 'cost per row (USD)',
      kind: 'cost',
      values: costs(records),
      ...(b ? { baseline: costs(b) } : {}),
      format: _formatCost,
    }),
  ];
  return (
    `<section id="distributions"><h2>Score distributions</h2><div class="panels">${metricPanels.join('')}</div>` +
    `<h2>Latency, tokens and cost</h2><div class="panels" id="usage">${usagePanels.join('')}</div></section>`
  );
}
