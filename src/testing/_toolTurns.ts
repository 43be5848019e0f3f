/**
 * Reads the tool turns out of a request body of any model API the mock serves: the task (the first user
 * message's text) and the tool results the conversation carries back, grouped into the turns that answered one
 * assistant turn each. Used by {@link scriptedAgent} to decide, from the body alone, where the agent is.
 * @module
 */
import { _messageText } from './countMockTokens.js';
import type { MockApi } from './types.js';

/** One tool result found in a request body. */
export interface _FoundToolResult {
  readonly id: string;
  /** The tool's name when the body says it (Responses and Chat carry it only on the call). */
  readonly name: string | undefined;
  readonly content: string;
  /** The body flags it (Anthropic `is_error`) or its content reads as an error (see {@link _looksLikeError}). */
  readonly isError: boolean;
}

/** What a body says about the agent's progress. */
export interface _ToolTurns {
  readonly task: string;
  /** Tool results, one array per turn (a maximal run of consecutive result items or one user message). */
  readonly turns: readonly (readonly _FoundToolResult[])[];
}

type _Body = Readonly<Record<string, unknown>>;

const isRecord = (v: unknown): v is _Body => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Whether a tool result's text reads as an error: a JSON object with a top-level `error` field, or text that
 * starts with `error` (any case) followed by a non-letter.
 */
export function _looksLikeError(content: string): boolean {
  if (/^\s*error\b/i.test(content)) return true;
  try {
    const parsed: unknown = JSON.parse(content);
    return isRecord(parsed) && parsed.error !== undefined && parsed.error !== null && parsed.error !== false;
  } catch {
    return false;
  }
}

/** Text of a result's content: a string, text parts joined, or JSON. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    const text = _messageText({ content });
    if (text !== '') return text;
  }
  return content === undefined ? '' : JSON.stringify(content);
}

function chatTurns(messages: readonly unknown[]): _ToolTurns {
  const names = new Map<string, string>();
  const turns: _FoundToolResult[][] = [];
  let task: string | undefined;
  let open = false;
  for (const m of messages) {
    if (!isRecord(m)) continue;
    if (m.role === 'user' && task === undefined) task = _messageText(m);
    if (m.role === 'assistant' && Array.isArray(m.tool_calls))
      for (const c of m.tool_calls)
        if (isRecord(c) && typeof c.id === 'string' && isRecord(c.function))
          names.set(c.id, String(c.function.name));
    if (m.role === 'tool') {
      const id = String(m.tool_call_id);
      const content = contentText(m.content);
      if (!open) turns.push([]);
      turns.at(-1)!.push({ id, name: names.get(id), content, isError: _looksLikeError(content) });
      open = true;
    } else open = false;
  }
  return { task: task ?? '', turns };
}

function responsesTurns(body: _Body): _ToolTurns {
  const input = body.input;
  if (typeof input === 'string') return { task: input, turns: [] };
  if (!Array.isArray(input)) return { task: '', turns: [] };
  const names = new Map<string, string>();
  const turns: _FoundToolResult[][] = [];
  let task: string | undefined;
  let open = false;
  for (const item of input) {
    if (!isRecord(item)) continue;
    if (task === undefined && item.role === 'user') task = _messageText(item);
    if (item.type === 'function_call' && typeof item.call_id === 'string')
      names.set(item.call_id, String(item.name));
    if (item.type === 'function_call_output') {
      const id = String(item.call_id);
      const content = contentText(item.output);
      if (!open) turns.push([]);
      turns.at(-1)!.push({ id, name: names.get(id), content, isError: _looksLikeError(content) });
      open = true;
    } else if (item.type !== 'item_reference' && item.type !== 'reasoning') open = false;
  }
  return { task: task ?? '', turns: regroupByMockIds(turns) };
}

function messagesTurns(messages: readonly unknown[]): _ToolTurns {
  const names = new Map<string, string>();
  const turns: _FoundToolResult[][] = [];
  let task: string | undefined;
  for (const m of messages) {
    if (!isRecord(m)) continue;
    const blocks = Array.isArray(m.content) ? m.content.filter(isRecord) : [];
    if (m.role === 'assistant')
      for (const b of blocks) if (b.type === 'tool_use') names.set(String(b.id), String(b.name));
    if (m.role !== 'user') continue;
    const results = blocks.filter((b) => b.type === 'tool_result');
    if (results.length === 0) {
      if (task === undefined) task = _messageText(m);
      continue;
    }
    turns.push(
      results.map((b) => {
        const id = String(b.tool_use_id);
        const content = contentText(b.content);
        return { id, name: names.get(id), content, isError: b.is_error === true || _looksLikeError(content) };
      }),
    );
  }
  return { task: task ?? '', turns };
}

const MOCK_ID = /^call_[0-9a-f]{8}_(\d+)_\d+$/;

/**
 * Responses items interleave calls and outputs (`call A, output A, call B, output B` for one parallel turn), so
 * their structure cannot tell turns apart; when every result carries an id the scripted agent made (which names
 * its turn), the ids decide.
 */
function regroupByMockIds(turns: _FoundToolResult[][]): _FoundToolResult[][] {
  const flat = turns.flat();
  const numbers = flat.map((r) => MOCK_ID.exec(r.id)?.[1]);
  if (flat.length === 0 || numbers.some((n) => n === undefined)) return turns;
  const out: _FoundToolResult[][] = [];
  let last: string | undefined;
  flat.forEach((r, i) => {
    if (numbers[i] !== last) out.push([]);
    last = numbers[i];
    out.at(-1)!.push(r);
  });
  return out;
}

/** The task and tool turns of a model request body (`api` says which wire format it is in). */
export function _toolTurns(api: MockApi, body: _Body): _ToolTurns {
  if (api === 'responses') return responsesTurns(body);
  const messages = Array.isArray(body.messages) ? body.messages : [];
  return api === 'messages' ? messagesTurns(messages) : chatTurns(messages);
}
