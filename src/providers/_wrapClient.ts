/**
 * What the SDK adapters share: joined abort signals, the kind of a chat-like call in a scope, and how a value
 * that is not a client is named in an error.
 * @module
 */

import { _describe } from '../_internal/describe.js';
import type { CallScope } from '../calls/callScope.js';
import type { CallKind } from '../core/types.js';

/** A signal that aborts when either does. */
export function _anySignal(a: AbortSignal, b: unknown): AbortSignal {
  return b instanceof AbortSignal ? AbortSignal.any([a, b]) : a;
}

/** The kind of a chat-like call in a scope: the model under test while it runs, a judge while metrics score. */
export function _chatKind(scope: CallScope): CallKind {
  return scope.phase === 'model' ? 'model' : 'judge';
}

/**
 * A value given as `client` that is not one, for an error message: as {@link _describe} shows it, except that a
 * string's content is never shown (a string where a client belongs is most likely the API key itself, and the
 * message ends up in test output and CI logs).
 * @example
 * ```ts
 * _describeClient('sk-proj-…'); // => 'a string of 164 characters (not shown: it may be an API key; pass a client made with it)'
 * ```
 */
export function _describeClient(value: unknown): string {
  return typeof value === 'string'
    ? `a string of ${value.length} characters (not shown: it may be an API key; pass a client made with it)`
    : _describe(value);
}
