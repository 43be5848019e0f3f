import { _describe } from '../_internal/describe.js';
import { _checkInteger, _checkOptionsObject } from '../_internal/validate.js';
import { _writeFileAtomic } from '../_internal/writeFileAtomic.js';
import type { Comparison, MetricComparison } from '../result/Comparison.js';
import type { EvalResult, ExampleRecord } from '../result/EvalResult.js';
import { _checkEvalResult, _checkPath } from '../result/saveResult.js';
import { _canShareAxis, type _ForestRow, _forestPlot } from './_forestPlot.js';
import { _escapeHtml, _jsonForScript } from './_html.js';
import {
  _formatCost,
  _formatInterval,
  _formatLevel,
  _formatNumber,
  _formatPValue,
  _formatSigned,
} from './format.js';
import {
  _checkComparison,
  _comparisonHeader,
  _comparisonMargin,
  _significanceVerdict,
} from './formatComparisonTable.js';
import { _formatGateLine } from './formatGateLine.js';

/** Options of {@link renderHtmlReport}. */
export interface HtmlReportOptions {
  /** A baseline result: its estimates and intervals are drawn next to the result's. @default none */
  readonly baseline?: EvalResult;
  /**
   * `compare(baseline, result)`: adds a forest plot of the differences (zero and `-margin` drawn) and a table
   * of tests, p-values, effect sizes and verdicts. @default none
   */
  readonly comparison?: Comparison;
  /** Page heading and title. @default 'evalgate report' */
  readonly title?: string;
  /** Example records shown in the table (the first ones). Minimum: `0`. @default 5000 */
  readonly maxExamples?: number;
}

const _text = (value: unknown): string => {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? String(value);
};

/** Characters of a cell shown before the rest is folded away. */
const CELL_CHARS = 2000;

/**
 * A cell's text, escaped. Past {@link CELL_CHARS} characters only the start is shown and the whole text sits in
 * a closed `<details>`, which browsers do not lay out until it is opened: a 1 MB output stays one click away
 * without making the page too heavy to render.
 */
function _cellText(text: string): string {
  if (text.length <= CELL_CHARS) return _escapeHtml(text);
  // Never cut a surrogate pair in half.
  const end = /[\uD800-\uDBFF]/.test(text[CELL_CHARS - 1]!) ? CELL_CHARS - 1 : CELL_CHARS;
  return (
    `${_escapeHtml(text.slice(0, end))}<span class="dim">…</span>` +
    `<details class="full"><summary>show all ${text.length.toLocaleString('en-US')} characters</summary>${_escapeHtml(text)}</details>`
  );
}

function _details(details: ExampleRecord['details']): string {
  if (!details) return '';
  const items = Object.entries(details).map(([key, value]) => {
    const reason =
      value !== null &&
      typeof value === 'object' &&
      typeof (value as { reason?: unknown }).reason === 'string'
        ? (value as { reason: string }).reason
        : _text(value);
    return `<dt>${_escapeHtml(key)}</dt><dd>${_cellText(reason)}</dd>`;
  });
  return `<dl class="details">${items.join('')}</dl>`;
}

function _metricsSection(result: EvalResult, baseline: EvalResult | undefined): string {
  const names = Object.keys(result.metrics);
  const rows: _ForestRow[] = names.map((name) => {
    const m = result.metrics[name]!;
    const b = baseline?.metrics[name];
    return {
      label: name,
      main: { estimate: m.mean, low: m.ci.low, high: m.ci.high },
      ...(b ? { secondary: { estimate: b.mean, low: b.ci.low, high: b.ci.high } } : {}),
    };
  });
  const plot =
    names.length === 0
      ? '<p>No metrics.</p>'
      : _forestPlot(rows, {
          title: 'Estimate and confidence interval of every metric',
          sharedAxis: _canShareAxis(rows),
          legend: baseline ? ['this run', 'baseline'] : ['estimate and CI'],
        });
  const head = [
    'metric',
    'kind',
    'estimate',
    'CI',
    'n',
    'missing',
    'method',
    ...(baseline ? ['baseline', 'baseline CI'] : []),
  ];
  const body = names.map((name) => {
    const m = result.metrics[name]!;
    const b = baseline?.metrics[name];
    const cells = [
      _escapeHtml(name),
      m.kind,
      _formatNumber(m.mean),
      `${_formatInterval(m.ci)} <span class="dim">${_formatLevel(m.ci.level)}</span>`,
      String(m.n),
      String(m.nMissing),
      _escapeHtml(m.ci.method) + (m.warning ? ` <span class="warn">${_escapeHtml(m.warning)}</span>` : ''),
      ...(baseline ? [b ? _formatNumber(b.mean) : '—', b ? _formatInterval(b.ci) : '—'] : []),
    ];
    return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  });
  return `<section id="metrics"><h2>Metrics</h2><figure>${plot}</figure><table class="summary"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table></section>`;
}

function _comparisonSection(comparison: Comparison): string {
  const metrics = Object.values(comparison.metrics);
  const margin = _comparisonMargin(comparison);
  const verdict = (m: MetricComparison) => _significanceVerdict(m, comparison.alpha);
  const rows: _ForestRow[] = metrics.map((m) => ({
    label: m.metric,
    main: { estimate: m.difference, low: m.ci.low, high: m.ci.high },
    tone:
      (margin !== undefined && !(m.ci.low > -margin)) || verdict(m) === 'worse'
        ? 'bad'
        : verdict(m) === 'better' || (margin !== undefined && m.ci.low > -margin)
          ? 'good'
          : 'neutral',
    note: `${_formatSigned(m.difference)} ${_formatInterval(m.ci)}`,
  }));
  const plot = _forestPlot(rows, {
    title: 'Candidate minus baseline, with confidence intervals',
    sharedAxis: true,
    referenceLines: [
      { value: 0, className: 'zero-line', label: '0' },
      ...(margin === undefined
        ? []
        : [{ value: -margin, className: 'margin-line', label: `−margin (${_formatNumber(-margin)})` }]),
    ],
    legend: ['candidate − baseline and CI (green: better or non-inferior, red: worse or inferior)'],
  });
  const head = _comparisonHeader(comparison, margin).map(_escapeHtml);
  const body = metrics.map((m) => {
    const cells = [
      _escapeHtml(m.metric),
      _formatNumber(m.baselineMean),
      _formatNumber(m.candidateMean),
      _formatSigned(m.difference),
      _formatInterval(m.ci),
      String(m.n),
      `${_escapeHtml(m.test)} <span class="dim">(${_escapeHtml(m.testMethod)})</span>`,
      _formatPValue(m.pValue),
      _formatPValue(m.pValueAdjusted),
      _formatNumber(m.effectSize, 3),
      verdict(m),
      ...(margin === undefined ? [] : [m.ci.low > -margin ? 'yes' : '<strong class="bad">no</strong>']),
    ];
    return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  });
  const unpaired = comparison.nUnpaired > 0 ? `, ${comparison.nUnpaired} unpaired rows ignored` : '';
  return `<section id="comparison"><h2>Comparison with the baseline</h2><p class="dim">${comparison.nPaired} paired rows${unpaired}.</p><figure>${plot}</figure><table class="summary"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table></section>`;
}

function _examplesSection(result: EvalResult, maxExamples: number): string {
  const records = result.examples.slice(0, maxExamples);
  if (result.examples.length === 0) {
    const where = result.examplesFile
      ? ` They were streamed to <code>${_escapeHtml(result.examplesFile)}</code>.`
      : '';
    return `<section id="examples"><h2>Examples</h2><p>No example records in this result.${where}</p></section>`;
  }
  const metricNames = [
    ...new Set([...Object.keys(result.metrics), ...records.flatMap((r) => Object.keys(r.scores))]),
  ];
  const hasTrials = records.some((r) => r.trial !== 0);
  const hasGroups = records.some((r) => r.group !== undefined);
  type Column = { label: string; type: 'text' | 'number'; cell: (r: ExampleRecord) => string };
  const textCell = (v: unknown) => `<td><div class="text">${_cellText(_text(v))}</div></td>`;
  const numberCell = (v: number | null | undefined, shown = v == null ? '' : _formatNumber(v)) =>
    `<td class="num"${v == null || Number.isNaN(v) ? ' data-value=""' : ` data-value="${v}"`}>${shown}</td>`;
  const columns: Column[] = [
    { label: 'id', type: 'text', cell: (r) => `<td class="id">${_escapeHtml(r.id)}</td>` },
    ...(hasTrials
      ? [{ label: 'trial', type: 'number' as const, cell: (r: ExampleRecord) => numberCell(r.trial) }]
      : []),
    ...(hasGroups
      ? [{ label: 'group', type: 'text' as const, cell: (r: ExampleRecord) => textCell(r.group) }]
      : []),
    { label: 'input', type: 'text', cell: (r) => textCell(r.input) },
    { label: 'reference', type: 'text', cell: (r) => textCell(r.reference) },
    {
      label: 'output',
      type: 'text',
      cell: (r) => (r.output === null ? '<td><span class="bad">no output</span></td>' : textCell(r.output)),
    },
    ...metricNames.map(
      (name): Column => ({
        label: name,
        type: 'number',
        cell: (r) => {
          const s = r.scores[name];
          return numberCell(s, s == null ? '<span class="dim">missing</span>' : _formatNumber(s));
        },
      }),
    ),
    {
      label: 'latency (ms)',
      type: 'number',
      cell: (r) => numberCell(r.latencyMs, String(Math.round(r.latencyMs))),
    },
    {
      label: 'error',
      type: 'text',
      cell: (r) =>
        r.error
          ? `<td class="error"><div class="text"><strong>${_escapeHtml(r.error.name)}</strong>${r.error.code ? ` <code>${_escapeHtml(r.error.code)}</code>` : ''}: ${_cellText(r.error.message)}</div></td>`
          : '<td></td>',
    },
    { label: 'details', type: 'text', cell: (r) => `<td>${_details(r.details)}</td>` },
  ];
  const head = columns
    .map(
      (c, i) =>
        `<th aria-sort="none"><button type="button" class="sort" data-col="${i}" data-type="${c.type}">${_escapeHtml(c.label)}</button></th>`,
    )
    .join('');
  const body = records
    .map(
      (r) =>
        `<tr${r.error || r.output === null ? ' class="failed"' : ''}>${columns.map((c) => c.cell(r)).join('')}</tr>`,
    )
    .join('\n');
  const capped =
    result.examples.length > records.length
      ? ` <span class="warn">showing the first ${records.length} of ${result.examples.length}</span>`
      : '';
  return (
    `<section id="examples"><h2>Examples</h2>` +
    `<p class="controls"><label>Filter <input id="filter" type="search" placeholder="text in any column" autocomplete="off"></label> ` +
    `<span id="shown-count">${records.length} of ${records.length} shown</span>${capped}</p>` +
    `<div class="scroll"><table id="examples-table"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div></section>`
  );
}

const _style = `
:root{--fg:#1f2937;--dim:#6b7280;--line:#e5e7eb;--main:#2563eb;--base:#9ca3af;--good:#15803d;--bad:#b91c1c}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);margin:24px auto;max-width:1280px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
.dim,.tick,.ref-label{color:var(--dim);fill:var(--dim)}.warn{color:#b45309}.bad{color:var(--bad)}figure{margin:8px 0}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
table.summary td:nth-child(n+3){white-space:nowrap}td.num{text-align:right;white-space:nowrap}tr.failed{background:#fef2f2}
.scroll{overflow-x:auto}.text{max-height:8em;overflow:auto;white-space:pre-wrap;overflow-wrap:anywhere;min-width:9em;max-width:36em}
button.sort{font:inherit;font-weight:600;border:0;background:none;padding:0;cursor:pointer;color:inherit}
th[aria-sort=ascending] button.sort::after{content:" ▲"}th[aria-sort=descending] button.sort::after{content:" ▼"}
.controls input{font:inherit;padding:3px 6px;width:20em}.details{margin:0}.details dt{font-weight:600}.details dd{margin:0 0 4px}
svg text{font:12px system-ui,sans-serif;fill:var(--fg)}svg .tick,svg .ref-label{fill:var(--dim)}
.ci-bar{stroke:var(--main);stroke-width:2.5}.ci-cap{stroke:var(--fg);stroke-width:1}.estimate,.estimate-legend{fill:var(--main)}
.tone-good .ci-bar{stroke:var(--good)}.tone-good .estimate{fill:var(--good)}.tone-bad .ci-bar{stroke:var(--bad)}.tone-bad .estimate{fill:var(--bad)}
.ci-bar-baseline{stroke:var(--base);stroke-width:2.5}.estimate-baseline{fill:var(--base)}
.axis,.tick-mark,.row-axis{stroke:#9ca3af}.row-axis{stroke-dasharray:2 3}.zero-line{stroke:var(--fg);stroke-width:1}
.margin-line{stroke:var(--bad);stroke-width:1.5;stroke-dasharray:5 4}
`;

// Sorting compares data-value numerically when a cell has one (empty values last), text otherwise; the
// filter hides rows whose text does not contain the query. No user data is interpolated here.
const _script = `
(() => {
  const table = document.getElementById('examples-table');
  if (!table) return;
  const tbody = table.tBodies[0];
  const rows = Array.from(tbody.rows);
  const texts = rows.map((r) => r.textContent.toLowerCase());
  const filter = document.getElementById('filter');
  const count = document.getElementById('shown-count');
  const key = (row, col, type) => {
    const cell = row.cells[col];
    if (type === 'number') {
      const v = cell.dataset.value;
      return v === undefined || v === '' ? null : Number(v);
    }
    return cell.textContent.trim().toLowerCase();
  };
  table.tHead.addEventListener('click', (event) => {
    const button = event.target.closest('button.sort');
    if (!button) return;
    const th = button.parentElement;
    const col = Number(button.dataset.col);
    const type = button.dataset.type;
    const dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
    for (const other of table.tHead.rows[0].cells) other.setAttribute('aria-sort', 'none');
    th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
    const order = rows.map((row, i) => ({ row, i, k: key(row, col, type) }));
    order.sort((a, b) => {
      if (a.k === null || b.k === null) return a.k === b.k ? a.i - b.i : a.k === null ? 1 : -1;
      const c = type === 'number' ? a.k - b.k : a.k.localeCompare(b.k, undefined, { numeric: true });
      return c === 0 ? a.i - b.i : dir * c;
    });
    tbody.append(...order.map((o) => o.row));
  });
  filter.addEventListener('input', () => {
    const q = filter.value.trim().toLowerCase();
    let shown = 0;
    rows.forEach((row, i) => {
      row.hidden = q !== '' && !texts[i].includes(q);
      if (!row.hidden) shown++;
    });
    count.textContent = shown + ' of ' + rows.length + ' shown';
  });
})();
`;

/**
 * Renders a result as one self-contained HTML page: a forest plot (inline SVG) of every metric's estimate and
 * confidence interval, optionally next to a baseline's and with a second plot of candidate − baseline
 * differences (zero and `-margin` drawn), the tables behind the plots, and every example record with its
 * input, reference, output, scores, error and metric details (judge reasons), sortable by any column and
 * filterable by text.
 *
 * The page loads nothing: CSS, script and plots are inline, and a Content-Security-Policy forbids any
 * network access. All text that comes from a model, a dataset or a metric name is HTML-escaped (also inside
 * attributes), and the summary embedded as JSON (`<script type="application/json" id="evalgate-data">`)
 * escapes `<`, `>`, `&`, U+2028 and U+2029, so an output containing `</script>` stays text.
 *
 * @param result - The result to show.
 * @param options - See {@link HtmlReportOptions}.
 * @throws {TypeError} when `result`, `baseline` or `comparison` has the wrong shape, or an option the wrong type.
 * @returns The HTML document as a string.
 * @example
 * ```ts
 * import { renderHtmlReport } from 'evalgate';
 * const html = renderHtmlReport(candidate, { baseline: base, comparison: compare(base, candidate, { margin: 0.02 }) });
 * html.startsWith('<!doctype html>'); // => true
 * ```
 */
export function renderHtmlReport(result: EvalResult, options: HtmlReportOptions = {}): string {
  _checkEvalResult('result', result);
  _checkOptionsObject('options', options);
  if (options.baseline !== undefined) _checkEvalResult('baseline', options.baseline);
  if (options.comparison !== undefined) _checkComparison('comparison', options.comparison);
  if (options.title !== undefined && typeof options.title !== 'string')
    throw new TypeError(`Expected \`title\` to be a string, got ${_describe(options.title)}`);
  const maxExamples =
    options.maxExamples === undefined
      ? 5000
      : _checkInteger('maxExamples', options.maxExamples, 0, Number.POSITIVE_INFINITY, true);
  const title = options.title ?? 'evalgate report';
  const { run, totals } = result;
  const cacheCalls = totals.cacheHits + totals.cacheMisses;
  const facts = [
    `${result.n} rows, ${result.nFailed} failed`,
    `started ${_escapeHtml(run.startedAt)}`,
    `${_formatNumber(run.durationMs / 1000, 3)} s`,
    `${totals.requests} requests`,
    `${totals.inputTokens} + ${totals.outputTokens} tokens`,
    `cost ${_formatCost(totals.costUsd)}`,
    cacheCalls === 0 ? 'no cache' : `cache ${totals.cacheHits}/${cacheCalls} hits`,
    `evalgate ${_escapeHtml(run.evalgateVersion)}`,
  ];
  const stopped = run.stoppedBy
    ? `<p class="warn">The run stopped early (${_escapeHtml(run.stoppedBy)}): not every example ran.</p>`
    : '';
  const data = {
    title,
    run,
    n: result.n,
    nFailed: result.nFailed,
    totals,
    metrics: result.metrics,
    ...(options.baseline ? { baselineMetrics: options.baseline.metrics } : {}),
    ...(options.comparison ? { comparison: options.comparison } : {}),
  };
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${_escapeHtml(title)}</title><style>${_style}</style></head><body>`,
    `<header><h1>${_escapeHtml(title)}</h1><p class="dim">${facts.join(' · ')}</p>${stopped}${result.gate ? `<p class="gate">${_escapeHtml(_formatGateLine(result.gate, run.rowsPlanned))}</p>` : ''}</header>`,
    _metricsSection(result, options.baseline),
    options.comparison ? _comparisonSection(options.comparison) : '',
    _examplesSection(result, maxExamples),
    `<script type="application/json" id="evalgate-data">${_jsonForScript(data)}</script>`,
    `<script>${_script}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}

/**
 * Writes {@link renderHtmlReport}'s page to `path` (atomically, creating parent directories).
 *
 * @param result - The result to show.
 * @param path - Where to write, e.g. `'report.html'`.
 * @param options - See {@link HtmlReportOptions}.
 * @throws {TypeError} as {@link renderHtmlReport}, or when `path` is not a string.
 * @returns A promise that settles once the file is in place.
 * @example
 * ```ts
 * await writeHtmlReport(result, 'reports/qa.html', { baseline: base, comparison });
 * ```
 */
export async function writeHtmlReport(
  result: EvalResult,
  path: string,
  options: HtmlReportOptions = {},
): Promise<void> {
  _checkPath('path', path);
  await _writeFileAtomic(path, renderHtmlReport(result, options));
}
