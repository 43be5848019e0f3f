import { _describe } from '../_internal/describe.js';
import { _checkInteger, _checkOptions } from '../_internal/validate.js';
import { _writeFileAtomic } from '../_internal/writeFileAtomic.js';
import type { Comparison, MetricComparison } from '../result/Comparison.js';
import type { EvalResult } from '../result/EvalResult.js';
import { checkEvalResult, checkPath } from '../result/saveResult.js';
import { _calibratedComparisonHtml, _calibrationHtml } from './_calibrationTables.js';
import { _distributionsSection } from './_distributions.js';
import { _examplesSection, _segmentsByRecord } from './_examplesSection.js';
import { _gateLines, _gateSection } from './_gateAdvice.js';
import { _escapeHtml } from './_html.js';
import { _declaredBounds, _metricPanels } from './_metricPanels.js';
import { _page, _runName } from './_page.js';
import { _segmentsSection } from './_segmentsSection.js';
import { _toolUseSection } from './_trajectorySection.js';
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
} from './format.js';
import {
  _checkComparison,
  _comparisonHeader,
  _comparisonMargin,
  _nonInferiorCell,
  _nonInferiority,
  failedOnOneSideText,
  significanceVerdict,
} from './formatComparisonTable.js';
import { _formatGateLine } from './formatGateLine.js';

/** Every key of {@link HtmlReportOptions} (complete by construction): any other is refused. */
const HTML_REPORT_KEYS: readonly string[] = Object.keys({
  baseline: true,
  comparison: true,
  title: true,
  label: true,
  baselineLabel: true,
  gates: true,
  maxExamples: true,
  maxExampleBytes: true,
} satisfies Record<keyof HtmlReportOptions, true>);

/** Options of {@link renderHtmlReport}. */
export interface HtmlReportOptions {
  /**
   * A baseline result: its estimates and intervals are drawn next to the result's, and its example records
   * (paired by id and trial) beside the result's, with a diff of the two outputs. @default none
   */
  readonly baseline?: EvalResult;
  /**
   * `compare(baseline, result)`: adds each metric's difference and interval (zero and `-margin` drawn) to its
   * panel, a table of tests, p-values, effect sizes and verdicts, and the per-segment forest plots of
   * `comparison.segments`. @default none
   */
  readonly comparison?: Comparison;
  /** Page heading; the run names (model, label) follow it. @default 'evalgate report' */
  readonly title?: string;
  /** The run's label, shown after its model name: a prompt version, a branch, a commit. @default none */
  readonly label?: string;
  /** The baseline's label, shown after its model name. @default none */
  readonly baselineLabel?: string;
  /**
   * Gates to explain: metric name -> the bar the lower bound of its interval must reach (as
   * `toHaveLowerBoundAtLeast`). Each failing gate gets a line saying whether the estimate is below the bar or
   * the interval is too wide, with the examples `sampleSize()` says are needed. Any finite number on the
   * metric's scale. @default none (a comparison's margin and segment regressions are explained regardless)
   */
  readonly gates?: Readonly<Record<string, number>>;
  /** Example records shown in the table (the first ones). Minimum: `0`. @default 5000 */
  readonly maxExamples?: number;
  /**
   * Bytes (UTF-8) the example table's rows may take: the table stops at the last of the first `maxExamples` rows
   * that fits, and the page says how many rows it left out. Each long text is folded with at most 20,000 of its
   * characters; the page says how many characters were cut (every text is whole in the result file). A 20,000-row
   * run of 5 kB outputs with a baseline is about 110 MB at the 5,000 rows of `maxExamples` alone, which a browser
   * takes minutes to open. Minimum: `0`. @default 20_000_000 (20 MB)
   */
  readonly maxExampleBytes?: number;
}

function _metricsSection(
  result: EvalResult,
  baseline: EvalResult | undefined,
  comparison: Comparison | undefined,
): string {
  const names = Object.keys(result.metrics);
  if (names.length === 0) return '<section id="metrics"><h2>Metrics</h2><p>No metrics.</p></section>';
  const bounds = _declaredBounds(result.config);
  const panels = _metricPanels(result.metrics, baseline?.metrics, comparison, bounds, result.gate);
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
    // The metric a gate decided on shows the decision and its confidence sequence: an early stop voids the
    // bootstrap interval.
    const gated = gatedIntervalCell(result.gate, name, m.ci);
    const cells = [
      _escapeHtml(name),
      m.kind,
      _estimateText(m.mean),
      gated === undefined
        ? `${_intervalText(m.ci)} <span class="dim">${formatLevel(m.ci.level)}</span>`
        : `<span class="gate-cell">${_escapeHtml(gated)}</span>`,
      String(m.n),
      String(m.nMissing),
      _escapeHtml(gated === undefined ? m.ci.method : result.gate!.method) +
        (m.warning ? ` <span class="warn">${_escapeHtml(m.warning)}</span>` : ''),
      ...(baseline ? [b ? _estimateText(b.mean) : '—', b ? _intervalText(b.ci) : '—'] : []),
    ];
    return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  });
  return `<section id="metrics"><h2>Metrics</h2><p class="dim">One axis per metric; ${baseline ? 'grey: baseline, blue: this run; ' : ''}bars are confidence intervals${comparison ? ', the lower row of a panel is candidate − baseline with 0 and −margin' : ''}.</p>${panels}<table class="summary"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table></section>`;
}

/**
 * The measured biases of every judged metric (judge model, self-judging, length correlation with its interval,
 * position consistency), one line per metric as in the text table, the reporter and the Markdown summary.
 */
function _judgeBiasSection(result: EvalResult): string {
  const judged = Object.entries(result.metrics).filter(([, m]) => m.judge !== undefined);
  if (judged.length === 0) return '';
  const rows = judged.map(
    ([name, m]) =>
      `<tr data-metric="${_escapeHtml(name)}"><td>${_escapeHtml(name)}</td><td class="judge-bias">${_escapeHtml(formatJudgeBias(m.judge!))}</td></tr>`,
  );
  return `<section id="judge-bias"><h2>Judge bias</h2><p class="dim">What the run measured about each judge: whether it judges its own model, how its scores move with the output's length (Pearson r with its interval), and for pairwise judges how often a verdict survives swapping the two positions.</p><table class="summary"><thead><tr><th>metric</th><th>measured bias</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

function _comparisonSection(comparison: Comparison): string {
  const metrics = Object.values(comparison.metrics);
  const margin = _comparisonMargin(comparison);
  const verdict = (m: MetricComparison) => significanceVerdict(m, comparison.alpha);
  const head = _comparisonHeader(comparison, margin).map(_escapeHtml);
  const body = metrics.map((m) => {
    const cells = [
      _escapeHtml(m.metric),
      _formatNumber(m.baselineMean),
      _formatNumber(m.candidateMean),
      formatSigned(m.difference),
      formatInterval(m.ci),
      String(m.n),
      `${_escapeHtml(m.test)} <span class="dim">(${_escapeHtml(m.testMethod)}${m.definitionChanged === undefined ? '' : `; ${_escapeHtml(m.definitionChanged)}`})</span>`,
      formatPValue(m.pValue),
      formatPValue(m.pValueAdjusted),
      _formatNumber(m.effectSize, 3),
      verdict(m),
      ...(margin === undefined
        ? []
        : [
            m.margin === undefined || _nonInferiority(m) === 'yes'
              ? _nonInferiorCell(m, comparison)
              : `<strong class="bad">${_nonInferiorCell(m, comparison)}</strong>`,
          ]),
    ];
    return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  });
  const unpaired = comparison.nUnpaired > 0 ? `, ${comparison.nUnpaired} unpaired rows ignored` : '';
  const partial = comparison.partial ? ` <span class="warn">${_escapeHtml(comparison.partial)}</span>` : '';
  return `<section id="comparison"><h2>Comparison with the baseline</h2><p class="dim">${comparison.nPaired} paired rows${failedOnOneSideText(comparison)}${unpaired}.${partial}</p><table class="summary"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table></section>`;
}

function _checkString(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'string')
    throw new TypeError(`Expected \`${name}\` to be a string, got ${_describe(value)}`);
}

function _checkGates(gates: unknown, result: EvalResult): Readonly<Record<string, number>> {
  if (gates === undefined) return {};
  if (gates === null || typeof gates !== 'object' || Array.isArray(gates))
    throw new TypeError(
      `Expected \`gates\` to be an object of metric name -> lower-bound bar, got ${_describe(gates)}`,
    );
  for (const [metric, bar] of Object.entries(gates)) {
    if (!Object.hasOwn(result.metrics, metric))
      throw new TypeError(
        `Expected \`gates\` to name metrics of the result (${Object.keys(result.metrics)
          .map((m) => JSON.stringify(m))
          .join(', ')}), got ${JSON.stringify(metric)}`,
      );
    if (typeof bar !== 'number' || !Number.isFinite(bar))
      throw new TypeError(
        `Expected \`gates[${JSON.stringify(metric)}]\` to be a finite number, got ${_describe(bar)}`,
      );
  }
  return gates as Readonly<Record<string, number>>;
}

/**
 * Renders a result as one self-contained HTML page that answers "what changed": a panel per metric on its own
 * axis (estimate and interval, the baseline's beside it, and candidate − baseline with its interval against zero
 * and `-margin`), a gated run's decision in place of the gated metric's bootstrap interval, the measured biases
 * of every judged metric, a "what to do" line per failed gate, per-segment forest plots (worst regression first), score
 * histograms per metric and latency / tokens / cost histograms, and every example record with the baseline's
 * output and scores beside the candidate's, a word diff of the two outputs, and filters for regressed,
 * improved and failed rows; sortable by any column and filterable by text. The run names (the model recorded
 * in `result.config.model`, `label`) are in the title.
 *
 * The page loads nothing: CSS, script and plots are inline, and a Content-Security-Policy forbids any
 * network access. All text that comes from a model, a dataset or a metric name is HTML-escaped (also inside
 * attributes), and the summary embedded as JSON (`<script type="application/json" id="evalgate-data">`)
 * escapes `<`, `>`, `&`, U+2028 and U+2029, so an output containing `</script>` stays text.
 *
 * @param result - The result to show.
 * @param options - See {@link HtmlReportOptions}.
 * @throws {TypeError} when `result`, `baseline` or `comparison` has the wrong shape, an option the wrong type,
 *   or `gates` names a metric the result does not have.
 * @returns The HTML document as a string.
 * @example
 * ```ts
 * import { renderHtmlReport } from 'evalgate';
 * const html = renderHtmlReport(candidate, {
 *   baseline: base,
 *   comparison: compare(base, candidate, { margin: 0.02 }),
 *   label: 'prompt v2',
 *   gates: { exact_match: 0.7 },
 * });
 * html.startsWith('<!doctype html>'); // => true
 * ```
 */
export function renderHtmlReport(result: EvalResult, options: HtmlReportOptions = {}): string {
  checkEvalResult('result', result);
  _checkOptions('renderHtmlReport', options, HTML_REPORT_KEYS);
  const { baseline, comparison } = options;
  if (baseline !== undefined) checkEvalResult('baseline', baseline);
  if (comparison !== undefined) _checkComparison('comparison', comparison);
  _checkString('title', options.title);
  _checkString('label', options.label);
  _checkString('baselineLabel', options.baselineLabel);
  const gates = _checkGates(options.gates, result);
  const maxExamples =
    options.maxExamples === undefined
      ? 5000
      : _checkInteger('maxExamples', options.maxExamples, 0, Number.POSITIVE_INFINITY, true);
  const maxExampleBytes =
    options.maxExampleBytes === undefined
      ? 20_000_000
      : _checkInteger('maxExampleBytes', options.maxExampleBytes, 0, Number.POSITIVE_INFINITY, true);
  const title = options.title ?? 'evalgate report';
  // Unnamed runs are called "baseline" and "candidate" next to a named one, and not named at all otherwise.
  const ownName = _runName(result, options.label);
  const baseOwnName = baseline ? _runName(baseline, options.baselineLabel) : '';
  const name = ownName || (baseline ? 'candidate' : 'this run');
  const baseName = baseline ? baseOwnName || 'baseline' : undefined;
  const named = ownName !== '' || baseOwnName !== '';
  const names = baseName === undefined ? name : `${baseName} → ${name}`;
  const { run, totals } = result;
  const cacheCalls = totals.cacheHits + totals.cacheMisses;
  const facts = [
    `${result.n} rows, ${result.nFailed} failed`,
    `started ${_escapeHtml(run.startedAt)}`,
    `${_formatNumber(run.durationMs / 1000, 3)} s`,
    `${totals.requests} requests`,
    `${totals.inputTokens} + ${totals.outputTokens} tokens`,
    `cost ${formatTotalCost(totals)}${baseline ? ` (baseline ${formatTotalCost(baseline.totals)})` : ''}`,
    cacheCalls === 0 ? 'no cache' : `cache ${totals.cacheHits}/${cacheCalls} hits`,
    `evalgate ${_escapeHtml(run.evalgateVersion)}`,
  ];
  const stopped = run.stoppedBy
    ? `<p class="warn">The run stopped early (${_escapeHtml(run.stoppedBy)}): not every example ran.</p>`
    : '';
  const warnings = (result.warnings ?? []).map((w) => `<p class="warn">${_escapeHtml(w)}</p>`).join('');
  const nameLine =
    baseName === undefined
      ? `<p class="names">run <b>${_escapeHtml(name)}</b></p>`
      : `<p class="names">baseline <b class="baseline-name">${_escapeHtml(baseName)}</b> → candidate <b class="candidate-name">${_escapeHtml(name)}</b></p>`;
  const gated = Object.keys(gates).length > 0 || comparison !== undefined;
  const data = {
    title,
    names: { run: name, ...(baseName === undefined ? {} : { baseline: baseName }) },
    run,
    n: result.n,
    nFailed: result.nFailed,
    totals,
    metrics: result.metrics,
    ...(result.segments ? { segments: result.segments } : {}),
    ...(baseline ? { baselineMetrics: baseline.metrics } : {}),
    ...(comparison ? { comparison } : {}),
  };
  const metricNames = Object.keys(result.metrics);
  const body = [
    `<header><h1>${_escapeHtml(title)}${named ? `: <span class="run-names">${_escapeHtml(names)}</span>` : ''}</h1>${nameLine}<p class="dim">${facts.join(' · ')}</p>${stopped}${result.gate ? `<p class="gate">${_escapeHtml(_formatGateLine(result.gate, run.rowsPlanned, run.stoppedBy))}</p>` : ''}${warnings}</header>`,
    _gateSection(_gateLines(result, gates, comparison), gated),
    _metricsSection(result, baseline, comparison),
    _calibrationHtml(result.metrics),
    _judgeBiasSection(result),
    comparison ? _comparisonSection(comparison) : '',
    comparison ? _calibratedComparisonHtml(comparison) : '',
    _segmentsSection(result, baseline, comparison),
    _distributionsSection(metricNames, result.examples, baseline?.examples, _declaredBounds(result.config)),
    _toolUseSection(result.examples, baseline?.examples),
    _examplesSection(
      result.examples,
      metricNames,
      result.examplesFile,
      baseline?.examples,
      maxExamples,
      _segmentsByRecord(result.scores),
      maxExampleBytes,
    ),
  ].join('\n');
  return _page(named ? `${title}: ${names}` : title, body, data, true);
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
 * await writeHtmlReport(result, 'reports/qa.html', { baseline: base, comparison, label: 'prompt v2' });
 * ```
 */
export async function writeHtmlReport(
  result: EvalResult,
  path: string,
  options: HtmlReportOptions = {},
): Promise<void> {
  checkPath('path', path);
  await _writeFileAtomic(path, renderHtmlReport(result, options));
}
