import { createRequire } from 'node:module';
import { _AS_TEXT } from '../_internal/tokenizeAsText.js';
import { countMediaTokens } from './mediaTokens.js';

/**
 * Token estimates made before a call, with `gpt-tokenizer` (o200k_base, the encoding of the gpt-4o / gpt-4.1 /
 * o-series families). Chat framing follows OpenAI's published accounting: about 3 tokens per message plus 3
 * to prime the reply.
 * @module
 * @internal
 */

// Loaded on first use: the tokenizer's tables take ~120 ms to load, and only runs with a TPM limit or a cost
// estimate need them, so `import 'evalgate'` should not pay for it.
const requireLazy = createRequire(import.meta.url);
let tokenizer: typeof import('gpt-tokenizer') | undefined;
function countTokens(text: string): number {
  tokenizer ??= requireLazy('gpt-tokenizer') as typeof import('gpt-tokenizer');
  return tokenizer.countTokens(text, _AS_TEXT);
}

const PER_MESSAGE = 3;
const REPLY_PRIMING = 3;

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    // Content parts: count the text ones; others (images, audio) have no text to count.
    let s = '';
    for (const part of content) {
      if (typeof part === 'string') s += part;
      else if (part !== null && typeof part === 'object') s += partText(part);
    }
    return s;
  }
  return content === undefined || content === null ? '' : JSON.stringify(content);
}

/**
 * The text of a content part or an input item: its `text`; else what an agent loop sends back, which the provider
 * counts as prompt all the same: a tool result's `content` (Anthropic's `tool_result`), a function call's `output`
 * or `arguments` (Responses items); and the text of an Anthropic document's source (a plain-text document's
 * `data`, a custom-content document's blocks). Bytes are not text: a base64 image or PDF (`source.data` of type
 * `'base64'`, a data URL) is left out, where reading it would count a 500 KB image as ~170k tokens; its tokens
 * are estimated from its size or pages by `countMediaTokens` instead.
 */
function partText(part: object): string {
  const p = part as {
    text?: unknown;
    content?: unknown;
    output?: unknown;
    arguments?: unknown;
    source?: { type?: unknown; data?: unknown; content?: unknown } | null;
  };
  if (typeof p.text === 'string') return p.text;
  let s = p.content === undefined || p.content === null ? '' : textOf(p.content);
  if (p.source?.type === 'text' && typeof p.source.data === 'string') s += p.source.data;
  else if (p.source?.type === 'content' && p.source.content != null) s += textOf(p.source.content);
  if (typeof p.output === 'string') s += p.output;
  if (typeof p.arguments === 'string') s += p.arguments;
  return s;
}

/** The arguments of the tool calls a chat message replays (`tool_calls[].function.arguments`). */
function toolCallText(message: object): string {
  const calls = (message as { tool_calls?: unknown }).tool_calls;
  if (!Array.isArray(calls)) return '';
  let s = '';
  for (const c of calls) {
    const args = (c as { function?: { arguments?: unknown } } | null)?.function?.arguments;
    if (typeof args === 'string') s += args;
  }
  return s;
}

/**
 * Prompt tokens of a request: the contents of `messages` (chat), `input` (responses / embeddings: a string or
 * strings) or `prompt` (completions), and the system prompt sent beside them (Anthropic's `system`, a string or
 * text blocks; the Responses API's `instructions`), each counted with the tokenizer.
 * @internal
 */
export function countPromptTokens(request: unknown): number {
  if (request === null || typeof request !== 'object')
    return typeof request === 'string' ? countTokens(request) : 0;
  const r = request as {
    messages?: unknown;
    input?: unknown;
    prompt?: unknown;
    system?: unknown;
    instructions?: unknown;
  };
  let n = 0;
  // The provider counts a system prompt against the token limit like any other prompt text.
  for (const system of [r.system, r.instructions]) {
    if (typeof system !== 'string' && !Array.isArray(system)) continue;
    const text = textOf(system);
    if (text !== '') n += countTokens(text);
  }
  if (Array.isArray(r.messages)) {
    for (const m of r.messages) {
      n += PER_MESSAGE;
      if (m !== null && typeof m === 'object') {
        const text = textOf((m as { content?: unknown }).content) + toolCallText(m);
        if (text !== '') n += countTokens(text);
      }
    }
    n += REPLY_PRIMING;
  }
  for (const field of [r.input, r.prompt]) {
    if (typeof field === 'string') n += countTokens(field);
    else if (Array.isArray(field)) {
      for (const item of field) {
        if (typeof item === 'string') n += countTokens(item);
        else if (item !== null && typeof item === 'object') {
          const text = partText(item);
          if (text !== '') n += countTokens(text) + PER_MESSAGE;
        }
      }
    }
  }
  return n;
}

/**
 * Tokens a request may use, for the TPM budget: prompt tokens (its text, counted with the tokenizer, and its images
 * and PDFs, estimated by {@link countMediaTokens}) plus `max_completion_tokens` / `max_tokens` /
 * `max_output_tokens` when the request sets one (an upper bound), else `expectedOutputTokens`.
 * @example
 * ```ts
 * _estimateRequestTokens({ max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, 256); // => 17 (1 + 3 + 3, then 10)
 * ```
 * @internal
 */
export function _estimateRequestTokens(request: unknown, expectedOutputTokens: number): number {
  let completion = expectedOutputTokens;
  if (request !== null && typeof request === 'object') {
    const r = request as Record<string, unknown>;
    for (const f of ['max_completion_tokens', 'max_tokens', 'max_output_tokens']) {
      const v = r[f];
      if (typeof v === 'number' && Number.isFinite(v) && v >= 0) {
        completion = v;
        break;
      }
    }
    // Embedding requests produce no completion tokens.
    if (typeof r.model === 'string' && r.model.includes('embedding')) completion = 0;
  }
  return countPromptTokens(request) + countMediaTokens(request) + completion;
}
