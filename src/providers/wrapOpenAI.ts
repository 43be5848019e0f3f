import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { CreateEmbeddingResponse } from 'openai/resources/embeddings';
import type { Response as OpenAIResponse } from 'openai/resources/responses/responses';
import { _describe } from '../_internal/describe.js';
import type { CallOutcome } from '../core/types.js';
import { ProviderResponseError } from '../errors.js';
import { type _CallScope, _scopedCall } from '../scheduler/callScope.js';
import { _asProviderResponseError, providerBodyError } from '../scheduler/providerBodyError.js';
import { _attemptOptions, _chatKind, _wrapMethods } from './_wrapClient.js';

type Body = Record<string, unknown>;

/** Streams are passed through the runtime's limits and counts, but not cached (a stream is not a value). */
function streamed(scope: _CallScope, original: (...a: unknown[]) => unknown, body: Body, options: unknown) {
  return _scopedCall(
    scope,
    { kind: _chatKind(scope), ...(typeof body.model === 'string' ? { model: body.model } : {}) },
    async (signal) => ({
      value: await (original(body, _attemptOptions(options, signal)) as Promise<unknown>),
    }),
  ).then((r) => r.value);
}

/**
 * The error of a 200 whose body cannot be used: the provider's own message when the body is an error object
 * (`{ "error": { "message": … } }`, which the SDK hands back as a completion without choices), else an excerpt.
 */
function noContent(api: string, res: unknown, reason: string): ProviderResponseError {
  const err = providerBodyError(res, { status: 200, reason });
  return new ProviderResponseError(`${api}: ${err.message}`, {
    status: 200,
    ...(err.providerMessage === undefined ? {} : { providerMessage: err.providerMessage }),
    ...(err.bodyExcerpt === undefined ? {} : { bodyExcerpt: err.bodyExcerpt }),
  });
}

/** A chat completion the runtime may hand out: at least one choice with content, a tool call or a refusal. */
function checkChat(res: ChatCompletion): CallOutcome<ChatCompletion> {
  const message = res?.choices?.[0]?.message;
  if (
    message === undefined ||
    (typeof message.content !== 'string' &&
      !message.tool_calls?.length &&
      typeof message.refusal !== 'string')
  )
    throw noContent('chat.completions.create', res, 'no choice with content');
  return {
    value: res,
    ...(res.usage
      ? { usage: { inputTokens: res.usage.prompt_tokens, outputTokens: res.usage.completion_tokens } }
      : {}),
  };
}

function checkResponse(res: OpenAIResponse): CallOutcome<OpenAIResponse> {
  if (!Array.isArray(res?.output) || res.output.length === 0)
    throw noContent('responses.create', res, 'no output');
  return {
    value: res,
    ...(res.usage
      ? { usage: { inputTokens: res.usage.input_tokens, outputTokens: res.usage.output_tokens } }
      : {}),
  };
}

function checkEmbeddings(res: CreateEmbeddingResponse, body: Body): CallOutcome<CreateEmbeddingResponse> {
  const want = Array.isArray(body.input) ? body.input.length : 1;
  if (!Array.isArray(res?.data) || res.data.length !== want)
    throw new ProviderResponseError(
      `embeddings.create: expected ${want} embeddings, got ${Array.isArray(res?.data) ? res.data.length : 'none'}`,
      { status: 200 },
    );
  return {
    value: res,
    ...(res.usage ? { usage: { inputTokens: res.usage.prompt_tokens, outputTokens: 0 } } : {}),
  };
}

/**
 * The HTTP status of an SDK call, once its headers arrived: the SDK's `APIPromise.asResponse()` resolves with the
 * raw `Response` before the body is read, so a 200 whose body is then cut off or not JSON still has its status.
 */
function statusOf(pending: Promise<unknown>): Promise<number | undefined> {
  const asResponse = (pending as { asResponse?: () => Promise<{ status?: unknown }> }).asResponse;
  if (typeof asResponse !== 'function') return Promise.resolve(undefined);
  return asResponse.call(pending).then(
    (r) => (typeof r?.status === 'number' ? r.status : undefined),
    () => undefined,
  );
}

/** A body that failed to arrive or parse as a {@link ProviderResponseError} carrying the response's status. */
function withStatus(err: unknown, status: number | undefined, exampleId: string): unknown {
  const converted = status === undefined ? undefined : _asProviderResponseError(err, exampleId);
  if (converted === undefined) return err;
  return new ProviderResponseError(
    converted.message.replace(/^Provider response/, `Provider response (HTTP ${status})`),
    {
      status: status!,
      cause: err,
      exampleId,
    },
  );
}

/**
 * One cacheable endpoint: `api` namespaces the cache key (the body alone names the request within an API).
 */
function endpoint<R>(
  api: string | undefined,
  kind: 'chat' | 'embedding',
  check: (res: R, body: Body) => CallOutcome<R>,
) {
  return (original: (...a: unknown[]) => unknown, scope: _CallScope, args: unknown[]) => {
    const [body, options] = args as [Body, unknown];
    if (body === null || typeof body !== 'object') return original(...args);
    if (body.stream === true) return streamed(scope, original, body, options);
    return _scopedCall<R>(
      scope,
      {
        kind: kind === 'embedding' ? 'embedding' : _chatKind(scope),
        request: body,
        ...(api === undefined ? {} : { api }),
        ...(typeof body.model === 'string' ? { model: body.model } : {}),
      },
      async (signal) => {
        const pending = original(body, _attemptOptions(options, signal)) as Promise<R>;
        const status = statusOf(pending);
        let res: R;
        try {
          res = await pending;
        } catch (err) {
          throw withStatus(err, await status, scope.exampleId);
        }
        return check(res, body);
      },
    ).then((r) => r.value);
  };
}

/**
 * What {@link wrapOpenAI} needs of a client: typed structurally, so that a client of `openai` 6 or 7 (or an
 * `AzureOpenAI`, or a client from a second copy of the package) is accepted without a `#private` mismatch
 * between copies. The methods it wraps (`chat.completions.create`, `responses.create`, `embeddings.create`) are
 * replaced where the client has them.
 */
export interface OpenAIClientLike {
  readonly chat: object;
}

/**
 * Wraps an official `openai` client so that, inside `evaluate()`, every `chat.completions.create`,
 * `responses.create` and `embeddings.create` it makes — however deep in a pipeline — goes through the run's call
 * runtime: the response cache (each call its own entry, keyed by the SHA-256 of its body and the trial),
 * replay, single flight, budget, RPM/TPM limits, the adaptive concurrency gate, per-attempt timeouts, retries
 * (the SDK's own are off for these calls), pricing and the run's totals. The run and row are found through
 * `AsyncLocalStorage`, so nothing has to be passed down. Outside a run the client behaves exactly as the
 * unwrapped one, SDK retries included.
 *
 * Inside a run a wrapped method returns a plain promise of the parsed response (no `.withResponse()`); a
 * response without content (`{ "choices": [] }`, or a 200 carrying `{ "error": { "message" } }`) is a failed
 * attempt, retried and never cached; its `ProviderResponseError` keeps the status and the provider's message. Streamed calls
 * (`stream: true`) are limited, retried and counted but not cached, so replay mode refuses them.
 *
 * @param client - An `OpenAI` client (or an `AzureOpenAI`), used as it is configured.
 * @returns The same client, wrapped; wrapping twice is wrapping once.
 * @example
 * ```ts
 * const openai = wrapOpenAI(new OpenAI());
 * async function rag(question: string) {
 *   const docs = await openai.embeddings.create({ model: 'text-embedding-3-small', input: question });
 *   const answer = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [...] });
 *   return answer.choices[0].message.content ?? '';
 * }
 * const result = await evaluate(dataset, (input) => rag(String(input)), [exactMatch()], { cache });
 * result.totals.requests; // => 2 per example on the first run, 0 on a rerun
 * ```
 */
export function wrapOpenAI<C extends OpenAIClientLike>(client: C): C {
  if (
    client === null ||
    typeof client !== 'object' ||
    typeof (client as { chat?: unknown }).chat !== 'object'
  )
    throw new TypeError(
      `Expected \`client\` to be an OpenAI client (openai ^6.0.0 || ^7.0.0, with \`chat.completions\`), got ${_describe(client)}`,
    );
  return _wrapMethods(client, {
    'chat.completions.create': endpoint<ChatCompletion>(undefined, 'chat', checkChat),
    'responses.create': endpoint<OpenAIResponse>('openai.responses', 'chat', checkResponse),
    'embeddings.create': endpoint<CreateEmbeddingResponse>('openai.embeddings', 'embedding', checkEmbeddings),
  });
}
