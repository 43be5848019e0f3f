/**
 * Chat completions: asks the answer function (or table, or fallback) for each choice and builds the
 * `chat.completion` object or the `chat.completion.chunk` stream in the openai v6 wire format.
 * @module
 */

import { _HttpError } from './_httpError.js';
import { _defaultLogprobs, _tokenPieces, _wireLogprob } from './_logprobs.js';
import { _schemaInstance } from './_schemaInstance.js';
import { countMockTokens } from './countMockTokens.js';
import type {
  MockAnswer,
  MockFault,
  MockReply,
  MockRequest,
  MockServerOptions,
  MockTokenLogprob,
} from './types.js';

/** One answered choice, normalized. */
interface _Choice {
  readonly content: string | null;
  readonly refusal: string | null;
  readonly toolCalls: readonly { readonly id: string; readonly name: string; readonly arguments: string }[];
  readonly logprobs: readonly MockTokenLogprob[] | undefined;
  readonly finishReason: string;
  readonly completionTokens: number;
}

/** What a chat request resolves to. */
export type _ChatOutcome =
  | { readonly fault: MockFault }
  | {
      readonly fault?: undefined;
      readonly completion: Record<string, unknown>;
      /** SSE payloads when the request streams. */
      readonly chunks: readonly Record<string, unknown>[] | undefined;
      readonly promptTokens: number;
      readonly completionTokens: number;
    };

/** Checks the parts of the body the mock relies on; throws a 400 `_HttpError` otherwise. */
export function _validateChatBody(body: Readonly<Record<string, unknown>>): void {
  if (!Array.isArray(body.messages) || body.messages.length === 0)
    throw new _HttpError(400, "Invalid 'messages': expected a non-empty array of messages.", 'messages');
  if (
    body.n !== undefined &&
    body.n !== null &&
    (!Number.isInteger(body.n) || (body.n as number) < 1 || (body.n as number) > 128)
  )
    throw new _HttpError(
      400,
      `Invalid 'n': expected an integer in [1, 128], got ${JSON.stringify(body.n)}.`,
      'n',
    );
  const k = body.top_logprobs;
  if (k !== undefined && k !== null && (!Number.isInteger(k) || (k as number) < 0 || (k as number) > 20))
    throw new _HttpError(
      400,
      `Invalid 'top_logprobs': expected an integer in [0, 20], got ${JSON.stringify(k)}.`,
      'top_logprobs',
    );
}

/** Prompt tokens of a chat body (see countMockTokens). */
export function _chatPromptTokens(body: Readonly<Record<string, unknown>>): number {
  return countMockTokens(body.messages as readonly { content?: unknown }[]);
}

/** The function `tool_choice` forces: a named function, or the first tool for `'required'`. */
export function _forcedTool(body: Readonly<Record<string, unknown>>): string | undefined {
  const choice = body.tool_choice as unknown;
  if (choice !== null && typeof choice === 'object') {
    const fn = (choice as { function?: { name?: unknown } }).function;
    if (typeof fn?.name === 'string') return fn.name;
  }
  if (choice === 'required' && Array.isArray(body.tools)) {
    const first = body.tools[0] as { function?: { name?: unknown } } | undefined;
    if (typeof first?.function?.name === 'string') return first.function.name;
  }
  return undefined;
}

/** Answers every choice and builds the response. */
export async function _answerChat(
  base: MockRequest,
  settings: MockServerOptions,
  created: number,
): Promise<_ChatOutcome> {
  const body = base.body;
  const n = typeof body.n === 'number' ? body.n : 1;
  const choices: _Choice[] = [];
  let promptOverride: number | undefined;
  for (let i = 0; i < n; i++) {
    const request: MockRequest = { ...base, choiceIndex: i };
    const answer = await _answer(request, settings);
    if (typeof answer !== 'string' && answer.fault !== undefined) return { fault: answer.fault };
    if (
      typeof answer !== 'string' &&
      answer.usage?.promptTokens !== undefined &&
      promptOverride === undefined
    )
      promptOverride = answer.usage.promptTokens;
    choices.push(_normalize(answer, request));
  }
  const promptTokens = promptOverride ?? _chatPromptTokens(body);
  const completionTokens = choices.reduce((sum, c) => sum + c.completionTokens, 0);
  const usage = _usage(promptTokens, completionTokens);
  const id = `chatcmpl-mock-${base.index}`;
  const model = base.model;
  const wantLogprobs = body.logprobs === true;
  const k = typeof body.top_logprobs === 'number' ? body.top_logprobs : 0;
  const completion = {
    id,
    object: 'chat.completion',
    created,
    model,
    choices: choices.map((c, index) => ({
      index,
      message: {
        role: 'assistant',
        content: c.content,
        refusal: c.refusal,
        annotations: [],
        ...(c.toolCalls.length > 0
          ? {
              tool_calls: c.toolCalls.map((t) => ({
                id: t.id,
                type: 'function',
                function: { name: t.name, arguments: t.arguments },
              })),
            }
          : {}),
      },
      logprobs:
        wantLogprobs && c.logprobs !== undefined
          ? { content: c.logprobs.map((lp) => _wireLogprob(lp, k)), refusal: null }
          : null,
      finish_reason: c.finishReason,
    })),
    usage,
    service_tier: 'default',
    system_fingerprint: 'fp_mock',
  };
  const chunks =
    body.stream === true ? _chunks(id, created, model, choices, usage, wantLogprobs, k, body) : undefined;
  return { completion, chunks, promptTokens, completionTokens };
}

/** respond, then table, then fallback. */
async function _answer(request: MockRequest, settings: MockServerOptions): Promise<MockAnswer> {
  if (settings.respond !== undefined) {
    const answer = await settings.respond(request);
    if (answer !== undefined && answer !== null) return answer;
  }
  const table = settings.table;
  if (table !== undefined && Object.hasOwn(table, request.lastUserMessage))
    return table[request.lastUserMessage];
  const fallback = settings.fallback ?? 'echo';
  if (typeof fallback === 'function') {
    const answer = await fallback(request);
    if (answer !== undefined && answer !== null) return answer;
    return _echo(request);
  }
  return fallback === 'echo' ? _echo(request) : fallback;
}

/** The echo fallback, shaped to the requested output format. */
function _echo(request: MockRequest): string {
  const text = request.lastUserMessage;
  const format = request.responseFormat;
  if (format?.type === 'json_schema') {
    const schema = (format.json_schema as { schema?: unknown } | undefined)?.schema;
    return JSON.stringify(_schemaInstance(schema ?? { type: 'object' }, text));
  }
  if (format?.type === 'json_object') return JSON.stringify({ answer: text });
  return text;
}

function _normalize(answer: MockAnswer, request: MockRequest): _Choice {
  const reply: MockReply = typeof answer === 'string' ? { content: answer } : answer;
  const prefix = `call_mock_${request.index}_${request.choiceIndex}`;
  let toolCalls = (reply.toolCalls ?? []).map((t, i) => ({
    id: t.id ?? `${prefix}_${i}`,
    name: t.name,
    arguments: typeof t.arguments === 'string' ? t.arguments : JSON.stringify(t.arguments),
  }));
  if (toolCalls.length === 0 && request.forcedTool !== undefined) {
    toolCalls = [
      { id: `${prefix}_0`, name: request.forcedTool, arguments: _forcedArguments(reply, request) },
    ];
  }
  const hasTools = toolCalls.length > 0;
  let content: string | null;
  if (reply.content !== undefined) content = hasTools && reply.content === '' ? null : reply.content;
  else if (hasTools) content = null;
  else content = reply.logprobs ? reply.logprobs.map((t) => t.token).join('') : '';
  // A forced tool call replaces a plain answer: the content became the arguments.
  if (hasTools && reply.toolCalls === undefined && request.forcedTool !== undefined) content = null;
  const logprobs =
    request.body.logprobs === true
      ? (reply.logprobs ?? (content === null ? undefined : _defaultLogprobs(content)))
      : undefined;
  let completionTokens = countMockTokens(content ?? '');
  for (const t of toolCalls) completionTokens += countMockTokens(t.name) + countMockTokens(t.arguments);
  if (reply.usage?.completionTokens !== undefined) completionTokens = reply.usage.completionTokens;
  return {
    content,
    refusal: reply.refusal ?? null,
    toolCalls,
    logprobs,
    finishReason: reply.finishReason ?? (hasTools ? 'tool_calls' : 'stop'),
    completionTokens,
  };
}

/** Arguments of a forced tool call: the answer if it is a JSON object, else an instance of the tool's schema. */
function _forcedArguments(reply: MockReply, request: MockRequest): string {
  const text = reply.content ?? '';
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return text;
  } catch {
    // not JSON: fall through to the schema instance
  }
  const tool = request.tools?.find(
    (t) => (t as { function?: { name?: unknown } }).function?.name === request.forcedTool,
  ) as { function?: { parameters?: unknown } } | undefined;
  return JSON.stringify(
    _schemaInstance(tool?.function?.parameters ?? { type: 'object' }, request.lastUserMessage),
  );
}

function _usage(promptTokens: number, completionTokens: number): Record<string, unknown> {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/** The chunk stream: a role chunk, one chunk per token piece (or tool call part), a finish chunk per choice, then usage. */
function _chunks(
  id: string,
  created: number,
  model: string,
  choices: readonly _Choice[],
  usage: Record<string, unknown>,
  wantLogprobs: boolean,
  k: number,
  body: Readonly<Record<string, unknown>>,
): Record<string, unknown>[] {
  const includeUsage =
    (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
  const out: Record<string, unknown>[] = [];
  const chunk = (
    index: number,
    delta: Record<string, unknown>,
    finish: string | null,
    logprobs: unknown = null,
  ) => {
    const c: Record<string, unknown> = {
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      service_tier: 'default',
      system_fingerprint: 'fp_mock',
      choices: [{ index, delta, logprobs, finish_reason: finish }],
    };
    if (includeUsage) c.usage = null;
    out.push(c);
  };
  choices.forEach((c, index) => {
    chunk(index, { role: 'assistant', content: c.content === null ? null : '', refusal: null }, null);
    if (c.content !== null && c.content.length > 0) {
      if (wantLogprobs && c.logprobs !== undefined) {
        for (const lp of c.logprobs)
          chunk(index, { content: lp.token }, null, { content: [_wireLogprob(lp, k)], refusal: null });
      } else {
        for (const piece of _tokenPieces(c.content)) chunk(index, { content: piece }, null);
      }
    }
    if (c.refusal !== null) chunk(index, { refusal: c.refusal }, null);
    c.toolCalls.forEach((t, i) => {
      chunk(
        index,
        { tool_calls: [{ index: i, id: t.id, type: 'function', function: { name: t.name, arguments: '' } }] },
        null,
      );
      if (t.arguments.length > 0)
        chunk(index, { tool_calls: [{ index: i, function: { arguments: t.arguments } }] }, null);
    });
    chunk(index, {}, c.finishReason);
  });
  if (includeUsage) {
    out.push({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      service_tier: 'default',
      system_fingerprint: 'fp_mock',
      choices: [],
      usage,
    });
  }
  return out;
}
