/**
 * Python `str` semantics the reference implementations rely on (sacrebleu 2.6.0, the SQuAD v2.0 script,
 * rouge-score), so that tokenization agrees with them character for character.
 * @module
 */

/**
 * The characters for which Python 3.11's `str.isspace()` is true (Unicode 14). JS `\s` differs: it adds U+FEFF
 * and lacks U+001C–U+001F and U+0085.
 */
const PY_WS = '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

/** Runs of Python whitespace. */
export const _PY_WS_RUN = new RegExp(`[${PY_WS}]+`, 'g');
const PY_WS_TRAILING = new RegExp(`[${PY_WS}]+$`);
const PY_WS_ANY = new RegExp(`[${PY_WS}]`);

/** Python's `s.split()`: split on runs of Unicode whitespace, dropping empty pieces. */
export function _pySplit(s: string): string[] {
  const parts = s.split(_PY_WS_RUN);
  // Only the first and last piece can be empty (leading / trailing whitespace).
  if (parts.length > 0 && parts[0] === '') parts.shift();
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Python's `s.rstrip()`. */
export function _pyRstrip(s: string): string {
  return PY_WS_ANY.test(s) ? s.replace(PY_WS_TRAILING, '') : s;
}

/** Python's `''.join(s.split())`: every whitespace character removed. */
export function _pyRemoveWhitespace(s: string): string {
  return PY_WS_ANY.test(s) ? s.replace(_PY_WS_RUN, '') : s;
}

/** True when `s` holds a UTF-16 surrogate, i.e. code points and code units differ. */
export function _hasSurrogates(s: string): boolean {
  return /[\ud800-\udfff]/.test(s);
}

/** The code points of `s` as strings, as Python indexes a `str`. */
export function _codePoints(s: string): string[] {
  return _hasSurrogates(s) ? Array.from(s) : s.split('');
}
