/**
 * Rich display in Jupyter notebooks: results, comparisons and segment tables carry a method under
 * `Symbol.for('Jupyter.display')`, the protocol of Deno's Jupyter kernel, returning a MIME bundle with an HTML
 * table of the intervals, a small forest plot, and the terminal table as `text/plain`. The method is
 * non-enumerable, so `JSON.stringify`, `saveResult` and `toEqual` see the same object as before.
 * @module
 */

import { stoppedReason } from '../result/assertResult.js';
import type { Comparison, MetricComparison } from '../result/Comparison.js';
import type { ConfidenceInterval, EvalResult, MetricSummary } from '../result/EvalResult.js';
import { _calibrationHtml } from './_calibrationTables.js';
import { _canShareAxis, type _ForestRow, _forestPlot } from './_forestPlot.js';
import { _escapeHtml } from './_html.js';
import { _differenceTone } from './_metricPanels.js';
import { _toolUseLine } from './_trajectorySection.js';
import {
  _estimateText,
  _formatNumber,
  _intervalText,
  formatInterval,
  formatJudgeBias,
  formatLevel,
  formatPValue,
  formatSigned,
  formatTotalCost,
  gatedIntervalCell,
  sharedLevel,
} from './format.js';
import {
  _comparisonHeader,
  _comparisonMargin,
  _nonInferiorCell,
  failedOnOneSideText,
  formatComparisonTable,
  significanceVerdict,
} from './formatComparisonTable.js';
import { formatResultTable } from './formatResultTable.js';
import { renderTable } from './renderTable.js';

/**
 * The key notebook kernels look up on a cell's value (Deno's kernel: `Symbol.for('Jupyter.display')`). Results
 * and comparisons carry it, non-enumerable, once `evalgate` is imported.
 * @example
 * ```ts
 * Object.keys(result[JUPYTER_DISPLAY]()); // the bundle a Jupyter cell shows
 * // => ['text/html', 'text/plain']
 * ```
 */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for('Jupyter.display') as never;

/** What a notebook shows for a value: HTML in the notebook, plain text in terminals and text exports. */
export interface NotebookBundle {
  readonly 'text/html': string;
  readonly 'text/plain': string;
}

/** One segment's (category's) metric estimates, as {@link segmentTable} keeps them. */
export interface SegmentRow {
  /** Rows evaluated in the segment. */
  readonly n: number;
  readonly metrics: Readonly<Record<string, Pick<MetricSummary, 'mean' | 'ci' | 'n'>>>;
}

/** Per-segment results side by side, from {@link segmentTable}. */
export interface SegmentTable {
  readonly kind: 'evalgate-segments';
  /** Segment name -> its estimates, in the order given. */
  readonly segments: Readonly<Record<string, SegmentRow>>;
}

let roots = 0;

/**
 * A root element with an id of its own, and a style sheet whose every rule starts with that id: the display
 * neither takes the notebook's styles for tables nor changes them. Colours come from the text colour, so
 * light and dark themes both read.
 */
function scoped(body: string): string {
  const id = `evalgate-nb-${Date.now().toString(36)}-${(roots++).toString(36)}`;
  const r = `#${id}`;
  const css = [
    `${r}{font:13px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;color:inherit;--eg-main:#2563eb;--eg-good:#16a34a;--eg-bad:#dc2626;--eg-base:#9ca3af}`,
    `${r} .eg-caption{margin:0 0 6px;opacity:.75}`,
    `${r} table.eg-table{border-collapse:collapse;font-variant-numeric:tabular-nums;margin:0 0 6px;width:auto}`,
    `${r} table.eg-table th,${r} table.eg-table td{border:0;border-bottom:1px solid rgba(128,128,128,.35);padding:3px 10px;text-align:left;white-space:nowrap;background:none}`,
    `${r} table.eg-table td.num{text-align:right}`,
    `${r} .eg-warn{color:#b45309}`,
    `${r} svg{max-width:100%;height:auto;display:block}`,
    `${r} svg text{font:12px system-ui,sans-serif;fill:currentColor}`,
    `${r} svg .tick,${r} svg .ref-label{opacity:.7}`,
    `${r} .ci-bar{stroke:var(--eg-main);stroke-width:2.5}`,
    `${r} .ci-cap{stroke:currentColor;stroke-width:1}`,
    `${r} .estimate,${r} .estimate-legend{fill:var(--eg-main)}`,
    `${r} .tone-good .ci-bar{stroke:var(--eg-good)}${r} .tone-good .estimate{fill:var(--eg-good)}`,
    `${r} .tone-bad .ci-bar{stroke:var(--eg-bad)}${r} .tone-bad .estimate{fill:var(--eg-bad)}`,
    `${r} .ci-bar-baseline{stroke:var(--eg-base);stroke-width:2.5}${r} .estimate-baseline{fill:var(--eg-base)}`,
    `${r} .axis,${r} .tick-mark,${r} .row-axis{stroke:#9ca3af}${r} .row-axis{stroke-dasharray:2 3}`,
    `${r} .zero-line{stroke:currentColor;stroke-width:1}`,
    `${r} .margin-line{stroke:var(--eg-bad);stroke-width:1.5;stroke-dasharray:5 4}`,
  ].join('\n');
  return `<div id="${id}" class="evalgate-nb"><style>\n${css}\n</style>${body}</div>`;
}

function htmlTable(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: ReadonlySet<number>,
) {
  const th = head.map((h) => `<th>${h}</th>`).join('');
  const body = rows
    .map(
      (cells) =>
        `<tr>${cells.map((c, i) => `<td${numeric.has(i) ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<table class="eg-table"><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

const intervalCell = (ci: ConfidenceInterval) =>
  `${_intervalText(ci)} <span style="opacity:.7">${_escapeHtml(ci.method)}</span>`;

/**
 * The notebook view of a result: a line about the run, a table with each metric's estimate, interval (level
 * and method), rows scored and missing, and a forest plot of the intervals.
 * @param result - what `evaluate()` or `loadResult()` returned.
 * @returns `{ 'text/html', 'text/plain' }`; the plain text is {@link formatResultTable}'s table.
 * @example
 * ```ts
 * resultBundle(result)['text/html'].startsWith('<div id="evalgate-nb-');
 * // => true
 * ```
 */
export function resultBundle(result: EvalResult): NotebookBundle {
  const metrics = Object.entries(result.metrics);
  const level = metrics[0]?.[1].ci.level ?? 0.95;
  const { totals } = result;
  // A run stopped by an abort or its budget is partial; one stopped by its gate deciding is not (its gate cell
  // says so), as in the text table.
  const stopped = stoppedReason(result);
  const caption = `${result.n} rows, ${result.nFailed} failed · ${totals.requests} requests · cost ${formatTotalCost(totals)} · cache ${totals.cacheHits}/${totals.cacheHits + totals.cacheMisses} hits${stopped === undefined ? '' : ` · ${stopped}: a partial run`}`;
  // The metric a gate decided on shows the decision and its confidence sequence (an early stop voids the
  // bootstrap interval), as in the text table, the reporter, the Markdown summary and the HTML report.
  const gate = result.gate;
  const decided = (name: string) =>
    gate !== undefined && gate.metric === name && gate.decision !== 'undecided';
  const rows = metrics.map(([name, m]) => {
    const gated = gatedIntervalCell(gate, name, m.ci);
    return [
      _escapeHtml(name),
      _escapeHtml(m.kind),
      _estimateText(m.mean),
      gated === undefined ? intervalCell(m.ci) : _escapeHtml(gated),
      String(m.n),
      String(m.nMissing),
      m.warning === undefined ? '' : `<span class="eg-warn">${_escapeHtml(m.warning)}</span>`,
    ];
  });
  const forest: _ForestRow[] = metrics.map(([name, m]) => ({
    label: name,
    main: !decided(name)
      ? { estimate: m.mean, low: m.ci.low, high: m.ci.high }
      : gate!.kind === 'non-inferiority'
        ? { estimate: m.mean, low: Number.NaN, high: Number.NaN }
        : { estimate: m.mean, low: gate!.lower, high: gate!.upper },
  }));
  const bias = metrics
    .filter(([, m]) => m.judge !== undefined)
    .map(
      ([name, m]) =>
        `<p class="eg-caption">${_escapeHtml(`judge bias, ${name}: ${formatJudgeBias(m.judge!)}`)}</p>`,
    )
    .join('');
  const plot =
    forest.length === 0
      ? ''
      : _forestPlot(forest, {
          title: 'Metric estimates with confidence intervals',
          sharedAxis: _canShareAxis(forest),
        });
  const warnings = (result.warnings ?? []).map((w) => `<p class="eg-warn">${_escapeHtml(w)}</p>`).join('');
  const toolUse = _toolUseLine(result.examples);
  const html = scoped(
    `<p class="eg-caption">${_escapeHtml(caption)}</p>${htmlTable(
      ['metric', 'kind', 'mean', _escapeHtml(formatLevel(level)), 'n', 'missing', ''],
      rows,
      new Set([2, 4, 5]),
    )}${bias}${toolUse === '' ? '' : `<p class="eg-caption">${_escapeHtml(toolUse)}</p>`}${plot}${_calibrationHtml(result.metrics, 'eg-table')}${warnings}`,
  );
  const text = formatResultTable(result);
  return Object.freeze({ 'text/html': html, 'text/plain': toolUse === '' ? text : `${text}\n${toolUse}` });
}

/**
 * The notebook view of a comparison: per metric both means, the difference with its paired interval, the test,
 * raw and adjusted p-values, the verdict (and non-inferiority when a margin was given), and a forest plot of the
 * differences with zero and `-margin` drawn.
 * @param comparison - what `compare()` returned.
 * @returns `{ 'text/html', 'text/plain' }`; the plain text is {@link formatComparisonTable}'s table.
 * @example
 * ```ts
 * comparisonBundle(compare(v1, v2))['text/plain'].startsWith('metric');
 * // => true
 * ```
 */
export function comparisonBundle(comparison: Comparison): NotebookBundle {
  const metrics = Object.values(comparison.metrics);
  const margin = _comparisonMargin(comparison);
  const verdict = (m: MetricComparison) => significanceVerdict(m, comparison.alpha);
  const rows = metrics.map((m) => [
    _escapeHtml(m.metric),
    _formatNumber(m.baselineMean),
    _formatNumber(m.candidateMean),
    formatSigned(m.difference),
    intervalCell(m.ci),
    String(m.n),
    `${_escapeHtml(m.test)} <span style="opacity:.7">${_escapeHtml(m.testMethod)}</span>`,
    formatPValue(m.pValue),
    formatPValue(m.pValueAdjusted),
    _formatNumber(m.effectSize, 3),
    verdict(m),
    ...(margin === undefined ? [] : [_nonInferiorCell(m, comparison)]),
  ]);
  const forest: _ForestRow[] = metrics.map((m) => ({
    label: m.metric,
    main: { estimate: m.difference, low: m.ci.low, high: m.ci.high },
    tone: _differenceTone(m, comparison),
    note: `${formatSigned(m.difference)} ${formatInterval(m.ci)}`,
  }));
  const plot =
    forest.length === 0
      ? ''
      : _forestPlot(forest, {
          title: 'Candidate minus baseline, with confidence intervals',
          sharedAxis: true,
          referenceLines: [
            { value: 0, className: 'zero-line', label: '0' },
            ...(margin === undefined
              ? []
              : [{ value: -margin, className: 'margin-line', label: `−margin (${_formatNumber(-margin)})` }]),
          ],
        });
  const caption = `candidate − baseline on ${comparison.nPaired} paired rows${failedOnOneSideText(comparison)} · α=${_formatNumber(comparison.alpha)}, ${comparison.adjustment} adjustment${margin === undefined ? '' : ` · margin ${_formatNumber(margin)}`}`;
  const html = scoped(
    `<p class="eg-caption">${_escapeHtml(caption)}</p>${
      comparison.partial === undefined
        ? ''
        : `<p class="eg-warn">${_escapeHtml(comparison.partial)}: a comparison of partial runs passes no gate</p>`
    }${htmlTable(_comparisonHeader(comparison, margin).map(_escapeHtml), rows, new Set([1, 2, 3, 5, 7, 8, 9]))}${plot}`,
  );
  return Object.freeze({ 'text/html': html, 'text/plain': formatComparisonTable(comparison) });
}

/** Segment name and metric name, as the two table headers read them. */
function segmentColumns(table: SegmentTable): string[] {
  const names = new Set<string>();
  for (const row of Object.values(table.segments)) for (const m of Object.keys(row.metrics)) names.add(m);
  return [...names];
}

/**
 * The notebook view of a segment table: one row per segment, per metric its mean and interval.
 * @returns `{ 'text/html', 'text/plain' }`.
 * @example
 * ```ts
 * segmentBundle(segmentTable({ small: r1, large: r2 }))['text/plain'].split('\n')[0];
 * // => 'segment  n    exact_match  95% CI ...'
 * ```
 */
export function segmentBundle(table: SegmentTable): NotebookBundle {
  const metrics = segmentColumns(table);
  const entries = Object.entries(table.segments);
  const own = (row: SegmentRow, m: string) => (Object.hasOwn(row.metrics, m) ? row.metrics[m] : undefined);
  // Each metric's interval column names the level its segments share; segments evaluated at different levels
  // head it 'CI' and each cell names its own.
  const levels = metrics.map((m) =>
    sharedLevel(entries.flatMap(([, row]) => (own(row, m) === undefined ? [] : [own(row, m)!.ci.level]))),
  );
  const cells = (row: SegmentRow, fmt: (ci: ConfidenceInterval) => string) =>
    metrics.flatMap((m, i) => {
      const s = own(row, m);
      if (s === undefined) return ['', ''];
      const level = levels[i] === undefined ? ` (${formatLevel(s.ci.level)})` : '';
      return [_formatNumber(s.mean), `${fmt(s.ci)}${level}`];
    });
  const head = ['segment', 'n', ...metrics.flatMap((m, i) => [m, levels[i] ?? 'CI'])];
  const html = scoped(
    htmlTable(
      head.map(_escapeHtml),
      entries.map(([name, row]) => [_escapeHtml(name), String(row.n), ...cells(row, intervalCell)]),
      new Set([1, ...metrics.map((_, i) => 2 + 2 * i)]),
    ),
  );
  const text = renderTable(
    head,
    entries.map(([name, row]) => [name, String(row.n), ...cells(row, (ci) => formatInterval(ci))]),
  );
  return Object.freeze({ 'text/html': html, 'text/plain': text });
}

/**
 * Puts `bundle` on `target` under {@link JUPYTER_DISPLAY}, non-enumerable (JSON and `toEqual` do not see it).
 * Call before freezing `target`. Returns `target`.
 * @internal
 */
export function attachNotebookDisplay<T extends object>(target: T, bundle: (t: T) => NotebookBundle): T {
  if (!Object.isExtensible(target) || Object.hasOwn(target, JUPYTER_DISPLAY)) return target;
  Object.defineProperty(target, JUPYTER_DISPLAY, {
    value: function display(this: T) {
      return bundle(this);
    },
    enumerable: false,
    writable: false,
    configurable: false,
  });
  return target;
}

/**
 * Lays results for segments (categories, slices) of a dataset side by side, for a notebook cell to show: one
 * row per segment, per metric the mean and its interval. Each result keeps its own interval (computed on that
 * segment's rows by `evaluate()`).
 * @param results - segment name -> the result evaluated on that segment, in display order.
 * @throws {TypeError} when `results` is not an object of results.
 * @returns a frozen {@link SegmentTable} that displays as a table in Jupyter.
 * @example
 * ```ts
 * segmentTable({ 'one carry': carry, 'no carry': noCarry }); // a notebook cell shows the table
 * ```
 */
export function segmentTable(results: Readonly<Record<string, EvalResult>>): SegmentTable {
  if (results === null || typeof results !== 'object' || Array.isArray(results))
    throw new TypeError(
      `Expected \`results\` to be an object of segment name -> EvalResult, got \`${String(results)}\` (${results === null ? 'null' : Array.isArray(results) ? 'array' : typeof results})`,
    );
  // Entries, not assignments: a segment (or a loaded file's metric) named `__proto__` is a row, not a prototype.
  const segments: [string, SegmentRow][] = [];
  for (const [name, r] of Object.entries(results)) {
    if (r === null || typeof r !== 'object' || typeof (r as Partial<EvalResult>).metrics !== 'object')
      throw new TypeError(
        `Expected \`results.${name}\` to be an EvalResult, got \`${String(r)}\` (${typeof r})`,
      );
    const metrics = Object.entries(r.metrics).map(
      ([m, s]): [string, Pick<MetricSummary, 'mean' | 'ci' | 'n'>] => [
        m,
        Object.freeze({ mean: s.mean, ci: s.ci, n: s.n }),
      ],
    );
    segments.push([name, Object.freeze({ n: r.n, metrics: Object.freeze(Object.fromEntries(metrics)) })]);
  }
  const table: SegmentTable = {
    kind: 'evalgate-segments',
    segments: Object.freeze(Object.fromEntries(segments)),
  };
  return Object.freeze(attachNotebookDisplay(table, segmentBundle));
}
