import { _pySplit } from './_internal/pyText.js';
import { _checkString } from './_internal/reference.js';

// The four substitutions of sacrebleu 2.6.0's TokenizerRegexp (mteval-v13a), applied in this order.
const PUNCT_SYMBOLS = /([{-~[-` -&(-+:-@/])/g;
const PERIOD_COMMA_AFTER_NON_DIGIT = /([^0-9])([.,])/g;
const PERIOD_COMMA_BEFORE_NON_DIGIT = /([.,])([^0-9])/g;
const DASH_AFTER_DIGIT = /([0-9])(-)/g;

/**
 * The `13a` tokenizer of sacrebleu 2.6.0 (mteval-v13a.pl's language-independent tokenization), BLEU's default.
 *
 * Removes `<skipped>`, joins `-\n` hyphenations, turns newlines into spaces, unescapes `&quot; &amp; &lt; &gt;`
 * when the line holds a `&`, then splits off punctuation and symbols, periods and commas except between digits,
 * and a dash after a digit; whitespace is collapsed with Python `str.split` semantics (Unicode whitespace).
 *
 * @param line - One segment.
 * @returns The tokens joined by single spaces.
 * @throws {TypeError} When `line` is not a string.
 * @example
 * ```ts
 * tokenize13a("It's 3.14 and 1,000 people-ish (approx.)");
 * // => "It's 3.14 and 1,000 people-ish ( approx . )"
 * tokenize13a('U.S.A. 2-3 x-ray'); // => 'U . S . A . 2 - 3 x-ray'
 * ```
 */
export function tokenize13a(line: string): string {
  _checkString('line', line);
  return _tokenize13a(line);
}

/** {@link tokenize13a} without the argument check, for hot loops. */
export function _tokenize13a(line: string): string {
  line = line.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ');
  if (line.includes('&')) {
    line = line
      .replaceAll('&quot;', '"')
      .replaceAll('&amp;', '&')
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>');
  }
  line = ` ${line} `;
  line = line.replace(PUNCT_SYMBOLS, ' $1 ');
  line = line.replace(PERIOD_COMMA_AFTER_NON_DIGIT, '$1 $2 ');
  line = line.replace(PERIOD_COMMA_BEFORE_NON_DIGIT, ' $1 $2');
  line = line.replace(DASH_AFTER_DIGIT, '$1 $2 ');
  return _pySplit(line).join(' ');
}
