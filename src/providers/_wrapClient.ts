/**
 * What every wrapped SDK client shares: methods replaced by path on a proxy that leaves everything else (other
 * resources, `instanceof`, options) untouched, and the request options a call through the runtime sends.
 * @module
 */
import type { CallKind } from '../core/types.js';
import { _activeScope, type _CallScope } from '../scheduler/callScope.js';

/** A method replacement: receives the original bound method and the active scope (undefined outside a run). */
export type _MethodWrapper = (
  original: (...args: unknown[]) => unknown,
  scope: _CallScope,
  args: unknown[],
) => unknown;

/** Marks proxies made here, so wrapping twice is wrapping once. */
const wrapped = new WeakSet<object>();

/**
 * Returns a proxy of `client` whose methods at the given paths (e.g. `['chat', 'completions', 'create']`) run
 * `wrapper` inside a run and the original outside one.
 */
export function _wrapMethods<C extends object>(client: C, methods: Record<string, _MethodWrapper>): C {
  if (wrapped.has(client)) return client;
  const byPrefix = new Map<string, Map<string, _MethodWrapper>>();
  for (const [path, wrapper] of Object.entries(methods)) {
    const parts = path.split('.');
    const method = parts.pop()!;
    const prefix = parts.join('.');
    if (!byPrefix.has(prefix)) byPrefix.set(prefix, new Map());
    byPrefix.get(prefix)!.set(method, wrapper);
  }
  const prefixes = [...byPrefix.keys()];
  const proxy = (target: object, at: string): object =>
    new Proxy(target, {
      get(t, prop, receiver) {
        const value = Reflect.get(t, prop, receiver);
        if (typeof prop !== 'string') return value;
        const path = at === '' ? prop : `${at}.${prop}`;
        const wrapper = byPrefix.get(at)?.get(prop);
        if (wrapper !== undefined && typeof value === 'function') {
          return (...args: unknown[]) => {
            const original = (...a: unknown[]) => (value as (...x: unknown[]) => unknown).apply(t, a);
            const scope = _activeScope();
            return scope === undefined ? original(...args) : wrapper(original, scope, args);
          };
        }
        if (
          value !== null &&
          typeof value === 'object' &&
          prefixes.some((p) => p === path || p.startsWith(`${path}.`))
        )
          return proxy(value, path);
        return value;
      },
    });
  const p = proxy(client, '') as C;
  wrapped.add(p);
  return p;
}

/** A signal that aborts when either does. */
export function _anySignal(a: AbortSignal, b: unknown): AbortSignal {
  return b instanceof AbortSignal ? AbortSignal.any([a, b]) : a;
}

/**
 * The request options of one attempt through the runtime: the caller's options, the attempt's signal (joined
 * with the caller's own), and the SDK's retries off (the runtime retries, so each attempt is counted once).
 */
export function _attemptOptions(options: unknown, signal: AbortSignal): Record<string, unknown> {
  const o = options !== null && typeof options === 'object' ? (options as Record<string, unknown>) : {};
  return { ...o, signal: _anySignal(signal, o.signal), maxRetries: 0 };
}

/** The kind of a chat-like call in a scope: the model under test while it runs, a judge while metrics score. */
export function _chatKind(scope: _CallScope): CallKind {
  return scope.phase === 'model' ? 'model' : 'judge';
}
