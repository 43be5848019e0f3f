import { _describe } from '../_internal/describe.js';
import { _checkFunction, _checkOptions } from '../_internal/validate.js';
import { builtinMetricDefinition, FUNCTION_OPTION, type MetricDefinition } from '../core/metricDefinition.js';
import type { CallFn, Metric, MetricScore, ScoreContext } from '../core/types.js';
import { _exampleName, _metricName, _outputString, _referenceStrings } from './_internal/reference.js';
import { _checkVector, cosineUnchecked } from './cosineSimilarity.js';

/** What an embedder may use besides the texts: the run's call function and the example it works for. */
export interface EmbedContext {
  /**
   * The run's `ctx.call`, for embedders on clients evalgate does not wrap (`openaiEmbedder` needs none: its
   * wrapped client finds the run by itself). Absent outside `evaluate()`.
   */
  readonly call?: CallFn;
  /** The example being scored, named in timeouts and errors. */
  readonly exampleId?: string;
}

/**
 * Turns texts into vectors, one per text, in order. Any function works; `openaiEmbedder()` builds one on the
 * OpenAI embeddings API.
 */
export type EmbedFunction = (
  texts: readonly string[],
  signal: AbortSignal,
  context?: EmbedContext,
) => Promise<readonly (readonly number[])[]>;

/** The definitions of the embedders evalgate builds (`openaiEmbedder`: its model and dimensions). */
const _EMBEDDER_DEFINITIONS = new WeakMap<EmbedFunction, MetricDefinition>();

/** Records what embedder `embed` is (its model …), for the definition of the metrics that use it. @internal */
export function defineEmbedder(embed: EmbedFunction, definition: MetricDefinition): EmbedFunction {
  _EMBEDDER_DEFINITIONS.set(embed, definition);
  return embed;
}

/**
 * How a metric's definition records its embedder: the model and dimensions of one `openaiEmbedder()` built, else
 * `'[function]'` (a user's function: present, not compared). @internal
 */
export function embedderDefinition(embed: EmbedFunction): MetricDefinition | string {
  return _EMBEDDER_DEFINITIONS.get(embed) ?? FUNCTION_OPTION;
}

/** Options of the {@link embeddingSimilarity} metric factory. */
export interface EmbeddingSimilarityOptions {
  /** The embedder. Required. */
  readonly embed: EmbedFunction;
  /** Metric name in results. @default 'embedding_similarity' */
  readonly name?: string;
}

const EMBEDDING_SIMILARITY_KEYS = Object.keys({ embed: true, name: true } satisfies Record<
  keyof EmbeddingSimilarityOptions,
  true
>);

/**
 * Calls `embed` and checks that it returned one finite vector per text, all of one length (a shorter vector would
 * be compared on its first dimensions only). Errors name the metric and the example. @internal
 */
export async function embedChecked(
  embed: EmbedFunction,
  texts: readonly string[],
  ctx: ScoreContext,
  metric: string,
): Promise<readonly (readonly number[])[]> {
  const context: EmbedContext = {
    ...(ctx.call === undefined ? {} : { call: ctx.call }),
    ...(ctx.example?.id === undefined ? {} : { exampleId: ctx.example.id }),
  };
  const vectors = await embed(texts, ctx.signal, context);
  const where = `Metric \`${metric}\` for ${_exampleName(ctx)}`;
  if (!Array.isArray(vectors) || vectors.length !== texts.length)
    throw new TypeError(
      `${where}: expected \`embed\` to return ${texts.length} vectors, got ${_describe(vectors)}`,
    );
  for (let i = 0; i < vectors.length; i++) {
    const v = _checkVector(`embed(...)[${i}]`, vectors[i], where);
    if (v.length !== vectors[0]!.length)
      throw new RangeError(
        `${where}: \`embed\` returned vectors of different lengths (${vectors[0]!.length} and ${v.length})`,
      );
  }
  return vectors;
}

/**
 * Semantic-similarity metric for `evaluate()`: the cosine between the embedding of the output and that of
 * `example.reference` (a string, or several acceptable strings: the best cosine counts).
 *
 * The output and its references are embedded in one `embed` call per example. With `openaiEmbedder()` inside
 * `evaluate()`, the request goes through the run's call runtime, so it is cached, rate-limited and retried like
 * every model call. A zero vector has no direction: the example is then recorded as missing (`value: null`),
 * never as 0. Kind `'continuous'`, values in [-1, 1].
 *
 * @param options - `embed` (required) and `name`.
 * @returns A {@link Metric} named `embedding_similarity` unless renamed.
 * @throws {TypeError} When `embed` is not a function; at score time for a bad reference or output, or an
 *   embedder that returns the wrong number of vectors (messages name the example id).
 * @example
 * ```ts
 * const table: Record<string, number[]> = { 'a cat': [1, 0], 'a kitten': [1, 1] };
 * const metric = embeddingSimilarity({ embed: async (texts) => texts.map((t) => table[t]) });
 * await metric.score({ example: { id: 'e', input: '', reference: 'a kitten' }, output: 'a cat', signal });
 * // => { value: 0.7071067811865475 }
 * ```
 */
export function embeddingSimilarity(options: EmbeddingSimilarityOptions): Metric {
  _checkOptions('embeddingSimilarity', options, EMBEDDING_SIMILARITY_KEYS);
  if (options === undefined || options === null || typeof options !== 'object')
    throw new TypeError(`Expected \`options\` to be an options object, got ${_describe(options)}`);
  _checkFunction('embed', options.embed);
  const name = _metricName(options.name, 'embedding_similarity');
  const embed = options.embed;
  return Object.freeze({
    name,
    kind: 'continuous' as const,
    bounds: [-1, 1] as const,
    definition: builtinMetricDefinition('embeddingSimilarity', { embed: embedderDefinition(embed) }),
    async score(ctx: ScoreContext): Promise<MetricScore> {
      const output = _outputString(ctx, name);
      const refs = _referenceStrings(ctx, name);
      const vectors = await embedChecked(embed, [output, ...refs], ctx, name);
      let best = Number.NEGATIVE_INFINITY;
      for (let i = 1; i < vectors.length; i++) {
        const c = cosineUnchecked(vectors[0], vectors[i]);
        if (c > best) best = c;
      }
      // A cosine is in [-1, 1]; rounding can carry that of two equal vectors a hair past 1.
      return Object.freeze({ value: Number.isFinite(best) ? Math.min(1, Math.max(-1, best)) : null });
    },
  });
}
