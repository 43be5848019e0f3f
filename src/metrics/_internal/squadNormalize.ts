import { _describe } from '../../_internal/describe.js';
import { _pySplit } from './pyText.js';

/**
 * Answer normalization of the official SQuAD v2.0 evaluation script (`normalize_answer`): lowercase, drop
 * ASCII punctuation (`string.punctuation`), replace the articles a / an / the by a space, collapse whitespace.
 * Each step can be switched off; all on (the default) is exactly SQuAD's.
 */
export interface AnswerNormalization {
  /** Lowercase with `String.prototype.toLowerCase` (Python `str.lower`). @default true */
  readonly lowercase?: boolean;
  /** Remove the 32 ASCII punctuation characters of Python's `string.punctuation`. @default true */
  readonly removePunctuation?: boolean;
  /** Replace the whole words `a`, `an`, `the` (after lowercasing) by a space. @default true */
  readonly removeArticles?: boolean;
  /** Trim and collapse runs of Unicode whitespace (Python `str.split`) to one space. @default true */
  readonly collapseWhitespace?: boolean;
}

const ASCII_PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
// Python's re `\b` on str is Unicode-aware: a word character is `str.isalnum()` or `_`, which for Python 3.11
// (Unicode 14) is exactly [\p{L}\p{N}_]; JS `\b` only knows [A-Za-z0-9_], hence the lookarounds.
const ARTICLES = /(?<![\p{L}\p{N}_])(?:a|an|the)(?![\p{L}\p{N}_])/gu;

/** Resolved flags, in the order SQuAD applies them. */
export interface _NormalizationFlags {
  readonly lowercase: boolean;
  readonly removePunctuation: boolean;
  readonly removeArticles: boolean;
  readonly collapseWhitespace: boolean;
}

export const _SQUAD_FLAGS: _NormalizationFlags = Object.freeze({
  lowercase: true,
  removePunctuation: true,
  removeArticles: true,
  collapseWhitespace: true,
});

/** Validates the normalization options, filling in defaults. */
export function _normalizationFlags(options: AnswerNormalization | undefined): _NormalizationFlags {
  if (options === undefined) return _SQUAD_FLAGS;
  const read = (key: keyof AnswerNormalization): boolean => {
    const v = options[key];
    if (v === undefined) return true;
    if (typeof v !== 'boolean')
      throw new TypeError(`Expected \`${key}\` to be a boolean, got ${_describe(v)}`);
    return v;
  };
  return {
    lowercase: read('lowercase'),
    removePunctuation: read('removePunctuation'),
    removeArticles: read('removeArticles'),
    collapseWhitespace: read('collapseWhitespace'),
  };
}

/** SQuAD's `normalize_answer` (with optional steps turned off). */
export function _squadNormalize(s: string, flags: _NormalizationFlags = _SQUAD_FLAGS): string {
  if (flags.lowercase) s = s.toLowerCase();
  if (flags.removePunctuation) s = s.replace(ASCII_PUNCTUATION, '');
  if (flags.removeArticles) s = s.replace(ARTICLES, ' ');
  if (flags.collapseWhitespace) s = _pySplit(s).join(' ');
  return s;
}

/** SQuAD's `get_tokens`: the normalized answer split on whitespace. */
export function _squadTokens(s: string, flags: _NormalizationFlags = _SQUAD_FLAGS): string[] {
  if (s.length === 0) return [];
  return _pySplit(_squadNormalize(s, flags));
}

/**
 * SQuAD v2.0 gold handling: golds whose normalized text is empty are dropped, and when none is left the only
 * correct answer is the empty string (an unanswerable question).
 */
export function _squadGolds(golds: readonly string[], flags: _NormalizationFlags): string[] {
  const kept = golds.filter((g) => _squadNormalize(g, flags).length > 0);
  return kept.length === 0 ? [''] : kept;
}
