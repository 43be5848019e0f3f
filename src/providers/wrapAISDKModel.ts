import { Buffer } from 'node:buffer';
import { cacheKey } from '../cache/cacheKey.js';
import { activeScope, type CallScope, scopedCall } from '../calls/callScope.js';
import type { CallOutcome, Usage } from '../core/types.js';
import { ProviderCallError, ProviderResponseError, UnsupportedModelKindError } from '../errors.js';
import { _aiSdkModelKind, type AISDKModelKind, ROUTED_KINDS } from './_aiSdkModelKind.js';
import { _baseEndpoint } from './_routeRequests.js';
import { _anySignal, _chatKind } from './_wrapClient.js';

/**
 * The specification versions of AI SDK language models evalgate wraps: `'v2'` (`ai` 5, `@ai-sdk/*` 2), `'v3'`
 * (`ai` 6, `@ai-sdk/*` 3) and `'v4'` (`ai` 7, `@ai-sdk/*` 4). They differ in the prompt and content shapes,
 * which evalgate passes through untouched; what it reads (the result's `content` and `usage`, the stream's
 * `finish`, `error`, `raw` and `response-metadata` parts) is the same in all three.
 */
export type AISDKSpecificationVersion = 'v2' | 'v3' | 'v4';

/** The call options of `doGenerate` / `doStream`, as far as evalgate reads them (the rest is passed on). */
export interface AISDKCallOptions {
  readonly abortSignal?: AbortSignal | undefined;
  readonly headers?: Record<string, string | undefined> | undefined;
}

/** A stream part, as far as evalgate reads it. */
export interface AISDKStreamPart {
  readonly type: string;
}

/**
 * The part of an AI SDK language model that {@link wrapAISDKModel} calls, typed structurally so that a model of
 * `@ai-sdk/provider` 2, 3 or 4 fits without evalgate depending on one version of it.
 */
export interface AISDKLanguageModel {
  readonly specificationVersion: AISDKSpecificationVersion;
  readonly provider: string;
  readonly modelId: string;
  doGenerate(options: AISDKCallOptions): PromiseLike<{ readonly content: readonly unknown[] }>;
  doStream(options: AISDKCallOptions): PromiseLike<{ readonly stream: ReadableStream<AISDKStreamPart> }>;
}

/**
 * The part of an AI SDK embedding model (`openai.embedding('text-embedding-3-small')`, what `embed` and `embedMany`
 * call) that {@link wrapAISDKModel} calls, typed structurally like {@link AISDKLanguageModel}.
 */
export interface AISDKEmbeddingModel {
  readonly specificationVersion: AISDKSpecificationVersion;
  readonly provider: string;
  readonly modelId: string;
  doEmbed(options: AISDKCallOptions & { readonly values: readonly unknown[] }): PromiseLike<{
    readonly embeddings: readonly unknown[];
  }>;
}

/**
 * The part of an AI SDK reranking model (what `rerank` of `ai` 6 and 7 calls, specification `'v3'` or `'v4'`) that
 * {@link wrapAISDKModel} calls, typed structurally like {@link AISDKLanguageModel}.
 */
export interface AISDKRerankingModel {
  readonly specificationVersion: 'v3' | 'v4';
  readonly provider: string;
  readonly modelId: string;
  doRerank(
    options: AISDKCallOptions & {
      readonly documents: { readonly type: string; readonly values: readonly unknown[] };
      readonly query: string;
      readonly topN?: number | undefined;
    },
  ): PromiseLike<{
    readonly ranking: readonly { readonly index: number; readonly relevanceScore: number }[];
  }>;
}

type CallOptions = AISDKCallOptions & Record<string, unknown>;
type StreamPart = AISDKStreamPart & Record<string, unknown>;
type ResponseMeta = { body?: unknown; headers?: unknown; timestamp?: Date } & Record<string, unknown>;
type GenerateResult = {
  content: unknown[];
  usage?: unknown;
  request?: unknown;
  response?: ResponseMeta;
} & Record<string, unknown>;

/** What is cached of a streamed call: its parts, dates as ISO strings. */
interface RecordedStream {
  readonly parts: readonly StreamPart[];
}

type AnyModel = AISDKLanguageModel | AISDKEmbeddingModel | AISDKRerankingModel;

/**
 * What a call's cache key is made of: the model's endpoint (when it names one, see {@link endpointOf}), its
 * provider and id, and the call options that determine the response: everything but the signal and the headers
 * (keys live there), except the `anthropic-beta` header, the AI SDK's way to turn on an Anthropic beta, which
 * changes the answer. With an endpoint, also the key an earlier evalgate wrote for it (without the endpoint),
 * looked for on a miss so that such entries are warned about once (never used: another deployment may have
 * answered them).
 */
function keyedRequest(
  scope: CallScope,
  model: AnyModel,
  params: CallOptions,
  mode: 'generate' | 'stream' | 'embed' | 'rerank',
): { request: Record<string, unknown>; legacyKeyOf?: () => string } {
  const { abortSignal: _signal, headers, ...rest } = params;
  const beta = anthropicBetaOf(headers);
  const request = {
    provider: model.provider,
    modelId: model.modelId,
    mode,
    params: rest,
    ...(beta === undefined ? {} : { anthropicBeta: beta }),
  };
  const endpoint = endpointOf(model);
  if (endpoint === undefined) return { request };
  return {
    request: { ...request, endpoint },
    legacyKeyOf: () => cacheKey(request, scope.trial, 'ai-sdk'),
  };
}

/** The endpoint of each model seen (`null`: it names none), read once per model. */
const modelEndpoints = new WeakMap<object, string | null>();

/**
 * The base URL a provider's model sends to, as a key holds it (scheme, host, path, query without credentials), or
 * `undefined` when the model does not name one (a hand-made model). The AI SDK's providers keep it in the model's
 * `config`: `url({ path, modelId })` in OpenAI's, Azure's (with the deployment and API version) and the
 * OpenAI-compatible ones, `baseURL` in others. Two deployments of one model id behind two base URLs then have
 * their own cache entries, as two base URLs of one wrapped OpenAI client do.
 */
function endpointOf(model: AnyModel): string | undefined {
  let endpoint = modelEndpoints.get(model);
  if (endpoint === undefined) {
    endpoint = null;
    const config = (model as { config?: unknown }).config;
    if (config !== null && typeof config === 'object') {
      const c = config as { url?: unknown; baseURL?: unknown };
      let base: unknown;
      try {
        base =
          typeof c.url === 'function'
            ? (c.url as (o: { path: string; modelId: string }) => unknown)({
                path: '',
                modelId: model.modelId,
              })
            : c.baseURL;
      } catch {
        base = undefined;
      }
      if (typeof base === 'string' && base !== '') endpoint = _baseEndpoint(base);
    }
    modelEndpoints.set(model, endpoint);
  }
  return endpoint ?? undefined;
}

/** The `anthropic-beta` header among a call's headers (any case), or `undefined`. */
function anthropicBetaOf(headers: AISDKCallOptions['headers']): string | undefined {
  if (headers === null || typeof headers !== 'object') return undefined;
  let beta: string | undefined;
  for (const [k, v] of Object.entries(headers))
    if (k.toLowerCase() === 'anthropic-beta' && typeof v === 'string' && v !== '') beta = v;
  return beta;
}

/**
 * What the rate limiter estimates a call's tokens from before it is sent, in the shape the estimator reads: the
 * model's id (an image counts by its model), the prompt's messages and the output cap (`maxOutputTokens`,
 * `maxTokens` in specification v2's callers).
 */
function tokenSourceOf(
  model: AISDKLanguageModel,
  params: CallOptions,
): { model: string; messages: unknown; max_tokens?: number } {
  const p = params as { prompt?: unknown; maxOutputTokens?: unknown; maxTokens?: unknown };
  const cap = typeof p.maxOutputTokens === 'number' ? p.maxOutputTokens : p.maxTokens;
  // The model's id, so an image counts by its model's accounting (gpt-4o-mini counts ~33x gpt-4o's tokens).
  return {
    model: model.modelId,
    messages: p.prompt,
    ...(typeof cap === 'number' ? { max_tokens: cap } : {}),
  };
}

function usageOf(u: unknown): Usage | undefined {
  if (u === null || typeof u !== 'object') return undefined;
  const { inputTokens, outputTokens } = u as { inputTokens?: unknown; outputTokens?: unknown };
  const count = (x: unknown): number | undefined =>
    typeof x === 'number'
      ? x
      : typeof (x as { total?: unknown })?.total === 'number'
        ? (x as { total: number }).total
        : undefined;
  const i = count(inputTokens);
  const o = count(outputTokens);
  return i === undefined && o === undefined ? undefined : { inputTokens: i ?? 0, outputTokens: o ?? 0 };
}

/** The parts that carry a generated file: `file` (every specification) and v4's `reasoning-file`. */
const FILE_PARTS: readonly unknown[] = ['file', 'reasoning-file'];

/**
 * A generated file as JSON carries it: bytes as base64 (a form the specification allows, `data: string` in v2 and
 * v3, `{ type: 'data', data: string }` in v4, which the AI SDK reads back as the same bytes) and a v4 URL as its
 * text (see {@link reviveFile}). JSON would write a Uint8Array as an object of numbers, so the cache would refuse
 * the result and every rerun would pay for the call again. Other parts are returned as they are.
 */
function storableFile<P>(part: P): P {
  if (part === null || typeof part !== 'object') return part;
  const p = part as { type?: unknown; data?: unknown };
  if (!FILE_PARTS.includes(p.type)) return part;
  if (p.data instanceof Uint8Array) return { ...part, data: base64Of(p.data) };
  const d = p.data as { type?: unknown; data?: unknown; url?: unknown } | null | undefined;
  if (d?.type === 'data' && d.data instanceof Uint8Array)
    return { ...part, data: { ...d, data: base64Of(d.data) } };
  if (d?.type === 'url' && d.url instanceof URL) return { ...part, data: { ...d, url: d.url.href } };
  return part;
}

/** A stored file part as the specification has it: a v4 URL read back from its text. */
function reviveFile<P>(part: P): P {
  const p = part as { type?: unknown; data?: { type?: unknown; url?: unknown } } | null;
  if (p === null || typeof p !== 'object' || !FILE_PARTS.includes(p.type)) return part;
  const d = p.data;
  return d?.type === 'url' && typeof d.url === 'string'
    ? { ...part, data: { ...d, url: new URL(d.url) } }
    : part;
}

function base64Of(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * A generate or rerank result as JSON (the raw request, response body and headers are not kept; the timestamp
 * becomes a string; generated files are kept as base64, see {@link storableFile}).
 */
function storable<R extends { request?: unknown; response?: ResponseMeta | undefined }>(r: R): R {
  const { request: _request, response, ...rest } = r;
  const parts = (rest as { content?: unknown }).content;
  if (Array.isArray(parts)) (rest as { content?: unknown }).content = parts.map(storableFile);
  if (response === undefined) return rest as R;
  const { body: _body, headers: _headers, timestamp, ...meta } = response;
  return {
    ...rest,
    response: {
      ...meta,
      ...(timestamp instanceof Date ? { timestamp: timestamp.toISOString() as unknown as Date } : {}),
    },
  } as R;
}

function revive<T extends { content?: unknown; response?: { timestamp?: Date } }>(stored: T): T {
  const r = Array.isArray(stored.content) ? { ...stored, content: stored.content.map(reviveFile) } : stored;
  const ts = r.response?.timestamp as unknown;
  return typeof ts === 'string' ? { ...r, response: { ...r.response, timestamp: new Date(ts) } } : r;
}

function revivePart(part: StreamPart): StreamPart {
  if (part.type === 'response-metadata' && typeof part.timestamp === 'string')
    return { ...part, timestamp: new Date(part.timestamp) };
  return reviveFile(part);
}

/** Rethrows a retryable AI SDK error as one its retry loop leaves alone (evalgate has retried already). */
function final(err: unknown): never {
  const e = err as { isRetryable?: unknown; statusCode?: unknown; message?: unknown } | null;
  if (e !== null && typeof e === 'object' && e.isRetryable === true)
    throw new ProviderCallError(`${String(e.message)} (after evalgate's retries)`, {
      cause: err,
      ...(typeof e.statusCode === 'number' ? { status: e.statusCode } : {}),
    });
  throw err;
}

/**
 * Finish reasons with which a generate result may hold no content and still be the model's answer: the provider's
 * content filter withheld it, or the token budget ran out first (a reasoning model can spend all of it on
 * reasoning). Any other reason with no content is a broken answer.
 */
const EMPTY_FINISH: ReadonlySet<unknown> = new Set(['length', 'content-filter']);

/** The unified finish reason of a generate result: a string (specification v2) or `{ unified, raw }` (v3, v4). */
function finishReasonOf(res: GenerateResult): unknown {
  const f = res.finishReason;
  return f !== null && typeof f === 'object' ? (f as { unified?: unknown }).unified : f;
}

async function generate(
  scope: CallScope,
  model: AISDKLanguageModel,
  params: CallOptions,
): Promise<GenerateResult> {
  const { request, legacyKeyOf } = keyedRequest(scope, model, params, 'generate');
  const r = await scopedCall<GenerateResult>(
    scope,
    { kind: _chatKind(scope), request, api: 'ai-sdk', model: model.modelId },
    async (signal): Promise<CallOutcome<GenerateResult>> => {
      const res = (await model.doGenerate({
        ...params,
        abortSignal: _anySignal(signal, params.abortSignal),
      })) as GenerateResult;
      if (!Array.isArray(res.content) || (res.content.length === 0 && !EMPTY_FINISH.has(finishReasonOf(res))))
        throw new ProviderResponseError(`${model.provider}: the response has no content`, { status: 200 });
      const usage = usageOf(res.usage);
      return { value: storable(res), ...(usage === undefined ? {} : { usage }) };
    },
    { tokenSource: tokenSourceOf(model, params), ...(legacyKeyOf === undefined ? {} : { legacyKeyOf }) },
  ).catch(final);
  return revive(r.value);
}

async function stream(
  scope: CallScope,
  model: AISDKLanguageModel,
  params: CallOptions,
): Promise<{ stream: ReadableStream<StreamPart> }> {
  const { request, legacyKeyOf } = keyedRequest(scope, model, params, 'stream');
  const r = await scopedCall<RecordedStream>(
    scope,
    { kind: _chatKind(scope), request, api: 'ai-sdk', model: model.modelId },
    async (signal): Promise<CallOutcome<RecordedStream>> => {
      const res = await model.doStream({ ...params, abortSignal: _anySignal(signal, params.abortSignal) });
      const parts: StreamPart[] = [];
      let usage: Usage | undefined;
      const reader = (res.stream as ReadableStream<StreamPart>).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (value.type === 'error') throw value.error;
        if (value.type === 'raw') continue;
        if (value.type === 'finish') usage = usageOf(value.usage);
        parts.push(
          value.type === 'response-metadata' && value.timestamp instanceof Date
            ? { ...value, timestamp: value.timestamp.toISOString() }
            : storableFile(value),
        );
      }
      if (!parts.some((p) => p.type === 'finish'))
        throw new ProviderResponseError(`${model.provider}: the stream ended without a finish part`, {
          status: 200,
        });
      return { value: { parts }, ...(usage === undefined ? {} : { usage }) };
    },
    { tokenSource: tokenSourceOf(model, params), ...(legacyKeyOf === undefined ? {} : { legacyKeyOf }) },
  ).catch(final);
  const parts = r.value.parts;
  return {
    stream: new ReadableStream<StreamPart>({
      start(controller) {
        for (const p of parts) controller.enqueue(revivePart(p));
        controller.close();
      },
    }),
  };
}

type EmbedResult = {
  embeddings: unknown[];
  usage?: unknown;
  response?: { body?: unknown; headers?: unknown } & Record<string, unknown>;
} & Record<string, unknown>;

/** An embedding call's result as JSON: the vectors, usage and metadata (the raw response body and headers are not kept). */
function storableEmbedding(r: EmbedResult): EmbedResult {
  const { response, ...rest } = r;
  if (response === undefined) return rest;
  const { body: _body, headers: _headers, ...meta } = response;
  return { ...rest, response: meta };
}

async function embed(
  scope: CallScope,
  model: AISDKEmbeddingModel,
  params: CallOptions,
): Promise<EmbedResult> {
  const values = Array.isArray(params.values) ? params.values : [];
  const { request, legacyKeyOf } = keyedRequest(scope, model, params, 'embed');
  const r = await scopedCall<EmbedResult>(
    scope,
    { kind: 'embedding', request, api: 'ai-sdk', model: model.modelId },
    async (signal): Promise<CallOutcome<EmbedResult>> => {
      const res = (await model.doEmbed({
        ...params,
        values,
        abortSignal: _anySignal(signal, params.abortSignal),
      })) as EmbedResult;
      // One vector per value, or the caller would pair values with the wrong vectors.
      if (!Array.isArray(res.embeddings) || res.embeddings.length !== values.length)
        throw new ProviderResponseError(
          `${model.provider}: the response has ${Array.isArray(res.embeddings) ? res.embeddings.length : 'no'} embeddings for ${values.length} values`,
          { status: 200 },
        );
      const tokens = (res.usage as { tokens?: unknown } | undefined)?.tokens;
      return {
        value: storableEmbedding(res),
        ...(typeof tokens === 'number' ? { usage: { inputTokens: tokens, outputTokens: 0 } } : {}),
      };
    },
    { tokenSource: { input: values }, ...(legacyKeyOf === undefined ? {} : { legacyKeyOf }) },
  ).catch(final);
  return r.value;
}

type RerankResult = {
  ranking: { index: number; relevanceScore: number }[];
  response?: ResponseMeta;
} & Record<string, unknown>;

/** The documents of a rerank call (`{ type: 'text' | 'object', values }`), or `[]` when the call has none. */
function documentsOf(params: CallOptions): readonly unknown[] {
  const values = (params.documents as { values?: unknown } | undefined)?.values;
  return Array.isArray(values) ? values : [];
}

/**
 * Why a ranking cannot be the answer to `count` documents (an index out of range or repeated, a score that is not
 * a finite number), or `undefined` when it can: `rerank` picks the documents by these indices, so a bad one would
 * hand the caller the wrong document, or `undefined`, and a cached one would do it on every rerun.
 */
function rankingProblem(ranking: unknown, count: number): string | undefined {
  if (!Array.isArray(ranking)) return 'the response has no ranking';
  const seen = new Set<number>();
  for (const r of ranking as { index?: unknown; relevanceScore?: unknown }[]) {
    const i = r?.index;
    if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= count || seen.has(i))
      return `the ranking names document ${String(i)} of ${count}`;
    seen.add(i);
    if (typeof r.relevanceScore !== 'number' || !Number.isFinite(r.relevanceScore))
      return `the ranking gives document ${i} the score ${String(r.relevanceScore)}`;
  }
  return undefined;
}

async function rerank(
  scope: CallScope,
  model: AISDKRerankingModel,
  params: CallOptions,
): Promise<RerankResult> {
  const documents = documentsOf(params);
  const texts = documents.map((d) => (typeof d === 'string' ? d : JSON.stringify(d)));
  const { request, legacyKeyOf } = keyedRequest(scope, model, params, 'rerank');
  const r = await scopedCall<RerankResult>(
    scope,
    // Counted with the embeddings: both are the retrieval side of a pipeline (`totals.byKind.embedding`).
    { kind: 'embedding', request, api: 'ai-sdk', model: model.modelId },
    async (signal): Promise<CallOutcome<RerankResult>> => {
      const res = (await model.doRerank({
        ...(params as unknown as Parameters<AISDKRerankingModel['doRerank']>[0]),
        abortSignal: _anySignal(signal, params.abortSignal),
      })) as RerankResult;
      const problem = rankingProblem(res.ranking, documents.length);
      if (problem !== undefined)
        throw new ProviderResponseError(`${model.provider}: ${problem}`, { status: 200 });
      // A reranker reports no tokens: the call is counted as a request, without usage.
      return { value: storable(res) };
    },
    // The query and the documents are what a TPM limit counts; a reranker writes no tokens.
    {
      tokenSource: { input: [typeof params.query === 'string' ? params.query : '', ...texts], max_tokens: 0 },
      ...(legacyKeyOf === undefined ? {} : { legacyKeyOf }),
    },
  ).catch(final);
  return revive(r.value);
}

/**
 * The part of an AI SDK image model (`openai.image('gpt-image-1')`, what `generateImage` calls) that
 * {@link evalgateMiddleware} reads in an image middleware slot, to refuse it inside a run: image models are not
 * routed (see {@link wrapAISDKModel}).
 */
export interface AISDKImageModel {
  readonly specificationVersion: AISDKSpecificationVersion;
  readonly provider: string;
  readonly modelId: string;
  /** A number, `undefined` or a function in every specification; what tells an image model apart. */
  readonly maxImagesPerCall: unknown;
  doGenerate(options: AISDKCallOptions): PromiseLike<unknown>;
}

/**
 * The middleware of every middleware slot of the AI SDK (`ai` 5, 6 and 7), in a shape each slot's middleware type
 * accepts: `wrapGenerate` and `wrapStream` of a language-model middleware (`wrapLanguageModel`, wrapProvider's
 * `languageModelMiddleware`), `wrapEmbed` of an embedding-model middleware (`wrapEmbeddingModel`), and
 * `wrapGenerate` of an image-model middleware (`wrapImageModel`, wrapProvider's `imageModelMiddleware`), which is
 * the language model's hook name, told apart by the model it is given.
 */
export interface EvalgateMiddleware {
  readonly specificationVersion: 'v3';
  wrapGenerate(options: {
    doGenerate: () => PromiseLike<unknown>;
    params: AISDKCallOptions;
    model: AISDKLanguageModel | AISDKImageModel;
    // biome-ignore lint/suspicious/noExplicitAny: the result is the SDK's own type, whichever version calls
  }): Promise<any>;
  wrapStream(options: {
    doStream: () => PromiseLike<unknown>;
    params: AISDKCallOptions;
    model: AISDKLanguageModel;
    // biome-ignore lint/suspicious/noExplicitAny: the result is the SDK's own type, whichever version calls
  }): Promise<any>;
  wrapEmbed(options: {
    doEmbed: () => PromiseLike<unknown>;
    params: AISDKCallOptions & { readonly values: readonly unknown[] };
    model: AISDKEmbeddingModel;
    // biome-ignore lint/suspicious/noExplicitAny: the result is the SDK's own type, whichever version calls
  }): Promise<any>;
}

/** The kinds evalgateMiddleware routes: the AI SDK has no reranking middleware slot. */
const MIDDLEWARE_KINDS: readonly AISDKModelKind[] = ['language', 'embedding'];

/**
 * The middleware behind {@link wrapAISDKModel}, for a user who composes middlewares with the AI SDK's own wrap
 * functions. Inside `evaluate()`:
 * - in a language-model slot (`wrapLanguageModel` of `ai` 5, 6 and 7, `wrapProvider({ languageModelMiddleware })`),
 *   `doGenerate` and `doStream` go through the run's call runtime, as a model wrapped with {@link wrapAISDKModel};
 * - in an embedding-model slot (`wrapEmbeddingModel` of `ai` 6 and 7), `doEmbed` goes through it the same way
 *   (one embedding call per `doEmbed`, counted with its tokens, cached, replayed);
 * - in an image-model slot (`wrapImageModel` of `ai` 6 and 7, `wrapProvider({ imageModelMiddleware })`), the call
 *   is refused with an {@link UnsupportedModelKindError} before anything is sent: evalgate cannot count, cache or
 *   replay image models (see {@link wrapAISDKModel}).
 *
 * Outside a run every hook calls the SDK's own `doGenerate` / `doStream` / `doEmbed` untouched, so the model
 * behaves as the unwrapped one.
 *
 * `wrapProvider` (`ai` 5, 6, 7) has no embedding or reranking slot: its `embeddingModel()` (`textEmbeddingModel()`
 * in `ai` 5) and `rerankingModel()` hand out the provider's own models, whose calls go around every middleware and
 * so around the run. Wrap those with `wrapEmbeddingModel({ model, middleware: evalgateMiddleware })` or
 * {@link wrapAISDKModel}.
 * @throws {UnsupportedModelKindError} Inside a run, from a hook given a model of a kind it does not route (an image
 *   model; `modelKind` names it), before anything is sent.
 * @example
 * ```ts
 * import { embed, generateText, wrapEmbeddingModel, wrapLanguageModel } from 'ai';
 * const model = wrapLanguageModel({ model: openai('gpt-4o-mini'), middleware: [evalgateMiddleware, other] });
 * const embedder = wrapEmbeddingModel({ model: openai.embedding('text-embedding-3-small'), middleware: evalgateMiddleware });
 * const result = await evaluate(dataset, async (input) => {
 *   const { embedding } = await embed({ model: embedder, value: String(input) });
 *   return (await generateText({ model, prompt: `${String(input)} ${embedding.length}` })).text;
 * }, [exactMatch()], { cache: sqliteCache('.evalgate/cache.sqlite') });
 * result.totals.requests; // => two per example; 0 on a rerun
 * ```
 */
export const evalgateMiddleware: EvalgateMiddleware = {
  specificationVersion: 'v3',
  wrapGenerate({ doGenerate, params, model }) {
    const scope = activeScope();
    // Outside a run: the SDK's own call, untouched (the SDK's doGenerate is a promise in every version).
    if (scope === undefined) return doGenerate() as Promise<unknown>;
    return routedIn(model, 'language', () =>
      generate(scope, model as AISDKLanguageModel, params as CallOptions),
    );
  },
  wrapStream({ doStream, params, model }) {
    const scope = activeScope();
    if (scope === undefined) return doStream() as Promise<unknown>;
    return routedIn(model, 'language', () => stream(scope, model, params as CallOptions));
  },
  wrapEmbed({ doEmbed, params, model }) {
    const scope = activeScope();
    if (scope === undefined) return doEmbed() as Promise<unknown>;
    return routedIn(model, 'embedding', () => embed(scope, model, params as unknown as CallOptions));
  },
};

/** A hook's call inside a run: refused (a rejected promise) unless `model` is of the `routed` kind, else `call()`. */
async function routedIn<T>(
  model: unknown,
  routed: 'language' | 'embedding',
  call: () => Promise<T>,
): Promise<T> {
  refuseInMiddleware(model, routed);
  return call();
}

/**
 * Refuses, inside a run, a model a middleware hook is given that is not of the kind the hook routes (an image
 * model in `wrapGenerate`), whatever its specification version: the hook would send its call around the run.
 */
function refuseInMiddleware(model: unknown, routed: 'language' | 'embedding'): void {
  const kind = _aiSdkModelKind(model);
  if (kind === routed) return;
  throw unroutedKindError(
    model,
    kind,
    "evalgateMiddleware routes AI SDK language and embedding models inside evaluate() (wrapLanguageModel, wrapEmbeddingModel, wrapProvider's languageModelMiddleware)",
    MIDDLEWARE_KINDS,
  );
}

const VERSIONS: readonly string[] = ['v2', 'v3', 'v4'];

/**
 * Wraps an AI SDK language model (`openai('gpt-4o-mini')`, `anthropic(...)`, any provider) so that, inside
 * `evaluate()`, each of its calls — `generateText`, `generateObject`, `streamText`, tool loops — goes through the
 * run's call runtime: the cache (one entry per call, keyed by the SHA-256 of the provider, model id and call
 * options, and the trial), replay, single flight, budget, rate limits, timeouts, retries, pricing and totals.
 * A streamed call is recorded and cached as its final sequence of parts; on a cache hit the stream replays
 * those parts. A generated file's bytes (an image the model made) are kept as base64, which the AI SDK reads as
 * the same bytes, live and on a hit alike. Outside a run the model behaves exactly as the unwrapped one.
 *
 * An embedding model (`openai.embedding('text-embedding-3-small')`, what `embed` and `embedMany` call) is wrapped
 * the same way: each `doEmbed` call (`embedMany` makes one per `maxEmbeddingsPerCall` values) is one embedding
 * call of the run, counted with its tokens, cached and replayed as its vectors.
 *
 * A reranking model (`cohere.reranking('rerank-v3.5')`, what `rerank` of `ai` 6 and 7 calls, specification `'v3'`
 * or `'v4'`) is wrapped the same way: each `doRerank` call is one call of the run, counted with the embedding calls
 * (`totals.byKind.embedding`: both are the retrieval side of a pipeline), cached and replayed as its ranking (the
 * indices and scores; `rerank` picks the documents by index, so a replayed call gives the same documents). A
 * ranking naming a document that is not there fails the call, uncached. A reranker reports no tokens, so under
 * `budget.maxCostUsd` it is refused unless `pricing` names its model id, like any unpriced model.
 *
 * Every other kind of AI SDK model is refused when it is wrapped, before anything is sent, with an
 * {@link UnsupportedModelKindError} naming its kind: image, video, speech and transcription models (their results
 * are images, audio and video, which the JSON cache does not keep), speech translation, realtime, decision and
 * extraction models, batch, files and skills interfaces. Call those outside `evaluate()`, or through `ctx.call`.
 * A transcription or streaming speech model of specification v4 has `doGenerate` and `doStream` like a language
 * model; it is told apart by `supportedUrls`, which every language model specification requires (a hand-made
 * v4 language model without it is refused as a speech or transcription model).
 *
 * Works with the models of `ai` 6 and 7 (`@ai-sdk/*` 3 and 4, specification `'v3'` and `'v4'`) and of `ai` 5
 * (`'v2'`): the result is the same model (a proxy keeping its specification version and every other property)
 * with `doGenerate` and `doStream` (or `doEmbed`) routed through the run, so `evalgate/ai-sdk` imports nothing
 * from `ai`.
 *
 * Inside a run evalgate retries transient failures itself; when it gives up, the error it throws is not an
 * `APICallError`, so the AI SDK's own retry loop does not multiply the attempts. A generate result with no content is
 * a failed attempt (a `ProviderResponseError`, retried, never cached) unless its finish reason says why it is empty:
 * `content-filter` or `length` is the model's answer, sent once and cached (`generateText` gives `text: ''`).
 *
 * @param model - An AI SDK language model or embedding model (specification `'v2'`, `'v3'` or `'v4'`), or a
 *   reranking model (`'v3'` or `'v4'`).
 * @returns The wrapped model, of the same type.
 * @throws {UnsupportedModelKindError} When `model` is an AI SDK model of another kind (`modelKind`: `'image'`,
 *   `'video'`, `'speech-or-transcription'`, ...), of specification v2, v3 or v4.
 * @throws {TypeError} When `model` is no AI SDK model, or one of another specification version (the message names
 *   the version found and the supported ones).
 * @example
 * ```ts
 * import { embed, generateText } from 'ai';
 * import { createOpenAI } from '@ai-sdk/openai';
 * import { wrapAISDKModel } from 'evalgate/ai-sdk';
 *
 * const openai = createOpenAI();
 * const model = wrapAISDKModel(openai('gpt-4o-mini'));
 * const embedder = wrapAISDKModel(openai.embedding('text-embedding-3-small'));
 * const result = await evaluate(dataset, async (input) => {
 *   const { embedding } = await embed({ model: embedder, value: String(input) });
 *   return (await generateText({ model, prompt: `${String(input)} ${embedding.length}` })).text;
 * }, [exactMatch()], { cache: sqliteCache('.evalgate/cache.sqlite') });
 * result.totals.requests; // => two per example; 0 on a rerun
 * ```
 * @example
 * ```ts
 * import { rerank } from 'ai';
 * import { cohere } from '@ai-sdk/cohere';
 *
 * const reranker = wrapAISDKModel(cohere.reranking('rerank-v3.5'));
 * const result = await evaluate(dataset, async (input) => {
 *   const { rerankedDocuments } = await rerank({ model: reranker, documents: passages, query: String(input), topN: 3 });
 *   return rerankedDocuments.join('\n');
 * }, [f1()], { cache: { store: sqliteCache('.evalgate/cache.sqlite'), mode: 'replay' } });
 * result.totals.requests; // => 0 (replayed: the same documents, nothing sent)
 * ```
 */
export function wrapAISDKModel<M extends AISDKLanguageModel | AISDKEmbeddingModel | AISDKRerankingModel>(
  model: M,
): M {
  if (isRerankingModel(model)) return wrapRerankingModel(model) as M;
  refuseUnroutedKind(model);
  const embedding = isEmbeddingModel(model);
  if (
    !embedding &&
    (model === null ||
      typeof model !== 'object' ||
      typeof (model as Partial<AISDKLanguageModel>).doGenerate !== 'function' ||
      typeof (model as Partial<AISDKLanguageModel>).doStream !== 'function')
  )
    throw new TypeError(
      `Expected \`model\` to be an AI SDK language model, got ${model === null ? 'null' : typeof model}`,
    );
  const version: unknown = model.specificationVersion;
  if (typeof version !== 'string' || !VERSIONS.includes(version))
    throw new TypeError(
      `Expected \`model\` to be an AI SDK ${embedding ? 'embedding' : 'language'} model of specification v2, v3 or v4 (ai 5, 6 or 7), got specification \`${String(version)}\` (${typeof version})`,
    );
  return new Proxy(model, {
    get(target, prop) {
      const routed = embedding
        ? embeddingMethod(target as AISDKEmbeddingModel, prop)
        : languageMethod(target as AISDKLanguageModel, prop);
      if (routed !== undefined) return routed;
      return ownProperty(target, prop);
    },
  });
}

/** What each kind that is not routed is, and the `ai` function that calls it, for the refusal's message. */
const UNROUTED: Readonly<Record<Exclude<AISDKModelKind, (typeof ROUTED_KINDS)[number]>, string>> = {
  image: 'an image model (generateImage)',
  video: 'a video model (experimental_generateVideo)',
  'speech-or-transcription': 'a speech or transcription model (generateSpeech, transcribe)',
  'speech-translation': 'a speech translation model (experimental_streamTranslate)',
  decision: 'a decision model (experimental_decide)',
  extraction: 'an extraction model (experimental_extract)',
  realtime: 'a realtime model',
  batch: 'a batch interface (experimental_startBatch)',
  files: 'a files interface (uploadFile)',
  skills: 'a skills interface (uploadSkill)',
};

/**
 * Refuses an AI SDK model of a kind that is not routed (of a known specification version; an unknown version
 * is refused as such by the caller): its calls inside a run would be neither counted nor cached and a replay
 * would send them again, and its results (images, audio, video, jobs) are not JSON the cache keeps.
 */
function refuseUnroutedKind(model: unknown): void {
  const kind = _aiSdkModelKind(model);
  if (kind === undefined || kind === 'language' || kind === 'embedding' || kind === 'reranking') return;
  const version = (model as { specificationVersion?: unknown }).specificationVersion;
  if (typeof version !== 'string' || !VERSIONS.includes(version)) return;
  throw unroutedKindError(
    model,
    kind,
    'wrapAISDKModel routes AI SDK language, embedding and reranking models (generateText, streamText, ' +
      'generateObject, embed, embedMany, rerank)',
    ROUTED_KINDS,
  );
}

/** The refusal of a model of an unrouted `kind`: who routes what, the model found, and what to do instead. */
function unroutedKindError(
  model: unknown,
  kind: AISDKModelKind | undefined,
  routes: string,
  supported: readonly string[],
): UnsupportedModelKindError {
  const m = (model ?? {}) as { specificationVersion?: unknown; provider?: unknown; modelId?: unknown };
  const names = [m.provider, m.modelId].filter((x) => typeof x === 'string').map((x) => JSON.stringify(x));
  const what =
    kind === undefined
      ? 'an object that is no AI SDK model'
      : kind === 'language' || kind === 'embedding' || kind === 'reranking'
        ? `a ${kind} model`
        : UNROUTED[kind];
  return new UnsupportedModelKindError(
    `${routes}; got ${what}${names.length === 0 ? '' : ` ${names.join(' ')}`} of specification ` +
      `${String(m.specificationVersion)}, whose calls evalgate cannot count, cache or replay: call it outside ` +
      `evaluate(), or through ctx.call with the request and a JSON value to cache`,
    kind ?? 'unknown',
    supported,
  );
}

/** A property of a wrapped model other than the routed methods, read with the model's own `this`. */
function ownProperty(target: object, prop: string | symbol): unknown {
  // The model's own `this`: a provider class may keep private fields.
  const value: unknown = Reflect.get(target, prop, target);
  return typeof value === 'function' ? value.bind(target) : value;
}

/** A reranking model: `doRerank`, and none of the other kinds' methods. */
function isRerankingModel(model: unknown): model is AISDKRerankingModel {
  if (model === null || typeof model !== 'object') return false;
  const m = model as { doRerank?: unknown; doEmbed?: unknown; doGenerate?: unknown; doStream?: unknown };
  return (
    typeof m.doRerank === 'function' &&
    m.doEmbed === undefined &&
    m.doGenerate === undefined &&
    m.doStream === undefined
  );
}

/** Reranking exists from specification v3 (`ai` 6) on. */
const RERANKING_VERSIONS: readonly string[] = ['v3', 'v4'];

/** A reranking model whose `doRerank` goes through the run, checked for a specification version first. */
function wrapRerankingModel(model: AISDKRerankingModel): AISDKRerankingModel {
  const version: unknown = model.specificationVersion;
  if (typeof version !== 'string' || !RERANKING_VERSIONS.includes(version))
    throw new TypeError(
      `Expected \`model\` to be an AI SDK reranking model of specification v3 or v4 (ai 6 or 7), got specification \`${String(version)}\` (${typeof version})`,
    );
  return new Proxy(model, {
    get(target, prop) {
      if (prop !== 'doRerank') return ownProperty(target, prop);
      return (params: CallOptions) => {
        const scope = activeScope();
        return scope === undefined
          ? target.doRerank(params as unknown as Parameters<AISDKRerankingModel['doRerank']>[0])
          : rerank(scope, target, params);
      };
    },
  });
}

/** An embedding model: `doEmbed`, and neither `doGenerate` nor `doStream`. */
function isEmbeddingModel(model: unknown): model is AISDKEmbeddingModel {
  if (model === null || typeof model !== 'object') return false;
  const m = model as { doEmbed?: unknown; doGenerate?: unknown; doStream?: unknown };
  return typeof m.doEmbed === 'function' && m.doGenerate === undefined && m.doStream === undefined;
}

/** The routed `doGenerate` / `doStream` of a wrapped language model (`undefined` for any other property). */
function languageMethod(target: AISDKLanguageModel, prop: string | symbol): unknown {
  if (prop === 'doGenerate')
    return (params: CallOptions) =>
      evalgateMiddleware.wrapGenerate({ doGenerate: () => target.doGenerate(params), params, model: target });
  if (prop === 'doStream')
    return (params: CallOptions) =>
      evalgateMiddleware.wrapStream({ doStream: () => target.doStream(params), params, model: target });
  return undefined;
}

/** The routed `doEmbed` of a wrapped embedding model (`undefined` for any other property). */
function embeddingMethod(target: AISDKEmbeddingModel, prop: string | symbol): unknown {
  if (prop !== 'doEmbed') return undefined;
  return (params: CallOptions & { values: readonly unknown[] }) => {
    const scope = activeScope();
    return scope === undefined ? target.doEmbed(params) : embed(scope, target, params);
  };
}
