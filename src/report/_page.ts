/**
 * The page around the report and the history report: one self-contained document with inline CSS and script, a
 * Content-Security-Policy that forbids every network request, and the data embedded as escaped JSON.
 * @module
 */

import type { EvalResult } from '../result/EvalResult.js';
import { _escapeHtml, _jsonForScript } from './_html.js';

const _style = `
:root{--fg:#1f2937;--dim:#6b7280;--line:#e5e7eb;--main:#2563eb;--base:#9ca3af;--good:#15803d;--bad:#b91c1c}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);margin:24px auto;max-width:1320px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
.names{font-size:15px;margin:0 0 4px}.names b{font-weight:600}
.dim,.tick,.ref-label{color:var(--dim);fill:var(--dim)}.warn{color:#b45309}.bad{color:var(--bad)}.good{color:var(--good)}figure{margin:8px 0}
.panels{display:flex;flex-wrap:wrap;gap:10px 12px}.metric-panel svg .row-note,.histogram svg .row-note{font-size:11px}.panels figure{margin:0;border:1px solid var(--line);border-radius:6px;padding:6px}
.panels figure figcaption{font-size:12px;max-width:400px}.metric-panel.tone-bad{border-color:#fca5a5}.panels+table{margin-top:12px}
.gate-lines{margin:0;padding-left:20px}.gate-line{margin:4px 0;color:var(--bad)}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
table.summary td:nth-child(n+3){white-space:nowrap}td.num{text-align:right;white-space:nowrap}tr.failed{background:#fef2f2}tr.regressed td{background:#fef2f2}
.scroll{overflow-x:auto}.text{max-height:8em;overflow:auto;white-space:pre-wrap;overflow-wrap:anywhere;min-width:9em;max-width:32em}
td.baseline-output .text{color:#4b5563;background:#f9fafb}
del{background:#fee2e2;color:#991b1b}ins{background:#dcfce7;color:#166534;text-decoration:none}
.score.down{color:var(--bad);font-weight:600}.score.up{color:var(--good);font-weight:600}
button.sort{font:inherit;font-weight:600;border:0;background:none;padding:0;cursor:pointer;color:inherit}
th[aria-sort=ascending] button.sort::after{content:" ▲"}th[aria-sort=descending] button.sort::after{content:" ▼"}
button.show{font:inherit;border:1px solid var(--line);background:#fff;border-radius:4px;padding:2px 8px;margin-right:4px;cursor:pointer}
button.show[aria-pressed=true]{background:var(--fg);color:#fff}
.controls input{font:inherit;padding:3px 6px;width:20em}.controls select{font:inherit;padding:2px 4px}.segment{display:inline-block;border:1px solid var(--line);border-radius:10px;padding:0 6px;margin:1px 0;font-size:12px;white-space:nowrap}.details{margin:0}.details dt{font-weight:600}.details dd{margin:0 0 4px}
svg text{font:12px system-ui,sans-serif;fill:var(--fg)}svg .tick,svg .ref-label,svg .dim,svg .panel-sub{fill:var(--dim)}svg .panel-title{font-weight:600;font-size:13px}
.ci-bar{stroke:var(--main);stroke-width:2.5}.ci-cap{stroke:var(--fg);stroke-width:1}.estimate,.estimate-legend{fill:var(--main)}
.diff-bar{stroke:var(--main);stroke-width:2.5}.diff-estimate{fill:var(--main)}
.forest-row.tone-good .ci-bar,.diff.tone-good .diff-bar{stroke:var(--good)}.forest-row.tone-good .estimate,.diff.tone-good .diff-estimate{fill:var(--good)}
.forest-row.tone-bad .ci-bar,.diff.tone-bad .diff-bar{stroke:var(--bad)}.forest-row.tone-bad .estimate,.diff.tone-bad .diff-estimate{fill:var(--bad)}
svg text.tone-bad{fill:var(--bad)}svg text.tone-good{fill:var(--good)}
.ci-bar-baseline{stroke:var(--base);stroke-width:2.5}.estimate-baseline{fill:var(--base)}
.axis,.diff-axis,.tick-mark,.row-axis{stroke:#9ca3af}.row-axis{stroke-dasharray:2 3}.zero-line{stroke:var(--fg);stroke-width:1}
.margin-line{stroke:var(--bad);stroke-width:1.5;stroke-dasharray:5 4}
.hist-bar{fill:var(--main)}.hist-bar-baseline{fill:var(--base)}
.grid{stroke:#f3f4f6}.y-axis{stroke:#9ca3af}.history-whisker{stroke:var(--main);stroke-opacity:.35;stroke-width:8}.history-point.moved{stroke:var(--bad);stroke-width:2}
.history-band{fill:var(--main);fill-opacity:.18;stroke:none}.history-line{fill:none;stroke:var(--main);stroke-width:1.5}.history-point{fill:var(--main)}
`;

// Sorting compares data-value numerically when a cell has one (empty values last), text otherwise. A row is
// shown when it has the selected status (data-status), belongs to the selected segment (data-segments, a JSON
// array of labels) and contains the filter text. No user data is interpolated here.
const _script = `
(() => {
  const table = document.getElementById('examples-table');
  if (!table) return;
  const tbody = table.tBodies[0];
  const rows = Array.from(tbody.rows);
  const texts = rows.map((r) => r.textContent.toLowerCase());
  const filter = document.getElementById('filter');
  const count = document.getElementById('shown-count');
  const buttons = Array.from(document.querySelectorAll('button.show'));
  const segmentFilter = document.getElementById('segment-filter');
  const segmentsOf = rows.map((r) => (r.dataset.segments ? JSON.parse(r.dataset.segments) : []));
  let status = 'all';
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
  const apply = () => {
    const q = filter.value.trim().toLowerCase();
    let shown = 0;
    rows.forEach((row, i) => {
      const statusOk = status === 'all' || (row.dataset.status || '').split(' ').includes(status);
      const segment = segmentFilter ? segmentFilter.value : '';
      const segmentOk = segment === '' || segmentsOf[i].includes(segment);
      row.hidden = !statusOk || !segmentOk || (q !== '' && !texts[i].includes(q));
      if (!row.hidden) shown++;
    });
    count.textContent = shown + ' of ' + rows.length + ' shown';
  };
  for (const b of buttons)
    b.addEventListener('click', () => {
      status = b.dataset.show;
      for (const other of buttons) other.setAttribute('aria-pressed', String(other === b));
      apply();
    });
  filter.addEventListener('input', apply);
  if (segmentFilter) segmentFilter.addEventListener('change', apply);
})();
`;

/** The whole document: `title` (plain text, escaped here), `body` (already escaped HTML), `data` as JSON. */
export function _page(title: string, body: string, data: unknown, withScript: boolean): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${_escapeHtml(title)}</title><style>${_style}</style></head><body>`,
    body,
    `<script type="application/json" id="evalgate-data">${_jsonForScript(data)}</script>`,
    withScript ? `<script>${_script}</script>` : '',
    '</body></html>',
    '',
  ].join('\n');
}

/** "gpt-4o-mini · prompt v2": the model `evaluate()` recorded and the label, whichever are known; '' when neither is. */
export function _runName(result: EvalResult, label: string | undefined): string {
  const model = typeof result.config.model === 'string' ? result.config.model : undefined;
  return [model, label].filter((x) => x !== undefined && x !== '').join(' · ');
}
