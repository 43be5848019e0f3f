/**
 * Reads a streamed response — the SSE text a wrapped client stored, sent to the SDK and replays from the cache —
 * as the response body it adds up to, so the recorder reads a streamed call's tool calls and text as it reads the
 * same call unstreamed.
 * @module
 */
import { _sseData } from '../../_internal/sseData.js';
import { _isRecord } from './common.js';

type Rec = Readonly<Record<string, unknown>>;

/** The JSON `data` of an SSE text's events, in order (`[DONE]` and data that is not JSON left out; see {@link _sseData}). */
function events(text: string): Rec[] {
  const out: Rec[] = [];
  for (const data of _sseData(text)) {
    if (data === '' || data.trim() === '[DONE]') continue;
    try {
      const v: unknown = JSON.parse(data);
      if (_isRecord(v)) out.push(v);
    } catch {
      // Not a JSON event: a keep-alive, or a body that is no stream.
    }
  }
  return out;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * Chat Completions chunks as one `chat.completion`: the first choice's content deltas joined, and its tool calls
 * assembled by `index` — the id, type and name from the chunk that gives them, the arguments (or a custom tool's
 * input) concatenated in the order the pieces came.
 */
function chatBody(chunks: readonly Rec[]): Rec {
  let content: string | null = null;
  const calls = new Map<number, { id: string; name: string; args: string; custom: boolean }>();
  for (const chunk of chunks) {
    const choices = chunk.choices as unknown[];
    for (const [i, choice] of choices.entries()) {
      if (!_isRecord(choice) || (choice.index ?? i) !== 0 || !_isRecord(choice.delta)) continue;
      const delta = choice.delta;
      if (typeof delta.content === 'string') content = (content ?? '') + delta.content;
      if (!Array.isArray(delta.tool_calls)) continue;
      for (const [k, tc] of delta.tool_calls.entries()) {
        if (!_isRecord(tc)) continue;
        const at = typeof tc.index === 'number' ? tc.index : k;
        const call = calls.get(at) ?? { id: '', name: '', args: '', custom: false };
        calls.set(at, call);
        if (str(tc.id) !== '') call.id = str(tc.id);
        const part = _isRecord(tc.custom) ? tc.custom : _isRecord(tc.function) ? tc.function : undefined;
        if (part === undefined) continue;
        call.custom ||= _isRecord(tc.custom) || tc.type === 'custom';
        if (str(part.name) !== '') call.name = str(part.name);
        call.args += str(call.custom ? part.input : part.arguments);
      }
    }
  }
  const toolCalls = [...calls.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, c]) =>
      c.custom
        ? { id: c.id, type: 'custom', custom: { name: c.name, input: c.args } }
        : { id: c.id, type: 'function', function: { name: c.name, arguments: c.args } },
    );
  return {
    choices: [
      { message: { role: 'assistant', content, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) } },
    ],
  };
}

/**
 * Responses events as one response: the one a terminal event carries (`response.completed`, `.incomplete`,
 * `.failed`), or, when none came, the items of the `response.output_item.done` events in output order.
 */
function responsesBody(all: readonly Rec[]): Rec {
  for (let i = all.length - 1; i >= 0; i--) {
    const e = all[i]!;
    const terminal =
      e.type === 'response.completed' || e.type === 'response.incomplete' || e.type === 'response.failed';
    if (terminal && _isRecord(e.response) && Array.isArray(e.response.output)) return e.response;
  }
  const done = all.filter((e) => e.type === 'response.output_item.done' && _isRecord(e.item));
  done.sort((a, b) => Number(a.output_index ?? 0) - Number(b.output_index ?? 0));
  return { output: done.map((e) => e.item) };
}

/**
 * Messages events as one message: each content block from its `content_block_start`, a text block's
 * `text_delta`s joined, a `tool_use` block's `input_json_delta` pieces joined and parsed (kept as text when the
 * joined pieces are not JSON, as a function call's unparseable arguments are).
 */
function messagesBody(all: readonly Rec[]): Rec {
  const blocks = new Map<number, { block: Record<string, unknown>; json: string }>();
  for (const e of all) {
    const at = typeof e.index === 'number' ? e.index : -1;
    if (e.type === 'content_block_start' && _isRecord(e.content_block))
      blocks.set(at, { block: { ...e.content_block }, json: '' });
    else if (e.type === 'content_block_delta' && _isRecord(e.delta)) {
      const b = blocks.get(at);
      if (b === undefined) continue;
      if (e.delta.type === 'text_delta') b.block.text = str(b.block.text) + str(e.delta.text);
      else if (e.delta.type === 'input_json_delta') b.json += str(e.delta.partial_json);
    }
  }
  const content = [...blocks.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, { block, json }]) => {
      if (block.type !== 'tool_use' || json.trim() === '') return block;
      try {
        return { ...block, input: JSON.parse(json) as unknown };
      } catch {
        return { ...block, input: json };
      }
    });
  return { type: 'message', role: 'assistant', content };
}

/**
 * The response body a streamed response adds up to, read from its SSE text: OpenAI Chat Completions chunks,
 * OpenAI Responses events or Anthropic Messages events. `undefined` when the text holds none of them (plain text,
 * an AI SDK stream, which its wrapper records as parts).
 *
 * @example
 * ```ts
 * _streamedBody('data: {"choices":[{"index":0,"delta":{"content":"Hi"}}]}\n\ndata: [DONE]\n\n');
 * // => { choices: [{ message: { role: 'assistant', content: 'Hi' } }] }
 * ```
 */
export function _streamedBody(text: string): Rec | undefined {
  const all = events(text);
  if (all.some((e) => Array.isArray(e.choices))) return chatBody(all.filter((e) => Array.isArray(e.choices)));
  if (all.some((e) => typeof e.type === 'string' && e.type.startsWith('response.')))
    return responsesBody(all);
  if (all.some((e) => e.type === 'message_start' || e.type === 'content_block_start'))
    return messagesBody(all);
  return undefined;
}
