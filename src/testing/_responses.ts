/**
 * OpenAI Responses API (`POST /v1/responses`): normalizes `input` / `instructions` / `text.format` / flat
 * function tools into the chat shape the answer logic reads, and writes the `response` object or its SSE event
 * sequence in the wire format of the openai v6 SDK (`client.responses.create`, `responses.stream`) and of
 * `@ai-sdk/openai`'s responses model (the fields its zod schemas read).
 * @module
 */
import { _answerChoice, type _Choice } from './_answer.js';
import { _HttpError } from './_httpError.js';
import { _tokenPieces, _wireLogprob } from './_logprobs.js';
import {
  type _AnswerCall,
  type _ChatLikeMessage,
  type _ModelApi,
  type _Outcome,
  _parsedBody,
  _record,
  _sse,
} from './_modelApi.js';
import { _openaiWire } from './_openaiWire.js';

type _Body = Readonly<Record<string, unknown>>;

/** `include` entry that asks for output-text log-probabilities. */
const _LOGPROBS_INCLUDE = 'message.output_text.logprobs';

/** `POST /v1/responses`. */
export const _responsesApi: _ModelApi = {
  ..._openaiWire,
  api: 'responses',
  parse(body) {
    _validate(body);
    return _parsedBody(_messages(body), {
      responseFormat: _chatFormat(body),
      tools: Array.isArray(body.tools) ? (body.tools as _Body[]).map(_chatTool) : undefined,
      forcedTool: _forcedTool(body),
    });
  },
  answer: _answer,
  malformed(seq, stream) {
    return stream
      ? `event: response.created\ndata: {"type": "response.created", "response": {"id": "resp_mock_${seq}",\n\n`
      : `{"id": "resp_mock_${seq}", "object": "response", "output": [{"type": "message",`;
  },
};

function _bad(param: string, message: string): _HttpError {
  return new _HttpError(400, message, param);
}

/** Checks what the mock reads, with the API's messages; throws a 400 `_HttpError`. */
function _validate(body: _Body): void {
  const input = body.input;
  if (input === undefined || input === null) throw _bad('input', "Missing required parameter: 'input'.");
  if (typeof input !== 'string' && !Array.isArray(input))
    throw _bad(
      'input',
      `Invalid 'input': expected a string or an array of input items, got ${_type(input)}.`,
    );
  if (Array.isArray(input)) {
    input.forEach((item, i) => {
      if (_record(item) === undefined)
        throw _bad(`input[${i}]`, `Invalid 'input[${i}]': expected an object, got ${_type(item)}.`);
    });
  }
  const instructions = body.instructions;
  if (instructions !== undefined && instructions !== null && typeof instructions !== 'string')
    throw _bad('instructions', `Invalid 'instructions': expected a string, got ${_type(instructions)}.`);
  const max = body.max_output_tokens;
  if (max !== undefined && max !== null && (!Number.isInteger(max) || (max as number) < 16))
    throw _bad(
      'max_output_tokens',
      `Invalid 'max_output_tokens': expected an integer >= 16, got ${JSON.stringify(max)}.`,
    );
  const t = body.temperature;
  if (t !== undefined && t !== null && (typeof t !== 'number' || !(t >= 0 && t <= 2)))
    throw _bad(
      'temperature',
      `Invalid 'temperature': expected a number in [0, 2], got ${JSON.stringify(t)}.`,
    );
  const k = body.top_logprobs;
  if (k !== undefined && k !== null && (!Number.isInteger(k) || (k as number) < 0 || (k as number) > 20))
    throw _bad(
      'top_logprobs',
      `Invalid 'top_logprobs': expected an integer in [0, 20], got ${JSON.stringify(k)}.`,
    );
  const format = _record(_record(body.text)?.format);
  if (format !== undefined) {
    if (format.type !== 'text' && format.type !== 'json_object' && format.type !== 'json_schema')
      throw _bad(
        'text.format.type',
        `Invalid 'text.format.type': expected 'text', 'json_object' or 'json_schema', got ${JSON.stringify(format.type)}.`,
      );
    if (format.type === 'json_schema' && _record(format.schema) === undefined)
      throw _bad('text.format.schema', "Missing required parameter: 'text.format.schema'.");
  }
  if (body.tools !== undefined && body.tools !== null) {
    if (!Array.isArray(body.tools) || body.tools.some((tool) => _record(tool) === undefined))
      throw _bad('tools', `Invalid 'tools': expected an array of tool objects, got ${_type(body.tools)}.`);
  }
  const choice = _record(body.tool_choice);
  if (choice?.type === 'function') {
    const names = _functionTools(body).map((tool) => tool.name);
    if (!names.includes(choice.name))
      throw _bad(
        'tool_choice',
        `Tool choice 'function' ${JSON.stringify(choice.name)} not found in 'tools' parameter.`,
      );
  }
}

function _type(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

/** `instructions` as a system message, then the message items of `input` (a string is one user message). */
function _messages(body: _Body): _ChatLikeMessage[] {
  const input = body.input;
  const items: _ChatLikeMessage[] =
    typeof input === 'string'
      ? [{ role: 'user', content: input }]
      : (input as _Body[]).filter((item) => item.type === undefined || item.type === 'message');
  return typeof body.instructions === 'string' && body.instructions.length > 0
    ? [{ role: 'system', content: body.instructions }, ...items]
    : items;
}

function _functionTools(body: _Body): _Body[] {
  return Array.isArray(body.tools) ? (body.tools as _Body[]).filter((tool) => tool.type === 'function') : [];
}

/** A flat Responses function tool in chat's `{ type: 'function', function: {...} }` shape; others as sent. */
function _chatTool(tool: _Body): _Body {
  if (tool.type !== 'function') return tool;
  const { type, ...fn } = tool;
  return { type, function: fn };
}

/** `text.format` in chat's `response_format` shape. */
function _chatFormat(body: _Body): _Body | undefined {
  const format = _record(_record(body.text)?.format);
  if (format === undefined) return undefined;
  if (format.type !== 'json_schema') return { type: format.type };
  const { type, ...jsonSchema } = format;
  return { type, json_schema: jsonSchema };
}

/** A named function, or the first function tool for `'required'`. */
function _forcedTool(body: _Body): string | undefined {
  const choice = body.tool_choice;
  const named = _record(choice);
  if (named?.type === 'function' && typeof named.name === 'string') return named.name;
  if (choice === 'required') {
    const first = _functionTools(body)[0];
    if (typeof first?.name === 'string') return first.name;
  }
  return undefined;
}

/** Answers the one choice and builds the response (and its events when streaming). */
async function _answer({
  request,
  promptTokens: counted,
  settings,
  created,
}: _AnswerCall): Promise<_Outcome> {
  const body = request.body;
  const wantLogprobs = Array.isArray(body.include) && body.include.includes(_LOGPROBS_INCLUDE);
  const choice = await _answerChoice(request, settings, wantLogprobs);
  if (choice.fault !== undefined) return { fault: choice.fault };
  const k = typeof body.top_logprobs === 'number' ? body.top_logprobs : 0;
  const promptTokens = choice.promptTokens ?? counted;
  const completionTokens = choice.completionTokens;
  const incomplete =
    choice.finishReason === 'length'
      ? 'max_output_tokens'
      : choice.finishReason === 'content_filter'
        ? 'content_filter'
        : undefined;
  const itemStatus = incomplete === undefined ? 'completed' : 'incomplete';
  const output = _outputItems(choice, request.index, itemStatus, wantLogprobs, k);
  const usage = {
    input_tokens: promptTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: completionTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: promptTokens + completionTokens,
  };
  const response = (status: string, items: readonly unknown[], u: unknown) => ({
    id: `resp_mock_${request.index}`,
    object: 'response',
    created_at: created,
    status,
    background: false,
    completed_at: status === 'in_progress' ? null : created,
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: incomplete } : null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    metadata: body.metadata ?? {},
    model: request.model,
    output: items,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: { effort: null, summary: null },
    service_tier: 'default',
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: body.text ?? { format: { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_logprobs: body.top_logprobs ?? 0,
    top_p: body.top_p ?? 1,
    truncation: body.truncation ?? 'disabled',
    usage: u,
    user: null,
  });
  const final = response(itemStatus, output, usage);
  const events =
    body.stream === true
      ? _events(response('in_progress', [], null), final, output, choice, wantLogprobs, k)
      : undefined;
  return { json: final, events, promptTokens, completionTokens };
}

type _Item = Record<string, unknown> & { readonly id: string; readonly type: string };

/** The output items: a message (unless the answer is only tool calls), then one `function_call` per call. */
function _outputItems(
  choice: _Choice,
  index: number,
  status: string,
  wantLogprobs: boolean,
  k: number,
): _Item[] {
  const parts: Record<string, unknown>[] = [];
  const { content, refusal } = choice;
  if (content !== null && !(content === '' && refusal !== null)) {
    parts.push({
      type: 'output_text',
      text: content,
      annotations: [],
      logprobs:
        wantLogprobs && choice.logprobs !== undefined ? choice.logprobs.map((lp) => _wireLogprob(lp, k)) : [],
    });
  }
  if (refusal !== null) parts.push({ type: 'refusal', refusal });
  const items: _Item[] = [];
  if (parts.length > 0 || choice.toolCalls.length === 0)
    items.push({ id: `msg_mock_${index}`, type: 'message', status, role: 'assistant', content: parts });
  choice.toolCalls.forEach((t, i) => {
    items.push({
      id: `fc_mock_${index}_${i}`,
      type: 'function_call',
      status,
      call_id: t.id,
      name: t.name,
      arguments: t.arguments,
    });
  });
  return items;
}

/**
 * The event sequence: response.created, response.in_progress; per item output_item.added, its content parts
 * (content_part.added, output_text.delta per token piece or refusal.delta, the done events) or its
 * function_call_arguments delta and done, output_item.done; then response.completed (or .incomplete) with usage.
 */
function _events(
  start: Record<string, unknown>,
  final: Record<string, unknown>,
  output: readonly _Item[],
  choice: _Choice,
  wantLogprobs: boolean,
  k: number,
): string[] {
  const frames: string[] = [];
  const emit = (type: string, fields: Record<string, unknown>) =>
    frames.push(_sse(type, { type, sequence_number: frames.length, ...fields }));
  emit('response.created', { response: start });
  emit('response.in_progress', { response: start });
  output.forEach((item, output_index) => {
    const at = { item_id: item.id, output_index };
    if (item.type === 'function_call') {
      emit('response.output_item.added', {
        output_index,
        item: { ...item, status: 'in_progress', arguments: '' },
      });
      const args = item.arguments as string;
      if (args.length > 0) emit('response.function_call_arguments.delta', { ...at, delta: args });
      emit('response.function_call_arguments.done', { ...at, name: item.name, arguments: args });
    } else {
      emit('response.output_item.added', {
        output_index,
        item: { ...item, status: 'in_progress', content: [] },
      });
      (item.content as Record<string, unknown>[]).forEach((part, content_index) => {
        const here = { ...at, content_index };
        if (part.type === 'output_text') {
          emit('response.content_part.added', { ...here, part: { ...part, text: '', logprobs: [] } });
          const text = part.text as string;
          if (wantLogprobs && choice.logprobs !== undefined) {
            for (const lp of choice.logprobs)
              emit('response.output_text.delta', {
                ...here,
                delta: lp.token,
                logprobs: [_wireLogprob(lp, k)],
              });
          } else {
            for (const piece of _tokenPieces(text))
              emit('response.output_text.delta', { ...here, delta: piece, logprobs: [] });
          }
          emit('response.output_text.done', { ...here, text, logprobs: part.logprobs });
        } else {
          emit('response.content_part.added', { ...here, part: { type: 'refusal', refusal: '' } });
          emit('response.refusal.delta', { ...here, delta: part.refusal });
          emit('response.refusal.done', { ...here, refusal: part.refusal });
        }
        emit('response.content_part.done', { ...here, part });
      });
    }
    emit('response.output_item.done', { output_index, item });
  });
  emit(final.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response: final });
  return frames;
}
