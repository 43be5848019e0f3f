import { _isPySpace } from './_internal/pyText.js';
import { _checkString } from './_internal/reference.js';

// The four substitutions of sacrebleu 2.6.0's TokenizerRegexp (mteval-v13a), applied in this order:
//   1. ([\{-\~\[-\` -\&\(-\+\:-\@\/])  -> ' \1 '
//   2. ([^0-9])([\.,])                  -> '\1 \2 '
//   3. ([\.,])([^0-9])                  -> ' \1 \2'
//   4. ([0-9])(-)                        -> '\1 \2 '
// Each pattern is one or two fixed characters, so a global substitution is a left-to-right scan that tries a
// match at position i and, on success, resumes at i + 2. _tokens13a runs these scans by hand over an array of
// source positions (-1 = an inserted space), which gives the same string as the regex passes (a test checks it
// against them on random text) without building four intermediate strings, and cuts tokens as slices.

/** Pass 1's character class, indexed by char code (< 128). */
const PASS1 = new Uint8Array(128);
for (const [lo, hi] of [
  [0x7b, 0x7e],
  [0x5b, 0x60],
  [0x20, 0x26],
  [0x28, 0x2b],
  [0x3a, 0x40],
  [0x2f, 0x2f],
])
  PASS1.fill(1, lo, hi + 1);

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
  return _tokens13a(line).join(' ');
}

let _bufA = new Int32Array(0);
let _bufB = new Int32Array(0);

/**
 * The 13a tokens of `line` as an array (what BLEU counts), without building the intermediate strings.
 *
 * Pass 1 surrounds every character of its class with spaces, and passes 2-4 only ever insert spaces next to
 * '.', ',' or '-'. So a pass-1 character other than whitespace is always a token of its own, and the text between
 * whitespace and pass-1 characters (a "chunk") is one token unless it holds '.', ',' or '-'. Such chunks are
 * replayed through passes 2-4 exactly ({@link _scanChunk}); their neighbours in those passes are always spaces,
 * and no pass-2/3/4 match can consume a space that another chunk's match needs, so chunks are independent.
 */
export function _tokens13a(line: string): string[] {
  if (line.includes('<skipped>')) line = line.replaceAll('<skipped>', '');
  if (line.includes('\n')) line = line.replaceAll('-\n', '').replaceAll('\n', ' ');
  if (line.includes('&')) {
    line = line
      .replaceAll('&quot;', '"')
      .replaceAll('&amp;', '&')
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>');
  }
  const tokens: string[] = [];
  const n = line.length;
  let start = -1;
  let special = false;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? line.charCodeAt(i) : 32;
    const pass1 = c < 128 && PASS1[c] === 1;
    if (pass1 || _isPySpace(c)) {
      if (start >= 0) {
        if (special) _scanChunk(line.slice(start, i), tokens);
        else tokens.push(line.slice(start, i));
        start = -1;
        special = false;
      }
      if (pass1 && c !== 32) tokens.push(line[i]);
    } else {
      if (start < 0) start = i;
      if (c === 46 || c === 44 || c === 45) special = true;
    }
  }
  return tokens;
}

/**
 * Replays passes 2-4 over one chunk (no whitespace, no pass-1 characters) padded with spaces, exactly as the
 * regex substitutions scan, and appends the resulting tokens.
 */
function _scanChunk(line: string, tokens: string[]): void {
  const n = line.length;
  // Scratch buffers are reused across calls: allocating typed arrays per segment costs more than the scan.
  // Passes 2-3 add two entries per '.' or ',', pass 4 two per '-': at most 3n + 6 + 4n entries.
  const cap = 8 * n + 16;
  if (_bufA.length < cap) {
    _bufA = new Int32Array(cap);
    _bufB = new Int32Array(cap);
  }
  let a = _bufA;
  let b = _bufB;
  // Pass 1 on ' ' + chunk + ' ': only the padding spaces are in its class.
  let m = 0;
  a[m++] = -1;
  a[m++] = -1;
  a[m++] = -1;
  for (let i = 0; i < n; i++) a[m++] = i;
  a[m++] = -1;
  a[m++] = -1;
  a[m++] = -1;
  if (line.includes('.') || line.includes(',')) {
    // Pass 2: ([^0-9])([.,]) -> '\1 \2 '
    let k = 0;
    let i = 0;
    while (i < m) {
      const s0 = a[i];
      if (i + 1 < m) {
        const s1 = a[i + 1];
        const c0 = s0 < 0 ? 32 : line.charCodeAt(s0);
        const c1 = s1 < 0 ? 32 : line.charCodeAt(s1);
        if ((c0 < 48 || c0 > 57) && (c1 === 46 || c1 === 44)) {
          b[k++] = s0;
          b[k++] = -1;
          b[k++] = s1;
          b[k++] = -1;
          i += 2;
          continue;
        }
      }
      b[k++] = s0;
      i++;
    }
    // Pass 3: ([.,])([^0-9]) -> ' \1 \2'
    m = 0;
    i = 0;
    while (i < k) {
      const s0 = b[i];
      if (i + 1 < k) {
        const s1 = b[i + 1];
        const c0 = s0 < 0 ? 32 : line.charCodeAt(s0);
        const c1 = s1 < 0 ? 32 : line.charCodeAt(s1);
        if ((c0 === 46 || c0 === 44) && (c1 < 48 || c1 > 57)) {
          a[m++] = -1;
          a[m++] = s0;
          a[m++] = -1;
          a[m++] = s1;
          i += 2;
          continue;
        }
      }
      a[m++] = s0;
      i++;
    }
  }
  if (line.includes('-')) {
    // Pass 4: ([0-9])(-) -> '\1 \2 '
    let k = 0;
    let i = 0;
    while (i < m) {
      const s0 = a[i];
      if (i + 1 < m) {
        const s1 = a[i + 1];
        const c0 = s0 < 0 ? 32 : line.charCodeAt(s0);
        if (c0 >= 48 && c0 <= 57 && s1 >= 0 && line.charCodeAt(s1) === 45) {
          b[k++] = s0;
          b[k++] = -1;
          b[k++] = s1;
          b[k++] = -1;
          i += 2;
          continue;
        }
      }
      b[k++] = s0;
      i++;
    }
    const t = a;
    a = b;
    b = t;
    m = k;
  }
  // Python str.split(): runs of non-whitespace are the tokens. Source positions inside a run are consecutive
  // (only spaces were inserted), so each token is a slice of the line.
  let start = -1;
  let last = -1;
  for (let j = 0; j < m; j++) {
    const s = a[j];
    if (s < 0 || _isPySpace(line.charCodeAt(s))) {
      if (start >= 0) {
        tokens.push(line.slice(start, last + 1));
        start = -1;
      }
    } else {
      if (start < 0) start = s;
      last = s;
    }
  }
}
