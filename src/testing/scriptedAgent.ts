/**
 * The mock server as an agent's counterpart: scripted tool-calling answers, decided from the request body alone.
 * @module
 */
import { createHash } from 'node:crypto';
import { _checkKnownKeys } from '../_internal/validate.js';
import { _toolTurns } from './_toolTurns.js';
import type { MockAnswer, MockReply, MockRequest, MockToolCall } from './types.js';

/**
 * A tool result the conversation carried back to the mock.
 *
 * @example
 * ```ts
 * const r: MockToolResult = { id: 'call_1', name: 'get_weather', content: '{"temp":18}', isError: false };
 * ```
 */
export interface MockToolResult {
  readonly id: string;
  /** The tool's name, when the body says it (looked up from the call with the same id). */
  readonly name: string | undefined;
  /** The result's text (text parts joined; other content as JSON). */
  readonly content: string;
  /**
   * Anthropic's `is_error: true`, or content that reads as an error: a JSON object with a truthy top-level
   * `error` field, or text starting with the word `error` (any case).
   */
  readonly isError: boolean;
}

/**
 * Where a scripted agent is, as its step functions see it.
 *
 * @example
 * ```ts
 * const step = (s: MockAgentState) => ({ content: `Found ${s.lastResults.length} results for ${s.task}` });
 * ```
 */
export interface MockAgentState {
  /** The first user message's text: the task the script was chosen by. */
  readonly task: string;
  /** Index of the script step being answered (`steps.length` for the final answer). */
  readonly step: number;
  /** Tool-call turns the conversation holds so far (answered ones). */
  readonly turn: number;
  /** Every tool result so far, in order. */
  readonly results: readonly MockToolResult[];
  /** The results of the last turn (empty on the first request). */
  readonly lastResults: readonly MockToolResult[];
  /** True when this answer repeats the previous step because one of its tools failed. */
  readonly retrying: boolean;
  /** The request being answered. */
  readonly request: MockRequest;
}

/**
 * One step of a script: the tool calls to make, or a function of the state returning any answer (tool calls,
 * text, a fault).
 *
 * @example
 * ```ts
 * const steps: MockAgentStep[] = [
 *   { toolCalls: [{ name: 'search', arguments: { query: 'weather Paris' } }] },
 *   (s) => ({ toolCalls: [{ name: 'get_weather', arguments: { city: s.lastResults[0]?.content ?? '' } }] }),
 * ];
 * ```
 */
export type MockAgentStep =
  | { readonly toolCalls: readonly MockToolCall[]; readonly content?: string }
  | ((state: MockAgentState) => MockAnswer);

/**
 * What a scripted agent does for one task.
 *
 * @example
 * ```ts
 * const script: MockAgentScript = {
 *   steps: [{ toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] }],
 *   final: (s) => `It is ${s.lastResults[0]?.content} in Paris.`,
 * };
 * ```
 */
export interface MockAgentScript {
  /** The tool-calling turns, in order. */
  readonly steps: readonly MockAgentStep[];
  /**
   * The answer once every step is done.
   * @default the content of the last tool result (`''` when there is none)
   */
  readonly final?: string | ((state: MockAgentState) => MockAnswer);
  /**
   * What a turn whose results include an error leads to: `'retry'` repeats the same step (new call ids) up to
   * `maxRetries` times in a row, then moves on; `'continue'` moves on at once.
   * @default 'retry'
   */
  readonly onToolError?: 'retry' | 'continue';
  /** Retries of one step before moving on. Range: integer >= 0. @default 1 */
  readonly maxRetries?: number;
  /**
   * Whether a tool result is an error. OpenAI's wire formats have no error flag (the AI SDK sends a thrown
   * tool error's message as the result's text), so a script whose tools fail in other words says how to tell.
   * @default the result's `isError` (see {@link MockToolResult})
   */
  readonly isToolError?: (result: MockToolResult) => boolean;
}

/**
 * The scripts of {@link scriptedAgent}: by task (the first user message's exact text), or a function choosing
 * one (`undefined`: no script, the server's `table` / `fallback` answer).
 *
 * @example
 * ```ts
 * const scripts: MockAgentScripts = (task) => (task.startsWith('Weather') ? weatherScript : undefined);
 * ```
 */
export type MockAgentScripts =
  | Readonly<Record<string, MockAgentScript>>
  | ((task: string, request: MockRequest) => MockAgentScript | undefined);

function fail(what: string, value: unknown): never {
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  throw new TypeError(`Expected ${what}, got \`${String(value)}\` (${type})`);
}

function checkScript(script: MockAgentScript, where: string): void {
  if (script === null || typeof script !== 'object') fail(`\`${where}\` to be a script object`, script);
  // A misspelled key (`finall`, `maxRetry`) would otherwise leave the default in force without a word.
  _checkKnownKeys(where, script, ['steps', 'final', 'onToolError', 'maxRetries', 'isToolError']);
  if (!Array.isArray(script.steps)) fail(`\`${where}.steps\` to be an array`, script.steps);
  const final: unknown = script.final;
  if (final !== undefined && typeof final !== 'string' && typeof final !== 'function')
    fail(`\`${where}.final\` to be a string or a function`, final);
  script.steps.forEach((s, i) => {
    if (typeof s !== 'function' && (s === null || typeof s !== 'object' || !Array.isArray(s.toolCalls)))
      fail(`\`${where}.steps[${i}]\` to be { toolCalls } or a function`, s);
  });
  const r = script.maxRetries;
  if (r !== undefined && (!Number.isInteger(r) || r < 0))
    throw new RangeError(
      `Expected \`${where}.maxRetries\` to be an integer >= 0, got \`${r}\` (${typeof r})`,
    );
  if (script.isToolError !== undefined && typeof script.isToolError !== 'function')
    fail(`\`${where}.isToolError\` to be a function`, script.isToolError);
  const e = script.onToolError;
  if (e !== undefined && e !== 'retry' && e !== 'continue')
    fail(`\`${where}.onToolError\` to be 'retry' or 'continue'`, e);
}

/** A short, stable tag of the task, so call ids differ between tasks and never depend on arrival order. */
function taskTag(task: string): string {
  return createHash('sha256').update(task).digest('hex').slice(0, 8);
}

function withIds(reply: MockAnswer, tag: string, turn: number): MockAnswer {
  if (typeof reply === 'string' || reply.toolCalls === undefined) return reply;
  return {
    ...reply,
    toolCalls: reply.toolCalls.map((c, k) =>
      c.id === undefined ? { ...c, id: `call_${tag}_${turn}_${k}` } : c,
    ),
  };
}

/**
 * Makes the mock play the other side of an agent: a `respond` function that answers each model request of a tool
 * loop with the script's next tool calls, then its final answer — for Chat Completions (`tool_calls`), Responses
 * (`function_call` items) and Messages (`tool_use` blocks), and so for any client built on them (the AI SDK's
 * `generateText` with tools included).
 *
 * The answer is a function of the request body alone, so a cached rerun sends the same bodies and replays the
 * same answers: the task is the first user message's text; the conversation's tool results (Chat `tool`
 * messages, Responses `function_call_output` items, Messages `tool_result` blocks) are grouped into turns, one
 * per answered assistant turn; the script position starts at 0 and each turn moves it on by one, except a turn
 * with an erroring result under `onToolError: 'retry'`, which repeats its step (at most `maxRetries` times in a
 * row). Call ids are `call_<8 hex of SHA-256(task)>_<turn>_<position>` unless the script gives them.
 *
 * @param scripts - Scripts by task text, or a function choosing one.
 * @returns A function to pass as the server's `respond` option (it returns `undefined` for a task with no
 *   script, so `table` and `fallback` answer those).
 * @throws {TypeError} When `scripts` is neither an object nor a function, or a script is malformed (checked
 *   when the script is first used for a function, at once for an object).
 * @example
 * ```ts
 * const server = await startMockServer({
 *   respond: scriptedAgent({
 *     'Weather in Paris?': {
 *       steps: [{ toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] }],
 *       final: (s) => `It is ${s.lastResults[0]?.content}.`,
 *     },
 *   }),
 * });
 * // 1st request: a get_weather call; 2nd request (carrying its result "18C"): "It is 18C."
 * ```
 */
export function scriptedAgent(scripts: MockAgentScripts): (request: MockRequest) => MockAnswer | undefined {
  if (scripts === null || (typeof scripts !== 'object' && typeof scripts !== 'function'))
    fail('`scripts` to be an object or a function', scripts);
  if (typeof scripts === 'object')
    for (const [task, script] of Object.entries(scripts))
      checkScript(script, `scripts[${JSON.stringify(task)}]`);
  return (request) => {
    if (request.api === 'embeddings') return undefined;
    const { task, turns } = _toolTurns(request.api, request.body);
    const script =
      typeof scripts === 'function'
        ? scripts(task, request)
        : Object.hasOwn(scripts, task)
          ? scripts[task]
          : undefined;
    if (script === undefined) return undefined;
    if (typeof scripts === 'function') checkScript(script, 'script');
    const retry = (script.onToolError ?? 'retry') === 'retry';
    const isError = script.isToolError ?? ((r: MockToolResult) => r.isError);
    const maxRetries = script.maxRetries ?? 1;
    let step = 0;
    let streak = 0;
    let retrying = false;
    const marked = turns.map((t) => t.map((r) => ({ ...r, isError: isError(r) })));
    for (const turn of marked) {
      if (retry && turn.some((r) => r.isError) && streak < maxRetries) {
        streak++;
        retrying = true;
      } else {
        streak = 0;
        retrying = false;
        step++;
      }
    }
    const results = marked.flat();
    const state: MockAgentState = {
      task,
      step,
      turn: turns.length,
      results,
      lastResults: marked.at(-1) ?? [],
      retrying,
      request,
    };
    const tag = taskTag(task);
    if (step < script.steps.length) {
      const s = script.steps[step]!;
      const reply: MockAnswer =
        typeof s === 'function'
          ? s(state)
          : ({
              toolCalls: s.toolCalls,
              ...(s.content === undefined ? {} : { content: s.content }),
            } as MockReply);
      return withIds(reply, tag, turns.length);
    }
    const final = script.final;
    if (final === undefined) return results.at(-1)?.content ?? '';
    return typeof final === 'function' ? withIds(final(state), tag, turns.length) : final;
  };
}
