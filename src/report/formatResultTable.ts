import { _describe } from '../_internal/describe.js';
import type { EvalResult } from '../result/EvalResult.js';
import { _formatCost, _formatInterval, _formatLevel, _formatNumber } from './format.js';
import { _renderTable } from './renderTable.js';

/** What {@link formatResultTable} reads: a whole `EvalResult` or the summary the vitest reporter keeps. */
export type ResultSummaryLike = Pick<EvalResult, 'n' | 'nFailed' | 'metrics' | 'totals'>;

/** One line about the run: rows, failures, cost and cache use. */
function _formatRunLine(result: ResultSummaryLike): string {
  const { totals } = result;
  const cacheCalls = totals.cacheHits + totals.cacheMisses;
  const cache = cacheCalls === 0 ? 'no cache' : `cache ${totals.cacheHits}/${cacheCalls} hits`;
  return `${result.n} rows, ${result.nFailed} failed · ${totals.requests} requests · cost ${_formatCost(totals.costUsd)} · ${cache}`;
}

/**
 * Renders a result as a plain-text table for terminals and CI logs: one line per metric with its estimate,
 * confidence interval, the examples that scored, the missing ones and the interval method, then one line
 * with rows, failures, requests, cost and cache hits. No colours, so it reads the same in a log file.
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
  const ciHeader = levels.size === 1 ? _formatLevel([...levels][0]!) : 'CI';
  const rows = entries.map(([name, m]) => [
    name,
    _formatNumber(m.mean),
    _formatInterval(m.ci) + (levels.size === 1 ? '' : ` (${_formatLevel(m.ci.level)})`),
    String(m.n),
    String(m.nMissing),
    m.ci.method + (m.warning ? ` (${m.warning})` : ''),
  ]);
  const table = _renderTable(['metric', 'estimate', ciHeader, 'n', 'missing', 'method'], rows, [
    'l',
    'r',
    'l',
    'r',
    'r',
    'l',
  ]);
  return `${table}\n\n${_formatRunLine(result)}`;
}
