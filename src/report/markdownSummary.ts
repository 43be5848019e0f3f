/**
 * A Markdown summary of results and comparisons for CI pages (GitHub's job summary, a pull-request comment):
 * tables of estimates, differences and segment regressions.
 * @module
 */

import { _describe } from '../_internal/describe.js';
import { toolUseSummary } from '../agents/toolUseSummary.js';
import type { Trajectory } from '../core/trajectory.js';
import type { Comparison } from '../result/Comparison.js';
import type { GateResult, MetricSummary } from '../result/EvalResult.js';
import { _agreementRows, _calibratedComparisonRows, _calibrationRows } from './_calibrationTables.js';
import { _mostUsedTools } from './_trajectorySection.js';
import {
  _estimateText,
  _formatNumber,
  formatInterval,
  formatJudgeBias,
  formatLevel,
  formatPValue,
  formatSigned,
  gatedIntervalCell,
  sharedLevel,
} from './format.js';
import { _nonInferiority, failedOnOneSideText, significanceVerdict } from './formatComparisonTable.js';
import { _worstFirst } from './formatSegmentTable.js';

/** One result in a {@link MarkdownSummaryInput}: what `evaluate()` returned, or the reporter's record of it. */
export interface MarkdownResultEntry {
  /** Label of the row (a test name, `baseline`, a file name). */
  readonly name: string;
  readonly n: number;
  readonly nFailed: number;
  readonly metrics: Readonly<Record<string, MetricSummary>>;
  /** The records, when the entry is a whole result: with trajectories, a "Tool use" table is added. */
  readonly examples?: readonly { readonly trajectory?: Trajectory | undefined }[];
  /** A gated run's decision: shown in place of the gated metric's bootstrap interval, which an early stop voids. */
  readonly gate?: GateResult;
  /** The result's warnings (e.g. a cost covering the priced calls only): listed under "Warnings". */
  readonly warnings?: readonly string[];
}

/** One comparison in a {@link MarkdownSummaryInput}. */
export interface MarkdownComparisonEntry {
  readonly name: string;
  readonly comparison: Pick<Comparison, 'alpha' | 'adjustment' | 'metrics'> &
    Partial<
      Pick<Comparison, 'segments' | 'margin' | 'confidence' | 'nPaired' | 'failedOnOneSide' | 'partial'>
    >;
}

/** What {@link markdownSummary} renders. Every field is optional; empty sections are left out. */
export interface MarkdownSummaryInput {
  /** The heading. @default 'evalgate summary' */
  readonly title?: string;
  readonly results?: readonly MarkdownResultEntry[];
  readonly comparisons?: readonly MarkdownComparisonEntry[];
}

/**
 * Text as one Markdown table cell, inert: whatever a user's string holds (segment names, result and metric
 * names, ids, titles), the cell renders as that text and never as a link, an image or HTML.
 *
 * - `<`, `>`, `&` become entities: no raw HTML, no `<https://…>` autolink, no entity the user wrote;
 * - `[`, `]` are backslash-escaped: without an unescaped bracket no inline link, image (`![…](…)`), reference
 *   definition or footnote can form, whatever follows;
 * - `://`, `www.` and `@` are broken by a backslash (`\://`, `www\.`, `\@`): GitHub's extended autolinks
 *   (bare URLs, `www.` hosts, e-mail addresses) need them unescaped;
 * - `` ` `` is escaped (a code span would show the escapes above literally), `\` doubled, `|` escaped so a
 *   name cannot add a column, and line breaks become spaces (a cell is one line).
 *
 * Invariant (property-tested): removing the escapes and entities gives back the text (line breaks as
 * spaces), and what remains outside them holds none of `[ ] < > \` |`, no `://`, no `www.`, no `@`.
 * @internal
 */
export function _markdownCell(text: string): string {
  return text
    .replace(/[\\`[\]|@]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/:\/\//g, '\\://')
    .replace(/(w{3})\./gi, '$1\\.')
    .replace(/[\r\n\u2028\u2029]+/g, ' ');
}

/**
 * Emphasis and strikethrough escaped on top of {@link _markdownCell}, so a name reads as written (`*judge*` is
 * not an italic "judge"): `*` and `~` always, `_` unless it sits between two letters or digits (where it can
 * neither open nor close emphasis, so `exact_match` stays as typed).
 */
const cell = (text: string): string =>
  _markdownCell(text)
    .replace(/[*~]/g, (c) => `\\${c}`)
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\\_');

/** A heading's text: every `#` escaped, so a trailing one is not read as the ATX closing sequence and dropped. */
const heading = (text: string): string => cell(text).replace(/#/g, '\\#');

/**
 * A cell of numbers evalgate formatted (`+0.08 [0.05, 0.1167]`, `0.792`, `95.4%`): digits, signs, spaces,
 * commas, brackets, `%` and `e` only, so no link, image or HTML can form (a link needs `](`) and it is kept as
 * is; anything else is escaped as user text.
 */
const numeric = (text: string): string | Ours =>
  /^[-+\u2212\d\s.,[\]%e∞—]*$/.test(text) ? ours(text) : text;

/** A cell evalgate formatted itself (an interval): Markdown as is, never user text. */
interface Ours {
  readonly md: string;
}
const ours = (md: string): Ours => ({ md });

/**
 * `[low, high]`: its brackets are ours (the bounds, escaped, cannot hold a bracket, and a space separates the
 * note, so no link can form), the bounds and the note escaped (a result file may be anyone's).
 */
const interval = (ci: { readonly low: number; readonly high: number }, note = ''): Ours =>
  ours(
    // No row scored: no interval (NaN ends), said as a word.
    `${Number.isNaN(ci.low) && Number.isNaN(ci.high) ? 'none' : `[${cell(formatInterval(ci).slice(1, -1))}]`}${note === '' ? '' : ` (${cell(note)})`}`,
  );

function table(
  header: readonly string[],
  align: readonly ('l' | 'r')[],
  rows: readonly (string | Ours)[][],
): string {
  const line = (cells: readonly (string | Ours)[]) =>
    `| ${cells.map((c) => (typeof c === 'string' ? cell(c) : c.md)).join(' | ')} |`;
  const rule = `|${align.map((a) => (a === 'r' ? '---:' : ':---')).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/**
 * Renders results and comparisons as Markdown: a heading, then up to three tables. **Estimates**: per result
 * and metric the estimate, its confidence interval (with its method), n and failed rows. **Differences**: per
 * comparison and metric the baseline and candidate estimates, the difference with its interval, the test, the
 * adjusted p-value and the verdict at the comparison's alpha (and non-inferiority when it has a margin).
 * **Segment regressions**: every regressed segment x metric cell, worst first, or one line saying that none of
 * the cells regressed. **Tool use**, for results passed with their `examples` and recorded with `trajectory`:
 * model and tool calls per row, the tool error rate and the most used tools (see `toolUseSummary`). Every text cell is escaped, so names cannot break the table or inject markup.
 *
 * @param input - See {@link MarkdownSummaryInput}.
 * @throws {TypeError} when `input` is not an object, its lists are not arrays, or an entry is malformed.
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
  const isObject = (v: unknown): v is object => v !== null && typeof v === 'object';
  results.forEach((r, i) => {
    if (!isObject(r) || !isObject(r.metrics))
      throw new TypeError(
        `Expected \`input.results[${i}]\` to be a result (with \`name\` and \`metrics\`), got ${_describe(r)}`,
      );
  });
  comparisons.forEach((c, i) => {
    if (!isObject(c) || !isObject(c.comparison) || !isObject(c.comparison.metrics))
      throw new TypeError(
        `Expected \`input.comparisons[${i}]\` to be { name, comparison } (comparison: what compare() returned), got ${_describe(c)}`,
      );
  });
  const parts = [`## ${heading(input.title ?? 'evalgate summary')}`];

  if (results.length > 0) {
    const level = sharedLevel(results.flatMap((r) => Object.values(r.metrics).map((m) => m.ci.level)));
    const rows = results.flatMap((r) =>
      Object.entries(r.metrics).map(([metric, m], i) => [
        i === 0 ? r.name : '',
        metric,
        _estimateText(m.mean),
        gatedIntervalCell(r.gate, metric, m.ci) ??
          interval(m.ci, `${m.ci.method}${level === undefined ? `, ${formatLevel(m.ci.level)}` : ''}`),
        String(m.n),
        i === 0 ? `${r.nFailed}/${r.n}` : '',
      ]),
    );
    parts.push(
      '### Estimates',
      table(
        ['eval', 'metric', 'estimate', level ?? 'CI', 'n', 'failed'],
        ['l', 'l', 'r', 'l', 'r', 'r'],
        rows,
      ),
    );
    // Metrics with human labels: raw and calibrated side by side, then the judges' agreement with the humans.
    const withName = (name: string, t: { header: string[]; rows: string[][] } | undefined) =>
      t === undefined ? [] : t.rows.map((r, i) => [i === 0 ? name : '', ...r.map(numeric)]);
    const cal = results.flatMap((r) => withName(r.name, _calibrationRows(r.metrics)));
    const agr = results.flatMap((r) => withName(r.name, _agreementRows(r.metrics)));
    if (cal.length > 0) {
      const calHead = [
        'eval',
        ..._calibrationRows(results.find((r) => _calibrationRows(r.metrics))!.metrics)!.header,
      ];
      const agrHead = [
        'eval',
        ..._agreementRows(results.find((r) => _agreementRows(r.metrics))!.metrics)!.header,
      ];
      parts.push(
        '### Calibrated with human labels (raw judge vs PPI++)',
        table(
          calHead,
          calHead.map((_, i) => (i < 2 ? 'l' : 'r')),
          cal,
        ),
        '### Judge agreement with the human labels',
        table(
          agrHead,
          agrHead.map((_, i) => (i < 2 ? 'l' : 'r')),
          agr,
        ),
      );
    }
    const bias = results.flatMap((r) =>
      Object.entries(r.metrics).flatMap(([metric, m]) =>
        m.judge === undefined ? [] : [[r.name, metric, formatJudgeBias(m.judge)]],
      ),
    );
    if (bias.length > 0)
      parts.push('### Judge bias', table(['eval', 'metric', 'measured bias'], ['l', 'l', 'l'], bias));
    const warnings = results.flatMap((r) => (r.warnings ?? []).map((w) => `- ${cell(r.name)}: ${cell(w)}`));
    if (warnings.length > 0) parts.push('### Warnings', warnings.join('\n'));
  }

  const toolUse = results.flatMap((r) => {
    const s = r.examples === undefined ? undefined : toolUseSummary(r.examples);
    return s === undefined
      ? []
      : [
          [
            r.name,
            String(s.rows),
            _formatNumber(s.stepsPerRow, 3),
            _formatNumber(s.callsPerRow, 3),
            s.errorRate === null ? '—' : `${_formatNumber(100 * s.errorRate, 3)}%`,
            _mostUsedTools(r.examples ?? []),
          ],
        ];
  });
  if (toolUse.length > 0)
    parts.push(
      '### Tool use',
      table(
        ['eval', 'rows', 'model calls / row', 'tool calls / row', 'tool error rate', 'most used tools'],
        ['l', 'r', 'r', 'r', 'r', 'l'],
        toolUse,
      ),
    );

  if (comparisons.length > 0) {
    const withMargin = comparisons.some(({ comparison: c }) =>
      Object.values(c.metrics).some((m) => m.margin !== undefined),
    );
    const level = sharedLevel(
      comparisons.flatMap(({ comparison: c }) => Object.values(c.metrics).map((m) => m.ci.level)),
    );
    const rows = comparisons.flatMap(({ name, comparison: c }) =>
      Object.values(c.metrics).map((m, i) => [
        i === 0 ? name : '',
        m.metric,
        _formatNumber(m.baselineMean),
        _formatNumber(m.candidateMean),
        formatSigned(m.difference),
        interval(m.ci, level === undefined ? formatLevel(m.ci.level) : ''),
        String(m.n),
        m.definitionChanged === undefined ? m.test : `${m.test} (${m.definitionChanged})`,
        `${formatPValue(m.pValueAdjusted)} (${c.adjustment})`,
        significanceVerdict(m, c.alpha),
        ...(withMargin
          ? [m.margin === undefined ? '' : `${_nonInferiority(m)} (${_formatNumber(m.margin)})`]
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
          level ?? 'CI',
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
    // What the differences leave out: rows failed in one run only, and partial runs (no gate passes on either).
    const left = comparisons.flatMap(({ name, comparison: c }) => [
      ...(c.failedOnOneSide === undefined
        ? []
        : [
            `- ${cell(name)}: ${c.nPaired === undefined ? 'paired rows' : `${c.nPaired} paired rows`}${failedOnOneSideText(c)}`,
          ]),
      ...(c.partial === undefined
        ? []
        : [`- ${cell(name)}: ${cell(c.partial)} (a partial run never passes a gate)`]),
    ]);
    if (left.length > 0) parts.push(left.join('\n'));
    const calibrated = comparisons.flatMap(({ name, comparison: c }) => {
      const t = _calibratedComparisonRows(c);
      return t === undefined ? [] : [{ name, t }];
    });
    if (calibrated.length > 0) {
      const header = ['comparison', ...calibrated[0]!.t.header];
      parts.push(
        '### Calibrated differences (PPI++ with human labels in both runs)',
        table(
          header,
          header.map((_, i) => (i < 2 ? 'l' : 'r')),
          calibrated.flatMap(({ name, t }) =>
            t.rows.map((r, i) => [
              i === 0 ? name : '',
              ...r.map(numeric),
              ...Array(header.length - 1 - r.length).fill(''),
            ]),
          ),
        ),
      );
    }
    const segmented = comparisons.filter(({ comparison: c }) => c.segments !== undefined);
    if (segmented.length > 0) {
      const cellLevel = sharedLevel(
        segmented.flatMap(({ comparison: c }) =>
          c.segments!.filter((s) => s.regressed).map((s) => s.ci.level),
        ),
      );
      const regressed = segmented.flatMap(({ name, comparison: c }) =>
        _worstFirst(c.segments!.filter((s) => s.regressed)).map((s) => [
          name,
          s.segment,
          s.metric,
          _formatNumber(s.baselineMean),
          _formatNumber(s.candidateMean),
          formatSigned(s.difference),
          interval(s.ci, cellLevel === undefined ? formatLevel(s.ci.level) : ''),
          String(s.n),
          `${formatPValue(s.pAdjusted)} (${c.adjustment})`,
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
                cellLevel ?? 'CI',
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
