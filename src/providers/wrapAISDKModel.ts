import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3GenerateResult,
  LanguageModelV3Middleware,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
} from '@ai-sdk/provider';
import { wrapLanguageModel } from 'ai';
import type { CallOutcome, Usage } from '../core/types.js';
import { ProviderCallError, ProviderResponseError } from '../errors.js';
import { _activeScope, type _CallScope, _scopedCall } from '../scheduler/callScope.js';
import { _anySignal, _chatKind } from './_wrapClient.js';

/** What is cached of a streamed call: its parts, dates as ISO strings. */
interface RecordedStream {
  readonly parts: readonly LanguageModelV3StreamPart[];
}

/** The call options that determine the response: everything but the signal and the headers (keys live there). */
function requestOf(model: LanguageModelV3, params: LanguageModelV3CallOptions, mode: 'generate' | 'stream') {
  const { abortSignal: _signal, headers: _headers, ...rest } = params;
  return { provider: model.provider, modelId: model.modelId, mode, params: rest };
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

/** A generate result as JSON (the raw response body and headers are not kept; the timestamp becomes a string). */
function storable(r: LanguageModelV3GenerateResult): LanguageModelV3GenerateResult {
  const { request: _request, response, ...rest } = r;
  if (response === undefined) return rest;
  const { body: _body, headers: _headers, timestamp, ...meta } = response;
  return {
    ...rest,
    response: {
      ...meta,
      ...(timestamp instanceof Date ? { timestamp: timestamp.toISOString() as unknown as Date } : {}),
    },
  };
}

function revive<T extends { response?: { timestamp?: Date } }>(r: T): T {
  const ts = r.response?.timestamp as unknown;
  return typeof ts === 'string' ? { ...r, response: { ...r.response, timestamp: new Date(ts) } } : r;
}

function revivePart(part: LanguageModelV3StreamPart): LanguageModelV3StreamPart {
  if (part.type === 'response-metadata' && typeof (part.timestamp as unknown) === 'string')
    return { ...part, timestamp: new Date(part.timestamp as unknown as string) };
  return part;
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

async function generate(
  scope: _CallScope,
  model: LanguageModelV3,
  params: LanguageModelV3CallOptions,
): Promise<LanguageModelV3GenerateResult> {
  const r = await _scopedCall<LanguageModelV3GenerateResult>(
    scope,
    {
      kind: _chatKind(scope),
      request: requestOf(model, params, 'generate'),
      api: 'ai-sdk',
      model: model.modelId,
    },
    async (signal): Promise<CallOutcome<LanguageModelV3GenerateResult>> => {
      const res = await model.doGenerate({ ...params, abortSignal: _anySignal(signal, params.abortSignal) });
      if (!Array.isArray(res.content) || res.content.length === 0)
        throw new ProviderResponseError(`${model.provider}: the response has no content`, { status: 200 });
      const usage = usageOf(res.usage);
      return { value: storable(res), ...(usage === undefined ? {} : { usage }) };
    },
  ).catch(final);
  return revive(r.value);
}

async function stream(
  scope: _CallScope,
  model: LanguageModelV3,
  params: LanguageModelV3CallOptions,
): Promise<LanguageModelV3StreamResult> {
  const r = await _scopedCall<RecordedStream>(
    scope,
    {
      kind: _chatKind(scope),
      request: requestOf(model, params, 'stream'),
      api: 'ai-sdk',
      model: model.modelId,
    },
    async (signal): Promise<CallOutcome<RecordedStream>> => {
      const res = await model.doStream({ ...params, abortSignal: _anySignal(signal, params.abortSignal) });
      const parts: LanguageModelV3StreamPart[] = [];
      let usage: Usage | undefined;
      const reader = res.stream.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (value.type === 'error') throw value.error;
        if (value.type === 'raw') continue;
        if (value.type === 'finish') usage = usageOf(value.usage);
        parts.push(
          value.type === 'response-metadata' && value.timestamp instanceof Date
            ? { ...value, timestamp: value.timestamp.toISOString() as unknown as Date }
            : value,
        );
      }
      if (!parts.some((p) => p.type === 'finish'))
        throw new ProviderResponseError(`${model.provider}: the stream ended without a finish part`, {
          status: 200,
        });
      return { value: { parts }, ...(usage === undefined ? {} : { usage }) };
    },
  ).catch(final);
  const parts = r.value.parts;
  return {
    stream: new ReadableStream<LanguageModelV3StreamPart>({
      start(controller) {
        for (const p of parts) controller.enqueue(revivePart(p));
        controller.close();
      },
    }),
  };
}

/**
 * The language-model middleware behind {@link wrapAISDKModel}: inside `evaluate()`, `doGenerate` and
 * `doStream` go through the run's call runtime; outside a run they are passed through untouched.
 */
export const evalgateMiddleware: LanguageModelV3Middleware = {
  specificationVersion: 'v3',
  wrapGenerate({ doGenerate, params, model }) {
    const scope = _activeScope();
    return scope === undefined ? doGenerate() : generate(scope, model, params);
  },
  wrapStream({ doStream, params, model }) {
    const scope = _activeScope();
    return scope === undefined ? doStream() : stream(scope, model, params);
  },
};

/**
 * Wraps an AI SDK language model (`openai('gpt-4o-mini')`, `anthropic(...)`, any provider) so that, inside
 * `evaluate()`, each of its calls — `generateText`, `generateObject`, `streamText`, tool loops — goes through the
 * run's call runtime: the cache (one entry per call, keyed by the SHA-256 of the provider, model id and call
 * options, and the trial), replay, single flight, budget, rate limits, timeouts, retries, pricing and totals.
 * A streamed call is recorded and cached as its final sequence of parts; on a cache hit the stream replays
 * those parts. Outside a run the model behaves exactly as the unwrapped one.
 *
 * Inside a run evalgate retries transient failures itself; when it gives up, the error it throws is not an
 * `APICallError`, so the AI SDK's own retry loop does not multiply the attempts.
 *
 * @param model - An AI SDK language model (specification v3).
 * @returns The wrapped model (`wrapLanguageModel` with {@link evalgateMiddleware}).
 * @example
 * ```ts
 * import { generateText } from 'ai';
 * import { createOpenAI } from '@ai-sdk/openai';
 * import { wrapAISDKModel } from 'evalgate/ai-sdk';
 *
 * const model = wrapAISDKModel(createOpenAI()('gpt-4o-mini'));
 * const result = await evaluate(dataset, async (input) => (await generateText({ model, prompt: String(input) })).text,
 *   [exactMatch()], { cache: sqliteCache('.evalgate/cache.sqlite') });
 * result.totals.requests; // => one per example; 0 on a rerun
 * ```
 */
export function wrapAISDKModel(model: LanguageModelV3): LanguageModelV3 {
  if (model === null || typeof model !== 'object' || typeof model.doGenerate !== 'function')
    throw new TypeError(
      `Expected \`model\` to be an AI SDK language model, got ${model === null ? 'null' : typeof model}`,
    );
  return wrapLanguageModel({ model, middleware: evalgateMiddleware });
}
