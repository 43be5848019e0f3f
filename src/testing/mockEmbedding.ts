import { _describe } from '../_internal/describe.js';
import { _checkInteger, _checkKnownKeys, _checkOptionsObject } from '../_internal/validate.js';

/**
 * Options of {@link mockEmbedding}.
 *
 * @example
 * ```ts
 * const options: MockEmbeddingOptions = { dimensions: 256 };
 * ```
 */
export interface MockEmbeddingOptions {
  /** Length of the vector. Range: integer >= 1. @default 64 */
  readonly dimensions?: number;
}

/**
 * The mock server's default embedding: a deterministic, L2-normalized hashed bag of words and character
 * trigrams, so texts that share words or spellings have a higher cosine similarity.
 *
 * The text is lower-cased, NFC-normalized (canonically equivalent spellings embed alike) and split into words
 * (Unicode letters, marks and digits). Each word adds weight 1 and each trigram of ` word ` (padded with spaces)
 * weight 0.5 to a coordinate chosen by a 32-bit FNV-1a hash, with a sign from another hash bit (the "hashing trick"). The vector is divided by its Euclidean norm; a text without
 * words maps to the unit vector on the first coordinate. Identical texts give identical vectors.
 *
 * @param text - The text to embed.
 * @param options - See {@link MockEmbeddingOptions}.
 * @returns A plain array of `dimensions` numbers with Euclidean norm 1.
 * @throws TypeError if `text` is not a string or `options` is not an options object or has an unknown key;
 *   RangeError if `dimensions` is not an integer >= 1.
 * @example
 * ```ts
 * const v = mockEmbedding('the cat sat', { dimensions: 8 });
 * v.length; // => 8
 * Math.hypot(...v); // => 1 (within rounding)
 * ```
 */
export function mockEmbedding(text: string, options: MockEmbeddingOptions = {}): number[] {
  if (typeof text !== 'string')
    throw new TypeError(`Expected \`text\` to be a string, got ${_describe(text)}`);
  _checkOptionsObject('options', options);
  _checkKnownKeys('options', options, ['dimensions']);
  const dimensions = _checkInteger('dimensions', options.dimensions ?? 64, 1);
  const v = new Float64Array(dimensions);
  // NFC so canonically equivalent spellings (precomposed or decomposed accents) are the same text; marks stay
  // inside words, or a decomposed accent or a Devanagari vowel sign would split one word into two.
  const words =
    text
      .toLowerCase()
      .normalize('NFC')
      .match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
  for (const word of words) {
    _add(v, `w:${word}`, 1);
    const padded = ` ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) _add(v, `t:${padded.slice(i, i + 3)}`, 0.5);
  }
  let norm = 0;
  for (let i = 0; i < dimensions; i++) norm += v[i] * v[i];
  norm = Math.sqrt(norm);
  const out = new Array<number>(dimensions);
  if (norm === 0) {
    out.fill(0);
    out[0] = 1;
    return out;
  }
  for (let i = 0; i < dimensions; i++) out[i] = v[i] / norm;
  return out;
}

function _add(v: Float64Array, feature: string, weight: number): void {
  const h = _fnv1a(feature);
  // Low bits pick the coordinate, the top bit the sign, so collisions cancel out on average.
  v[h % v.length] += h & 0x80000000 ? -weight : weight;
}

/** 32-bit FNV-1a over UTF-16 code units. */
export function _fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
