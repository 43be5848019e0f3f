import type { Model } from '../types.js';

/**
 * Marks a model that routes its own network calls through `ctx.runtime` (cache, rate limits, retries,
 * per-attempt timeouts). evaluate() wraps every other model in one runtime call of its own.
 */
export const _RUNTIME_AWARE: unique symbol = Symbol.for('evalgate.runtimeAware');

/** A model carrying the runtime-aware mark. */
export type _RuntimeAwareModel = Model & { readonly [_RUNTIME_AWARE]: true };

export function _isRuntimeAware(model: Model): model is _RuntimeAwareModel {
  return (model as Partial<_RuntimeAwareModel>)[_RUNTIME_AWARE] === true;
}

export function _markRuntimeAware(model: Model): _RuntimeAwareModel {
  Object.defineProperty(model, _RUNTIME_AWARE, { value: true });
  return model as _RuntimeAwareModel;
}
