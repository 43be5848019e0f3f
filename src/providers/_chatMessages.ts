import { _describe } from '../_internal/describe.js';
import { _checkOptionsObject } from '../_internal/validate.js';
import type { Example } from '../core/types.js';

/** A chat message as the prompt builders produce it (the openai SDK's param type, structurally). */
export interface _ChatMessage {
  readonly role: string;
  readonly content?: unknown;
}

/** How `openaiModel()` (and `estimateCost()`, which must count the same prompt) turn an example into messages. */
export interface _PromptOptions<M extends _ChatMessage> {
  readonly model: string;
  readonly prompt?: (example: Example) => string | readonly M[];
  readonly system?: string;
}

/** Validates the shared options: an options object with a non-empty `model` and an optional `prompt` function. */
export function _checkPromptOptions(options: unknown): void {
  _checkOptionsObject('options', options);
  if (options === undefined)
    throw new TypeError(`Expected \`options\` to be an options object, got ${_describe(options)}`);
  const o = options as { model?: unknown; prompt?: unknown; system?: unknown };
  if (typeof o.model !== 'string' || o.model.length === 0)
    throw new TypeError(`Expected \`model\` to be a non-empty string, got ${_describe(o.model)}`);
  if (o.prompt !== undefined && typeof o.prompt !== 'function')
    throw new TypeError(`Expected \`prompt\` to be a function, got ${_describe(o.prompt)}`);
  if (o.system !== undefined && typeof o.system !== 'string')
    throw new TypeError(`Expected \`system\` to be a string, got ${_describe(o.system)}`);
}

/**
 * The messages of one example: `prompt(example)` when given, else the input itself when it is a string or
 * `{ messages }`, else its JSON; a string becomes one user message, after `system` when there is one.
 * @throws {TypeError} When `prompt` returns neither a string nor an array.
 */
export function _chatMessages<M extends _ChatMessage>(
  example: Example,
  options: _PromptOptions<M>,
): readonly M[] {
  let p: string | readonly M[];
  if (options.prompt) p = options.prompt(example);
  else {
    const input = example.input;
    const messages = (input as { messages?: unknown } | null)?.messages;
    p =
      typeof input === 'string' ? input : Array.isArray(messages) ? (messages as M[]) : JSON.stringify(input);
  }
  if (typeof p === 'string') {
    const user = { role: 'user', content: p } as unknown as M;
    return options.system === undefined
      ? [user]
      : [{ role: 'system', content: options.system } as unknown as M, user];
  }
  if (!Array.isArray(p))
    throw new TypeError(`\`prompt\` must return a string or a message array, got ${_describe(p)}`);
  return p;
}
