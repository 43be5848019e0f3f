import { countTokens } from 'gpt-tokenizer';
import { _describe } from '../_internal/describe.js';
import { _AS_TEXT } from '../_internal/tokenizeAsText.js';

/** A chat message as the mock reads it: a role and string or text-part content. */
interface _MessageLike {
  readonly content?: unknown;
}

/**
 * Counts tokens the way the mock server reports usage: gpt-tokenizer's `o200k_base` encoding (the one of
 * gpt-4o and later), applied to text only.
 *
 * For a string, the number of its tokens. For chat messages, the sum over messages of the tokens of each
 * message's text (string content, or its `text` parts joined by newlines), with no per-message overhead; this
 * is the mock's `prompt_tokens`. `completion_tokens` is the same count over each choice's content (plus the
 * name and arguments of each tool call), summed over choices. Embedding `prompt_tokens` is the sum over inputs.
 * Estimators that use the same encoding reconcile exactly with the mock's usage.
 *
 * @param input - Text, or chat messages (`{ role, content }`).
 * @returns The token count, an integer >= 0.
 * @throws TypeError if `input` is neither a string nor an array.
 * @example
 * ```ts
 * countMockTokens('hello world'); // => 2
 * countMockTokens([{ role: 'user', content: 'hello world' }, { role: 'user', content: 'hi' }]); // => 3
 * ```
 */
export function countMockTokens(input: string | readonly _MessageLike[]): number {
  if (typeof input === 'string') return input.length === 0 ? 0 : countTokens(input, _AS_TEXT);
  if (!Array.isArray(input))
    throw new TypeError(`Expected \`input\` to be a string or an array of messages, got ${_describe(input)}`);
  let total = 0;
  for (const message of input) total += countMockTokens(_messageText(message));
  return total;
}

/** Text of a message: string content, or the `text` of its parts joined by newlines. */
export function _messageText(message: _MessageLike | undefined): string {
  const content = message?.content;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    const texts: string[] = [];
    for (const part of content) {
      if (part !== null && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string')
        texts.push((part as { text: string }).text);
    }
    return texts.join('\n');
  }
  return '';
}
