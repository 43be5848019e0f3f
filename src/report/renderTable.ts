/**
 * A plain-text table for terminals and CI logs: a header, a rule, one line per row, columns padded to the
 * widest cell. Numbers are right-aligned so their digits line up. Cells hold names from the caller's data (a
 * segment, an id), so their control characters are written as escapes (see `_terminalText`): an escape sequence
 * cannot reach the terminal raw and a line break cannot split a row.
 * @module
 */

import { _terminalText } from '../_internal/terminalText.js';

/** Column alignment: `'l'` (left) or `'r'` (right). */
export type _Align = 'l' | 'r';

/** Renders `rows` under `header`; `align[i]` aligns column i (left by default). */
export function renderTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly _Align[] = [],
): string {
  const head = header.map(_terminalText);
  const body = rows.map((r) => r.map(_terminalText));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (align[i] === 'r' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
