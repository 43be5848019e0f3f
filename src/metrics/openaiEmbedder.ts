import OpenAI from 'openai';
import type { EmbeddingCreateParams } from 'openai/resources/embeddings';
import { _describe } from '../_internal/describe.js';
import { _checkInteger, _checkOptionsObject } from '../_internal/validate.js';
import { _createRuntime, type CallRuntime } from '../scheduler/runtime.js';
import type { EmbedContext, EmbedFunction } from './embeddingSimilarity.js';

/** Options of {@link openaiEmbedder}. */
export interface OpenAIEmbedderOptions {
  /** Embedding model, e.g. `'text-embedding-3-small'`. Required. */
  readonly model: string;
  /**
   * An `OpenAI` client; its own retries are turned off (the call runtime retries).
   * @default `new OpenAI()` (reads `OPENAI_API_KEY` / `OPENAI_BASE_URL`), created on first use
   */
  readonly client?: OpenAI;
  /** Texts per request. Range: 1–2048 (the API's limit). @default 2048 */
  readonly batchSize?: number;
  /** Output dimensions, for models that can shorten their vectors. @default the model's */
  readonly dimensions?: number;
}

/**
 * An {@link EmbedFunction} backed by the OpenAI embeddings API (`client.embeddings.create`, official openai SDK).
 *
 * Texts are sent in batches of `batchSize` (concurrently), and the vectors are returned in input order
 * (the response's `index` field is honored). When called with a run's call runtime (as `embeddingSimilarity()`
 * does inside `evaluate()`), each batch is one `runtime.call({ kind: 'embedding', request })`, so it is cached
 * under the request (model, input, dimensions), rate-limited, retried and counted in the run's totals; outside
 * a run, a private runtime gives the same retries and timeouts.
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
  if (options === undefined || options === null)
    throw new TypeError(`Expected \`options\` to be an options object, got ${_describe(options)}`);
  _checkOptionsObject('options', options);
  if (typeof options.model !== 'string' || options.model.length === 0)
    throw new TypeError(`Expected \`model\` to be a non-empty string, got ${_describe(options.model)}`);
  if (options.client !== undefined && !(options.client instanceof OpenAI))
    throw new TypeError(`Expected \`client\` to be an OpenAI client, got ${_describe(options.client)}`);
  const batchSize = _checkInteger('batchSize', options.batchSize ?? 2048, 1, 2048);
  const dimensions =
    options.dimensions === undefined ? undefined : _checkInteger('dimensions', options.dimensions, 1);
  const model = options.model;
  let client: OpenAI | undefined;
  let fallbackRuntime: CallRuntime | undefined;

  async function embedBatch(input: string[], signal: AbortSignal, context: EmbedContext | undefined) {
    client ??= (options.client ?? new OpenAI()).withOptions({ maxRetries: 0 });
    const c = client;
    const request: EmbeddingCreateParams = {
      model,
      input,
      encoding_format: 'float',
      ...(dimensions === undefined ? {} : { dimensions }),
    };
    if (context?.runtime === undefined) fallbackRuntime ??= _createRuntime();
    const runtime = context?.runtime ?? (fallbackRuntime as CallRuntime);
    const result = await runtime.call<number[][]>(
      {
        kind: 'embedding',
        request,
        model,
        ...(context?.exampleId === undefined ? {} : { exampleId: context.exampleId }),
      },
      async (attemptSignal) => {
        const res = await c.embeddings.create(request, { signal: attemptSignal });
        const data = [...res.data].sort((a, b) => a.index - b.index);
        if (data.length !== input.length)
          throw new TypeError(`openaiEmbedder: expected ${input.length} embeddings, got ${data.length}`);
        return {
          value: data.map((d) => d.embedding as number[]),
          ...(res.usage ? { usage: { inputTokens: res.usage.prompt_tokens, outputTokens: 0 } } : {}),
        };
      },
      signal,
    );
    return result.value;
  }

  return async (texts, signal, context) => {
    const batches: string[][] = [];
    for (let i = 0; i < texts.length; i += batchSize) batches.push(texts.slice(i, i + batchSize));
    const out = await Promise.all(batches.map((b) => embedBatch(b, signal, context)));
    return out.flat();
  };
}
