import { _describe } from '../_internal/describe.js';
import { _checkOptions } from '../_internal/validate.js';
import { _writeFileAtomic } from '../_internal/writeFileAtomic.js';
import type { EvalResult, MetricSummary } from '../result/EvalResult.js';
import { checkEvalResult, checkPath } from '../result/saveResult.js';
import { _attr, _metricDomain, _scale, _ticks } from './_axis.js';
import { _escapeHtml } from './_html.js';
import { _declaredBounds } from './_metricPanels.js';
import { _page, _runName } from './_page.js';
import { _estimateText, _formatNumber, _intervalText, formatLevel } from './format.js';

/** Every key of {@link HistoryReportOptions} (complete by construction): any other is refused. */
const HISTORY_REPORT_KEYS = Object.keys({ title: true, labels: true } satisfies Record<
  keyof HistoryReportOptions,
  true
>);

/** Options of {@link renderHistoryReport}. */
export interface HistoryReportOptions {
  /** Page heading and title. @default 'evalgate history' */
  readonly title?: string;
  /**
   * One label per result, in the same order, shown under its point (file names, commits, dates).
   * @default the run's model and the date it started
   */
  readonly labels?: readonly string[];
}

const WIDTH = 880;
const HEIGHT = 186;
const X0 = 56;
const X1 = 840;
const Y_TOP = 30;
const Y_BOTTOM = 160;

interface _Point {
  readonly run: number;
  readonly m: MetricSummary;
}

/** Whether two intervals are disjoint: the run moved by more than either run's uncertainty. */
const _disjoint = (a: MetricSummary, b: MetricSummary) => a.ci.high < b.ci.low || b.ci.high < a.ci.low;

function _panel(
  metric: string,
  results: readonly EvalResult[],
  labels: readonly string[],
  bounds: readonly [number, number] | undefined,
): string {
  const points: _Point[] = results.flatMap((r, run) => {
    const m = r.metrics[metric];
    return m ? [{ run, m }] : [];
  });
  const domain = _metricDomain(
    points.flatMap((p) => [p.m.mean, p.m.ci.low, p.m.ci.high]),
    bounds,
  );
  const x = (run: number) =>
    results.length === 1 ? (X0 + X1) / 2 : X0 + ((X1 - X0) * run) / (results.length - 1);
  // SVG y grows downwards: the domain's low end maps to the bottom.
  const y = _scale(domain, Y_BOTTOM, Y_TOP);
  const out: string[] = [];
  for (const t of _ticks(domain))
    out.push(
      `<line class="grid"${_attr('x1', X0 - 6)}${_attr('x2', X1)}${_attr('y1', y(t))}${_attr('y2', y(t))}/>`,
      `<text class="tick"${_attr('x', X0 - 10)}${_attr('y', y(t) + 4)} text-anchor="end">${_formatNumber(t)}</text>`,
    );
  out.push(
    `<line class="y-axis"${_attr('x1', X0 - 6)}${_attr('x2', X0 - 6)}${_attr('y1', Y_TOP)}${_attr('y2', Y_BOTTOM)}${_attr('data-domain-low', domain[0])}${_attr('data-domain-high', domain[1])}/>`,
  );
  // The band runs through consecutive runs that have a finite interval; a run without one breaks it.
  const runs: _Point[][] = [];
  for (const p of points) {
    const finite = Number.isFinite(p.m.ci.low) && Number.isFinite(p.m.ci.high);
    const last = runs[runs.length - 1];
    if (finite && last && last[last.length - 1]!.run === p.run - 1) last.push(p);
    else if (finite) runs.push([p]);
  }
  for (const band of runs) {
    const upper = band.map((p) => `${_formatNumber(x(p.run), 8)},${_formatNumber(y(p.m.ci.high), 8)}`);
    const lower = band
      .map((p) => `${_formatNumber(x(p.run), 8)},${_formatNumber(y(p.m.ci.low), 8)}`)
      .reverse();
    out.push(
      band.length === 1
        ? `<line class="history-whisker"${_attr('x1', x(band[0]!.run))}${_attr('x2', x(band[0]!.run))}${_attr('y1', y(band[0]!.m.ci.high))}${_attr('y2', y(band[0]!.m.ci.low))}/>`
        : `<polygon class="history-band"${_attr('points', [...upper, ...lower].join(' '))}/>`,
    );
  }
  const finitePoints = points.filter((p) => Number.isFinite(p.m.mean));
  if (finitePoints.length > 1)
    out.push(
      `<polyline class="history-line"${_attr('points', finitePoints.map((p) => `${_formatNumber(x(p.run), 8)},${_formatNumber(y(p.m.mean), 8)}`).join(' '))}/>`,
    );
  points.forEach((p, i) => {
    const prev = points[i - 1];
    const moved = prev !== undefined && prev.run === p.run - 1 && _disjoint(prev.m, p.m);
    const tip = `${labels[p.run]}: ${metric} ${_estimateText(p.m.mean)} ${formatLevel(p.m.ci.level)} ${_intervalText(p.m.ci)}, n=${p.m.n}${moved ? ' (interval disjoint from the previous run’s)' : ''}`;
    if (Number.isFinite(p.m.mean))
      out.push(
        `<circle class="history-point${moved ? ' moved' : ''}"${_attr('cx', x(p.run))}${_attr('cy', y(p.m.mean))} r="${moved ? 6 : 4.5}"${_attr('data-run', p.run)}${_attr('data-estimate', p.m.mean)}${_attr('data-low', p.m.ci.low)}${_attr('data-high', p.m.ci.high)}><title>${_escapeHtml(tip)}</title></circle>`,
      );
  });
  labels.forEach((label, run) => {
    const shown = label.length > 18 ? `${label.slice(0, 17)}…` : label;
    out.push(
      `<text class="run-label"${_attr('x', x(run))}${_attr('y', Y_BOTTOM + 18)} text-anchor="middle"><title>${_escapeHtml(label)}</title>${_escapeHtml(shown)}</text>`,
    );
  });
  const shownName = metric.length > 60 ? `${metric.slice(0, 59)}…` : metric;
  return (
    `<figure class="history-panel"${_attr('data-metric', metric)}>` +
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img"${_attr('aria-label', `${metric} over runs with confidence band`)}>` +
    `<text class="panel-title"${_attr('x', X0 - 40)} y="16"><title>${_escapeHtml(metric)}</title>${_escapeHtml(shownName)}</text>` +
    `${out.join('')}</svg></figure>`
  );
}

function _table(
  metrics: readonly string[],
  results: readonly EvalResult[],
  labels: readonly string[],
): string {
  const head = ['run', 'started', 'n', ...metrics].map((h) => `<th>${_escapeHtml(h)}</th>`).join('');
  const body = results.map((r, i) => {
    const cells = [
      _escapeHtml(labels[i]),
      _escapeHtml(r.run.startedAt),
      String(r.n),
      ...metrics.map((name) => {
        const m = r.metrics[name];
        return m ? `${_estimateText(m.mean)} <span class="dim">${_intervalText(m.ci)}</span>` : '—';
      }),
    ];
    return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  });
  return `<table class="summary" id="history-table"><thead><tr>${head}</tr></thead><tbody>${body.join('')}</tbody></table>`;
}

/**
 * Renders several results of the same evaluation, oldest first, as one self-contained HTML page: for each
 * metric, its estimate over the runs (points and a line) inside its confidence band (the interval of each run,
 * joined into a shaded band), each metric on its own axis. A steady trend shows as a band that moves; a one-off
 * dip as one point whose interval leaves the band and comes back. A run whose interval does not overlap the
 * previous run's is drawn larger. Below the plots, a table of every run's estimates and intervals.
 *
 * The page loads nothing (inline SVG and CSS, a Content-Security-Policy forbidding network access) and escapes
 * every metric name and label, as {@link renderHtmlReport} does.
 *
 * @param results - The runs, in the order to draw them (oldest first). At least one.
 * @param options - See {@link HistoryReportOptions}.
 * @throws {TypeError} when `results` is not a non-empty array of results, or an option has the wrong type;
 *   {@link RangeError} when `labels` has a different length than `results`.
 * @returns The HTML document as a string.
 * @example
 * ```ts
 * import { loadResult, renderHistoryReport } from 'evalgate';
 * const runs = await Promise.all(['r1.json', 'r2.json', 'r3.json'].map((f) => loadResult(f)));
 * const html = renderHistoryReport(runs, { labels: ['r1', 'r2', 'r3'] });
 * html.includes('class="history-band"'); // => true
 * ```
 */
export function renderHistoryReport(
  results: readonly EvalResult[],
  options: HistoryReportOptions = {},
): string {
  if (!Array.isArray(results) || results.length === 0)
    throw new TypeError(
      `Expected \`results\` to be a non-empty array of evalgate results, got ${_describe(results)}`,
    );
  for (const [i, r] of results.entries()) checkEvalResult(`results[${i}]`, r);
  _checkOptions('renderHistoryReport', options, HISTORY_REPORT_KEYS);
  if (options.title !== undefined && typeof options.title !== 'string')
    throw new TypeError(`Expected \`title\` to be a string, got ${_describe(options.title)}`);
  const { labels: given } = options;
  if (given !== undefined) {
    if (!Array.isArray(given) || !given.every((l) => typeof l === 'string'))
      throw new TypeError(`Expected \`labels\` to be an array of strings, got ${_describe(given)}`);
    if (given.length !== results.length)
      throw new RangeError(
        `Expected \`labels\` to have one label per result (${results.length}), got ${given.length}`,
      );
  }
  const labels =
    given ?? results.map((r) => `${_runName(r, undefined)} ${r.run.startedAt.slice(0, 10)}`.trim());
  const title = options.title ?? 'evalgate history';
  const metrics = [...new Set(results.flatMap((r) => Object.keys(r.metrics)))];
  const bounds = _declaredBounds(results[results.length - 1]!.config);
  const body = [
    `<header><h1>${_escapeHtml(title)}</h1><p class="dim">${results.length} runs, ${metrics.length} metrics; shaded: each run's confidence interval, joined; a larger dot: its interval does not overlap the previous run's.</p></header>`,
    `<section id="history"><h2>Metrics over runs</h2><div class="panels">${metrics.map((m) => _panel(m, results, labels, bounds.get(m))).join('')}</div></section>`,
    `<section id="runs"><h2>Runs</h2><div class="scroll">${_table(metrics, results, labels)}</div></section>`,
  ].join('\n');
  const data = {
    title,
    runs: results.map((r, i) => ({ label: labels[i], run: r.run, n: r.n, metrics: r.metrics })),
  };
  return _page(title, body, data, false);
}

/**
 * Writes {@link renderHistoryReport}'s page to `path` (atomically, creating parent directories).
 *
 * @param results - The runs, oldest first.
 * @param path - Where to write, e.g. `'reports/history.html'`.
 * @param options - See {@link HistoryReportOptions}.
 * @throws {TypeError} as {@link renderHistoryReport}, or when `path` is not a string.
 * @returns A promise that settles once the file is in place.
 * @example
 * ```ts
 * await writeHistoryReport(runs, 'reports/history.html', { title: 'QA over releases' });
 * ```
 */
export async function writeHistoryReport(
  results: readonly EvalResult[],
  path: string,
  options: HistoryReportOptions = {},
): Promise<void> {
  checkPath('path', path);
  await _writeFileAtomic(path, renderHistoryReport(results, options));
}
