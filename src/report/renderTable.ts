/**
 * A plain-text table for terminals and CI logs: a header, a rule, one line per row, columns padded to the
 * widest cell. Numbers are right-aligned so their digits line up.
 * @module
 */

/** Column alignment: `'l'` (left) or `'r'` (right). */
export type _Align = 'l' | 'r';

/** Renders `rows` under `header`; `align[i]` aligns column i (left by default). */
export function renderTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly _Align[] = [],
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (align[i] === 'r' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
