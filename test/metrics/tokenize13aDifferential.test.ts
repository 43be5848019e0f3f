import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { tokenize13a } from '../../src/metrics/index.js';

/**
 * The oracle: sacrebleu 2.6.0's Tokenizer13a written as its regex substitutions (shared/reference/STATS.md
 * section 5), with Python str.split() whitespace. tokenize13a uses a hand-written scan; they must agree.
 */
function regex13a(line: string): string {
  line = line.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ');
  if (line.includes('&'))
    line = line
      .replaceAll('&quot;', '"')
      .replaceAll('&amp;', '&')
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>');
  line = ` ${line} `;
  line = line.replace(/([{-~[-` -&(-+:-@/])/g, ' $1 ');
  line = line.replace(/([^0-9])([.,])/g, '$1 $2 ');
  line = line.replace(/([.,])([^0-9])/g, ' $1 $2');
  line = line.replace(/([0-9])(-)/g, '$1 $2 ');
  // Python 3.11 str.isspace().
  // biome-ignore lint/suspicious/noControlCharactersInRegex: Python whitespace includes U+001C-U+001F.
  const ws = /[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
  return line
    .split(ws)
    .filter((t) => t.length > 0)
    .join(' ');
}

describe('tokenize13a equals the regex formulation of sacrebleu 13a', () => {
  it('on 20,000 random strings over an adversarial alphabet', () => {
    const rng = seedrandom('13a');
    const alphabet = [
      'a',
      'B',
      'é',
      '0',
      '1',
      '9',
      '.',
      ',',
      '-',
      '-',
      '.',
      ',',
      ' ',
      '  ',
      '\t',
      '\n',
      '-\n',
      '\u3000',
      '\u0085',
      '\u001f',
      '\ufeff',
      '(',
      ')',
      '$',
      '%',
      '&',
      '&amp;',
      '&quot;',
      '&lt;',
      '&gt;',
      '<skipped>',
      "'",
      '"',
      '/',
      ':',
      '@',
      '[',
      ']',
      '{',
      '}',
      '~',
      '`',
      '_',
      '^',
      '+',
      '*',
      '=',
      '?',
      '!',
      ';',
      '#',
      '|',
      '\\',
      '👍',
      '東',
      '\u0301',
    ];
    for (let t = 0; t < 20_000; t++) {
      const len = Math.floor(rng() * 30);
      let s = '';
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(rng() * alphabet.length)];
      expect(tokenize13a(s), JSON.stringify(s)).toBe(regex13a(s));
    }
  });

  it('on punctuation-dense runs', () => {
    for (const s of [
      'a..b',
      '1..2',
      '1.,.2',
      '...',
      ',,,',
      'a-1-2-b',
      '1--2',
      '.5',
      '5.',
      '-1.5,-2',
      'x.,-1.-',
      '..1..',
    ]) {
      expect(tokenize13a(s), s).toBe(regex13a(s));
    }
  });
});
