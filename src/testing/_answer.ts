/**
 * The answer logic every text API shares: `respond`, then `table`, then `fallback`, normalized into one choice
 * (content, refusal, tool calls, log-probabilities, finish reason, completion tokens) that each wire format
 * then writes in its own shape.
 * @module
 */
import { _defaultLogprobs } from './_logprobs.js';
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
export interface _Choice {
  readonly fault?: undefined;
  readonly content: string | null;
  readonly refusal: string | null;
  readonly toolCalls: readonly _ToolCall[];
  /** Set when the request asked for log-probabilities. */
  readonly logprobs: readonly MockTokenLogprob[] | undefined;
  readonly finishReason: 'stop' | 'length' | 'tool_calls' | 'content_filter';
  readonly completionTokens: number;
  /** The answer's `usage.promptTokens`, when it overrides the counted prompt. */
  readonly promptTokens: number | undefined;
}

/** A tool call with its id and serialized arguments. */
export interface _ToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

/**
 * Answers one choice of `request`: the answer function's fault, or the normalized choice. `wantLogprobs` says
 * whether the request asked for log-probabilities (defaults are derived from the content when the answer gives
 * none).
 */
export async function _answerChoice(
  request: MockRequest,
  settings: MockServerOptions,
  wantLogprobs: boolean,
): Promise<_Choice | { readonly fault: MockFault }> {
  const answer = await _answer(request, settings);
  if (typeof answer !== 'string' && answer.fault !== undefined) return { fault: answer.fault };
  return _normalize(answer, request, wantLogprobs);
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

function _normalize(answer: MockAnswer, request: MockRequest, wantLogprobs: boolean): _Choice {
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
  const logprobs = wantLogprobs
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
    promptTokens: reply.usage?.promptTokens,
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
