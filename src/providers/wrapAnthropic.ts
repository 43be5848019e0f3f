import { _routeRequests } from './_routeRequests.js';

/** The part of an `@anthropic-ai/sdk` client that is wrapped (typed structurally: the SDK is optional). */
export interface AnthropicLike {
  readonly messages: { create(body: never, options?: never): unknown };
}

/**
 * Wraps an official `@anthropic-ai/sdk` client so that, inside `evaluate()`, every request it sends —
 * `messages.create`, `messages.stream()`, `messages.parse`, `countTokens`, `withResponse()` / `asResponse()`,
 * beta resources, and any method a later SDK adds — goes through the run's call runtime: cache (one entry per
 * request, keyed by the SHA-256 of its endpoint, method, body and trial; never a header or the API key),
 * replay, single flight, budget, rate limits, timeouts, retries (the SDK's own are off inside a run), pricing
 * and totals — wherever in a pipeline it is called. The router sits in the client's request method, so the
 * SDK's own return types are unchanged. Outside a run the client behaves exactly as the unwrapped one.
 *
 * A message without a `content` list, or with an empty one and no `stop_reason` (or `tool_use`, which promises a
 * block), is a failed attempt (retried, never cached). A message that ended with no content blocks is the model's
 * answer and is kept: `end_turn` when it has nothing to add (after an assistant prefill or a tool result),
 * `max_tokens`, `refusal`, … (the caller reads `stop_reason`). A stream is read whole inside
 * a run and handed to the SDK's stream: retried, cached, replayed, and counted from its `message_start` /
 * `message_delta` usage. A stream that carries an `error` event (`overloaded_error`) or ends without `message_stop`
 * is a failed attempt: retried, never cached.
 *
 * @param client - An `Anthropic` client, used as it is configured.
 * @returns The same client object, routed; wrapping twice is wrapping once.
 * @throws {TypeError} When `client` has no `messages.create`, or no request method evalgate can route.
 * @example
 * ```ts
 * const anthropic = wrapAnthropic(new Anthropic());
 * const model = async (input: unknown) => {
 *   const msg = await anthropic.messages.create({
 *     model: 'claude-sonnet-4-5', max_tokens: 256, messages: [{ role: 'user', content: String(input) }],
 *   });
 *   return msg.content[0]?.type === 'text' ? msg.content[0].text : ''; // content may be [] (stop_reason says why)
 * };
 * await evaluate(dataset, model, [exactMatch()], { cache: sqliteCache('.evalgate/cache.sqlite') });
 * ```
 */
export function wrapAnthropic<C extends AnthropicLike>(client: C): C {
  const messages = (client as { messages?: { create?: unknown } } | null)?.messages;
  if (typeof messages?.create !== 'function')
    throw new TypeError(
      `Expected \`client\` to be an Anthropic client (with messages.create), got ${client === null ? 'null' : typeof client}`,
    );
  return _routeRequests(client, 'anthropic');
}
