import type OpenAI from 'openai';
import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import { _checkOptions } from '../_internal/validate.js';
import { activeScope, hasScopeSignal } from '../calls/callScope.js';
import type { Example, Model, ModelContext, ModelOutput } from '../core/types.js';
import { ModelOutputError } from '../errors.js';
import { _chatMessages, _checkPromptOptions } from './_chatMessages.js';
import { lazyOpenAI } from './lazyOpenAI.js';
import type { OpenAIChatMessage, OpenAIChatParams } from './openaiChatParams.js';
import type { OpenAIClientLike } from './wrapOpenAI.js';

export type { OpenAIChatMessage, OpenAIChatParams, OpenAIChatTool } from './openaiChatParams.js';

// The published types restate the SDK's request (openaiChatParams.ts) so that they name no `openai` type; these
// fail to compile when the installed SDK's keys differ from them, or when a value its own types accept is refused.
type SdkChatParams = Omit<ChatCompletionCreateParamsNonStreaming, 'model' | 'messages' | 'stream'>;
type _IsTrue<T extends true> = T;
type _SdkRestated = [
  _IsTrue<[keyof SdkChatParams] extends [keyof OpenAIChatParams] ? true : false>,
  _IsTrue<[keyof OpenAIChatParams] extends [keyof SdkChatParams] ? true : false>,
  _IsTrue<[SdkChatParams] extends [OpenAIChatParams] ? true : false>,
  _IsTrue<[ChatCompletionMessageParam] extends [OpenAIChatMessage] ? true : false>,
];

/** Options of {@link openaiModel}: the model name, how to build the prompt, and any chat parameters. */
export type OpenAIModelOptions = OpenAIChatParams & {
  /** Model name sent to the endpoint, e.g. `'gpt-4o-mini'`. */
  readonly model: string;
  /**
   * An `OpenAI` client. Inside a run its retries are evalgate's (each attempt is counted once).
   * @default `new OpenAI()`, which reads `OPENAI_API_KEY` and `OPENAI_BASE_URL` as the SDK defines them.
   */
  readonly client?: OpenAIClientLike;
  /**
   * Builds the prompt from an example: a string (sent as one user message) or a full message list.
   * @default the input itself when it is a string or `{ messages }`, else its JSON as one user message.
   */
  readonly prompt?: (example: Example) => string | readonly OpenAIChatMessage[];
  /** A system message placed before a string prompt. */
  readonly system?: string;
};

const OWN_KEYS = new Set(['model', 'client', 'prompt', 'system']);

// Every chat-completions parameter of the installed SDK (a new one fails to compile until it is listed), so a
// misspelled `temprature` is refused instead of being sent (and ignored by many compatible servers).
const OPENAI_MODEL_KEYS = Object.keys({
  client: true,
  prompt: true,
  system: true,
  model: true,
  audio: true,
  frequency_penalty: true,
  function_call: true,
  functions: true,
  logit_bias: true,
  logprobs: true,
  max_completion_tokens: true,
  max_tokens: true,
  metadata: true,
  modalities: true,
  moderation: true,
  n: true,
  parallel_tool_calls: true,
  prediction: true,
  presence_penalty: true,
  prompt_cache_key: true,
  prompt_cache_options: true,
  prompt_cache_retention: true,
  reasoning_effort: true,
  response_format: true,
  safety_identifier: true,
  seed: true,
  service_tier: true,
  stop: true,
  store: true,
  stream_options: true,
  temperature: true,
  tool_choice: true,
  tools: true,
  top_logprobs: true,
  top_p: true,
  user: true,
  verbosity: true,
  web_search_options: true,
} satisfies Record<keyof OpenAIModelOptions, true>);

/**
 * The text of a completion: content, else the transcript of its audio output (`modalities: ['text', 'audio']`
 * answers with `content: null`), else the first tool call's arguments (or a legacy `function_call`'s), else the
 * refusal, else `''`: a message the content filter or the token budget left empty is the answer "nothing",
 * which the metrics score.
 */
function completionText(message: OpenAI.Chat.Completions.ChatCompletionMessage | undefined): string {
  if (!message) return '';
  if (typeof message.content === 'string') return message.content;
  if (typeof message.audio?.transcript === 'string') return message.audio.transcript;
  const call = message.tool_calls?.[0];
  if (call && call.type === 'function') return call.function.arguments;
  if (typeof message.function_call?.arguments === 'string') return message.function_call.arguments;
  return message.refusal ?? '';
}

/**
 * A {@link Model} backed by the official `openai` SDK's chat completions, for OpenAI or any
 * OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp, evalgate's own mock server).
 *
 * The client is wrapped ({@link wrapOpenAI}): inside `evaluate()` every request goes through the run's call
 * runtime, so it is cached (key: the whole request body plus the trial index), rate limited, retried and timed
 * out there, with the SDK's own retries off. The output is the message content (for a forced tool call: its JSON arguments;
 * for audio output: its transcript); usage tokens are recorded. A completion the content filter or the token budget
 * left empty (`finish_reason` `content_filter` / `length`, `content: null`) is an answer, not a failure: its output
 * is `''`, scored by the metrics like any other, sent once and cached.
 *
 * @param options - {@link OpenAIModelOptions}; every key besides `model`, `client`, `prompt` and `system` is
 *   sent as a chat-completions parameter (`temperature`, `max_tokens`, `seed`, `response_format`, `tools`, …).
 * @returns A model function to pass to `evaluate()`.
 * @throws {TypeError} When `model` is not a non-empty string or `prompt` is not a function.
 * @example
 * ```ts
 * const model = openaiModel({ model: 'gpt-4o-mini', temperature: 0, prompt: (ex) => `Q: ${ex.input}\nA:` });
 * const result = await evaluate([{ input: 'What is 2 + 2?', reference: '4' }], model, [exactMatch()]);
 * result.examples[0]?.output; // => '4'
 * result.examples[0]?.usage; // => { inputTokens: 14, outputTokens: 1 }
 * ```
 */
export function openaiModel(options: OpenAIModelOptions): Model & { readonly modelName: string } {
  _checkOptions('openaiModel', options, OPENAI_MODEL_KEYS);
  _checkPromptOptions(options);
  const client = lazyOpenAI(options.client);
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) if (!OWN_KEYS.has(k) && v !== undefined) params[k] = v;

  const model = async (_input: unknown, ctx: ModelContext): Promise<ModelOutput> => {
    let messages: readonly OpenAIChatMessage[];
    try {
      messages = _chatMessages(ctx.example, options);
    } catch (err) {
      throw new ModelOutputError(`openaiModel: ${(err as Error).message}`);
    }
    // Copied, then set (a literal spreading `params` before its own properties takes a slow path in Node 20's V8, per row).
    const body = Object.assign({}, params) as unknown as ChatCompletionCreateParamsNonStreaming;
    body.model = options.model;
    body.messages = messages as unknown as ChatCompletionMessageParam[];
    // Through the wrapped client: inside evaluate() this is one call through the run's call runtime, which
    // already holds the row's signal (every attempt it sends is aborted with it). Handing the SDK the same signal
    // again would only make it listen to it while it parses, for each call, a cache hit included (a listener
    // on an AbortSignal costs more than the rest of a hit's parse); outside a run the SDK gets `ctx.signal`.
    const scope = activeScope();
    const own = scope !== undefined && (hasScopeSignal(ctx, scope) || scope.signal === ctx.signal);
    const res = await client().chat.completions.create(body, own ? undefined : { signal: ctx.signal });
    return {
      output: completionText(res.choices[0]?.message),
      ...(res.usage
        ? { usage: { inputTokens: res.usage.prompt_tokens, outputTokens: res.usage.completion_tokens } }
        : {}),
    };
  };
  // The model's name, so evaluate() can record it and flag a judge that judges its own model.
  return Object.assign(model, { modelName: options.model });
}
