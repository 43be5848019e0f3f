/**
 * The answer logic every text API shares: `respond`, then `table`, then `fallback`, normalized into one choice
 * (content, refusal, tool calls, log-probabilities, finish reason, completion tokens) that each wire format
 * then writes in its own shape.
 * @module
 */
import { _describe } from '../_internal/describe.js';
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
  _checkAnswer(answer);
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

const _REPLY_KEYS = ['content', 'toolCalls', 'refusal', 'logprobs', 'usage', 'finishReason', 'fault'];
const _FINISH_REASONS = ['stop', 'length', 'tool_calls', 'content_filter'];

/**
 * Checks what an answer function returned: a wrong shape (a number, `{ text }` for `{ content }`, a tool call
 * without a name) would otherwise go out as a plausible empty or half-formed answer. Throws an Error naming the
 * field, which the server answers as a 500 `mock_function_error`.
 */
function _checkAnswer(answer: unknown): asserts answer is MockAnswer {
  const bad = (what: string, value: unknown): never => {
    throw new Error(`The answer returned by an option function has ${what}, got ${_describe(value)}`);
  };
  if (typeof answer === 'string') return;
  if (answer === null || typeof answer !== 'object' || Array.isArray(answer))
    bad('the wrong type (expected a string or a reply object)', answer);
  const reply = answer as Record<string, unknown>;
  for (const key of Object.keys(reply))
    if (!_REPLY_KEYS.includes(key)) bad(`an unknown key \`${key}\``, reply[key]);
  const { content, toolCalls, refusal, logprobs, usage, finishReason } = reply;
  if (content !== undefined && content !== null && typeof content !== 'string')
    bad('a `content` that is not a string or null', content);
  if (refusal !== undefined && typeof refusal !== 'string') bad('a `refusal` that is not a string', refusal);
  if (logprobs !== undefined && !Array.isArray(logprobs)) bad('`logprobs` that are not an array', logprobs);
  if (finishReason !== undefined && !_FINISH_REASONS.includes(finishReason as string))
    bad(
      `a \`finishReason\` that is not one of ${_FINISH_REASONS.map((r) => `'${r}'`).join(', ')}`,
      finishReason,
    );
  if (toolCalls !== undefined) {
    if (!Array.isArray(toolCalls)) bad('`toolCalls` that are not an array', toolCalls);
    (toolCalls as unknown[]).forEach((call, i) => {
      const c = (call ?? {}) as Record<string, unknown>;
      if (typeof c.name !== 'string') bad(`a \`toolCalls[${i}].name\` that is not a string`, c.name);
      const args = c.arguments;
      if (typeof args !== 'string' && (args === null || typeof args !== 'object'))
        bad(`a \`toolCalls[${i}].arguments\` that is not a string or an object`, args);
      if (c.id !== undefined && typeof c.id !== 'string')
        bad(`a \`toolCalls[${i}].id\` that is not a string`, c.id);
    });
  }
  if (usage !== undefined) {
    if (usage === null || typeof usage !== 'object') bad('a `usage` that is not an object', usage);
    for (const field of ['promptTokens', 'completionTokens']) {
      const n = (usage as Record<string, unknown>)[field];
      if (n !== undefined && !(Number.isInteger(n) && (n as number) >= 0))
        bad(`a \`usage.${field}\` that is not an integer >= 0`, n);
    }
  }
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
