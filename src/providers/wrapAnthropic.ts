import { ProviderResponseError } from '../errors.js';
import { type _CallScope, _scopedCall } from '../scheduler/callScope.js';
import { _attemptOptions, _chatKind, _wrapMethods } from './_wrapClient.js';

/** The part of an `@anthropic-ai/sdk` client that is wrapped (typed structurally: the SDK is optional). */
export interface AnthropicLike {
  readonly messages: { create(body: never, options?: never): unknown };
}

/** The fields of a Messages API response that evalgate reads. */
interface AnthropicMessage {
  readonly content?: readonly { readonly type: string }[];
  readonly usage?: { readonly input_tokens: number; readonly output_tokens: number };
}

function create(original: (...a: unknown[]) => unknown, scope: _CallScope, args: unknown[]) {
  const [body, options] = args as [Record<string, unknown>, unknown];
  if (body === null || typeof body !== 'object') return original(...args);
  const model = typeof body.model === 'string' ? { model: body.model } : {};
  const kind = _chatKind(scope);
  if (body.stream === true)
    return _scopedCall(scope, { kind, ...model }, async (signal) => ({
      value: await (original(body, _attemptOptions(options, signal)) as Promise<unknown>),
    })).then((r) => r.value);
  return _scopedCall<AnthropicMessage>(
    scope,
    { kind, request: body, api: 'anthropic.messages', ...model },
    async (signal) => {
      const res = (await original(body, _attemptOptions(options, signal))) as AnthropicMessage;
      if (!Array.isArray(res?.content) || res.content.length === 0)
        throw new ProviderResponseError('messages.create: the response has no content', {
          status: 200,
          bodyExcerpt: String(JSON.stringify(res)).slice(0, 200),
        });
      return {
        value: res,
        ...(res.usage
          ? { usage: { inputTokens: res.usage.input_tokens, outputTokens: res.usage.output_tokens } }
          : {}),
      };
    },
  ).then((r) => r.value);
}

/**
 * Wraps an official `@anthropic-ai/sdk` client so that, inside `evaluate()`, every `messages.create` it makes
 * goes through the run's call runtime — cache (one entry per call, keyed by the SHA-256 of its body and the
 * trial), replay, single flight, budget, rate limits, timeouts, retries (the SDK's own are off for these calls),
 * pricing and totals — wherever in a pipeline it is called. Outside a run the client behaves exactly as the
 * unwrapped one.
 *
 * Inside a run `messages.create` returns a plain promise of the message; a message without content blocks is
 * a failed attempt (retried, never cached). Streams (`stream: true`, `messages.stream()`) pass through the
 * limits and counts but are not cached, so replay mode refuses `stream: true` calls.
 *
 * @param client - An `Anthropic` client, used as it is configured.
 * @returns The same client, wrapped; wrapping twice is wrapping once.
 * @throws {TypeError} When `client` has no `messages.create`.
 * @example
 * ```ts
 * const anthropic = wrapAnthropic(new Anthropic());
 * const model = async (input: unknown) => {
 *   const msg = await anthropic.messages.create({
 *     model: 'claude-sonnet-4-5', max_tokens: 256, messages: [{ role: 'user', content: String(input) }],
 *   });
 *   return msg.content[0].type === 'text' ? msg.content[0].text : '';
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
  return _wrapMethods(client, { 'messages.create': create });
}
