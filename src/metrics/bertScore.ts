import { _describe } from '../_internal/describe.js';
import { _checkFunction, _checkOptions } from '../_internal/validate.js';
import { raceAbort } from '../calls/waits.js';
import { builtinMetricDefinition, definitionDigest } from '../core/metricDefinition.js';
import type { Metric, MetricScore, ScoreContext } from '../core/types.js';
import { _exampleName, _metricName, _outputString, _referenceStrings } from './_internal/reference.js';
import { _checkVector, cosineUnchecked } from './cosineSimilarity.js';
import { _idfOf, type IdfWeights, idfWeights } from './idfWeights.js';

/** The tokens of one text and their contextual embeddings, one vector per token. */
export interface TokenEmbeddings {
  readonly tokens: readonly string[];
  readonly embeddings: readonly (readonly number[])[];
}

/** Embeds texts token by token (e.g. a BERT-like encoder's last layer); one result per text, in order. */
export type EmbedTokensFunction = (
  texts: readonly string[],
  signal: AbortSignal,
) => Promise<readonly TokenEmbeddings[]>;

/** BERTScore precision, recall and F1. Frozen. */
export interface BertScoreResult {
  readonly precision: number;
  readonly recall: number;
  /** `2PR / (P + R)`, in [-1, 1]; `NaN` when P and R have opposite signs (no mean of them exists). */
  readonly f1: number;
}

/** Options of {@link bertScoreFromEmbeddings}. */
export interface BertScoreOptions {
  /** Inverse document frequency weights (see {@link idfWeights}). @default none: every token weighs 1 */
  readonly idf?: IdfWeights;
}

/** Options of the {@link bertScore} metric factory. */
export interface BertScoreMetricOptions {
  /** Token embedder. Required. */
  readonly embedTokens: EmbedTokensFunction;
  /**
   * Reference corpus for idf weights: idf is computed once, on first use, from these documents' tokens.
   * @default none (uniform weights)
   */
  readonly idf?: readonly string[];
  /**
   * How to split the idf corpus into tokens; must agree with `embedTokens`' tokens.
   * @default the tokens `embedTokens` returns for the corpus (one extra call on first use)
   */
  readonly tokenize?: (text: string) => readonly string[];
  /** Metric name in results. @default 'bert_score' */
  readonly name?: string;
}

const BERT_SCORE_KEYS = Object.keys({ idf: true } satisfies Record<keyof BertScoreOptions, true>);
const BERT_SCORE_METRIC_KEYS = Object.keys({
  embedTokens: true,
  idf: true,
  tokenize: true,
  name: true,
} satisfies Record<keyof BertScoreMetricOptions, true>);

const ZERO: BertScoreResult = Object.freeze({ precision: 0, recall: 0, f1: 0 });

function _checkTokenEmbeddings(name: string, t: unknown): TokenEmbeddings {
  const x = t as TokenEmbeddings | null;
  if (x === null || typeof x !== 'object' || !Array.isArray(x.tokens) || !Array.isArray(x.embeddings))
    throw new TypeError(`Expected \`${name}\` to be { tokens, embeddings }, got ${_describe(t)}`);
  if (x.tokens.length !== x.embeddings.length)
    throw new RangeError(
      `Expected \`${name}\` to have one embedding per token, got ${x.tokens.length} tokens and ${x.embeddings.length} embeddings`,
    );
  for (let i = 0; i < x.embeddings.length; i++) _checkVector(`${name}.embeddings[${i}]`, x.embeddings[i]);
  return x;
}

/** Idf-weighted mean, over the tokens of `from`, of each token's best cosine against `to`. */
function _greedy(from: TokenEmbeddings, to: TokenEmbeddings, idf: IdfWeights | undefined): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < from.tokens.length; i++) {
    let best = Number.NEGATIVE_INFINITY;
    for (const v of to.embeddings) {
      const c = cosineUnchecked(from.embeddings[i], v);
      if (c > best) best = c;
    }
    // No cosine defined (a zero vector on this side, or only zero vectors on the other): the token has no match
    // and is left out, as a zero vector is never a best match; -Infinity here made precision -Infinity (NaN at idf 0).
    if (best === Number.NEGATIVE_INFINITY) continue;
    const w = _idfOf(idf, from.tokens[i]);
    num += w * best;
    den += w;
  }
  return den === 0 ? 0 : num / den;
}

function _bertScore(
  cand: TokenEmbeddings,
  ref: TokenEmbeddings,
  idf: IdfWeights | undefined,
): BertScoreResult {
  if (cand.tokens.length === 0 || ref.tokens.length === 0) return ZERO;
  const precision = _greedy(cand, ref, idf);
  const recall = _greedy(ref, cand, idf);
  // 2PR / (P + R) is a mean of P and R only when they have the same sign; with opposite signs (cosines can be
  // negative) it is none: P = 1, R = -0.5 gave -2, and P = 0.16, R = -0.16 (rounded) 1.8e15, which won the best
  // reference over a perfect one. F1 is then undefined.
  if ((precision < 0 && recall > 0) || (precision > 0 && recall < 0))
    return Object.freeze({ precision, recall, f1: Number.NaN });
  const f = (2 * precision * recall) / (precision + recall);
  return Object.freeze({ precision, recall, f1: Number.isFinite(f) ? f : 0 });
}

/** Why a row whose precision and recall have opposite signs has no score. */
const OPPOSITE_SIGNS =
  'precision and recall have opposite signs: their F1 2PR / (P + R) is no mean of them (P = 1, R = -0.5 give -2)';

/**
 * BERTScore from token embeddings (Zhang et al. 2020): greedy matching by cosine similarity.
 *
 * P = Σ_i w(h_i) max_j cos(h_i, r_j) / Σ_i w(h_i) over candidate tokens, R likewise over reference tokens,
 * F1 = 2PR / (P + R); weights w are idf ({@link idfWeights}) or 1. No baseline rescaling. As bert_score, an
 * empty side, a zero weight total, or P = R = 0 gives 0 rather than NaN. Cosines can be negative: when P and R
 * have opposite signs, 2PR / (P + R) is no mean of them (bert_score returns it: P = 1, R = -0.5 give -2, and
 * P + R near 0 gives any magnitude), so `f1` is `NaN` there. A zero vector has NaN cosine: it is
 * never a token's best match, and its own token is left out of the mean (as is every token when the other side
 * has only zero vectors).
 *
 * References: Zhang, Kishore, Wu, Weinberger, Artzi (2020), BERTScore: Evaluating Text Generation with BERT,
 * ICLR, arXiv:1904.09675.
 *
 * @param candidate - Tokens and embeddings of the system output.
 * @param reference - Tokens and embeddings of the reference.
 * @param options - `idf` weights.
 * @returns A frozen {@link BertScoreResult}.
 * @throws {TypeError} For malformed embeddings; {@link RangeError} when tokens and embeddings differ in number.
 * @example
 * ```ts
 * const cand = { tokens: ['a', 'b'], embeddings: [[1, 0], [0, 1]] };
 * const ref = { tokens: ['a'], embeddings: [[1, 0]] };
 * bertScoreFromEmbeddings(cand, ref); // => { precision: 0.5, recall: 1, f1: 0.6666666666666666 }
 * ```
 */
export function bertScoreFromEmbeddings(
  candidate: TokenEmbeddings,
  reference: TokenEmbeddings,
  options?: BertScoreOptions,
): BertScoreResult {
  _checkOptions('bertScoreFromEmbeddings', options, BERT_SCORE_KEYS);
  return _bertScore(
    _checkTokenEmbeddings('candidate', candidate),
    _checkTokenEmbeddings('reference', reference),
    options?.idf,
  );
}

/** The idf weights of a metric's corpus, computed once for every row that waits on them. */
interface IdfComputation {
  readonly promise: Promise<IdfWeights>;
  readonly controller: AbortController;
  /** Rows waiting on it now. */
  waiting: number;
  /** Settled (computed or failed): nothing left to abort. */
  ended: boolean;
}

/**
 * BERTScore metric for `evaluate()`: F1 of {@link bertScoreFromEmbeddings} between the output and
 * `example.reference` (best F1 over several references), with precision and recall in `details`. A reference
 * whose precision and recall have opposite signs has no F1 and is passed over; when every reference is such, the
 * row is missing (`value: null`) with `details.reason` saying why. Scores lie in [-1, 1].
 * The output and its references are embedded in one `embedTokens` call per example; with `idf`, weights come
 * from the given reference corpus, computed once. Kind `'continuous'`.
 *
 * @param options - `embedTokens` (required), `idf` corpus, `tokenize`, `name`.
 * @returns A {@link Metric} named `bert_score` unless renamed.
 * @throws {TypeError} For a missing `embedTokens`; at score time for a bad reference, output or embedder
 *   result, naming the example id.
 * @example
 * ```ts
 * const vec: Record<string, number[]> = { a: [1, 0], b: [0, 1] };
 * const embedTokens = async (texts: readonly string[]) =>
 *   texts.map((t) => { const tokens = t.split(' '); return { tokens, embeddings: tokens.map((w) => vec[w]) }; });
 * await bertScore({ embedTokens }).score({ example: { id: 'x', input: '', reference: 'a' }, output: 'a b', signal });
 * // => { value: 0.6666666666666666, details: { precision: 0.5, recall: 1 } }
 * ```
 */
export function bertScore(options: BertScoreMetricOptions): Metric {
  _checkOptions('bertScore', options, BERT_SCORE_METRIC_KEYS);
  if (options === undefined || options === null || typeof options !== 'object')
    throw new TypeError(`Expected \`options\` to be an options object, got ${_describe(options)}`);
  _checkFunction('embedTokens', options.embedTokens);
  if (options.tokenize !== undefined) _checkFunction('tokenize', options.tokenize);
  const corpus = options.idf;
  if (corpus !== undefined && (!Array.isArray(corpus) || corpus.some((d) => typeof d !== 'string')))
    throw new TypeError(
      `Expected \`idf\` to be an array of strings (the reference corpus), got ${_describe(corpus)}`,
    );
  const name = _metricName(options.name, 'bert_score');
  const { embedTokens, tokenize } = options;
  /**
   * The idf computation shared by every row: run under a signal of its own, aborted only once every row waiting
   * for it has left by its own abort before it ended (a row's bound ending must not fail the other rows waiting on
   * the same computation). Each row waits on it racing its own signal.
   */
  let shared: IdfComputation | undefined;

  function idfFor(signal: AbortSignal): Promise<IdfWeights> | undefined {
    if (corpus === undefined) return undefined;
    if (signal.aborted) return Promise.reject(signal.reason);
    if (shared === undefined) {
      const controller = new AbortController();
      const promise = (async () => {
        if (tokenize) return idfWeights(corpus.map((d) => tokenize(d)));
        const embedded = await embedTokens(corpus, controller.signal);
        return idfWeights(
          embedded.map((e, i) => _checkTokenEmbeddings(`idf corpus embedding ${i}`, e).tokens),
        );
      })();
      const entry: IdfComputation = { promise, controller, waiting: 0, ended: false };
      shared = entry;
      promise.then(
        () => {
          entry.ended = true;
        },
        () => {
          entry.ended = true;
          // A failed (e.g. aborted) computation is retried by the next example rather than cached.
          if (shared === entry) shared = undefined;
        },
      );
    }
    const entry = shared;
    entry.waiting++;
    const mine = raceAbort(entry.promise, signal);
    const leave = (): void => {
      entry.waiting--;
      if (entry.waiting > 0 || entry.ended) return;
      if (shared === entry) shared = undefined;
      entry.controller.abort(signal.reason);
    };
    mine.then(leave, leave);
    return mine;
  }

  return Object.freeze({
    name,
    kind: 'continuous' as const,
    // The token embedder is the user's function (present, not compared); the idf corpus by its size and digest.
    definition: builtinMetricDefinition('bertScore', {
      embedTokens,
      tokenize,
      idf: corpus === undefined ? false : { documents: corpus.length, digest: definitionDigest(corpus) },
    }),
    async score(ctx: ScoreContext): Promise<MetricScore> {
      const output = _outputString(ctx, name);
      const refs = _referenceStrings(ctx, name);
      const texts = [output, ...refs];
      const [embedded, idf] = await Promise.all([embedTokens(texts, ctx.signal), idfFor(ctx.signal)]);
      if (!Array.isArray(embedded) || embedded.length !== texts.length)
        throw new TypeError(
          `Metric \`${name}\` for ${_exampleName(ctx)}: expected \`embedTokens\` to return ${texts.length} results, got ${_describe(embedded)}`,
        );
      const cand = _checkTokenEmbeddings('embedTokens(...)[0]', embedded[0]);
      let best: BertScoreResult | undefined;
      let undefinedF1: BertScoreResult | undefined;
      for (let i = 1; i < embedded.length; i++) {
        const r = _bertScore(cand, _checkTokenEmbeddings(`embedTokens(...)[${i}]`, embedded[i]), idf);
        if (Number.isNaN(r.f1)) undefinedF1 ??= r;
        else if (best === undefined || r.f1 > best.f1) best = r;
      }
      if (best === undefined && undefinedF1 !== undefined)
        return Object.freeze({
          value: null,
          details: Object.freeze({
            precision: undefinedF1.precision,
            recall: undefinedF1.recall,
            reason: OPPOSITE_SIGNS,
          }),
        });
      const b = best ?? ZERO;
      return Object.freeze({
        value: b.f1,
        details: Object.freeze({ precision: b.precision, recall: b.recall }),
      });
    },
  });
}
