/**
 * The vitest reporter's summary document ({@link EvalgateSummary}, written as JSON to `outputFile`) and its two
 * renderings: the printed tables and the Markdown appended to `$GITHUB_STEP_SUMMARY`. The types are public
 * through `evalgate/vitest/reporter`; the renderers are not part of any entry point (tests drive them directly).
 * @module
 */
import { _formatNumber } from '../_internal/formatNumber.js';
import { _terminalText } from '../_internal/terminalText.js';
import {
  formatInterval,
  formatJudgeBias,
  formatLevel,
  formatPValue,
  formatSigned,
  formatTotalCost,
  gatedIntervalCell,
  sharedLevel,
} from '../report/format.js';
import { failedOnOneSideText, significanceVerdict } from '../report/formatComparisonTable.js';
import { markdownSummary } from '../report/markdownSummary.js';
import { renderTable } from '../report/renderTable.js';
import type { RecordedEval } from './recordEval.js';

/** One recorded eval with where it came from, as written to the JSON summary. */
export type EvalgateSummaryEntry = RecordedEval & {
  /** The test's full name (`describe > test`). */
  readonly test: string;
  /** The test file, relative to the project root. */
  readonly file: string;
  readonly state: 'passed' | 'failed' | 'skipped' | 'pending';
};

/** The JSON summary the reporter writes to `outputFile`. */
export interface EvalgateSummary {
  readonly kind: 'evalgate-vitest-summary';
  readonly schemaVersion: 1;
  /** How the vitest run ended. */
  readonly reason: 'passed' | 'failed' | 'interrupted';
  readonly evals: readonly EvalgateSummaryEntry[];
  /**
   * Sums over every run the tests made (a test that only asserts on a comparison still paid for its two runs);
   * a test whose runs were not seen (results loaded from files) counts its recorded results instead.
   */
  readonly totals: {
    readonly results: number;
    readonly comparisons: number;
    readonly requests: number;
    readonly costUsd: number;
    /** Calls without a price, when there were any: their cost is not in `costUsd`. */
    readonly unpricedCalls?: number;
    readonly cacheHits: number;
    readonly cacheMisses: number;
    readonly failedRows: number;
  };
}

// A partial run says so on its row: its numbers describe the rows that ran, and no gate passes on them.
const _label = (e: EvalgateSummaryEntry) =>
  `${e.name ?? e.test}${e.state === 'failed' ? ' ✗' : ''}${e.partial === undefined ? '' : ` (partial: ${e.partial})`}`;

/**
 * The label as the printed table shows it: control characters escaped (`\n`, `\u001b`), so a name with a line
 * break stays on its row and an escape sequence in a test name cannot rewrite the terminal.
 */
const _textLabel = (e: EvalgateSummaryEntry) => _terminalText(_label(e));

/** The tables the reporter prints: results first, then comparisons, then one totals line. @internal */
export function _formatSummary(summary: EvalgateSummary): string {
  const parts: string[] = [];
  const results = summary.evals.filter((e) => e.kind === 'result');
  const comparisons = summary.evals.filter((e) => e.kind === 'comparison');
  if (results.length > 0) {
    // The header names the level the intervals share; cells name their own only when levels differ.
    const level = sharedLevel(results.flatMap((e) => Object.values(e.metrics).map((m) => m.ci.level)));
    const rows = results.flatMap((e) =>
      Object.entries(e.metrics).map(([metric, m], i) => [
        i === 0 ? _textLabel(e) : '',
        metric,
        _formatNumber(m.mean),
        gatedIntervalCell(e.gate, metric, m.ci) ??
          `${formatInterval(m.ci)}${level === undefined ? ` ${formatLevel(m.ci.level)}` : ''}`,
        String(m.n),
        i === 0 ? `${e.nFailed}/${e.n}` : '',
        i === 0 ? formatTotalCost(e.totals) : '',
        i === 0 ? `${e.totals.cacheHits}/${e.totals.cacheHits + e.totals.cacheMisses}` : '',
      ]),
    );
    parts.push(
      renderTable(
        ['eval', 'metric', 'estimate', level ?? 'CI', 'n', 'failures', 'cost', 'cache hits'],
        rows,
        ['l', 'l', 'r', 'l', 'r', 'r', 'r', 'r'],
      ),
    );
    const bias = results.flatMap((e) =>
      Object.entries(e.metrics).flatMap(([metric, m]) =>
        m.judge === undefined
          ? []
          : [`judge bias, ${_textLabel(e)} / ${metric}: ${formatJudgeBias(m.judge)}`],
      ),
    );
    if (bias.length > 0) parts.push(bias.join('\n'));
  }
  if (comparisons.length > 0) {
    const level = sharedLevel(comparisons.flatMap((e) => Object.values(e.metrics).map((m) => m.ci.level)));
    const rows = comparisons.flatMap((e) =>
      Object.values(e.metrics).map((m, i) => [
        i === 0 ? _textLabel(e) : '',
        m.metric,
        formatSigned(m.difference),
        `${formatInterval(m.ci)}${level === undefined ? ` ${formatLevel(m.ci.level)}` : ''}`,
        String(m.n),
        m.test,
        formatPValue(m.pValueAdjusted),
        _formatNumber(m.effectSize, 3),
        significanceVerdict(m, e.alpha),
        m.nonInferior === undefined
          ? ''
          : `${m.nonInferior ? 'yes' : 'not shown'} (${_formatNumber(m.margin ?? Number.NaN)})`,
      ]),
    );
    parts.push(
      renderTable(
        [
          'comparison',
          'metric',
          'difference',
          level ?? 'CI',
          'n',
          'test',
          'p (adj.)',
          'd_z',
          'verdict',
          'non-inferior (margin)',
        ],
        rows,
        ['l', 'l', 'r', 'l', 'r', 'l', 'r', 'r', 'l', 'l'],
      ),
    );
    // Rows no metric compared because they failed in one run only: said under the table, as compare's CLI does.
    const dropped = comparisons.flatMap((e) =>
      e.failedOnOneSide === undefined
        ? []
        : [`${_textLabel(e)}: ${e.nPaired} paired rows${failedOnOneSideText(e)}`],
    );
    if (dropped.length > 0) parts.push(dropped.join('\n'));
  }
  const t = summary.totals;
  const cacheCalls = t.cacheHits + t.cacheMisses;
  parts.push(
    `evalgate: ${t.results} result${t.results === 1 ? '' : 's'}, ${t.comparisons} comparison${t.comparisons === 1 ? '' : 's'} · ` +
      `${t.requests} requests, ${t.failedRows} failed rows · cost ${formatTotalCost(t)} · ` +
      `cache ${cacheCalls === 0 ? 'unused' : `${t.cacheHits}/${cacheCalls} hits`}`,
  );
  return parts.join('\n\n');
}

/** The reporter's Markdown summary: every recorded result and comparison, labelled as in the table. @internal */
export function _markdownOf(summary: EvalgateSummary): string {
  const results = summary.evals.flatMap((e) =>
    e.kind === 'result'
      ? [
          {
            name: _label(e),
            n: e.n,
            nFailed: e.nFailed,
            metrics: e.metrics,
            ...(e.gate === undefined ? {} : { gate: e.gate }),
          },
        ]
      : [],
  );
  const comparisons = summary.evals.flatMap((e) =>
    e.kind === 'comparison' ? [{ name: _label(e), comparison: e }] : [],
  );
  return markdownSummary({ title: `evalgate (vitest run ${summary.reason})`, results, comparisons });
}
