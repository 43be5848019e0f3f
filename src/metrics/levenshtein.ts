import levenshteinLib from 'fast-levenshtein';
import { _describe } from '../_internal/describe.js';
import { _checkChoice, _checkOptions, _checkOptionsObject } from '../_internal/validate.js';
import { builtinMetricDefinition } from '../core/metricDefinition.js';
import type { Metric, ScoreContext } from '../core/types.js';
import {
  _checkReferences,
  _checkString,
  _exampleName,
  _metricName,
  _outputString,
  _referenceStrings,
} from './_internal/reference.js';

/**
 * What one edit operates on.
 * - `'codepoint'` (default): Unicode code points, as Python's `str` and rapidfuzz count; an emoji outside the BMP
 *   is one character, not two UTF-16 units.
 * - `'grapheme'`: user-perceived characters (`Intl.Segmenter`): `e` + combining accent, or a family emoji built
 *   with zero-width joiners, is one unit.
 * - `'utf16'`: raw UTF-16 code units (what `fast-levenshtein` sees on its own).
 */
export type LevenshteinUnit = 'codepoint' | 'grapheme' | 'utf16';

/** Options of {@link levenshteinSimilarity}. */
export interface LevenshteinOptions {
  /** Unit of an edit. @default 'codepoint' */
  readonly unit?: LevenshteinUnit;
  /** Lowercase both strings first. @default false */
  readonly ignoreCase?: boolean;
  /**
   * Work cap: after the common prefix and suffix are stripped, the product of the remaining lengths (in units)
   * may not exceed this, else a RangeError is thrown instead of running for minutes (the distance is quadratic:
   * the bit-parallel algorithm of `fast-levenshtein` does about 10^9 cells per second). Minimum: `1`.
   * @default 1e10 (a 1 MB output against a 10 kB reference)
   */
  readonly maxCells?: number;
}

/** Options of the {@link levenshtein} metric factory. */
export interface LevenshteinMetricOptions extends LevenshteinOptions {
  /** Metric name in results. @default 'levenshtein' */
  readonly name?: string;
}

const LEVENSHTEIN_KEY_SET = { unit: true, ignoreCase: true, maxCells: true } satisfies Record<
  keyof LevenshteinOptions,
  true
>;
const LEVENSHTEIN_KEYS = Object.keys(LEVENSHTEIN_KEY_SET);
const LEVENSHTEIN_METRIC_KEYS = Object.keys({ ...LEVENSHTEIN_KEY_SET, name: true } satisfies Record<
  keyof LevenshteinMetricOptions,
  true
>);

interface _LevConfig {
  readonly unit: LevenshteinUnit;
  readonly ignoreCase: boolean;
  readonly maxCells: number;
}

function _levConfig(options: LevenshteinOptions | undefined): _LevConfig {
  _checkOptionsObject('options', options);
  const o = options ?? {};
  if (o.ignoreCase !== undefined && typeof o.ignoreCase !== 'boolean')
    throw new TypeError(`Expected \`ignoreCase\` to be a boolean, got ${_describe(o.ignoreCase)}`);
  let maxCells = 1e10;
  if (o.maxCells !== undefined) {
    if (typeof o.maxCells !== 'number')
      throw new TypeError(`Expected \`maxCells\` to be a number >= 1, got ${_describe(o.maxCells)}`);
    if (!(o.maxCells >= 1))
      throw new RangeError(`Expected \`maxCells\` to be a number >= 1, got ${_describe(o.maxCells)}`);
    maxCells = o.maxCells;
  }
  return {
    unit:
      o.unit === undefined ? 'codepoint' : _checkChoice('unit', o.unit, ['codepoint', 'grapheme', 'utf16']),
    ignoreCase: o.ignoreCase ?? false,
    maxCells,
  };
}

let segmenter: Intl.Segmenter | undefined;

function _units(s: string, unit: LevenshteinUnit): string[] {
  if (unit === 'utf16') return s.split('');
  if (unit === 'codepoint') return Array.from(s);
  return _graphemes(s);
}

/**
 * Grapheme clusters of `s`. V8's `Intl.Segmenter` is superlinear in the input length (50k characters take 0.4 s,
 * 100,000 CJK characters 7 minutes), so long texts are segmented in chunks of about 1k code units: each chunk's
 * last cluster may continue past it, so it is dropped and the next chunk starts at its start. That start is a
 * boundary of the whole text, since no UAX #29 rule looks more than one character to the right of a boundary; a
 * cluster longer than the chunk doubles it. (Cutting only between two ASCII characters, as before, never cut
 * Cyrillic, Greek, Arabic or CJK text, where no two ASCII characters are adjacent.)
 */
export function _graphemes(s: string): string[] {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const out: string[] = [];
  let from = 0;
  let size = 1024;
  while (from < s.length) {
    const to = Math.min(s.length, from + size);
    const pieces: string[] = [];
    for (const x of segmenter.segment(s.slice(from, to))) pieces.push(x.segment);
    if (to < s.length && pieces.length === 1) {
      size *= 2; // one cluster fills the chunk: it may go on
      continue;
    }
    const last = to < s.length ? pieces.pop()! : '';
    for (const p of pieces) out.push(p);
    from = to - last.length;
    size = 1024;
  }
  return out;
}

/** Plain two-row DP, used only when more than 65,534 units found in both texts prevent the remapping below. */
function _dpDistance(a: readonly number[], b: readonly number[]): number {
  let prev = new Int32Array(b.length + 1);
  let cur = new Int32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const sub = prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur[j] = Math.min(sub, prev[j] + 1, cur[j - 1] + 1);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/** Distance and the normalizing length, in units. Throws a RangeError past `maxCells` (the message adds `where`). */
function _distance(
  a: string,
  b: string,
  cfg: _LevConfig,
  where: string,
): { distance: number; maxLen: number } {
  if (cfg.ignoreCase) {
    a = a.toLowerCase();
    b = b.toLowerCase();
  }
  if (a === b) return { distance: 0, maxLen: cfg.unit === 'utf16' ? a.length : _units(a, cfg.unit).length };
  const ua = _units(a, cfg.unit);
  const ub = _units(b, cfg.unit);
  const maxLen = Math.max(ua.length, ub.length);
  // A common prefix and suffix never change the distance; stripping them makes near-identical long texts cheap.
  let lo = 0;
  while (lo < ua.length && lo < ub.length && ua[lo] === ub[lo]) lo++;
  let ea = ua.length;
  let eb = ub.length;
  while (ea > lo && eb > lo && ua[ea - 1] === ub[eb - 1]) {
    ea--;
    eb--;
  }
  const na = ea - lo;
  const nb = eb - lo;
  if (na === 0 || nb === 0) return { distance: na + nb, maxLen };
  if (na * nb > cfg.maxCells)
    throw new RangeError(
      `Levenshtein distance${where} would take ${na} x ${nb} = ${na * nb} cells, over \`maxCells\` (${cfg.maxCells}); raise \`maxCells\` or shorten the texts`,
    );
  // fast-levenshtein compares UTF-16 code units: give each distinct unit one code unit of its own, so that it
  // counts code points or graphemes instead. The distance depends only on which units of `a` equal which of `b`,
  // so the units found on one side only share one id per side: only the shared ones need their own, and more
  // than 65,534 of those (the slow plain DP, 12 times slower) takes two texts of 65,535 distinct units each.
  const inB = new Set<string>();
  for (let i = lo; i < eb; i++) inB.add(ub[i]);
  const ONLY_A = 0;
  const ONLY_B = 1;
  const ids = new Map<string, number>();
  const idsA: number[] = [];
  const idsB: number[] = [];
  for (let i = lo; i < ea; i++) {
    const u = ua[i];
    if (!inB.has(u)) {
      idsA.push(ONLY_A);
      continue;
    }
    let id = ids.get(u);
    if (id === undefined) {
      id = ids.size + 2;
      ids.set(u, id);
    }
    idsA.push(id);
  }
  for (let i = lo; i < eb; i++) idsB.push(ids.get(ub[i]) ?? ONLY_B);
  if (ids.size + 2 > 0x10000) return { distance: _dpDistance(idsA, idsB), maxLen };
  const sa = _fromCodes(idsA);
  const sb = _fromCodes(idsB);
  return { distance: levenshteinLib.get(sa, sb), maxLen };
}

function _fromCodes(codes: readonly number[]): string {
  let out = '';
  for (let i = 0; i < codes.length; i += 8192) out += String.fromCharCode(...codes.slice(i, i + 8192));
  return out;
}

function _similarity(a: string, refs: readonly string[], cfg: _LevConfig, where: string): number {
  let best = Number.NEGATIVE_INFINITY;
  for (const ref of refs) {
    const { distance, maxLen } = _distance(a, ref, cfg, where);
    const s = maxLen === 0 ? 1 : 1 - distance / maxLen;
    if (s > best) best = s;
  }
  return best;
}

/**
 * Normalized Levenshtein similarity: `1 - distance / max(len(a), len(b))`, the best over several references.
 *
 * The edit distance (insertions, deletions, substitutions, each of cost 1) comes from `fast-levenshtein`
 * (bit-parallel Myers). Lengths and edits count code points by default, so an emoji is one character; see
 * {@link LevenshteinUnit}. Two empty strings have similarity 1. Pure counterpart of the {@link levenshtein}
 * metric factory.
 *
 * @param a - System output.
 * @param b - One reference or several.
 * @param options - `unit` (default `'codepoint'`), `ignoreCase` (default `false`), `maxCells` (default `1e10`).
 * @returns Similarity in [0, 1].
 * @throws {TypeError} For wrong types; {@link RangeError} for an empty references array or work over `maxCells`.
 * @example
 * ```ts
 * levenshteinSimilarity('kitten', 'sitting'); // => 0.5714285714285714 (distance 3, length 7)
 * levenshteinSimilarity('👍ok', '👎ok'); // => 0.6666666666666667 (one substitution out of 3 code points)
 * ```
 */
export function levenshteinSimilarity(
  a: string,
  b: string | readonly string[],
  options?: LevenshteinOptions,
): number {
  _checkOptions('levenshteinSimilarity', options, LEVENSHTEIN_KEYS);
  _checkString('a', a);
  const refs = _checkReferences('b', b);
  return _similarity(a, refs, _levConfig(options), '');
}

/**
 * Levenshtein similarity metric for `evaluate()`: {@link levenshteinSimilarity} of the output against
 * `example.reference` (best over an array of references). Kind `'continuous'`.
 *
 * @param options - {@link LevenshteinOptions} and `name`.
 * @returns A {@link Metric} named `levenshtein` unless renamed.
 * @throws {TypeError} At score time for a bad reference or output; {@link RangeError} over `maxCells`; both
 *   name the example id.
 * @example
 * ```ts
 * levenshtein().score({ example: { id: 'a', input: '', reference: 'sitting' }, output: 'kitten', signal });
 * // => 0.5714285714285714
 * ```
 */
export function levenshtein(options: LevenshteinMetricOptions = {}): Metric {
  _checkOptions('levenshtein', options, LEVENSHTEIN_METRIC_KEYS);
  const cfg = _levConfig(options);
  const name = _metricName(options.name, 'levenshtein');
  return Object.freeze({
    name,
    kind: 'continuous' as const,
    bounds: [0, 1] as const,
    definition: builtinMetricDefinition('levenshtein', { ...cfg }),
    score(ctx: ScoreContext): number {
      return _similarity(
        _outputString(ctx, name),
        _referenceStrings(ctx, name),
        cfg,
        ` for ${_exampleName(ctx)}`,
      );
    },
  });
}
