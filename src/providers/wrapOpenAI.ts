import { _routeRequests } from './_routeRequests.js';
import { _describeClient } from './_wrapClient.js';

/**
 * What {@link wrapOpenAI} needs of a client: typed structurally, so that a client of `openai` 6 or 7 (or an
 * `AzureOpenAI`, or a client from a second copy of the package) is accepted without a `#private` mismatch
 * between copies. Its requests are routed at the client's request method, where every SDK method sends.
 */
export interface OpenAIClientLike {
  readonly chat: object;
}

/**
 * Wraps an official `openai` client so that, inside `evaluate()`, every request it sends — however deep in a
 * pipeline, from whichever method: `create`, `parse`, the `stream` helpers, `withResponse()` / `asResponse()`,
 * responses, embeddings, and any method a later SDK adds — goes through the run's call runtime: the response
 * cache (each request its own entry, keyed by the SHA-256 of its endpoint, method, body and trial; never a
 * header or the API key), replay, single flight, budget, RPM/TPM limits, the adaptive concurrency gate,
 * per-attempt timeouts, retries (the SDK's own are off inside a run), pricing and the run's totals. The router
 * sits in the client's request method, where every SDK method sends; the SDK still builds and parses
 * everything, so return types (`APIPromise`, `Stream`, parsed helpers) are unchanged. The run and row are found
 * through `AsyncLocalStorage`. Outside a run the client behaves exactly as the unwrapped one, SDK retries included.
 *
 * A response without content (`{ "choices": [] }`, a message with nothing in it that ended with `stop`, a
 * Responses body without `output`, or a 200 carrying `{ "error": { "message" } }`) is a failed attempt, retried and
 * never cached; its `ProviderResponseError` keeps the status and the provider's message. An answer the API
 * documents is kept, text or not: audio output (`content: null`, `message.audio`), a completion its content filter
 * or its token budget emptied (`finish_reason` `content_filter` / `length`), a Responses `incomplete` with
 * `output: []`; the caller gets the SDK's object, and reads `finish_reason` / `incomplete_details` from it.
 * A streamed response is read whole inside a run, then handed to the SDK's stream: it is retried, cached,
 * replayed and counted from its own usage (a chat stream is asked for `stream_options.include_usage` and the
 * extra chunk is hidden from the caller); a stream that reports no usage is estimated and marked `estimated`.
 * A stream that carries an error event, or ends before its last event (`finish_reason` / `[DONE]`,
 * `response.completed`), is a failed attempt: retried, never cached.
 * A call made after `evaluate()` returned is refused with a `RunClosedError`, before anything is sent.
 *
 * @param client - An `OpenAI` client (or an `AzureOpenAI`), used as it is configured.
 * @returns The same client object, routed (its request method is replaced by one that, outside a run, is the
 *   SDK's own); wrapping twice is wrapping once.
 * @throws {TypeError} When `client` is not an official openai (^6 || ^7) client with a request method to route.
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
      `Expected \`client\` to be an OpenAI client (openai ^6.0.0 || ^7.0.0, with \`chat.completions\`), got ${_describeClient(client)}`,
    );
  return _routeRequests(client, 'openai');
}
