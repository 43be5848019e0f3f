// The chat-completions request as openaiModel() accepts it, restated structurally: the published declarations must
// not name the `openai` package's types, which a project that never installed that optional peer cannot resolve
// (with `skipLibCheck: false` its build fails on evalgate's .d.ts). openaiModel.ts checks, against the installed
// SDK, that these have the SDK's keys and accept every value the SDK's own types accept.

/** A JSON object, as a tool's `parameters` or a JSON schema take it. */
type JsonObject = { readonly [key: string]: unknown };

/** A chat message as chat completions take it (the openai SDK's `ChatCompletionMessageParam`, structurally). */
export interface OpenAIChatMessage {
  readonly role: 'developer' | 'system' | 'user' | 'assistant' | 'tool' | 'function';
  /** A string, or content parts (`{ type: 'text', text }`, `{ type: 'image_url', image_url }`, …). */
  readonly content?: string | readonly object[] | null;
  readonly name?: string;
  readonly refusal?: string | null;
  readonly tool_calls?: readonly object[];
  readonly tool_call_id?: string;
  readonly function_call?: object | null;
  readonly audio?: object | null;
}

/** A tool the model may call (the SDK's `ChatCompletionTool`). */
export type OpenAIChatTool =
  | {
      readonly type: 'function';
      readonly function: {
        readonly name: string;
        readonly description?: string;
        readonly parameters?: JsonObject;
        readonly strict?: boolean | null;
      };
    }
  | {
      readonly type: 'custom';
      readonly custom: { readonly name: string; readonly description?: string; readonly format?: object };
    };

/**
 * Sampling and request parameters passed through to `chat.completions.create` unchanged: the keys of the openai
 * SDK's `ChatCompletionCreateParamsNonStreaming` besides `model`, `messages` and `stream`, with the same value
 * types (enumerations also take a string the SDK does not list yet). See the API reference for each one.
 */
export interface OpenAIChatParams {
  readonly audio?: { readonly format: string; readonly voice: string | { readonly id: string } } | null;
  readonly frequency_penalty?: number | null;
  readonly function_call?: 'none' | 'auto' | { readonly name: string };
  readonly functions?: readonly {
    readonly name: string;
    readonly description?: string;
    readonly parameters?: JsonObject;
  }[];
  readonly logit_bias?: { readonly [token: string]: number } | null;
  readonly logprobs?: boolean | null;
  readonly max_completion_tokens?: number | null;
  readonly max_tokens?: number | null;
  readonly metadata?: { readonly [key: string]: string } | null;
  readonly modalities?: readonly ('text' | 'audio')[] | null;
  readonly moderation?: { readonly model: string; readonly policy?: object | null } | null;
  readonly n?: number | null;
  readonly parallel_tool_calls?: boolean;
  readonly prediction?: {
    readonly type: 'content';
    readonly content: string | readonly { readonly type: 'text'; readonly text: string }[];
  } | null;
  readonly presence_penalty?: number | null;
  readonly prompt_cache_key?: string | null;
  readonly prompt_cache_options?: { readonly mode?: 'implicit' | 'explicit'; readonly ttl?: string };
  readonly prompt_cache_retention?: 'in_memory' | '24h' | (string & {}) | null;
  readonly reasoning_effort?:
    | 'none'
    | 'minimal'
    | 'low'
    | 'medium'
    | 'high'
    | 'xhigh'
    | 'max'
    | (string & {})
    | null;
  readonly response_format?:
    | { readonly type: 'text' }
    | { readonly type: 'json_object' }
    | {
        readonly type: 'json_schema';
        readonly json_schema: {
          readonly name: string;
          readonly description?: string;
          readonly schema?: JsonObject;
          readonly strict?: boolean | null;
        };
      };
  readonly safety_identifier?: string | null;
  readonly seed?: number | null;
  readonly service_tier?: 'auto' | 'default' | 'flex' | 'scale' | 'priority' | (string & {}) | null;
  readonly stop?: string | readonly string[] | null;
  readonly store?: boolean | null;
  readonly stream_options?: {
    readonly include_obfuscation?: boolean;
    readonly include_usage?: boolean;
  } | null;
  readonly temperature?: number | null;
  readonly tool_choice?:
    | 'none'
    | 'auto'
    | 'required'
    | { readonly type: 'function'; readonly function: { readonly name: string } }
    | { readonly type: 'custom'; readonly custom: { readonly name: string } }
    | {
        readonly type: 'allowed_tools';
        readonly allowed_tools: { readonly mode: 'auto' | 'required'; readonly tools: readonly JsonObject[] };
      };
  readonly tools?: readonly OpenAIChatTool[];
  readonly top_logprobs?: number | null;
  readonly top_p?: number | null;
  readonly user?: string;
  readonly verbosity?: 'low' | 'medium' | 'high' | null;
  readonly web_search_options?: {
    readonly search_context_size?: 'low' | 'medium' | 'high';
    readonly user_location?: {
      readonly type: 'approximate';
      readonly approximate: {
        readonly city?: string;
        readonly country?: string;
        readonly region?: string;
        readonly timezone?: string;
      };
    } | null;
  };
}
