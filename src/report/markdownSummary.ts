/**
 * A Markdown summary of results and comparisons for CI pages (GitHub's job summary, a pull-request comment):
 * tables of estimates, differences and segment regressions.
 * @module
 */
import { _describe } from '../_internal/describe.js';
import type { Comparison } from '../result/Comparison.js';
import type { GateResult, MetricSummary } from '../result/EvalResult.js';
import {
  _formatGateCell,
  _formatInterval,
  _formatJudgeBias,
  _formatLevel,
  _formatNumber,
  _formatPValue,
  _formatSigned,
} from './format.js';
import { _significanceVerdict } from './formatComparisonTable.js';
import { _worstFirst } from './formatSegmentTable.js';

/** One result in a {@link MarkdownSummaryInput}: what `evaluate()` returned, or the reporter's record of it. */
export interface MarkdownResultEntry {
  /** Label of the row (a test name, `baseline`, a file name). */
  readonly name: string;
  readonly n: number;
  readonly nFailed: number;
  readonly metrics: Readonly<Record<string, MetricSummary>>;
  /** A gated run's decision: shown in place of the gated metric's bootstrap interval, which an early stop voids. */
  readonly gate?: GateResult;
}

/** One comparison in a {@link MarkdownSummaryInput}. */
export interface MarkdownComparisonEntry {
  readonly name: string;
  readonly comparison: Pick<Comparison, 'alpha' | 'adjustment' | 'metrics'> &
    Partial<Pick<Comparison, 'segments' | 'margin' | 'confidence'>>;
}

/** What {@link markdownSummary} renders. Every field is optional; empty sections are left out. */
export interface MarkdownSummaryInput {
  /** The heading. @default 'evalgate summary' */
  readonly title?: string;
  readonly results?: readonly MarkdownResultEntry[];
  readonly comparisons?: readonly MarkdownComparisonEntry[];
}

/**
 * Text as one Markdown table cell: `|` escaped, line breaks as spaces, and `<`, `>`, `&` as entities so a
 * label holding markup stays text in renderers that allow HTML (GitHub does).
 */
function cell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ');
}

function table(header: readonly string[], align: readonly ('l' | 'r')[], rows: readonly string[][]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const rule = `|${align.map((a) => (a === 'r' ? '---:' : ':---')).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/**
 * Renders results and comparisons as Markdown: a heading, then up to three tables. **Estimates**: per result
 * and metric the estimate, its confidence interval (with its method), n and failed rows. **Differences**: per
 * comparison and metric the baseline and candidate estimates, the difference with its interval, the test, the
 * adjusted p-value and the verdict at the comparison's alpha (and non-inferiority when it has a margin).
 * **Segment regressions**: every regressed segment x metric cell, worst first, or one line saying that none of
 * the cells regressed. Every text cell is escaped, so names cannot break the table or inject markup.
 *
 * @param input - See {@link MarkdownSummaryInput}.
 * @throws {TypeError} when `input` is not an object or its lists are not arrays.
 * @returns The Markdown, ending with a newline.
 * @example
 * ```ts
 * markdownSummary({ comparisons: [{ name: 'prompt v2', comparison: compare(base, candidate) }] });
 * // => '## evalgate summary\n\n### Differences (candidate − baseline)\n\n| comparison | metric | …'
 * ```
 */
export function markdownSummary(input: MarkdownSummaryInput): string {
  if (input === null || typeof input !== 'object')
    throw new TypeError(`Expected \`input\` to be an object, got ${_describe(input)}`);
  for (const key of ['results', 'comparisons'] as const)
    if (input[key] !== undefined && !Array.isArray(input[key]))
      throw new TypeError(`Expected \`input.${key}\` to be an array, got ${_describe(input[key])}`);
  const results = input.results ?? [];
  const comparisons = input.comparisons ?? [];
  const parts = [`## ${cell(input.title ?? 'evalgate summary')}`];

  if (results.length > 0) {
    const rows = results.flatMap((r) =>
      Object.entries(r.metrics).map(([metric, m], i) => [
        i === 0 ? r.name : '',
        metric,
        _formatNumber(m.mean),
        r.gate?.metric === metric
          ? `${_formatGateCell(r.gate)}${r.gate.decision === 'undecided' ? ` · bootstrap ${_formatInterval(m.ci)}` : ''}`
          : `${_formatInterval(m.ci)} (${m.ci.method}${m.ci.level === 0.95 ? '' : `, ${_formatLevel(m.ci.level)}`})`,
        String(m.n),
        i === 0 ? `${r.nFailed}/${r.n}` : '',
      ]),
    );
    parts.push(
      '### Estimates',
      table(['eval', 'metric', 'estimate', '95% CI', 'n', 'failed'], ['l', 'l', 'r', 'l', 'r', 'r'], rows),
    );
    const bias = results.flatMap((r) =>
      Object.entries(r.metrics).flatMap(([metric, m]) =>
        m.judge === undefined ? [] : [[r.name, metric, _formatJudgeBias(m.judge)]],
      ),
    );
    if (bias.length > 0)
      parts.push('### Judge bias', table(['eval', 'metric', 'measured bias'], ['l', 'l', 'l'], bias));
  }

  if (comparisons.length > 0) {
    const withMargin = comparisons.some(({ comparison: c }) =>
      Object.values(c.metrics).some((m) => m.margin !== undefined),
    );
    const rows = comparisons.flatMap(({ name, comparison: c }) =>
      Object.values(c.metrics).map((m, i) => [
        i === 0 ? name : '',
        m.metric,
        _formatNumber(m.baselineMean),
        _formatNumber(m.candidateMean),
        _formatSigned(m.difference),
        _formatInterval(m.ci),
        String(m.n),
        m.test,
        `${_formatPValue(m.pValueAdjusted)} (${c.adjustment})`,
        _significanceVerdict(m, c.alpha),
        ...(withMargin
          ? [
              m.margin === undefined
                ? ''
                : `${m.ci.low > -m.margin ? 'yes' : 'not shown'} (${_formatNumber(m.margin)})`,
            ]
          : []),
      ]),
    );
    parts.push(
      '### Differences (candidate − baseline)',
      table(
        [
          'comparison',
          'metric',
          'baseline',
          'candidate',
          'difference',
          '95% CI',
          'n',
          'test',
          'p (adj.)',
          'verdict',
          ...(withMargin ? ['non-inferior (margin)'] : []),
        ],
        ['l', 'l', 'r', 'r', 'r', 'l', 'r', 'l', 'r', 'l', ...(withMargin ? (['l'] as const) : [])],
        rows,
      ),
    );
    const segmented = comparisons.filter(({ comparison: c }) => c.segments !== undefined);
    if (segmented.length > 0) {
      const regressed = segmented.flatMap(({ name, comparison: c }) =>
        _worstFirst(c.segments!.filter((s) => s.regressed)).map((s) => [
          name,
          s.segment,
          s.metric,
          _formatNumber(s.baselineMean),
          _formatNumber(s.candidateMean),
          _formatSigned(s.difference),
          _formatInterval(s.ci),
          String(s.n),
          `${_formatPValue(s.pAdjusted)} (${c.adjustment})`,
        ]),
      );
      const cells = segmented.reduce((k, { comparison: c }) => k + c.segments!.length, 0);
      parts.push(
        '### Segment regressions',
        regressed.length === 0
          ? `No segment regressed (${cells} segment × metric cells, p-values adjusted across them).`
          : `${regressed.length} of ${cells} segment × metric cells regressed (p-values adjusted across the cells):\n\n${table(
              [
                'comparison',
                'segment',
                'metric',
                'baseline',
                'candidate',
                'difference',
                '95% CI',
                'n',
                'p (adj.)',
              ],
              ['l', 'l', 'l', 'r', 'r', 'r', 'l', 'r', 'r'],
              regressed,
            )}`,
      );
    }
  }
  return `${parts.join('\n\n')}\n`;
}
