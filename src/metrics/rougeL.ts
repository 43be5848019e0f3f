import { _describe } from '../_internal/describe.js';
import { _checkOptions } from '../_internal/validate.js';
import { builtinMetricDefinition } from '../core/metricDefinition.js';
import type { Metric, MetricScore, ScoreContext } from '../core/types.js';
import { _lcsLength } from './_internal/lcsLength.js';
import {
  _checkReferences,
  _checkString,
  _exampleName,
  _metricName,
  _outputString,
  _referenceStrings,
} from './_internal/reference.js';

/**
 * How ROUGE-L splits text into tokens.
 * - `'unicode'` (default): lowercase, tokens are runs of letters, marks and digits (`[\p{L}\p{M}\p{N}]+`), and
 *   each Han / Hiragana / Katakana character is a token of its own (those scripts do not separate words with
 *   spaces). On ASCII text this is exactly rouge-score's tokenizer.
 * - `'rouge-score'`: rouge-score 0.1.2's default (no stemming): lowercase, every character outside `[a-z0-9]`
 *   is a separator, so non-ASCII text (accents, CJK) is dropped.
 * - a function: your own tokenizer.
 */
export type RougeTokenizer = 'unicode' | 'rouge-score' | ((text: string) => readonly string[]);

/** Options of {@link rougeLScore}. */
export interface RougeLOptions {
  /** Tokenizer. @default 'unicode' */
  readonly tokenizer?: RougeTokenizer;
  /**
   * Work cap: the product of the two texts' token counts may not exceed this, else a RangeError is thrown
   * instead of running for minutes or hours (the LCS is quadratic: about 3·10^9 token pairs a second, so two
   * texts of a million tokens each take over 5 minutes, extrapolated from 300,000 x 300,000 in 29 s; and a
   * metric's synchronous work is not interrupted by `metricTimeoutMs`). Minimum: `1`.
   * @default 1e11 (two texts of 316,000 tokens each; about 30 s of CJK text, where every character is a token)
   */
  readonly maxCells?: number;
}

/** Options of the {@link rougeL} metric factory. */
export interface RougeLMetricOptions extends RougeLOptions {
  /** Metric name in results. @default 'rouge_l' */
  readonly name?: string;
}

const ROUGE_L_KEY_SET = { tokenizer: true, maxCells: true } satisfies Record<keyof RougeLOptions, true>;
const ROUGE_L_KEYS = Object.keys(ROUGE_L_KEY_SET);
const ROUGE_L_METRIC_KEYS = Object.keys({ ...ROUGE_L_KEY_SET, name: true } satisfies Record<
  keyof RougeLMetricOptions,
  true
>);

/** ROUGE-L precision, recall and F-measure (rouge-score's `Score`). Frozen. */
export interface RougeLResult {
  readonly precision: number;
  readonly recall: number;
  readonly fmeasure: number;
}

const CJK = '\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}';
const UNICODE_TOKEN = new RegExp(`[${CJK}]|(?:(?![${CJK}])[\\p{L}\\p{M}\\p{N}])+`, 'gu');
const ROUGE_SCORE_SEPARATORS = /[^a-z0-9]+/g;

function _tokenizer(t: unknown): (text: string) => readonly string[] {
  if (t === undefined || t === 'unicode') return (text) => text.toLowerCase().match(UNICODE_TOKEN) ?? [];
  if (t === 'rouge-score')
    return (text) =>
      text
        .toLowerCase()
        .replace(ROUGE_SCORE_SEPARATORS, ' ')
        .split(' ')
        .filter((x) => x.length > 0);
  if (typeof t === 'function') {
    return (text) => {
      const out = (t as (s: string) => unknown)(text);
      if (!Array.isArray(out) || out.some((x) => typeof x !== 'string'))
        throw new TypeError(`Expected \`tokenizer\` to return an array of strings, got ${_describe(out)}`);
      return out as string[];
    };
  }
  throw new TypeError(
    `Expected \`tokenizer\` to be 'unicode' | 'rouge-score' | a function, got ${_describe(t)}`,
  );
}

const ZERO: RougeLResult = Object.freeze({ precision: 0, recall: 0, fmeasure: 0 });

/** Reads `maxCells`: a number >= 1, 1e11 by default. */
function _maxCells(value: unknown): number {
  if (value === undefined) return 1e11;
  if (typeof value !== 'number')
    throw new TypeError(`Expected \`maxCells\` to be a number >= 1, got ${_describe(value)}`);
  if (!(value >= 1))
    throw new RangeError(`Expected \`maxCells\` to be a number >= 1, got ${_describe(value)}`);
  return value;
}

function _scoreLcs(
  target: readonly string[],
  prediction: readonly string[],
  maxCells: number,
  where: string,
): RougeLResult {
  // rouge-score: an empty side scores 0 (also when both are empty).
  if (target.length === 0 || prediction.length === 0) return ZERO;
  const cells = target.length * prediction.length;
  if (cells > maxCells)
    throw new RangeError(
      `ROUGE-L${where}: the LCS of ${prediction.length} x ${target.length} tokens would take ${cells} cells, over \`maxCells\` (${maxCells}); raise \`maxCells\` or shorten the texts`,
    );
  const lcs = _lcsLength(target, prediction);
  const precision = lcs / prediction.length;
  const recall = lcs / target.length;
  const fmeasure = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0.0;
  return Object.freeze({ precision, recall, fmeasure });
}

function _rougeL(
  prediction: string,
  refs: readonly string[],
  tokenize: (s: string) => readonly string[],
  maxCells: number,
  where: string,
): RougeLResult {
  const pred = tokenize(prediction);
  let best: RougeLResult | undefined;
  for (const ref of refs) {
    const s = _scoreLcs(tokenize(ref), pred, maxCells, where);
    if (best === undefined || s.fmeasure > best.fmeasure) best = s;
  }
  return best ?? ZERO;
}

/**
 * ROUGE-L: F-measure of the longest common subsequence of tokens, as rouge-score 0.1.2's `rougeL`
 * (sentence-level, not the summary-level `rougeLsum`).
 *
 * P = LCS / |prediction|, R = LCS / |reference|, F = 2PR / (P + R); a side with no tokens scores 0 (as
 * rouge-score). With several references, the one with the best F-measure is kept (rouge-score `score_multi`).
 * The LCS is bit-parallel in linear memory: O(|a|·|b|/32) time, so a 1 MB output against a short reference is
 * fast, and 1 MB against 1 MB takes about a second rather than a 10^10-cell table; two 200,000-character CJK texts
 * (every Han character a token: 200,000 tokens each) take a few seconds. Past `maxCells` token pairs (1e11 by
 * default, about 30 s) it throws a RangeError naming the limit rather than run for minutes.
 * Pure counterpart of the {@link rougeL} metric factory.
 *
 * @param prediction - System output.
 * @param references - One reference or several.
 * @param options - `tokenizer` (see {@link RougeTokenizer}; default `'unicode'`), `maxCells` (default `1e11`).
 * @returns A frozen {@link RougeLResult}.
 * @throws {TypeError} For wrong argument types; {@link RangeError} for an empty references array, a `maxCells`
 *   below 1, or texts whose token counts multiply past `maxCells`.
 * @example
 * ```ts
 * rougeLScore('the cat sat on the mat', 'the cat is on the mat');
 * // => { precision: 0.8333333333333334, recall: 0.8333333333333334, fmeasure: 0.8333333333333334 }
 * ```
 */
export function rougeLScore(
  prediction: string,
  references: string | readonly string[],
  options?: RougeLOptions,
): RougeLResult {
  _checkOptions('rougeLScore', options, ROUGE_L_KEYS);
  _checkString('prediction', prediction);
  const refs = _checkReferences('references', references);
  return _rougeL(prediction, refs, _tokenizer(options?.tokenizer), _maxCells(options?.maxCells), '');
}

/**
 * ROUGE-L metric for `evaluate()`: the F-measure of {@link rougeLScore} against `example.reference`, with
 * precision and recall in `details`. Kind `'continuous'`.
 *
 * @param options - `tokenizer`, `maxCells` (see {@link RougeLOptions.maxCells}) and `name`.
 * @returns A {@link Metric} named `rouge_l` unless renamed.
 * @throws {TypeError} At score time for a bad reference or output; {@link RangeError} at score time for texts
 *   whose token counts multiply past `maxCells` (at creation for a `maxCells` below 1); both name the example id.
 * @example
 * ```ts
 * rougeL().score({ example: { id: 'a', input: '', reference: 'the cat is on the mat' }, output: 'the cat sat on the mat', signal });
 * // => { value: 0.8333333333333334, details: { precision: 0.8333333333333334, recall: 0.8333333333333334 } }
 * ```
 */
export function rougeL(options: RougeLMetricOptions = {}): Metric {
  _checkOptions('rougeL', options, ROUGE_L_METRIC_KEYS);
  const tokenize = _tokenizer(options.tokenizer);
  const maxCells = _maxCells(options.maxCells);
  const name = _metricName(options.name, 'rouge_l');
  return Object.freeze({
    name,
    kind: 'continuous' as const,
    bounds: [0, 1] as const,
    definition: builtinMetricDefinition('rougeL', { tokenizer: options.tokenizer ?? 'unicode' }),
    score(ctx: ScoreContext): MetricScore {
      const where = ` for ${_exampleName(ctx)}`;
      const r = _rougeL(_outputString(ctx, name), _referenceStrings(ctx, name), tokenize, maxCells, where);
      return Object.freeze({
        value: r.fmeasure,
        details: Object.freeze({ precision: r.precision, recall: r.recall }),
      });
    },
  });
}
