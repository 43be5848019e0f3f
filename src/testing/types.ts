/**
 * Public types of the mock server: its options, what an answer function receives and may return, the faults it
 * can inject, and the counters and request log it keeps.
 * @module
 */
import type { IncomingHttpHeaders } from 'node:http';

/**
 * Which API a model request came in through (each answers in that API's wire format):
 * - `'chat'`: OpenAI Chat Completions, `POST /v1/chat/completions`.
 * - `'responses'`: OpenAI Responses, `POST /v1/responses`.
 * - `'messages'`: Anthropic Messages, `POST /v1/messages`.
 * - `'embeddings'`: OpenAI Embeddings, `POST /v1/embeddings`.
 *
 * @example
 * ```ts
 * const respond = (req: MockRequest) => (req.api === 'messages' ? 'from Claude' : 'from GPT');
 * ```
 */
export type MockApi = 'chat' | 'responses' | 'messages' | 'embeddings';

/**
 * What the mock can do instead of answering normally.
 * - `'429'`: rate-limit response with `retry-after`, `retry-after-ms` and `x-ratelimit-*` headers
 *   (`anthropic-ratelimit-*` on `/v1/messages`).
 * - `'500'`: server error with the route's error body (the status can be any 5xx via the object form, e.g. 529,
 *   Anthropic's "overloaded").
 * - `'hang'`: never answers; the request stays open until the client aborts or the server closes.
 * - `'malformed'`: status 200 with a body that is not valid JSON (or an SSE event that is not, when streaming).
 * - `'disconnect'`: the socket is destroyed without a response (the SDK reports a connection error).
 *
 * @example
 * ```ts
 * const fault: MockFault = { type: '429', retryAfterMs: 20 };
 * ```
 */
export type MockFaultType = '429' | '500' | 'hang' | 'malformed' | 'disconnect';

/**
 * A fault to inject: a type, or an object with a type and its parameters.
 *
 * @example
 * ```ts
 * const faults = (_req: MockRequest, index: number): MockFault | undefined => (index === 0 ? '500' : undefined);
 * ```
 */
export type MockFault =
  | MockFaultType
  | {
      readonly type: MockFaultType;
      /** For `'429'`: the advertised wait. @default the server's `faults.retryAfterMs` (100) */
      readonly retryAfterMs?: number;
      /** For `'500'`: the status to send, any integer in [500, 599]. @default 500 */
      readonly status?: number;
      /** For `'429'` and `'500'`: the error message. @default a provider-like message */
      readonly message?: string;
    };

/**
 * Rate-based, seeded fault injection. Each rate is a probability in [0, 1]; their sum must be <= 1.
 *
 * How a request is decided (deterministic): a uniform number `u` is derived from SHA-256 of the seed and a key,
 * and the fault whose cumulative rate interval contains `u` is injected (order: 429, 500, hang, malformed,
 * disconnect). The key depends on `keyBy`:
 * - `'index'` (default): the request's arrival index among model requests (every API). A fixed
 *   sequence of requests sees a fixed sequence of faults, whatever their bodies.
 * - `'body'`: the canonical JSON of the request body plus the attempt number (how many times that exact body
 *   was seen before). Independent of arrival order, so concurrent runs fault the same requests; a retried
 *   request draws again and so eventually succeeds.
 *
 * With `faultOnce: true`, only the first attempt of each distinct body can fault (decided as with
 * `keyBy: 'body'`): "30% of requests get a 429, and every retry succeeds".
 *
 * @example
 * ```ts
 * const faults: MockFaultRates = { rate429: 0.3, seed: 7, faultOnce: true };
 * ```
 */
export interface MockFaultRates {
  /** Probability of a 429 response. Range: [0, 1]. @default 0 */
  readonly rate429?: number;
  /** Probability of a 500 response. Range: [0, 1]. @default 0 */
  readonly rate500?: number;
  /** Probability of a request that never answers. Range: [0, 1]. @default 0 */
  readonly rateHang?: number;
  /** Probability of a 200 response with invalid JSON. Range: [0, 1]. @default 0 */
  readonly rateMalformed?: number;
  /** Probability of a dropped connection. Range: [0, 1]. @default 0 */
  readonly rateDisconnect?: number;
  /** Seed of the fault sequence. @default 0 */
  readonly seed?: number | string;
  /** What the random draw is keyed by (see above). @default 'index' */
  readonly keyBy?: 'index' | 'body';
  /** Only a body's first attempt can fault; retries of the same body always succeed. @default false */
  readonly faultOnce?: boolean;
  /** `retry-after-ms` advertised by injected 429s (`retry-after` is the same in seconds). Minimum: `0`. @default 100 */
  readonly retryAfterMs?: number;
  /**
   * Decides a fault per request; when it returns a fault that fault wins, when it returns `undefined` the rates
   * above decide. `index` is the request's arrival index among model requests.
   * @default undefined
   */
  readonly decide?: (request: MockRequest, index: number) => MockFault | undefined;
}

/**
 * A token with its log-probability, as an answer function may supply it.
 *
 * @example
 * ```ts
 * const alt: MockTopLogprob = { token: 'No', logprob: Math.log(0.1) };
 * ```
 */
export interface MockTopLogprob {
  readonly token: string;
  readonly logprob: number;
}

/**
 * One output token with its log-probability and alternatives (`topLogprobs` is cut to the request's
 * `top_logprobs`).
 *
 * @example
 * ```ts
 * const lp: MockTokenLogprob = { token: 'Yes', logprob: -0.1, topLogprobs: [{ token: 'Yes', logprob: -0.1 }, { token: 'No', logprob: -2.4 }] };
 * ```
 */
export interface MockTokenLogprob extends MockTopLogprob {
  readonly topLogprobs?: readonly MockTopLogprob[];
}

/**
 * A tool call the mock answers with. `arguments` may be a JSON string or a value to serialize.
 *
 * @example
 * ```ts
 * const call: MockToolCall = { name: 'get_weather', arguments: { city: 'Paris' } };
 * ```
 */
export interface MockToolCall {
  readonly name: string;
  readonly arguments: string | Record<string, unknown>;
  /** @default `call_mock_<request index>_<choice>_<position>` */
  readonly id?: string;
}

/**
 * A full answer to a chat request (an answer function may also return a plain string, the content).
 *
 * @example
 * ```ts
 * const reply: MockReply = { content: 'Paris', usage: { completionTokens: 1 } };
 * const refuse: MockReply = { fault: '500' };
 * ```
 */
export interface MockReply {
  /** The assistant message content. @default '' (or `null` when `toolCalls` are given) */
  readonly content?: string | null;
  /**
   * Tool calls to return; `finish_reason` becomes `'tool_calls'` (Responses: `function_call` output items;
   * Messages: `tool_use` blocks with `stop_reason: 'tool_use'`). @default none
   */
  readonly toolCalls?: readonly MockToolCall[];
  /** A refusal message (`message.refusal`; a `refusal` content part in Responses; ignored by Messages). @default null */
  readonly refusal?: string;
  /**
   * Per-token log-probabilities, returned when the request asks for `logprobs`. When omitted, deterministic
   * defaults are derived from the content's tokens. When `content` is omitted it is the tokens joined.
   */
  readonly logprobs?: readonly MockTokenLogprob[];
  /** Overrides the counted usage (see {@link countMockTokens}). */
  readonly usage?: { readonly promptTokens?: number; readonly completionTokens?: number };
  /**
   * How the answer ended. Responses maps `'length'` and `'content_filter'` to `status: 'incomplete'` with
   * `incomplete_details.reason` `'max_output_tokens'` / `'content_filter'`; Messages maps them to `stop_reason`
   * `'end_turn'` (stop), `'max_tokens'` (length), `'tool_use'` (tool_calls), `'refusal'` (content_filter).
   * @default 'tool_calls' when there are tool calls, else 'stop'
   */
  readonly finishReason?: 'stop' | 'length' | 'tool_calls' | 'content_filter';
  /** Answer with this fault instead. */
  readonly fault?: MockFault;
}

/**
 * What an answer function, a latency function or a fault function receives: the parsed body and helpers.
 *
 * @example
 * ```ts
 * const respond = (req: MockRequest) => (req.lastUserMessage.includes('capital') ? 'Paris' : 'I do not know');
 * ```
 */
export interface MockRequest {
  /** The matched route, e.g. `'/v1/chat/completions'`, `'/v1/responses'`, `'/v1/messages'` or `'/v1/embeddings'`. */
  readonly route: string;
  /** Which API the request came through; every field below is normalized to the chat shape whatever the API. */
  readonly api: MockApi;
  /** The parsed JSON body, as sent. */
  readonly body: Readonly<Record<string, unknown>>;
  /** `body.model`, or `''`. */
  readonly model: string;
  /**
   * Text of the last user message (text parts joined by newlines), `''` if none. Responses: `input` when it is a
   * string, else the last `user` item; Messages: the last `user` message's text blocks; embeddings: the first
   * input.
   */
  readonly lastUserMessage: string;
  /**
   * Text of the first `system` or `developer` message, `''` if none. Responses: `instructions` when given, else
   * the first `system` / `developer` input item; Messages: `system` (a string or text blocks).
   */
  readonly systemMessage: string;
  /**
   * The requested output format in chat's `response_format` shape: `{ type: 'json_schema', json_schema: { name,
   * schema, strict } }` or `{ type: 'json_object' }`. Responses: from `text.format`; Messages: from
   * `output_config.format` (`json_schema`). `undefined` when none is asked for.
   */
  readonly responseFormat: Readonly<Record<string, unknown>> | undefined;
  /**
   * The tools, function tools in chat's shape `{ type: 'function', function: { name, description, parameters } }`
   * (Responses' flat function tools and Messages' `{ name, input_schema }` tools are converted; other tools are
   * passed as sent). `undefined` when the body has none.
   */
  readonly tools: readonly Readonly<Record<string, unknown>>[] | undefined;
  /**
   * The function `tool_choice` forces: a named function (chat `{ type: 'function', function: { name } }`,
   * Responses `{ type: 'function', name }`, Messages `{ type: 'tool', name }`), or the first function tool for
   * `'required'` (Messages: `{ type: 'any' }`).
   */
  readonly forcedTool: string | undefined;
  /** Which of the `n` choices is being answered (0-based; always 0 outside chat). */
  readonly choiceIndex: number;
  /** Arrival index among model requests (every API) since start or the last `reset()`. */
  readonly index: number;
  /** How many times this exact body (canonical JSON) was received before: 0 on the first attempt. */
  readonly attempt: number;
  /** The request headers. */
  readonly headers: IncomingHttpHeaders;
  /** Aborted when the client disconnects or the server closes. */
  readonly signal: AbortSignal;
}

/**
 * What an answer function may return: the content as a string, or a {@link MockReply}.
 *
 * @example
 * ```ts
 * const answers: MockAnswer[] = ['Paris', { content: 'Paris', finishReason: 'length' }];
 * ```
 */
export type MockAnswer = string | MockReply;

/**
 * Options of {@link startMockServer}. Every field except `port` and `host` can be changed later with
 * `server.setOptions()`.
 *
 * @example
 * ```ts
 * const options: MockServerOptions = { table: { 'Capital of France?': 'Paris' }, latencyMs: 5 };
 * ```
 */
export interface MockServerOptions {
  /** Port to listen on; `0` picks a free one. Range: [0, 65535]. @default 0 */
  readonly port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  readonly host?: string;
  /**
   * Answers a model request of any API but embeddings (called once per choice when a chat request has `n > 1`;
   * `request.api` says which API). Takes precedence over `table`; returning
   * `undefined` hands the request on to `table`, then `fallback`.
   * @default undefined (use `table`, then `fallback`)
   */
  readonly respond?: (request: MockRequest) => MockAnswer | undefined | Promise<MockAnswer | undefined>;
  /** Answers keyed by the exact last user message. @default {} */
  readonly table?: Readonly<Record<string, string>>;
  /**
   * The answer when neither `respond` nor `table` gives one. `'echo'` repeats the last user message; when the
   * request asks for `json_schema` output the echo is replaced by a minimal instance of the schema (strings
   * carry the echo), and for `json_object` by `{"answer": <echo>}`.
   * @default 'echo'
   */
  readonly fallback?: 'echo' | string | ((request: MockRequest) => MockAnswer | Promise<MockAnswer>);
  /** Embeds one input text; the default is {@link mockEmbedding}. @default undefined */
  readonly embed?: (text: string, request: MockRequest) => readonly number[] | Promise<readonly number[]>;
  /** Embedding size when the request has no `dimensions`. Range: integer >= 1. @default 64 */
  readonly embeddingDimensions?: number;
  /** Delay before answering, in ms (a number, or computed per request). Not applied to server rate-limit 429s. @default 0 */
  readonly latencyMs?: number | ((request: MockRequest) => number);
  /** Delay between streamed chunks, in ms. Minimum: `0`. @default 0 */
  readonly streamChunkDelayMs?: number;
  /** Fault injection: seeded rates, or a function deciding per request. @default none */
  readonly faults?: MockFaultRates | ((request: MockRequest, index: number) => MockFault | undefined);
  /**
   * Server-side rate limits over a sliding window (60 s unless `windowMs`). A request counts against `rpm` when
   * admitted, and against `tpm` with its prompt tokens at admission plus its completion tokens once answered.
   * A request that would exceed a limit gets a 429 with headers and does not count.
   * @default none
   */
  readonly rateLimit?: { readonly rpm?: number; readonly tpm?: number; readonly windowMs?: number };
  /** Model ids listed by `GET /v1/models`. @default ['mock-model', 'mock-embedding'] */
  readonly models?: readonly string[];
  /** Keep parsed bodies in the request log (turn off for long benchmarks). @default true */
  readonly logBodies?: boolean;
}

/**
 * The options `setOptions()` accepts: those of {@link MockServerOptions} except `port` and `host`, where an
 * explicit `undefined` clears the field back to its default.
 *
 * @example
 * ```ts
 * server.setOptions({ latencyMs: 50, faults: undefined });
 * ```
 */
export type MockServerSettings = {
  readonly [K in Exclude<keyof MockServerOptions, 'port' | 'host'>]?: MockServerOptions[K] | undefined;
};

/**
 * Counters of a mock server since start or the last `reset()` (a frozen snapshot).
 *
 * @example
 * ```ts
 * server.stats.byStatus['429']; // => 3
 * ```
 */
export interface MockStats {
  /** HTTP requests received, all routes. */
  readonly requests: number;
  /**
   * Requests per matched route (`'/v1/chat/completions'`, `'/v1/responses'`, `'/v1/messages'`,
   * `'/v1/embeddings'`, `'/v1/models'`, `'/v1/models/{model}'`, `'unknown'`).
   */
  readonly byRoute: Readonly<Record<string, number>>;
  /** Responses per status code (`'0'` for requests that ended without a response: hang, disconnect, abort). */
  readonly byStatus: Readonly<Record<string, number>>;
  /** Requests currently open. */
  readonly inFlight: number;
  /** The most requests open at once. */
  readonly maxInFlight: number;
  /** Injected faults (not server rate-limit 429s), in total and per type. */
  readonly faults: { readonly total: number } & Readonly<Record<MockFaultType, number>>;
  /** Server rate-limit rejections (`rateLimit` option). */
  readonly rateLimited: number;
  /** Prompt (input) tokens of answered requests, every API. */
  readonly promptTokens: number;
  /** Completion (output) tokens of answered requests, every API. */
  readonly completionTokens: number;
}

/**
 * One entry of the request log. Times are `performance.now()` milliseconds of this process (`at`) plus the wall
 * clock (`wallTime`, `Date.now()`). The API key is never stored in full: `apiKeyHint` keeps keys of up to 8
 * characters (test keys such as `'test'`) and `sk-...abcd` for longer ones.
 *
 * @example
 * ```ts
 * const last = server.requests.at(-1);
 * last?.status; // => 200
 * ```
 */
export interface MockRequestLogEntry {
  /** Position in the log (0-based). */
  readonly seq: number;
  /** `performance.now()` when the request arrived. */
  readonly at: number;
  /** `Date.now()` when the request arrived. */
  readonly wallTime: number;
  /** Milliseconds from arrival to the end of the response (or the abort); `undefined` while open. */
  readonly durationMs: number | undefined;
  readonly method: string;
  readonly path: string;
  readonly route: string;
  /** Status sent, or `0` while open or when no response was sent. */
  readonly status: number;
  /** The client went away (or the server closed) before the response ended. */
  readonly aborted: boolean;
  /** The injected fault, if any (`'rate-limit'` for server rate-limit rejections). */
  readonly fault: MockFaultType | 'rate-limit' | undefined;
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** Whether the request was streamed. */
  readonly stream: boolean;
  /** Parsed body (`undefined` when not JSON or when `logBodies` is off). */
  readonly body: unknown;
  /** Whether an `Authorization: Bearer` or an `x-api-key` header was sent, and the key's hint (see above). */
  readonly hasApiKey: boolean;
  readonly apiKeyHint: string | undefined;
  /**
   * A subset of headers: user-agent, content-type, idempotency-key, x-stainless-retry-count, x-stainless-timeout,
   * anthropic-version.
   */
  readonly headers: Readonly<Record<string, string>>;
  /** Error thrown by an answer, latency or embed function (the client got a 500). */
  readonly error: string | undefined;
}

/**
 * A running mock server.
 *
 * @example
 * ```ts
 * const server = await startMockServer();
 * const client = new OpenAI({ baseURL: server.url, apiKey: 'test' });
 * await server.close();
 * ```
 */
export interface MockServer {
  /**
   * Base URL ending in `/v1`, e.g. `http://127.0.0.1:41234/v1`: the `baseURL` of the openai SDK and of
   * `createOpenAI` (AI SDK), which append `/chat/completions`, `/responses`, `/embeddings`.
   */
  readonly url: string;
  /**
   * The server's origin without `/v1`, e.g. `http://127.0.0.1:41234`: the `baseURL` of `@anthropic-ai/sdk`,
   * which appends `/v1/messages` itself.
   */
  readonly origin: string;
  readonly port: number;
  /** A snapshot of the counters. */
  readonly stats: MockStats;
  /** The request log (a copy). */
  readonly requests: readonly MockRequestLogEntry[];
  /** Clears counters, the log, the fault sequence, attempt counts and the rate-limit window (not the options). */
  reset(): void;
  /**
   * Changes options (all but `port`, `host`) for the following requests; fields set to `undefined` are cleared.
   * @throws TypeError / RangeError for malformed options, as {@link startMockServer}.
   */
  setOptions(options: MockServerSettings): void;
  /** Stops listening and destroys open connections, hung requests included. Idempotent. */
  close(): Promise<void>;
}
