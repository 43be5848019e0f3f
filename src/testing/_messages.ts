/**
 * Anthropic Messages API (`POST /v1/messages`): normalizes `system` / `messages` / `{ name, input_schema }` tools
 * / `output_config.format` into the chat shape the answer logic reads, and writes the `message` object or its
 * SSE event sequence, errors as `{ type: 'error', error: { type, message } }` and `anthropic-ratelimit-*`
 * headers, in the wire format `@anthropic-ai/sdk` (`messages.create`, `messages.stream`) reads.
 * @module
 */
import { _answerChoice, type _Choice } from './_answer.js';
import { _HttpError } from './_httpError.js';
import { _tokenPieces } from './_logprobs.js';
import {
  type _AnswerCall,
  type _ChatLikeMessage,
  type _ModelApi,
  type _Outcome,
  _parsedBody,
  _record,
  _sse,
} from './_modelApi.js';
import { type _RateState, _rateHeaders } from './_rateWindow.js';

type _Body = Readonly<Record<string, unknown>>;

/** Anthropic's `error.type` per status (https://docs.anthropic.com/en/api/errors). */
function _errorType(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 504:
      return 'timeout_error';
    case 529:
      return 'overloaded_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

/** `stop_reason` per normalized finish reason. */
const _STOP_REASON: Readonly<Record<_Choice['finishReason'], string>> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  content_filter: 'refusal',
};

/** `POST /v1/messages`. */
export const _messagesApi: _ModelApi = {
  api: 'messages',
  errorBody(e) {
    return { type: 'error', error: { type: _errorType(e.status), message: e.message } };
  },
  rateHeaders(s: _RateState) {
    // anthropic-ratelimit-requests-limit, ..., reset as an RFC 3339 time, not a duration.
    return _rateHeaders(
      s,
      (limit, field) => `anthropic-ratelimit-${limit}-${field}`,
      (ms) => new Date(Date.now() + Math.max(0, Math.ceil(ms))).toISOString(),
    );
  },
  responseHeaders(seq) {
    return { 'request-id': `req_mock_${seq}` };
  },
  parse(body) {
    _validate(body);
    const system = body.system;
    const messages = body.messages as _ChatLikeMessage[];
    const all: _ChatLikeMessage[] =
      system === undefined || system === null ? messages : [{ role: 'system', content: system }, ...messages];
    return _parsedBody(all, {
      responseFormat: _chatFormat(body),
      tools: Array.isArray(body.tools) ? (body.tools as _Body[]).map(_chatTool) : undefined,
      forcedTool: _forcedTool(body),
    });
  },
  answer: _answer,
  malformed(seq, stream) {
    return stream
      ? `event: message_start\ndata: {"type": "message_start", "message": {"id": "msg_mock_${seq}",\n\n`
      : `{"id": "msg_mock_${seq}", "type": "message", "content": [{"type": "text",`;
  },
};

/** A 400 in Anthropic's style: `<field path>: <what is wrong>`. */
function _bad(message: string): _HttpError {
  return new _HttpError(400, message);
}

function _isText(value: unknown): boolean {
  return (
    typeof value === 'string' ||
    (Array.isArray(value) && value.every((block) => typeof _record(block)?.type === 'string'))
  );
}

/** Checks what the mock reads; throws a 400 `_HttpError`. */
function _validate(body: _Body): void {
  const max = body.max_tokens;
  if (max === undefined || max === null) throw _bad('max_tokens: Field required');
  if (!Number.isInteger(max) || (max as number) < 1)
    throw _bad(`max_tokens: Input should be an integer >= 1, got ${JSON.stringify(max)}`);
  const messages = body.messages;
  if (messages === undefined || messages === null) throw _bad('messages: Field required');
  if (!Array.isArray(messages)) throw _bad('messages: Input should be a valid list');
  if (messages.length === 0) throw _bad('messages: at least one message is required');
  messages.forEach((m, i) => {
    const message = _record(m);
    if (message === undefined) throw _bad(`messages.${i}: Input should be an object`);
    if (message.role !== 'user' && message.role !== 'assistant')
      throw _bad(
        `messages.${i}.role: Input should be 'user' or 'assistant', got ${JSON.stringify(message.role)}`,
      );
    if (!_isText(message.content))
      throw _bad(`messages.${i}.content: Input should be a string or a list of content blocks`);
  });
  if (body.system !== undefined && body.system !== null && !_isText(body.system))
    throw _bad('system: Input should be a string or a list of text blocks');
  const t = body.temperature;
  if (t !== undefined && t !== null && (typeof t !== 'number' || !(t >= 0 && t <= 1)))
    throw _bad(`temperature: Input should be a number in [0, 1], got ${JSON.stringify(t)}`);
  if (body.tools !== undefined && body.tools !== null) {
    if (!Array.isArray(body.tools) || body.tools.some((tool) => typeof _record(tool)?.name !== 'string'))
      throw _bad('tools: Input should be a list of tools, each with a name');
  }
  const choice = body.tool_choice;
  if (choice !== undefined && choice !== null) {
    const c = _record(choice);
    if (c === undefined || !['auto', 'any', 'tool', 'none'].includes(c.type as string))
      throw _bad("tool_choice: Input should be an object whose type is 'auto', 'any', 'tool' or 'none'");
    if (c.type === 'tool') {
      const names = Array.isArray(body.tools) ? (body.tools as _Body[]).map((tool) => tool.name) : [];
      if (typeof c.name !== 'string') throw _bad('tool_choice.name: Field required');
      if (!names.includes(c.name))
        throw _bad(`tool_choice: tool ${JSON.stringify(c.name)} is not in \`tools\``);
    }
  }
}

/** A `{ name, input_schema }` tool in chat's `{ type: 'function', function: {...} }` shape; others as sent. */
function _chatTool(tool: _Body): _Body {
  if (tool.input_schema === undefined) return tool;
  const { input_schema, type: _type, ...rest } = tool;
  return { type: 'function', function: { ...rest, parameters: input_schema } };
}

/** `output_config.format` (`json_schema`) in chat's `response_format` shape. */
function _chatFormat(body: _Body): _Body | undefined {
  const format = _record(_record(body.output_config)?.format);
  if (format?.type !== 'json_schema') return undefined;
  return { type: 'json_schema', json_schema: { schema: format.schema } };
}

/** `{ type: 'tool', name }`, or the first tool with an input schema for `{ type: 'any' }`. */
function _forcedTool(body: _Body): string | undefined {
  const choice = _record(body.tool_choice);
  if (choice?.type === 'tool' && typeof choice.name === 'string') return choice.name;
  if (choice?.type === 'any' && Array.isArray(body.tools)) {
    const first = (body.tools as _Body[]).find((tool) => tool.input_schema !== undefined);
    if (typeof first?.name === 'string') return first.name;
  }
  return undefined;
}

/** A tool call's input: its arguments parsed (they are JSON unless an answer function gave another string). */
function _input(args: string): unknown {
  try {
    return JSON.parse(args);
  } catch {
    return args;
  }
}

/** Answers the one choice and builds the message (and its events when streaming). */
async function _answer({ request, promptTokens: counted, settings }: _AnswerCall): Promise<_Outcome> {
  const choice = await _answerChoice(request, settings, false);
  if (choice.fault !== undefined) return { fault: choice.fault };
  const promptTokens = choice.promptTokens ?? counted;
  const completionTokens = choice.completionTokens;
  const content: Record<string, unknown>[] = [];
  if (choice.content !== null && (choice.content !== '' || choice.toolCalls.length === 0))
    content.push({ type: 'text', text: choice.content, citations: null });
  for (const t of choice.toolCalls)
    content.push({
      type: 'tool_use',
      id: t.id,
      name: t.name,
      input: _input(t.arguments),
      caller: { type: 'direct' },
    });
  const usage = (output: number) => ({
    input_tokens: promptTokens,
    output_tokens: output,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    cache_creation: null,
    server_tool_use: null,
    service_tier: 'standard',
  });
  const message = (blocks: readonly unknown[], stopReason: string | null, output: number) => ({
    id: `msg_mock_${request.index}`,
    type: 'message',
    role: 'assistant',
    model: request.model,
    content: blocks,
    stop_reason: stopReason,
    stop_sequence: null,
    stop_details: null,
    container: null,
    usage: usage(output),
  });
  const stopReason = _STOP_REASON[choice.finishReason];
  const final = message(content, stopReason, completionTokens);
  const events =
    request.body.stream === true
      ? _events(message([], null, 0), content, choice, stopReason, promptTokens, completionTokens)
      : undefined;
  return { json: final, events, promptTokens, completionTokens };
}

/**
 * The event sequence: message_start, ping; per block content_block_start, content_block_delta (a text_delta per
 * token piece, or one input_json_delta with the tool input), content_block_stop; message_delta with the stop
 * reason and usage; message_stop.
 */
function _events(
  start: Record<string, unknown>,
  content: readonly Record<string, unknown>[],
  choice: _Choice,
  stopReason: string,
  promptTokens: number,
  completionTokens: number,
): string[] {
  const frames: string[] = [];
  const emit = (type: string, fields: Record<string, unknown> = {}) =>
    frames.push(_sse(type, { type, ...fields }));
  emit('message_start', { message: start });
  emit('ping');
  let call = 0;
  content.forEach((block, index) => {
    if (block.type === 'text') {
      emit('content_block_start', { index, content_block: { ...block, text: '' } });
      for (const piece of _tokenPieces(block.text as string))
        emit('content_block_delta', { index, delta: { type: 'text_delta', text: piece } });
    } else {
      emit('content_block_start', { index, content_block: { ...block, input: {} } });
      const args = choice.toolCalls[call++].arguments;
      if (args.length > 0)
        emit('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: args } });
    }
    emit('content_block_stop', { index });
  });
  emit('message_delta', {
    delta: { stop_reason: stopReason, stop_sequence: null, stop_details: null, container: null },
    usage: { input_tokens: promptTokens, output_tokens: completionTokens },
  });
  emit('message_stop');
  return frames;
}
