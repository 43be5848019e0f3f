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
  // A loop, not /[…]+$/: V8 retries that regex at every whitespace run, quadratic on long texts.
  let end = s.length;
  while (end > 0 && _isPySpace(s.charCodeAt(end - 1))) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** Python's `str.isspace()` for one UTF-16 code unit (all Python whitespace is in the BMP). */
export function _isPySpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  if (c < 0x85) return false;
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
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
