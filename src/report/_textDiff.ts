/**
 * A word-level diff of two outputs for the report: the longest common subsequence of their tokens (words and
 * the whitespace between them), rendered as escaped `<del>` / `<ins>` runs.
 * @module
 */

import { _escapeHtml } from './_html.js';

export interface _DiffPart {
  readonly op: 'same' | 'del' | 'ins';
  readonly text: string;
}

/** Above this many token pairs the LCS table is not built; the diff keeps the common prefix and suffix only. */
const MAX_CELLS = 250_000;

/** Words, single punctuation marks and runs of whitespace: "support." is "support" and ".". */
const _tokens = (s: string): string[] => s.match(/\s+|[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu) ?? [];

/**
 * Whether two middle tokens may be aligned: only equal words. Whitespace and punctuation are never anchors:
 * matching the spaces or full stops of two unrelated sentences would shred the diff into one-word pieces.
 */
const _same = (a: string, b: string) => a === b && /[\p{L}\p{N}_]/u.test(a);

/** Each run of edits as all its deletions, then all its insertions, so a replaced phrase reads old then new. */
function _regroup(parts: readonly _DiffPart[]): _DiffPart[] {
  const out: _DiffPart[] = [];
  let del = '';
  let ins = '';
  const flush = () => {
    _push(out, 'del', del);
    _push(out, 'ins', ins);
    del = '';
    ins = '';
  };
  for (const p of parts) {
    if (p.op === 'del') del += p.text;
    else if (p.op === 'ins') ins += p.text;
    else {
      flush();
      _push(out, 'same', p.text);
    }
  }
  flush();
  return out;
}

function _push(parts: _DiffPart[], op: _DiffPart['op'], text: string): void {
  if (text === '') return;
  const last = parts[parts.length - 1];
  if (last && last.op === op) parts[parts.length - 1] = { op, text: last.text + text };
  else parts.push({ op, text });
}

/**
 * The edits that turn `before` into `after`, word by word. Common prefix and suffix are peeled off first (most
 * outputs of two prompt versions share much of their text), then the middle is aligned by LCS (dynamic
 * programming, O(n·m) in tokens); a middle larger than {@link MAX_CELLS} pairs is shown as one deletion and one
 * insertion instead of taking seconds to align. `budget.cells`, when given, is shared by the diffs of one page and
 * spent by each alignment, so thousands of long rows cannot make the report slow to render either.
 */
export function _textDiff(before: string, after: string, budget?: { cells: number }): _DiffPart[] {
  const a = _tokens(before);
  const b = _tokens(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const parts: _DiffPart[] = [];
  _push(parts, 'same', a.slice(0, start).join(''));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const cells = midA.length * midB.length;
  if (cells > MAX_CELLS || (budget !== undefined && cells > budget.cells)) {
    _push(parts, 'del', midA.join(''));
    _push(parts, 'ins', midB.join(''));
  } else {
    if (budget) budget.cells -= cells;
    const n = midA.length;
    const m = midB.length;
    // lcs[i*(m+1)+j]: LCS length of midA[i..] and midB[j..].
    const lcs = new Uint32Array((n + 1) * (m + 1));
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--)
        lcs[i * (m + 1) + j] = _same(midA[i]!, midB[j]!)
          ? lcs[(i + 1) * (m + 1) + j + 1]! + 1
          : Math.max(lcs[(i + 1) * (m + 1) + j]!, lcs[i * (m + 1) + j + 1]!);
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && _same(midA[i]!, midB[j]!)) {
        _push(parts, 'same', midA[i++]!);
        j++;
      } else if (j < m && (i === n || lcs[i * (m + 1) + j + 1]! >= lcs[(i + 1) * (m + 1) + j]!)) {
        _push(parts, 'ins', midB[j++]!);
      } else {
        _push(parts, 'del', midA[i++]!);
      }
    }
  }
  _push(parts, 'same', a.slice(endA).join(''));
  return _regroup(parts);
}

/** The diff as escaped HTML: deletions in `<del>`, insertions in `<ins>`. */
export function _textDiffHtml(parts: readonly _DiffPart[]): string {
  return parts
    .map((p) =>
      p.op === 'same'
        ? _escapeHtml(p.text)
        : p.op === 'del'
          ? `<del>${_escapeHtml(p.text)}</del>`
          : `<ins>${_escapeHtml(p.text)}</ins>`,
    )
    .join('');
}
