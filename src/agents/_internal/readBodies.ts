/**
 * Reads tool calls, text and tool results out of the JSON bodies of one call, whatever API or layer delivered
 * them: OpenAI Chat Completions, OpenAI Responses, Anthropic Messages, and the AI SDK's language-model call
 * options and results (generate and recorded streams), and the SSE text of a streamed OpenAI or Anthropic response.
 * Unknown shapes read as nothing, never as an error.
 * @module
 */
import { _bytesClass, _isBytes } from '../../_internal/bytes.js';
import type { TrajectoryToolCall, TrajectoryToolResult } from '../../core/trajectory.js';
import { _isRecord } from './common.js';
import { _streamedBody } from './readStream.js';

type Rec = Readonly<Record<string, unknown>>;

/** What a response body says: the tool calls it asks for, the results of those a server ran, and its text. */
export interface _ReadResponse {
  readonly api: string | undefined;
  readonly toolCalls: TrajectoryToolCall[];
  /** Results the response itself carries (tools run by the API server: OpenAI Responses `mcp_call` items). */
  readonly toolResults?: TrajectoryToolResult[];
  readonly text: string | undefined;
}

/** Arguments as sent: JSON text parsed, an object kept, anything else as is. */
function parseArguments(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw ?? {};
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

const hasValue = (v: unknown): boolean => v !== undefined && v !== null;

/** An `mcp_call` error: a string, or `{ type, message? , content? }`. */
function mcpError(error: unknown): string {
  if (typeof error === 'string') return error;
  if (_isRecord(error) && typeof error.message === 'string') return error.message;
  if (_isRecord(error) && error.content !== undefined) return textOf(error.content);
  return JSON.stringify(error) ?? '';
}

/** A custom tool's input: free text, not parsed. */
function customInput(raw: unknown): unknown {
  return typeof raw === 'string' ? raw : (raw ?? '');
}

/** Whether a tool result's text reads as an error (see `TrajectoryToolResult.isError`). */
export function _readsAsError(content: string): boolean {
  if (/^\s*error\b/i.test(content)) return true;
  if (!content.trimStart().startsWith('{')) return false;
  try {
    const parsed: unknown = JSON.parse(content);
    return _isRecord(parsed) && parsed.error !== undefined && parsed.error !== null && parsed.error !== false;
  } catch {
    return false;
  }
}

/**
 * A content part that is not text (an image, a file, audio) as a trajectory shows it: its type and media type,
 * `[image image/png]`, `[input_file]`, never its data (a base64 image is hundreds of KB, and every later request
 * of an agent loop carries it again). `undefined` for a part without a `type`.
 */
function partMark(p: Rec): string | undefined {
  if (typeof p.type !== 'string') return undefined;
  const source = _isRecord(p.source) ? p.source : undefined;
  const media = [p.mediaType, p.media_type, source?.media_type].find((m) => typeof m === 'string');
  return `[${p.type}${media === undefined ? '' : ` ${String(media)}`}]`;
}

/**
 * The text of a tool result's content: a string, or its text parts and the marks of its other parts (images,
 * files) in order, one a line; other values as JSON, bytes as their size (JSON would write one key per byte).
 */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    const parts = content.flatMap((p) => {
      if (typeof p === 'string') return [p];
      if (!_isRecord(p)) return [];
      if (typeof p.text === 'string') return [p.text];
      const mark = partMark(p);
      return mark === undefined ? [] : [mark];
    });
    if (parts.length > 0) return parts.join('\n');
  }
  if (_isBytes(content)) return `[${_bytesClass(content)}: ${content.byteLength} bytes]`;
  return content === undefined ? '' : JSON.stringify(content);
}

function joinText(parts: string[]): string | undefined {
  return parts.length === 0 ? undefined : parts.join('');
}

/**
 * The tool calls and text of a response body; a streamed response (its SSE text, as the wrapped client stored it)
 * is read as the body its events add up to (see `_streamedBody`).
 */
export function _readResponse(response: unknown): _ReadResponse {
  if (typeof response === 'string') {
    const body = _streamedBody(response);
    if (body !== undefined) return _readResponse(body);
  }
  if (!_isRecord(response)) return { api: undefined, toolCalls: [], text: undefined };
  // OpenAI Chat Completions.
  if (Array.isArray(response.choices)) {
    const message = _isRecord(response.choices[0])
      ? (response.choices[0].message as Rec | undefined)
      : undefined;
    const calls = Array.isArray(message?.tool_calls) ? message.tool_calls.filter(_isRecord) : [];
    return {
      api: 'openai.chat',
      toolCalls: calls.map((c) => {
        // A custom (free-form) tool's input is text, kept as is; a function's arguments are JSON.
        if (_isRecord(c.custom))
          return {
            id: String(c.id ?? ''),
            name: String(c.custom.name ?? ''),
            arguments: customInput(c.custom.input),
          };
        const fn = _isRecord(c.function) ? c.function : {};
        return {
          id: String(c.id ?? ''),
          name: String(fn.name ?? ''),
          arguments: parseArguments(fn.arguments),
        };
      }),
      text: typeof message?.content === 'string' ? message.content : undefined,
    };
  }
  // OpenAI Responses.
  if (Array.isArray(response.output)) {
    const items = response.output.filter(_isRecord);
    const texts: string[] = [];
    for (const item of items)
      if (item.type === 'message' && Array.isArray(item.content))
        for (const p of item.content)
          if (_isRecord(p) && p.type === 'output_text') texts.push(String(p.text));
    return {
      api: 'openai.responses',
      toolCalls: items
        .filter((i) => i.type === 'function_call' || i.type === 'custom_tool_call' || i.type === 'mcp_call')
        .map((i) => ({
          id: String(i.call_id ?? i.id ?? ''),
          name: String(i.name ?? ''),
          arguments: i.type === 'custom_tool_call' ? customInput(i.input) : parseArguments(i.arguments),
        })),
      // A remote MCP tool runs on the API server: its output or error comes back in the same item.
      toolResults: items
        .filter((i) => i.type === 'mcp_call' && (hasValue(i.output) || hasValue(i.error)))
        .map((i) =>
          hasValue(i.error)
            ? result(i.id, i.name, mcpError(i.error), true)
            : result(i.id, i.name, textOf(i.output), undefined),
        ),
      text: joinText(texts),
    };
  }
  // Anthropic Messages, or an AI SDK generate result (content parts), or a recorded AI SDK stream (parts).
  const parts = Array.isArray(response.content)
    ? response.content
    : Array.isArray(response.parts)
      ? response.parts
      : undefined;
  if (parts !== undefined) {
    const toolCalls: TrajectoryToolCall[] = [];
    const texts: string[] = [];
    let api: string | undefined;
    for (const p of parts) {
      if (!_isRecord(p)) continue;
      if (p.type === 'tool_use') {
        api = 'anthropic.messages';
        toolCalls.push({ id: String(p.id ?? ''), name: String(p.name ?? ''), arguments: p.input ?? {} });
      } else if (p.type === 'tool-call') {
        api = 'ai-sdk';
        toolCalls.push({
          id: String(p.toolCallId ?? ''),
          name: String(p.toolName ?? ''),
          arguments: parseArguments(p.input),
        });
      } else if (p.type === 'text' && typeof p.text === 'string') texts.push(p.text);
      else if (p.type === 'text-delta') {
        api = 'ai-sdk';
        texts.push(String(p.delta ?? p.textDelta ?? ''));
      }
    }
    if (api === undefined)
      api =
        response.type === 'message' || response.role === 'assistant'
          ? 'anthropic.messages'
          : Array.isArray(response.parts) || 'finishReason' in response
            ? 'ai-sdk'
            : undefined;
    return { api, toolCalls, text: joinText(texts) };
  }
  return { api: undefined, toolCalls: [], text: undefined };
}

/** AI SDK tool outputs: `{ type: 'text' | 'json' | 'error-text' | 'error-json' | 'content' | …, value }`. */
function aiSdkOutput(output: unknown): { content: string; isError: boolean | undefined } {
  if (!_isRecord(output)) return { content: textOf(output), isError: undefined };
  const type = String(output.type ?? '');
  const value = output.value;
  const content =
    typeof value === 'string' ? value : type === 'content' ? textOf(value) : JSON.stringify(value);
  return { content, isError: type.startsWith('error') || type === 'execution-denied' ? true : undefined };
}

function result(
  id: unknown,
  name: unknown,
  content: string,
  flagged: boolean | undefined,
): TrajectoryToolResult {
  return {
    id: String(id ?? ''),
    ...(typeof name === 'string' ? { name } : {}),
    content,
    isError: flagged ?? _readsAsError(content),
  };
}

/** The tool results a request body carries (the whole conversation's), in order. */
export function _readToolResults(request: unknown): TrajectoryToolResult[] {
  if (!_isRecord(request)) return [];
  const out: TrajectoryToolResult[] = [];
  // OpenAI Responses input items.
  if (Array.isArray(request.input))
    for (const item of request.input)
      if (
        _isRecord(item) &&
        (item.type === 'function_call_output' || item.type === 'custom_tool_call_output')
      )
        out.push(result(item.call_id, undefined, textOf(item.output), undefined));
  const params = _isRecord(request.params) ? request.params : undefined;
  const messages = Array.isArray(request.messages)
    ? request.messages
    : Array.isArray(params?.prompt)
      ? params.prompt
      : [];
  for (const m of messages) {
    if (!_isRecord(m)) continue;
    // OpenAI Chat tool messages.
    if (m.role === 'tool' && m.tool_call_id !== undefined) {
      out.push(result(m.tool_call_id, undefined, textOf(m.content), undefined));
      continue;
    }
    if (!Array.isArray(m.content)) continue;
    for (const p of m.content) {
      if (!_isRecord(p)) continue;
      // Anthropic tool_result blocks.
      if (p.type === 'tool_result')
        out.push(result(p.tool_use_id, undefined, textOf(p.content), p.is_error === true ? true : undefined));
      // AI SDK tool-result parts.
      else if (p.type === 'tool-result') {
        const o = aiSdkOutput(p.output ?? p.result);
        out.push(result(p.toolCallId, p.toolName, o.content, p.isError === true ? true : o.isError));
      }
    }
  }
  return out;
}
