/**
 * The contract between the mock server's shared request pipeline (validation, rate window, faults, latency,
 * answer, counters, log) and one API's wire format. Each model route is a `_ModelApi`: it parses a body into the
 * normalized fields of {@link MockRequest}, answers in its own format, and renders errors and rate-limit
 * headers the way its SDK expects.
 * @module
 */
import type { _HttpError } from './_httpError.js';
import type { _RateState } from './_rateWindow.js';
import { _messageText, countMockTokens } from './countMockTokens.js';
import type { MockApi, MockFault, MockRequest, MockServerOptions } from './types.js';

/** How one API family writes errors and headers (shared by the OpenAI routes, and by `GET` / unknown routes). */
export interface _Wire {
  /** The JSON body of an error response. */
  errorBody(error: _HttpError): unknown;
  /** Rate-limit headers describing `state` (sent on 429s and, when `rateLimit` is set, on answers). */
  rateHeaders(state: _RateState): Record<string, string>;
  /** Headers every response of this API carries (request id, processing time). */
  responseHeaders(seq: number, elapsedMs: number): Record<string, string>;
}

/** The {@link MockRequest} fields a route reads from its body. */
export type _RequestFields = Pick<
  MockRequest,
  'lastUserMessage' | 'systemMessage' | 'responseFormat' | 'tools' | 'forcedTool'
>;

/** A validated body: its normalized request fields and its prompt tokens (admitted against `rateLimit.tpm`). */
export interface _ParsedBody {
  readonly fields: _RequestFields;
  readonly promptTokens: number;
}

/** What an answer needs besides the request. */
export interface _AnswerCall {
  readonly request: MockRequest;
  /** The parsed body's prompt tokens (an answer's `usage.promptTokens` overrides them). */
  readonly promptTokens: number;
  readonly settings: MockServerOptions;
  /** Unix seconds, for `created` / `created_at`. */
  readonly created: number;
}

/** An answer: a fault to inject instead, or the JSON body and, when streaming, the SSE frames. */
export type _Outcome =
  | { readonly fault: MockFault }
  | {
      readonly fault?: undefined;
      readonly json: unknown;
      /** Complete SSE frames (`event: ...\ndata: ...\n\n`) when the request streams. */
      readonly events: readonly string[] | undefined;
      readonly promptTokens: number;
      readonly completionTokens: number;
    };

/** One model route. */
export interface _ModelApi extends _Wire {
  readonly api: MockApi;
  /** Validates the body (throws a 400 `_HttpError`) and normalizes it. */
  parse(body: Readonly<Record<string, unknown>>): _ParsedBody;
  answer(call: _AnswerCall): Promise<_Outcome>;
  /** A 200 body that is not valid JSON (or an SSE frame whose data is not), for the `'malformed'` fault. */
  malformed(seq: number, stream: boolean): string;
}

/** A message in chat's shape, as the normalizers produce them. */
export interface _ChatLikeMessage {
  readonly role?: unknown;
  readonly content?: unknown;
}

/**
 * A parsed body from its conversation in chat's message shape and its other normalized fields: the last user
 * message, the first system or developer message, and the prompt tokens (the sum over messages, see
 * countMockTokens).
 */
export function _parsedBody(
  messages: readonly _ChatLikeMessage[],
  rest: Pick<_RequestFields, 'responseFormat' | 'tools' | 'forcedTool'>,
): _ParsedBody {
  let lastUserMessage = '';
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]?.role === 'user') {
      lastUserMessage = _messageText(messages[i]);
      break;
    }
  }
  const system = messages.find((m) => m?.role === 'system' || m?.role === 'developer');
  return {
    fields: { lastUserMessage, systemMessage: system === undefined ? '' : _messageText(system), ...rest },
    promptTokens: countMockTokens(messages),
  };
}

/** One SSE frame; `event` is omitted for chat completions, whose frames carry only `data`. */
export function _sse(event: string | undefined, data: unknown): string {
  return `${event === undefined ? '' : `event: ${event}\n`}data: ${JSON.stringify(data)}\n\n`;
}

/** `value` when it is a plain object, else `undefined`. */
export function _record(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Readonly<Record<string, unknown>>)
    : undefined;
}
