import { _describe } from '../_internal/describe.js';
import { _checkChoice, _checkInteger, _checkOptions, _checkOptionsObject } from '../_internal/validate.js';
import { builtinMetricDefinition } from '../core/metricDefinition.js';
import type { Metric, MetricScore, ScoreContext } from '../core/types.js';
import { _pyRstrip, _pySplit } from './_internal/pyText.js';
import {
  _checkReferences,
  _checkString,
  _metricName,
  _outputString,
  _referenceStrings,
} from './_internal/reference.js';
import { _tokens13a } from './tokenize13a.js';

/**
 * Smoothing of n-gram precisions with zero matches (sacrebleu 2.6.0 names):
 * `'exp'` halves the pseudo-count at each further zero order (mteval-v13a, NIST), `'floor'` uses `smoothValue`
 * as the matched count, `'add-k'` adds `smoothValue` to matches and totals of orders >= 2, `'none'` leaves zeros
 * (the score is then 0).
 */
export type BleuSmoothing = 'exp' | 'floor' | 'add-k' | 'none';

/** Tokenization applied to hypotheses and references before counting n-grams. */
export type BleuTokenizer = '13a' | 'none';

/** Options of {@link sentenceBleu} and {@link corpusBleu} (sacrebleu 2.6.0 defaults). */
export interface BleuOptions {
  /** Smoothing method. @default 'exp' */
  readonly smooth?: BleuSmoothing;
  /**
   * Value for `'floor'` (default `0.1`; at most `1`, so that no precision passes 100%) and `'add-k'` (default `1`);
   * ignored otherwise. Minimum: `0`.
   */
  readonly smoothValue?: number;
  /** Lowercase before tokenizing. @default false */
  readonly lowercase?: boolean;
  /** `'13a'` (mteval-v13a, see {@link tokenize13a}) or `'none'` (split on whitespace). @default '13a' */
  readonly tokenize?: BleuTokenizer;
  /** Highest n-gram order. Minimum: `1`. @default 4 */
  readonly maxNgramOrder?: number;
  /**
   * Average only over the orders the hypothesis has n-grams of (`sentence_bleu`'s default), instead of scoring
   * 0 when a short hypothesis has no 4-grams. @default true for {@link sentenceBleu}, false for {@link corpusBleu}
   */
  readonly effectiveOrder?: boolean;
}

/** A BLEU score and what it is made of, as sacrebleu's `BLEUScore`. Frozen. */
export interface BleuResult {
  /** BLEU on sacrebleu's 0–100 scale. */
  readonly score: number;
  /** Clipped n-gram matches per order (before any add-k smoothing). */
  readonly counts: readonly number[];
  /** Hypothesis n-grams per order. */
  readonly totals: readonly number[];
  /** Smoothed precisions per order, in percent. */
  readonly precisions: readonly number[];
  /** Brevity penalty. */
  readonly bp: number;
  /** Hypothesis length in tokens. */
  readonly sysLen: number;
  /** Reference length in tokens (closest reference per segment, ties to the shorter). */
  readonly refLen: number;
  readonly smooth: BleuSmoothing;
  readonly effectiveOrder: boolean;
}

/** Options of the {@link bleu} metric factory. */
export interface BleuMetricOptions extends BleuOptions {
  /** Metric name in results. @default 'bleu' */
  readonly name?: string;
}

const BLEU_KEY_SET = {
  smooth: true,
  smoothValue: true,
  lowercase: true,
  tokenize: true,
  maxNgramOrder: true,
  effectiveOrder: true,
} satisfies Record<keyof BleuOptions, true>;
const BLEU_KEYS = Object.keys(BLEU_KEY_SET);
const BLEU_METRIC_KEYS = Object.keys({ ...BLEU_KEY_SET, name: true } satisfies Record<
  keyof BleuMetricOptions,
  true
>);

/** Validated options. */
interface _BleuConfig {
  readonly smooth: BleuSmoothing;
  readonly smoothValue: number;
  readonly lowercase: boolean;
  readonly tokenize: BleuTokenizer;
  readonly order: number;
  readonly effectiveOrder: boolean;
}

const SMOOTH_DEFAULTS: Readonly<Record<BleuSmoothing, number>> = { exp: 0, floor: 0.1, 'add-k': 1, none: 0 };

function _bleuConfig(options: BleuOptions | undefined, effectiveOrderDefault: boolean): _BleuConfig {
  _checkOptionsObject('options', options);
  const o = options ?? {};
  const smooth =
    o.smooth === undefined ? 'exp' : _checkChoice('smooth', o.smooth, ['exp', 'floor', 'add-k', 'none']);
  let smoothValue = SMOOTH_DEFAULTS[smooth];
  if (o.smoothValue !== undefined) {
    if (typeof o.smoothValue !== 'number')
      throw new TypeError(`Expected \`smoothValue\` to be a number >= 0, got ${_describe(o.smoothValue)}`);
    if (!(o.smoothValue >= 0) || !Number.isFinite(o.smoothValue))
      throw new RangeError(`Expected \`smoothValue\` to be a number >= 0, got ${_describe(o.smoothValue)}`);
    // A floor is the matched count of an order with none: above 1 its precision 100 · floor / total passes 100%
    // on a short segment, and so BLEU passes 100 (corpus BLEU 104.77 with a floor of 4).
    if (smooth === 'floor' && o.smoothValue > 1)
      throw new RangeError(
        `Expected \`smoothValue\` to be a number in [0, 1] with smooth 'floor', got ${_describe(o.smoothValue)}`,
      );
    smoothValue = o.smoothValue;
  }
  const bool = (name: string, v: unknown, dflt: boolean): boolean => {
    if (v === undefined) return dflt;
    if (typeof v !== 'boolean')
      throw new TypeError(`Expected \`${name}\` to be a boolean, got ${_describe(v)}`);
    return v;
  };
  return {
    smooth,
    smoothValue,
    lowercase: bool('lowercase', o.lowercase, false),
    tokenize: o.tokenize === undefined ? '13a' : _checkChoice('tokenize', o.tokenize, ['13a', 'none']),
    order: o.maxNgramOrder === undefined ? 4 : _checkInteger('maxNgramOrder', o.maxNgramOrder, 1, 100),
    effectiveOrder: bool('effectiveOrder', o.effectiveOrder, effectiveOrderDefault),
  };
}

/** sacrebleu's `_preprocess_segment`: optional lowercasing, `rstrip`, tokenization; returns the tokens. */
function _tokens(s: string, cfg: _BleuConfig): string[] {
  if (cfg.lowercase) s = s.toLowerCase();
  s = _pyRstrip(s);
  if (cfg.tokenize === '13a') return _tokens13a(s);
  return _pySplit(s);
}

/** Reference length closest to the hypothesis length, ties to the shorter (sacrebleu `_get_closest_ref_len`). */
function _closestRefLen(hypLen: number, refLens: readonly number[]): number {
  let bestDiff = -1;
  let best = -1;
  for (const r of refLens) {
    const diff = Math.abs(hypLen - r);
    if (bestDiff === -1 || diff < bestDiff) {
      bestDiff = diff;
      best = r;
    } else if (diff === bestDiff && r < best) best = r;
  }
  return best;
}

/**
 * Sufficient statistics of one segment in sacrebleu's layout:
 * `[hypLen, refLen, matches_1 … matches_N, totals_1 … totals_N]`.
 */
export function _bleuStats(hypothesis: string, references: readonly string[], cfg: _BleuConfig): number[] {
  const hypTokens = _tokens(hypothesis, cfg);
  const refTokens = references.map((r) => _tokens(r, cfg));
  const stats = new Array<number>(2 + 2 * cfg.order).fill(0);
  stats[0] = hypTokens.length;
  stats[1] = _closestRefLen(
    hypTokens.length,
    refTokens.map((t) => t.length),
  );
  // Token ids shared by the hypothesis and its references.
  const vocab = new Map<string, number>();
  const toIds = (tokens: readonly string[]): Int32Array => {
    const ids = new Int32Array(tokens.length);
    for (let i = 0; i < tokens.length; i++) {
      let id = vocab.get(tokens[i]);
      if (id === undefined) {
        id = vocab.size;
        vocab.set(tokens[i], id);
      }
      ids[i] = id;
    }
    return ids;
  };
  const seqs = [toIds(hypTokens), ...refTokens.map(toIds)];
  _countByIds(seqs, vocab.size, cfg.order, stats);
  return stats;
}

/**
 * Clipped matches and totals per order. Each n-gram gets a dense integer id built from its (n-1)-gram id and its
 * last token (key = id(n-1) * V + token, exact for fewer than 9e7 tokens), so counting uses typed arrays
 * indexed by id instead of string-keyed maps: the hot path of sentence BLEU. `seqs[0]` is the hypothesis.
 */
function _countByIds(seqs: readonly Int32Array[], V: number, N: number, stats: number[]): void {
  let ids: Int32Array[] = seqs.slice();
  let G = V;
  for (let n = 1; n <= N; n++) {
    if (n > 1) {
      const dense = new _DenseIds(ids.reduce((a, x) => a + x.length, 0));
      ids = seqs.map((s, k) => {
        const prev = ids[k];
        const len = Math.max(0, s.length - n + 1);
        const out = new Int32Array(len);
        for (let i = 0; i < len; i++) out[i] = dense.id(prev[i] * V + s[i + n - 1]);
        return out;
      });
      G = dense.size;
    }
    const refMax = new Int32Array(G);
    const count = new Int32Array(G);
    for (let k = 1; k < ids.length; k++) {
      const r = ids[k];
      for (let i = 0; i < r.length; i++) count[r[i]]++;
      for (let i = 0; i < r.length; i++) {
        const g = r[i];
        if (count[g] > refMax[g]) refMax[g] = count[g];
      }
      for (let i = 0; i < r.length; i++) count[r[i]] = 0;
    }
    const hyp = ids[0];
    for (let i = 0; i < hyp.length; i++) count[hyp[i]]++;
    let correct = 0;
    for (let i = 0; i < hyp.length; i++) {
      const g = hyp[i];
      if (count[g] > 0) {
        correct += Math.min(count[g], refMax[g]);
        count[g] = 0;
      }
    }
    stats[1 + n] = correct;
    stats[1 + N + n] = hyp.length;
  }
}

/**
 * Dense ids for non-negative integer keys (< 2^53): an open-addressing hash table on typed arrays, several times
 * faster than a `Map` for this job. The tables are module-level scratch space reused across calls; a slot is
 * live only when its stamp equals the current generation, so starting over costs nothing.
 */
class _DenseIds {
  // Scratch tables shared by every segment up to 2^16 slots; larger (very long) segments get their own, so a
  // one-off 1 MB hypothesis does not pin megabytes for the life of the process.
  private static readonly SHARED_MAX = 1 << 16;
  private static shared = {
    keys: new Float64Array(1024),
    values: new Int32Array(1024),
    stamps: new Int32Array(1024),
    generation: 0,
  };
  private readonly keys: Float64Array;
  private readonly values: Int32Array;
  private readonly stamps: Int32Array;
  private readonly mask: number;
  private readonly gen: number;
  size = 0;

  /** Starts a new table for at most `maxKeys` distinct keys. Only one table is in use at a time. */
  constructor(maxKeys: number) {
    let cap = 1024;
    while (cap < 2 * maxKeys) cap *= 2;
    let t = _DenseIds.shared;
    if (cap > _DenseIds.SHARED_MAX) {
      t = {
        keys: new Float64Array(cap),
        values: new Int32Array(cap),
        stamps: new Int32Array(cap),
        generation: 0,
      };
    } else if (t.keys.length < cap) {
      t = {
        keys: new Float64Array(cap),
        values: new Int32Array(cap),
        stamps: new Int32Array(cap),
        generation: 0,
      };
      _DenseIds.shared = t;
    }
    if (t.generation === 0x7fffffff) {
      t.stamps.fill(0);
      t.generation = 0;
    }
    this.gen = ++t.generation;
    this.keys = t.keys;
    this.values = t.values;
    this.stamps = t.stamps;
    this.mask = cap - 1;
  }

  id(key: number): number {
    const keys = this.keys;
    const stamps = this.stamps;
    // Multiplicative hash; the high half only matters for keys past 2^31, which are rare.
    let h =
      (key < 0x80000000
        ? Math.imul(key, 0x9e3779b1)
        : Math.imul(key | 0, 0x9e3779b1) ^ ((key / 4294967296) | 0)) & this.mask;
    for (;;) {
      if (stamps[h] !== this.gen) {
        stamps[h] = this.gen;
        keys[h] = key;
        this.values[h] = this.size;
        return this.size++;
      }
      if (keys[h] === key) return this.values[h];
      h = (h + 1) & this.mask;
    }
  }
}

/** sacrebleu's `my_log`: log with log(0) = -9999999999. */
function _myLog(x: number): number {
  return x === 0 ? -9999999999 : Math.log(x);
}

/** BLEU from (summed) statistics: sacrebleu 2.6.0 `BLEU.compute_bleu`, same operation order. */
export function _bleuFromStats(stats: readonly number[], cfg: _BleuConfig): BleuResult {
  const N = cfg.order;
  const sysLen = stats[0];
  const refLen = stats[1];
  const counts = stats.slice(2, 2 + N);
  const totals = stats.slice(2 + N, 2 + 2 * N);
  const correct = counts.slice();
  const total = totals.slice();
  const bp = sysLen < refLen ? (sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0.0) : 1.0;
  const precisions = new Array<number>(N).fill(0);
  const result = (score: number): BleuResult =>
    Object.freeze({
      score,
      counts: Object.freeze(counts),
      totals: Object.freeze(totals),
      precisions: Object.freeze(precisions),
      bp,
      sysLen,
      refLen,
      smooth: cfg.smooth,
      effectiveOrder: cfg.effectiveOrder,
    });
  // sacrebleu returns 0 early when nothing matched at any order (its issue #141).
  if (!correct.some((c) => c !== 0)) return result(0.0);
  let smoothMteval = 1.0;
  let effOrder = N;
  for (let n = 1; n <= N; n++) {
    if (cfg.smooth === 'add-k' && n > 1) {
      correct[n - 1] += cfg.smoothValue;
      total[n - 1] += cfg.smoothValue;
    }
    if (total[n - 1] === 0) break;
    if (cfg.effectiveOrder) effOrder = n;
    if (correct[n - 1] === 0) {
      if (cfg.smooth === 'exp') {
        smoothMteval *= 2;
        precisions[n - 1] = 100.0 / (smoothMteval * total[n - 1]);
      } else if (cfg.smooth === 'floor') {
        precisions[n - 1] = (100.0 * cfg.smoothValue) / total[n - 1];
      }
    } else {
      precisions[n - 1] = (100.0 * correct[n - 1]) / total[n - 1];
    }
  }
  let logSum = 0;
  for (let i = 0; i < effOrder; i++) logSum += _myLog(precisions[i]);
  return result(bp * Math.exp(logSum / effOrder));
}

/**
 * Sentence-level BLEU, identical to sacrebleu 2.6.0's `sentence_bleu` with its defaults.
 *
 * Hypothesis and references are tokenized with {@link tokenize13a}; n-gram matches (orders 1–4) are clipped by
 * the maximum count over references; the reference length is the one closest to the hypothesis length (ties to
 * the shorter); BP = exp(1 - r/c) when c < r. Zero-match orders are smoothed with `'exp'` (NIST), and the
 * geometric mean runs over the orders the hypothesis has n-grams of (effective order). Scale 0–100.
 * A sentence score is not a building block of corpus BLEU: average {@link corpusBleu} statistics instead.
 * Pure counterpart (with {@link corpusBleu}) of the {@link bleu} metric factory.
 *
 * @param hypothesis - System output.
 * @param references - One reference or several.
 * @param options - Smoothing, tokenization, lowercasing, order; sacrebleu defaults.
 * @returns A frozen {@link BleuResult}; `.score` is the BLEU score.
 * @throws {TypeError} For a non-string hypothesis or references that are not a string / array of strings, and
 *   for bad options. {@link RangeError} for an empty references array, or a `'floor'` `smoothValue` above 1.
 * @example
 * ```ts
 * sentenceBleu('The cat sat on the mat.', ['The cat is sitting on the mat.']).score; // => 42.38365628278779 (sacrebleu: …778)
 * sentenceBleu('hello', ['hello there general kenobi', 'hi']).score; // => 100.00000000000004
 * ```
 */
export function sentenceBleu(
  hypothesis: string,
  references: string | readonly string[],
  options?: BleuOptions,
): BleuResult {
  _checkOptions('sentenceBleu', options, BLEU_KEYS);
  _checkString('hypothesis', hypothesis);
  const refs = _checkReferences('references', references);
  const cfg = _bleuConfig(options, true);
  return _bleuFromStats(_bleuStats(hypothesis, refs, cfg), cfg);
}

/**
 * Corpus-level BLEU, identical to sacrebleu 2.6.0's `corpus_bleu` with its defaults (13a, `'exp'` smoothing,
 * no effective order).
 *
 * Matches, totals and lengths are summed over all segments before the precisions and the brevity penalty are
 * computed, so corpus BLEU is not a mean of sentence BLEU scores.
 * Note the layout of `references`: `references[i]` holds the reference(s) of `hypotheses[i]` (sacrebleu takes
 * one stream per reference instead); segments may have different numbers of references.
 *
 * @param hypotheses - System outputs.
 * @param references - For each hypothesis, its reference or an array of its references.
 * @param options - As {@link sentenceBleu}; `effectiveOrder` defaults to `false`.
 * @returns A frozen {@link BleuResult}.
 * @throws {TypeError} For wrong types; {@link RangeError} when the two arrays differ in length or are empty, or
 *   for a `'floor'` `smoothValue` above 1.
 * @example
 * ```ts
 * corpusBleu(
 *   ['The cat sat on the mat.', 'There is a dog in the garden', 'hello'],
 *   ['The cat is sitting on the mat.', 'A dog is in the garden.', 'hello there general kenobi'],
 * ).score; // => 26.80470012266834
 * ```
 */
export function corpusBleu(
  hypotheses: readonly string[],
  references: readonly (string | readonly string[])[],
  options?: BleuOptions,
): BleuResult {
  _checkOptions('corpusBleu', options, BLEU_KEYS);
  const cfg = _bleuConfig(options, false);
  const pairs = _checkCorpus(hypotheses, references);
  const sum = new Array<number>(2 + 2 * cfg.order).fill(0);
  for (const [hyp, refs] of pairs) {
    const s = _bleuStats(hyp, refs, cfg);
    for (let i = 0; i < s.length; i++) sum[i] += s[i];
  }
  return _bleuFromStats(sum, cfg);
}

/** Validates parallel hypothesis / reference arrays; shared by corpus BLEU and chrF. */
export function _checkCorpus(
  hypotheses: unknown,
  references: unknown,
): [hypothesis: string, references: readonly string[]][] {
  if (!Array.isArray(hypotheses))
    throw new TypeError(`Expected \`hypotheses\` to be an array of strings, got ${_describe(hypotheses)}`);
  if (!Array.isArray(references))
    throw new TypeError(`Expected \`references\` to be an array, got ${_describe(references)}`);
  if (hypotheses.length === 0)
    throw new RangeError(`Expected \`hypotheses\` to have at least 1 element, got ${_describe(hypotheses)}`);
  if (references.length !== hypotheses.length)
    throw new RangeError(
      `Expected \`references\` to have one entry per hypothesis (${hypotheses.length}), got ${_describe(references)}`,
    );
  return hypotheses.map((h, i) => [
    _checkString(`hypotheses[${i}]`, h),
    _checkReferences(`references[${i}]`, references[i]),
  ]);
}

/**
 * BLEU metric for `evaluate()`. Each example's value is its sentence BLEU ({@link sentenceBleu}, 0–100) and its
 * `stats` are the sufficient statistics `[hypLen, closestRefLen, matches_1..4, totals_1..4]`; the metric's
 * estimate is `aggregate(stats)` = corpus BLEU over the scored examples (as {@link corpusBleu}, effective order
 * off), which the bootstrap recomputes on resampled examples. References come from `example.reference`
 * (a string or an array of strings). Kind `'continuous'`.
 *
 * @param options - {@link BleuOptions} (`effectiveOrder` applies to the per-example value only) and `name`.
 * @returns A {@link Metric} with `aggregate`, named `bleu` unless renamed.
 * @throws {TypeError} At score time for a bad reference or output, naming the example id.
 * @example
 * ```ts
 * const m = bleu();
 * const s = m.score({ example: { id: 'a', input: '', reference: 'The cat is on the mat.' }, output: 'The cat is on the mat.', signal });
 * // => { value: 100.00000000000004, stats: [7, 7, 7, 6, 5, 4, 7, 6, 5, 4] }
 * m.aggregate!([s.stats]); // => 100.00000000000004
 * ```
 */
export function bleu(options: BleuMetricOptions = {}): Metric {
  _checkOptions('bleu', options, BLEU_METRIC_KEYS);
  const sentenceCfg = _bleuConfig(options, true);
  const name = _metricName(options.name, 'bleu');
  const corpus = {
    smooth: sentenceCfg.smooth,
    smoothValue: sentenceCfg.smoothValue,
    lowercase: sentenceCfg.lowercase,
    tokenize: sentenceCfg.tokenize,
    order: sentenceCfg.order,
  };
  return Object.freeze({
    name,
    kind: 'continuous' as const,
    bounds: [0, 100] as const,
    // The sentence score's configuration (effective order on); the corpus one is `aggregation.options`.
    definition: builtinMetricDefinition('bleu', { ...sentenceCfg }),
    score(ctx: ScoreContext): MetricScore {
      const output = _outputString(ctx, name);
      const stats = _bleuStats(output, _referenceStrings(ctx, name), sentenceCfg);
      return Object.freeze({ value: _bleuFromStats(stats, sentenceCfg).score, stats: Object.freeze(stats) });
    },
    aggregate: _bleuCorpusAggregator(corpus),
    aggregation: Object.freeze({ kind: 'corpus' as const, id: 'bleu', options: Object.freeze(corpus) }),
  });
}

/**
 * Corpus BLEU over per-example sufficient statistics (the `aggregation` of {@link bleu}, id `'bleu'`), with
 * effective order off, as sacrebleu's corpus score. @internal
 */
export function _bleuCorpusAggregator(
  options: BleuOptions & { readonly order?: unknown },
): (stats: readonly (readonly number[])[]) => number {
  // The recorded aggregation names the order `order` (kept so that results saved by any version compare equal);
  // read as the default 4, it summed other orders' statistics to NaN or 0.
  const o =
    options.maxNgramOrder === undefined && options.order !== undefined
      ? { ...options, maxNgramOrder: options.order as number }
      : options;
  const cfg: _BleuConfig = { ..._bleuConfig(o, false), effectiveOrder: false };
  const width = 2 + 2 * cfg.order;
  return (stats) => {
    if (stats.length === 0) return Number.NaN;
    const sum = new Array<number>(width).fill(0);
    for (const s of stats) for (let i = 0; i < width; i++) sum[i] += s[i];
    return _bleuFromStats(sum, cfg).score;
  };
}
