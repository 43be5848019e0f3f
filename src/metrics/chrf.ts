import { _describe } from '../_internal/describe.js';
import { _checkInteger, _checkOptions, _checkOptionsObject } from '../_internal/validate.js';
import { builtinMetricDefinition } from '../core/metricDefinition.js';
import type { Metric, MetricScore, ScoreContext } from '../core/types.js';
import { _codePoints, _pyRemoveWhitespace, _pySplit } from './_internal/pyText.js';
import {
  _checkReferences,
  _checkString,
  _metricName,
  _outputString,
  _referenceStrings,
} from './_internal/reference.js';
import { _checkCorpus } from './bleu.js';

/** Options of {@link sentenceChrf} and {@link corpusChrf} (sacrebleu 2.6.0 `CHRF` defaults). */
export interface ChrfOptions {
  /** Character n-gram order. Minimum: `1`. @default 6 */
  readonly charOrder?: number;
  /** Word n-gram order (`2` gives chrF++). Minimum: `0`. @default 0 */
  readonly wordOrder?: number;
  /** Recall weight β of the F-score. Minimum: `0`; β² must be finite (β below about 1.34e154). @default 2 */
  readonly beta?: number;
  /** Lowercase both sides first. @default false */
  readonly lowercase?: boolean;
  /** Keep whitespace inside character n-grams. @default false */
  readonly whitespace?: boolean;
  /**
   * chrF++.py-style smoothing: average the per-order F-scores, with 1e-16 for undefined precisions / recalls,
   * instead of the default F-score of the averaged precision and recall over the orders present. @default false
   */
  readonly epsSmoothing?: boolean;
}

/** A chrF score, as sacrebleu's `CHRFScore`. Frozen. */
export interface ChrfResult {
  /** chrF on sacrebleu's 0–100 scale. */
  readonly score: number;
  readonly charOrder: number;
  readonly wordOrder: number;
  readonly beta: number;
  /** Summed statistics: `[hyp, ref, match]` per order, character orders first. */
  readonly stats: readonly number[];
}

/** Options of the {@link chrf} metric factory. */
export interface ChrfMetricOptions extends ChrfOptions {
  /** Metric name in results. @default 'chrf' */
  readonly name?: string;
}

const CHRF_KEY_SET = {
  charOrder: true,
  wordOrder: true,
  beta: true,
  lowercase: true,
  whitespace: true,
  epsSmoothing: true,
} satisfies Record<keyof ChrfOptions, true>;
const CHRF_KEYS = Object.keys(CHRF_KEY_SET);
const CHRF_METRIC_KEYS = Object.keys({ ...CHRF_KEY_SET, name: true } satisfies Record<
  keyof ChrfMetricOptions,
  true
>);

interface _ChrfConfig {
  readonly charOrder: number;
  readonly wordOrder: number;
  readonly beta: number;
  readonly lowercase: boolean;
  readonly whitespace: boolean;
  readonly epsSmoothing: boolean;
}

function _chrfConfig(options: ChrfOptions | undefined): _ChrfConfig {
  _checkOptionsObject('options', options);
  const o = options ?? {};
  const bool = (name: string, v: unknown): boolean => {
    if (v === undefined) return false;
    if (typeof v !== 'boolean')
      throw new TypeError(`Expected \`${name}\` to be a boolean, got ${_describe(v)}`);
    return v;
  };
  let beta = 2;
  if (o.beta !== undefined) {
    if (typeof o.beta !== 'number')
      throw new TypeError(`Expected \`beta\` to be a number >= 0, got ${_describe(o.beta)}`);
    if (!(o.beta >= 0) || !Number.isFinite(o.beta))
      throw new RangeError(`Expected \`beta\` to be a number >= 0, got ${_describe(o.beta)}`);
    // beta² past the largest double is Infinity and every F-score NaN (a perfect hypothesis scored 0); sacrebleu
    // raises there too (Python's float power overflows).
    if (!Number.isFinite(o.beta ** 2))
      throw new RangeError(
        `Expected \`beta\` to be a number >= 0 whose square is finite, got ${_describe(o.beta)}`,
      );
    beta = o.beta;
  }
  return {
    charOrder: o.charOrder === undefined ? 6 : _checkInteger('charOrder', o.charOrder, 1, 100),
    wordOrder: o.wordOrder === undefined ? 0 : _checkInteger('wordOrder', o.wordOrder, 0, 100),
    beta,
    lowercase: bool('lowercase', o.lowercase),
    whitespace: bool('whitespace', o.whitespace),
    epsSmoothing: bool('epsSmoothing', o.epsSmoothing),
  };
}

const PUNCTS = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

/** sacrebleu's chrF++ word splitter: one leading or trailing ASCII punctuation mark becomes its own word. */
function _removePunctuation(sent: string): string[] {
  const out: string[] = [];
  for (const w of _pySplit(sent)) {
    if (w.length === 1) out.push(w);
    else if (PUNCTS.has(w[w.length - 1])) out.push(w.slice(0, -1), w[w.length - 1]);
    else if (PUNCTS.has(w[0])) out.push(w[0], w.slice(1));
    else out.push(w);
  }
  return out;
}

/** Counts of the n-grams of `units` (characters or words, joined by `sep`) for n = 1..order. */
function _ngramCounts(units: readonly string[], order: number, sep: string): Map<string, number>[] {
  const maps: Map<string, number>[] = [];
  const len = units.length;
  for (let n = 1; n <= order; n++) {
    const m = new Map<string, number>();
    for (let i = 0; i + n <= len; i++) {
      let key = units[i];
      for (let j = 1; j < n; j++) key += sep + units[i + j];
      m.set(key, (m.get(key) ?? 0) + 1);
    }
    maps.push(m);
  }
  return maps;
}

/** All n-gram counters of a segment: character orders, then word orders (sacrebleu layout). */
function _allNgrams(s: string, cfg: _ChrfConfig): Map<string, number>[] {
  if (cfg.lowercase) s = s.toLowerCase();
  // Python indexes str by code point: an emoji is one character.
  const chars = _codePoints(cfg.whitespace ? s : _pyRemoveWhitespace(s));
  const out = _ngramCounts(chars, cfg.charOrder, '');
  if (cfg.wordOrder > 0) out.push(..._ngramCounts(_removePunctuation(s), cfg.wordOrder, ' '));
  return out;
}

/** sacrebleu 2.6.0 `CHRF._compute_f_score`, same operation order. */
export function _chrfFromStats(stats: readonly number[], cfg: _ChrfConfig): number {
  const eps = 1e-16;
  const order = cfg.charOrder + cfg.wordOrder;
  const factor = cfg.beta ** 2;
  let score = 0.0;
  let effectiveOrder = 0;
  let avgPrec = 0.0;
  let avgRec = 0.0;
  for (let i = 0; i < order; i++) {
    const nHyp = stats[3 * i];
    const nRef = stats[3 * i + 1];
    const nMatch = stats[3 * i + 2];
    const prec = nHyp > 0 ? nMatch / nHyp : eps;
    const rec = nRef > 0 ? nMatch / nRef : eps;
    const denom = factor * prec + rec;
    score += denom > 0 ? ((1 + factor) * prec * rec) / denom : eps;
    if (nHyp > 0 && nRef > 0) {
      avgPrec += prec;
      avgRec += rec;
      effectiveOrder += 1;
    }
  }
  if (cfg.epsSmoothing) return (100 * score) / order;
  if (effectiveOrder === 0) {
    avgPrec = 0.0;
    avgRec = 0.0;
  } else {
    avgPrec /= effectiveOrder;
    avgRec /= effectiveOrder;
  }
  if (avgPrec + avgRec !== 0) {
    score = (1 + factor) * avgPrec * avgRec;
    score /= factor * avgPrec + avgRec;
    return 100 * score;
  }
  return 0.0;
}

/**
 * Per-segment statistics `[hyp, ref, match]` per order against the reference with the best F-score (first one
 * on ties), as sacrebleu's `_compute_segment_statistics`.
 */
export function _chrfStats(hypothesis: string, references: readonly string[], cfg: _ChrfConfig): number[] {
  const hyp = _allNgrams(hypothesis, cfg);
  let best: number[] = [];
  let bestScore = -1.0;
  for (const reference of references) {
    const ref = _allNgrams(reference, cfg);
    const stats: number[] = [];
    for (let n = 0; n < hyp.length; n++) {
      const r = ref[n];
      let match = 0;
      let hypCount = 0;
      for (const [k, c] of hyp[n]) {
        hypCount += c;
        const rc = r.get(k);
        if (rc !== undefined) match += Math.min(c, rc);
      }
      let refCount = 0;
      for (const c of r.values()) refCount += c;
      // sacrebleu: hypothesis n-grams are not counted when the reference has none of that order.
      stats.push(r.size > 0 ? hypCount : 0, refCount, match);
    }
    const f = _chrfFromStats(stats, cfg);
    if (f > bestScore) {
      bestScore = f;
      best = stats;
    }
  }
  return best;
}

function _result(score: number, stats: readonly number[], cfg: _ChrfConfig): ChrfResult {
  return Object.freeze({
    score,
    charOrder: cfg.charOrder,
    wordOrder: cfg.wordOrder,
    beta: cfg.beta,
    stats: Object.freeze(stats.slice()),
  });
}

/**
 * Sentence-level chrF, identical to sacrebleu 2.6.0's `sentence_chrf` with its defaults.
 *
 * Whitespace is removed and character n-grams of orders 1–6 (code points) are counted; per order, precision and
 * recall are averaged over the orders both sides have n-grams of, and chrF = (1+β²)PR/(β²P+R) with β = 2, on a
 * 0–100 scale. With several references the one with the best score is used. `wordOrder: 2` gives chrF++.
 * Pure counterpart (with {@link corpusChrf}) of the {@link chrf} metric factory.
 *
 * @param hypothesis - System output.
 * @param references - One reference or several.
 * @param options - {@link ChrfOptions}, sacrebleu defaults.
 * @returns A frozen {@link ChrfResult}.
 * @throws {TypeError} For wrong types or options; {@link RangeError} for an empty references array.
 * @example
 * ```ts
 * sentenceChrf('The cat sat on the mat.', ['The cat sat on the mat.']).score; // => 100
 * sentenceChrf('abc', ['xyz']).score; // => 0
 * ```
 */
export function sentenceChrf(
  hypothesis: string,
  references: string | readonly string[],
  options?: ChrfOptions,
): ChrfResult {
  _checkOptions('sentenceChrf', options, CHRF_KEYS);
  _checkString('hypothesis', hypothesis);
  const refs = _checkReferences('references', references);
  const cfg = _chrfConfig(options);
  const stats = _chrfStats(hypothesis, refs, cfg);
  return _result(_chrfFromStats(stats, cfg), stats, cfg);
}

/**
 * Corpus-level chrF, identical to sacrebleu 2.6.0's `corpus_chrf`: the per-segment statistics (best reference
 * each) are summed and one F-score is computed from the sums, so it is not a mean of sentence scores.
 * `references[i]` holds the reference(s) of `hypotheses[i]`.
 *
 * @param hypotheses - System outputs.
 * @param references - For each hypothesis, its reference or an array of its references.
 * @param options - {@link ChrfOptions}.
 * @returns A frozen {@link ChrfResult}.
 * @throws {TypeError} For wrong types; {@link RangeError} for arrays of different or zero length.
 * @example
 * ```ts
 * corpusChrf(['abc', 'xyz'], ['abc', 'xyz']).score; // => 100
 * ```
 */
export function corpusChrf(
  hypotheses: readonly string[],
  references: readonly (string | readonly string[])[],
  options?: ChrfOptions,
): ChrfResult {
  _checkOptions('corpusChrf', options, CHRF_KEYS);
  const cfg = _chrfConfig(options);
  const pairs = _checkCorpus(hypotheses, references);
  const sum = new Array<number>(3 * (cfg.charOrder + cfg.wordOrder)).fill(0);
  for (const [hyp, refs] of pairs) {
    const s = _chrfStats(hyp, refs, cfg);
    for (let i = 0; i < s.length; i++) sum[i] += s[i];
  }
  return _result(_chrfFromStats(sum, cfg), sum, cfg);
}

/**
 * chrF metric for `evaluate()`: each example's value is its sentence chrF ({@link sentenceChrf}, 0–100) and its
 * `stats` the `[hyp, ref, match]` counts per order; `aggregate(stats)` is corpus chrF over the scored examples
 * ({@link corpusChrf}), which the bootstrap recomputes on resamples. Kind `'continuous'`.
 *
 * @param options - {@link ChrfOptions} and `name`.
 * @returns A {@link Metric} with `aggregate`, named `chrf` unless renamed.
 * @throws {TypeError} At score time for a bad reference or output, naming the example id.
 * @example
 * ```ts
 * const m = chrf();
 * const s = m.score({ example: { id: 'a', input: '', reference: 'abc' }, output: 'abc', signal });
 * // => { value: 100, stats: [3, 3, 3, 2, 2, 2, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0] }
 * m.aggregate!([s.stats]); // => 100
 * ```
 */
export function chrf(options: ChrfMetricOptions = {}): Metric {
  _checkOptions('chrf', options, CHRF_METRIC_KEYS);
  const cfg = _chrfConfig(options);
  const name = _metricName(options.name, 'chrf');
  const corpus = { ...cfg };
  return Object.freeze({
    name,
    kind: 'continuous' as const,
    bounds: [0, 100] as const,
    definition: builtinMetricDefinition('chrf', { ...cfg }),
    score(ctx: ScoreContext): MetricScore {
      const output = _outputString(ctx, name);
      const stats = _chrfStats(output, _referenceStrings(ctx, name), cfg);
      return Object.freeze({ value: _chrfFromStats(stats, cfg), stats: Object.freeze(stats) });
    },
    aggregate: _chrfCorpusAggregator(corpus),
    aggregation: Object.freeze({ kind: 'corpus' as const, id: 'chrf', options: Object.freeze(corpus) }),
  });
}

/** Corpus chrF over per-example statistics (the `aggregation` of {@link chrf}, id `'chrf'`). @internal */
export function _chrfCorpusAggregator(
  options: ChrfOptions,
): (stats: readonly (readonly number[])[]) => number {
  const cfg = _chrfConfig(options);
  const width = 3 * (cfg.charOrder + cfg.wordOrder);
  return (stats) => {
    if (stats.length === 0) return Number.NaN;
    const sum = new Array<number>(width).fill(0);
    for (const s of stats) for (let i = 0; i < width; i++) sum[i] += s[i];
    return _chrfFromStats(sum, cfg);
  };
}
