/**
 * The report's example table: every record with its input, reference, output and scores and, with a baseline,
 * the baseline's output and scores beside them, a word diff of the two outputs, and the row's status
 * (regressed / improved / failed) that the filter buttons select on.
 * @module
 */

import type { ExampleRecord, ScoreTable } from '../result/EvalResult.js';
import { _escapeHtml, _valueText } from './_html.js';
import { _textDiff, _textDiffHtml } from './_textDiff.js';
import { _trajectoryDetails } from './_trajectorySection.js';
import { _formatNumber } from './format.js';

const _text = (value: unknown): string => {
  if (value === undefined || value === null) return '';
  return _valueText(value);
};

/** Characters of a cell shown before the rest is folded away. */
const CELL_CHARS = 2000;
/**
 * Characters a folded cell holds at most when the examples would not fit the page's byte budget whole; the rest is
 * left to the result file, and the page says so. Texts that fit are folded whole.
 */
const FOLD_CHARS = 20_000;

/** `end`, moved back one when it would cut `text`'s surrogate pair in half. */
const _cut = (text: string, end: number): number =>
  /[\uD800-\uDBFF]/.test(text[end - 1] ?? '') ? end - 1 : end;

/**
 * A cell's text, escaped. Past {@link CELL_CHARS} characters only the start is shown and the text sits in a closed
 * `<details>`, which browsers do not lay out until it is opened: a long output stays one click away without
 * making the page too heavy to render. The fold holds at most `foldChars` characters; past them it says how many
 * were cut and that the full text is in the result file, and adds them to `cut.chars`. The text is cut before it
 * is escaped (never inside an entity) and never inside a surrogate pair.
 */
export function _cellText(text: string, cut?: { chars: number }, foldChars = FOLD_CHARS): string {
  if (text.length <= CELL_CHARS) return _escapeHtml(text);
  const end = _cut(text, CELL_CHARS);
  const foldEnd = text.length <= foldChars ? text.length : _cut(text, foldChars);
  const left = text.length - foldEnd;
  if (cut !== undefined) cut.chars += left;
  const note =
    left === 0
      ? ''
      : `<span class="warn">… truncated: ${left.toLocaleString('en-US')} more characters, full text in the result file</span>`;
  return (
    `${_escapeHtml(text.slice(0, end))}<span class="dim">…</span>` +
    `<details class="full"><summary>show ${left === 0 ? 'all ' : ''}${foldEnd.toLocaleString('en-US')}${left === 0 ? '' : ` of ${text.length.toLocaleString('en-US')}`} characters</summary>${_escapeHtml(text.slice(0, foldEnd))}${note}</details>`
  );
}

function _details(details: ExampleRecord['details'], cut: { chars: number }, foldChars: number): string {
  if (!details) return '';
  const items = Object.entries(details).map(([key, value]) => {
    const reason =
      value !== null &&
      typeof value === 'object' &&
      typeof (value as { reason?: unknown }).reason === 'string'
        ? (value as { reason: string }).reason
        : _text(value);
    return `<dt>${_escapeHtml(key)}</dt><dd>${_cellText(reason, cut, foldChars)}</dd>`;
  });
  return `<dl class="details">${items.join('')}</dl>`;
}

/** Why a row is interesting next to its baseline row. */
export type _RowStatus = 'regressed' | 'improved' | 'failed';

/**
 * A row's statuses: `failed` when its model call failed (no output); `regressed` when some metric scored lower
 * than on the baseline's row of the same example and trial, `improved` when some scored higher (both at once
 * when metrics disagree). A score missing on either side is no evidence either way.
 */
export function _rowStatus(
  row: ExampleRecord,
  base: ExampleRecord | undefined,
  metrics: readonly string[],
): _RowStatus[] {
  const out: _RowStatus[] = [];
  if (base) {
    const deltas = metrics.flatMap((m) => {
      const c = row.scores[m];
      const b = base.scores[m];
      return typeof c === 'number' && typeof b === 'number' && !Number.isNaN(c) && !Number.isNaN(b)
        ? [c - b]
        : [];
    });
    if (deltas.some((d) => d < 0)) out.push('regressed');
    if (deltas.some((d) => d > 0)) out.push('improved');
  }
  if (row.error || row.output === null) out.push('failed');
  return out;
}

/** Diffs larger than this many characters (both outputs together) are folded into a closed `<details>`. */
const DIFF_INLINE_CHARS = 4000;
/** Outputs longer than this are not diffed at all (the table would carry a second copy of each). */
const DIFF_MAX_CHARS = 200_000;

/** LCS cells all the diffs of one report may fill (about half a second of work), after which rows are shown unaligned. */
const DIFF_BUDGET_CELLS = 50_000_000;

function _diffCell(base: ExampleRecord | undefined, row: ExampleRecord, budget: { cells: number }): string {
  if (!base) return '<td class="diff"><span class="dim">no baseline row</span></td>';
  if (base.output === null || row.output === null)
    return '<td class="diff"><span class="dim">no output on one side</span></td>';
  if (base.output === row.output) return '<td class="diff"><span class="dim">same output</span></td>';
  const size = base.output.length + row.output.length;
  if (size > DIFF_MAX_CHARS)
    return `<td class="diff"><span class="dim">outputs differ (${size.toLocaleString('en-US')} characters, too long to diff)</span></td>`;
  const html = _textDiffHtml(_textDiff(base.output, row.output, budget));
  return size <= DIFF_INLINE_CHARS
    ? `<td class="diff"><div class="text">${html}</div></td>`
    : `<td class="diff"><details class="full"><summary>show the diff (${size.toLocaleString('en-US')} characters)</summary><div class="text">${html}</div></details></td>`;
}

/** UTF-8 bytes of `text` (a surrogate pair is 4, each half counted 2). */
function _utf8Bytes(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? 2 : 3;
  }
  return n;
}

const _key = (r: ExampleRecord) => `${r.trial}\u0000${r.id}`;

/**
 * The segment labels of each record of a run with `segmentBy`, keyed as {@link _key} (id and trial), from the
 * run's score table; undefined when the run has no segments.
 */
export function _segmentsByRecord(scores: ScoreTable): Map<string, readonly string[]> | undefined {
  const segments = scores.segments;
  if (segments === undefined) return undefined;
  const out = new Map<string, readonly string[]>();
  for (let i = 0; i < scores.ids.length; i++)
    out.set(`${scores.trials[i]}\u0000${scores.ids[i]}`, segments[i] ?? []);
  return out;
}

/**
 * The examples section, the first `maxExamples` records, paired with `baseline` by (id, trial), as many of them
 * as fit in `maxBytes` bytes of table rows (UTF-8): the rows left out, and the characters cut from long folded
 * texts, are counted on the page. With `segments` (see {@link _segmentsByRecord}) each row shows its segment labels
 * and carries them in `data-segments` (a JSON array), and a select above the table shows only the rows of one
 * segment.
 */
export function _examplesSection(
  records: readonly ExampleRecord[],
  metricNamesOfRun: readonly string[],
  examplesFile: string | undefined,
  baseline: readonly ExampleRecord[] | undefined,
  maxExamples: number,
  segments?: ReadonlyMap<string, readonly string[]>,
  maxBytes = Number.POSITIVE_INFINITY,
): string {
  const capped = records.slice(0, maxExamples);
  const cut = { chars: 0 };
  if (records.length === 0) {
    const where = examplesFile ? ` They were streamed to <code>${_escapeHtml(examplesFile)}</code>.` : '';
    return `<section id="examples"><h2>Examples</h2><p>No example records in this result.${where}</p></section>`;
  }
  const budget = { cells: DIFF_BUDGET_CELLS };
  // Texts are folded whole while the table fits `maxBytes`; past it the page is built again with each fold cut
  // at FOLD_CHARS (see `_cellText`).
  const fold = { chars: Number.POSITIVE_INFINITY };
  const baseByKey = baseline && baseline.length > 0 ? new Map(baseline.map((r) => [_key(r), r])) : undefined;
  const metricNames = [...new Set([...metricNamesOfRun, ...capped.flatMap((r) => Object.keys(r.scores))])];
  const hasTrials = capped.some((r) => r.trial !== 0);
  const hasGroups = capped.some((r) => r.group !== undefined);
  type Column = {
    label: string;
    type: 'text' | 'number';
    cell: (r: ExampleRecord, b: ExampleRecord | undefined) => string;
  };
  const textCell = (v: unknown, cls = '') =>
    `<td${cls ? ` class="${cls}"` : ''}><div class="text">${_cellText(_text(v), cut, fold.chars)}</div></td>`;
  const outputCell = (r: ExampleRecord | undefined, cls: string) =>
    r === undefined
      ? `<td class="${cls}"><span class="dim">no baseline row</span></td>`
      : r.output === null
        ? `<td class="${cls}"><span class="bad">no output</span></td>`
        : textCell(r.output, cls);
  const numberCell = (v: number | null | undefined, shownText = v == null ? '' : _formatNumber(v)) =>
    `<td class="num"${v == null || Number.isNaN(v) ? ' data-value=""' : ` data-value="${v}"`}>${shownText}</td>`;
  const score = (s: number | null | undefined) =>
    s == null ? '<span class="dim">missing</span>' : _formatNumber(s);
  const columns: Column[] = [
    { label: 'id', type: 'text', cell: (r) => `<td class="id">${_escapeHtml(r.id)}</td>` },
    ...(segments
      ? [
          {
            label: 'segment',
            type: 'text' as const,
            cell: (r: ExampleRecord) =>
              `<td class="segments">${(segments.get(_key(r)) ?? []).map((label) => `<span class="segment">${_escapeHtml(label)}</span>`).join(' ')}</td>`,
          },
        ]
      : []),
    ...(hasTrials
      ? [{ label: 'trial', type: 'number' as const, cell: (r: ExampleRecord) => numberCell(r.trial) }]
      : []),
    ...(hasGroups
      ? [{ label: 'group', type: 'text' as const, cell: (r: ExampleRecord) => textCell(r.group) }]
      : []),
    { label: 'input', type: 'text', cell: (r) => textCell(r.input) },
    { label: 'reference', type: 'text', cell: (r) => textCell(r.reference) },
    ...(baseByKey
      ? [
          {
            label: 'baseline output',
            type: 'text' as const,
            cell: (_r: ExampleRecord, b: ExampleRecord | undefined) => outputCell(b, 'baseline-output'),
          },
        ]
      : []),
    { label: baseByKey ? 'candidate output' : 'output', type: 'text', cell: (r) => outputCell(r, 'output') },
    ...(baseByKey
      ? [
          {
            label: 'diff',
            type: 'text' as const,
            cell: (r: ExampleRecord, b: ExampleRecord | undefined) => _diffCell(b, r, budget),
          },
        ]
      : []),
    ...metricNames.map(
      (name): Column => ({
        label: name,
        type: 'number',
        cell: (r, b) => {
          const s = r.scores[name];
          if (!baseByKey) return numberCell(s, score(s));
          const bs = b?.scores[name];
          const change =
            typeof s === 'number' && typeof bs === 'number' ? (s < bs ? ' down' : s > bs ? ' up' : '') : '';
          return numberCell(
            s,
            `<span class="score${change}">${score(s)}</span><br><span class="dim" title="baseline">was ${b ? score(bs) : '—'}</span>`,
          );
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
          ? `<td class="error"><div class="text"><strong>${_escapeHtml(r.error.name)}</strong>${r.error.code ? ` <code>${_escapeHtml(r.error.code)}</code>` : ''}: ${_cellText(r.error.message, cut, fold.chars)}</div></td>`
          : '<td></td>',
    },
    { label: 'details', type: 'text', cell: (r) => `<td>${_details(r.details, cut, fold.chars)}</td>` },
    ...(capped.some((r) => r.trajectory !== undefined)
      ? [
          {
            label: 'trajectory',
            type: 'text' as const,
            cell: (r: ExampleRecord) => `<td>${_trajectoryDetails(r.trajectory)}</td>`,
          },
        ]
      : []),
  ];
  const head = columns
    .map(
      (c, i) =>
        `<th aria-sort="none"><button type="button" class="sort" data-col="${i}" data-type="${c.type}">${_escapeHtml(c.label)}</button></th>`,
    )
    .join('');
  let tally: Record<_RowStatus, number> = { regressed: 0, improved: 0, failed: 0 };
  let rows: string[] = [];
  let bytes = 0;
  for (let pass = 0; pass < 2; pass++) {
    if (pass === 1) {
      if (rows.length === capped.length) break;
      // The whole texts do not fit: again, with every fold cut at FOLD_CHARS.
      fold.chars = FOLD_CHARS;
      cut.chars = 0;
      budget.cells = DIFF_BUDGET_CELLS;
      tally = { regressed: 0, improved: 0, failed: 0 };
      rows = [];
      bytes = 0;
    }
    for (const r of capped) {
      const b = baseByKey?.get(_key(r));
      const status = _rowStatus(r, b, metricNames);
      const cls = status.includes('failed') ? ' class="failed"' : '';
      const segmentAttr = segments
        ? ` data-segments="${_escapeHtml(JSON.stringify(segments.get(_key(r)) ?? []))}"`
        : '';
      const cutBefore = cut.chars;
      const row = `<tr${cls} data-status="${status.join(' ')}"${segmentAttr}>${columns.map((c) => c.cell(r, b)).join('')}</tr>`;
      const size = _utf8Bytes(row) + 1;
      if (bytes + size > maxBytes) {
        cut.chars = cutBefore;
        break;
      }
      bytes += size;
      rows.push(row);
      for (const s of status) tally[s]++;
    }
  }
  const body = rows.join('\n');
  const shown = capped.slice(0, rows.length);
  const notes = [
    // The option's name and the CLI flag's, as a report is made either way.
    ...(records.length > capped.length
      ? [
          `showing the first ${capped.length} of ${records.length} (maxExamples, which evalgate report sets with --max-examples)`,
        ]
      : []),
    ...(shown.length < capped.length
      ? [
          `${(capped.length - shown.length).toLocaleString('en-US')} of ${capped.length.toLocaleString('en-US')} rows left out: the table stops at ${shown.length.toLocaleString('en-US')} rows to stay under ${_formatNumber(maxBytes / 1e6, 3)} MB (maxExampleBytes), which evalgate report sets with --max-example-bytes; every row is in the result file`,
        ]
      : []),
    ...(cut.chars > 0
      ? [
          `${cut.chars.toLocaleString('en-US')} characters of long texts cut from the folds (full text in the result file)`,
        ]
      : []),
  ];
  const cappedNote = notes.map((n) => ` <span class="warn">${_escapeHtml(n)}</span>`).join('');
  const show = (value: string, label: string, n?: number) =>
    `<button type="button" class="show" data-show="${value}" aria-pressed="${value === 'all'}">${label}${n === undefined ? '' : ` (${n})`}</button>`;
  const filters = [
    show('all', 'all', shown.length),
    ...(baseByKey
      ? [show('regressed', 'regressed', tally.regressed), show('improved', 'improved', tally.improved)]
      : []),
    show('failed', 'failed', tally.failed),
  ].join('');
  // One option per segment of the shown rows, sorted; the value is the label itself (escaped).
  const segmentLabels = segments
    ? [...new Set(shown.flatMap((r) => segments.get(_key(r)) ?? []))].sort()
    : [];
  const segmentSelect = segments
    ? ` <label>Segment <select id="segment-filter"><option value="" selected>all segments</option>${segmentLabels
        .map((label) => `<option value="${_escapeHtml(label)}">${_escapeHtml(label)}</option>`)
        .join('')}</select></label>`
    : '';
  const pairing = baseByKey
    ? `<p class="dim">Scores show this run's value over the baseline's ("was"); a row is <em>regressed</em> when some metric scored lower than on the baseline's row of the same example, <em>improved</em> when some scored higher.</p>`
    : '';
  return (
    `<section id="examples"><h2>Examples</h2>${pairing}` +
    `<p class="controls"><span class="filters" role="group" aria-label="show rows">${filters}</span>${segmentSelect} ` +
    `<label>Filter <input id="filter" type="search" placeholder="text in any column" autocomplete="off"></label> ` +
    `<span id="shown-count">${shown.length} of ${shown.length} shown</span>${cappedNote}</p>` +
    `<div class="scroll"><table id="examples-table"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div></section>`
  );
}
