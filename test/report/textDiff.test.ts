import { describe, expect, it } from 'vitest';
import { _textDiff, _textDiffHtml } from '../../src/report/_textDiff.js';

const show = (a: string, b: string) =>
  _textDiff(a, b)
    .map((p) => (p.op === 'same' ? p.text : p.op === 'del' ? `[-${p.text}-]` : `{+${p.text}+}`))
    .join('');

describe('_textDiff', () => {
  it.each([
    ['Ships in 2 days.', 'Ships in 5 days.', 'Ships in [-2-]{+5+} days.'],
    ['Email support.', 'Email support today.', 'Email support{+ today+}.'],
    ['Use the app.', 'Use the mobile app.', 'Use the {+mobile +}app.'],
    ['same', 'same', 'same'],
    ['', 'new text', '{+new text+}'],
    ['old text', '', '[-old text-]'],
    // unrelated sentences are one replacement, not shredded at their spaces
    ['Tracking is emailed.', 'Labels are prepaid.', '[-Tracking is emailed-]{+Labels are prepaid+}.'],
    ['<b>window.__x=1</b>', 'Invoices are monthly.', '[-<b>window.__x=1</b>-]{+Invoices are monthly.+}'],
  ])('%j -> %j', (a, b, want) => {
    expect(show(a, b)).toBe(want);
  });

  it('gives back both texts: the same and deleted parts are the old one, the same and inserted the new one', () => {
    const a = 'The quick brown fox jumps over the lazy dog, twice.';
    const b = 'A quick red fox jumped over the dog, once.';
    const parts = _textDiff(a, b);
    expect(
      parts
        .filter((p) => p.op !== 'ins')
        .map((p) => p.text)
        .join(''),
    ).toBe(a);
    expect(
      parts
        .filter((p) => p.op !== 'del')
        .map((p) => p.text)
        .join(''),
    ).toBe(b);
  });

  it('falls back to one deletion and one insertion past the table limit, and stays fast', () => {
    const a = Array.from({ length: 1000 }, (_, i) => `a${i}`).join(' ');
    const b = Array.from({ length: 1000 }, (_, i) => `b${i}`).join(' ');
    expect(_textDiff(`x ${a} y`, `x ${b} y`).map((p) => p.op)).toEqual(['same', 'del', 'ins', 'same']);
  });

  it('spends a shared budget of table cells, then stops aligning', () => {
    const budget = { cells: 10 };
    expect(_textDiff('a b c', 'a x c', budget).map((p) => p.op)).toEqual(['same', 'del', 'ins', 'same']);
    expect(budget.cells).toBe(9); // one token on each side
    const long = (w: string) => Array.from({ length: 5 }, (_, i) => `${w}${i} shared${i}`).join(' ');
    expect(_textDiff(long('p'), long('q'), budget).map((p) => p.op)).toEqual(['del', 'ins', 'same']); // 'shared4' ends both
    expect(budget.cells).toBe(9); // too big for what was left: not aligned, nothing spent
    expect(_textDiff(long('p'), long('q')).filter((p) => p.op === 'same').length).toBeGreaterThan(1);
  });

  it('escapes every part', () => {
    expect(_textDiffHtml(_textDiff('<b>old</b>', '<i>new</i>'))).toBe(
      '&lt;<del>b&gt;old&lt;/b</del><ins>i&gt;new&lt;/i</ins>&gt;',
    );
  });
});
