import { _describe } from '../_internal/describe.js';
import { stoppedReason } from '../result/assertResult.js';
import type { EvalResult } from '../result/EvalResult.js';
import {
  _estimateText,
  _intervalText,
  formatJudgeBias,
  formatLevel,
  formatTotalCost,
  gatedIntervalCell,
} from './format.js';
import { _formatGateLine } from './formatGateLine.js';
import { renderTable } from './renderTable.js';

/** What {@link formatResultTable} reads: a whole `EvalResult` or the summary the vitest reporter keeps. */
export type ResultSummaryLike = Pick<EvalResult, 'n' | 'nFailed' | 'metrics' | 'totals'> &
  Partial<Pick<EvalResult, 'run' | 'gate' | 'warnings'>>;

/** The cache part of the run line: per kind of call when the result says, e.g. "cache: model 60/60, judge 0/60". */
function _formatCache(totals: ResultSummaryLike['totals']): string {
  const cacheCalls = totals.cacheHits + totals.cacheMisses;
  if (cacheCalls === 0) return 'no cache';
  const kinds = totals.byKind;
  if (kinds === undefined) return `cache ${totals.cacheHits}/${cacheCalls} hits`;
  const parts = (['model', 'judge', 'embedding'] as const)
    .filter((k) => kinds[k].calls > 0)
    .map((k) => `${k} ${kinds[k].cacheHits}/${kinds[k].calls}`);
  return `cache hits: ${parts.join(', ')}`;
}

/** One line about the run: rows, failures, cost and cache use, and why it stopped early. */
function _formatRunLine(result: ResultSummaryLike): string {
  const { totals } = result;
  const stopped = result.run === undefined ? undefined : stoppedReason({ run: result.run, n: result.n });
  return (
    `${result.n} rows, ${result.nFailed} failed · ${totals.requests} requests · cost ${formatTotalCost(totals)} · ${_formatCache(totals)}` +
    (stopped === undefined ? '' : ` · ${stopped}: a partial run, no gate passes on it`)
  );
}

/**
 * Renders a result as a plain-text table for terminals and CI logs: one line per metric with its estimate,
 * confidence interval, the examples that scored, the missing ones and the interval method (for the metric a gate
 * decided on, the gate's decision and its confidence sequence in place of the bootstrap interval, which an early
 * stop voids), then one line
 * with rows, failures, requests, cost and cache hits, one `warning:` line per warning of the result, and for a
 * gated run one more saying what the gate decided, after how many rows, and what stopping saved. No colours, so
 * it reads the same in a log file.
 *
 * @param result - An `EvalResult` (or anything with its `n`, `nFailed`, `metrics` and `totals`).
 * @throws {TypeError} when `result` is not an evalgate result.
 * @returns The table, lines joined with `\n`, without a trailing newline.
 * @example
 * ```ts
 * console.log(formatResultTable(result));
 * // metric       estimate  95% CI          n    missing  method
 * // ───────────  ────────  ──────────────  ───  ───────  ──────
 * // exact_match      0.72  [0.63, 0.8]     100        0  bca
 * //
 * // 100 rows, 0 failed · 100 requests · cost $0.04 · cache 0/100 hits
 * ```
 */
export function formatResultTable(result: ResultSummaryLike): string {
  const r = result as Partial<ResultSummaryLike> | null;
  if (r === null || typeof r !== 'object' || typeof r.metrics !== 'object' || r.metrics === null || !r.totals)
    throw new TypeError(`Expected \`result\` to be an evalgate result, got ${_describe(result)}`);
  const entries = Object.entries(result.metrics);
  const levels = new Set(entries.map(([, m]) => m.ci.level));
  const ciHeader = levels.size === 1 ? formatLevel([...levels][0]!) : 'CI';
  const rows = entries.map(([name, m]) => {
    const gated = gatedIntervalCell(result.gate, name, m.ci);
    return [
      name,
      _estimateText(m.mean),
      gated ?? _intervalText(m.ci) + (levels.size === 1 ? '' : ` (${formatLevel(m.ci.level)})`),
      String(m.n),
      String(m.nMissing),
      (gated === undefined ? m.ci.method : result.gate!.method) + (m.warning ? ` (${m.warning})` : ''),
    ];
  });
  const table = renderTable(['metric', 'estimate', ciHeader, 'n', 'missing', 'method'], rows, [
    'l',
    'r',
    'l',
    'r',
    'r',
    'l',
  ]);
  const gate =
    result.gate === undefined
      ? ''
      : `\n${_formatGateLine(result.gate, result.run?.rowsPlanned, result.run?.stoppedBy)}`;
  const bias = entries
    .filter(([, m]) => m.judge !== undefined)
    .map(([name, m]) => `\njudge bias, ${name}: ${formatJudgeBias(m.judge!)}`)
    .join('');
  // The result's warnings (refused scores, broken metrics, intervals a gate's early stop voids) are part of what
  // the numbers mean: a log that shows the numbers shows them too.
  const warnings = (result.warnings ?? []).map((w) => `\nwarning: ${w}`).join('');
  return `${table}\n\n${_formatRunLine(result)}${warnings}${gate}${bias}`;
}
