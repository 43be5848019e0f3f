import type { EmbeddingCreateParams } from 'openai/resources/embeddings';
import { _describe } from '../_internal/describe.js';
import { _checkInteger, _checkOptions } from '../_internal/validate.js';
import { builtinMetricDefinition } from '../core/metricDefinition.js';
import { lazyOpenAI } from '../providers/lazyOpenAI.js';
import type { OpenAIClientLike } from '../providers/wrapOpenAI.js';
import { defineEmbedder, type EmbedFunction } from './embeddingSimilarity.js';

/** Options of {@link openaiEmbedder}. */
export interface OpenAIEmbedderOptions {
  /** Embedding model, e.g. `'text-embedding-3-small'`. Required. */
  readonly model: string;
  /**
   * An `OpenAI` client; inside a run its retries are evalgate's (the SDK's are off for these calls).
   * @default `new OpenAI()` (reads `OPENAI_API_KEY` / `OPENAI_BASE_URL`), created on first use
   */
  readonly client?: OpenAIClientLike;
  /** Texts per request. Range: 1–2048 (the API's limit). @default 2048 */
  readonly batchSize?: number;
  /** Output dimensions, for models that can shorten their vectors. @default the model's */
  readonly dimensions?: number;
}

const OPENAI_EMBEDDER_KEYS = Object.keys({
  model: true,
  client: true,
  batchSize: true,
  dimensions: true,
} satisfies Record<keyof OpenAIEmbedderOptions, true>);

/**
 * An {@link EmbedFunction} backed by the OpenAI embeddings API (`client.embeddings.create`, official openai SDK).
 *
 * Texts are sent in batches of `batchSize` (concurrently), and the vectors are returned in input order
 * (the response's `index` field is honored). The client is wrapped ({@link wrapOpenAI}): inside `evaluate()`
 * each batch is one call through the run's call runtime, so it is cached under the request (model, input,
 * dimensions), rate-limited, retried and counted in the run's totals; outside a run it is a plain SDK call.
 *
 * @param options - {@link OpenAIEmbedderOptions}.
 * @returns An {@link EmbedFunction}.
 * @throws {TypeError} For a missing model, a non-OpenAI client; {@link RangeError} for `batchSize` out of range.
 * @example
 * ```ts
 * const embed = openaiEmbedder({ model: 'text-embedding-3-small', client: new OpenAI() });
 * const [v] = await embed(['hello'], AbortSignal.timeout(10_000));
 * v.length; // => 1536
 * const metric = embeddingSimilarity({ embed });
 * ```
 */
export function openaiEmbedder(options: OpenAIEmbedderOptions): EmbedFunction {
  _checkOptions('openaiEmbedder', options, OPENAI_EMBEDDER_KEYS);
  if (options === undefined || options === null)
    throw new TypeError(`Expected \`options\` to be an options object, got ${_describe(options)}`);
  if (typeof options.model !== 'string' || options.model.length === 0)
    throw new TypeError(`Expected \`model\` to be a non-empty string, got ${_describe(options.model)}`);
  const client = lazyOpenAI(options.client, 'embeddings');
  const batchSize = _checkInteger('batchSize', options.batchSize ?? 2048, 1, 2048);
  const dimensions =
    options.dimensions === undefined ? undefined : _checkInteger('dimensions', options.dimensions, 1);
  const model = options.model;

  // Through the wrapped client: inside evaluate() each batch is one call through the run's call runtime.
  async function embedBatch(input: string[], signal: AbortSignal) {
    const request: EmbeddingCreateParams = {
      model,
      input,
      encoding_format: 'float',
      ...(dimensions === undefined ? {} : { dimensions }),
    };
    const res = await client().embeddings.create(request, { signal });
    return [...res.data].sort((a, b) => a.index - b.index).map((d) => d.embedding as number[]);
  }

  const embed: EmbedFunction = async (texts, signal) => {
    const batches: string[][] = [];
    for (let i = 0; i < texts.length; i += batchSize) batches.push(texts.slice(i, i + batchSize));
    const out = await Promise.all(batches.map((b) => embedBatch(b, signal)));
    return out.flat();
  };
  // What changes the vectors (not the client, its key or the batch size), for the definitions of the metrics using it.
  return defineEmbedder(embed, builtinMetricDefinition('openaiEmbedder', { model, dimensions }));
}
