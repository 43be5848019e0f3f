/**
 * What the SDK adapters share: joined abort signals and the kind of a chat-like call in a scope.
 * @module
 */

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
