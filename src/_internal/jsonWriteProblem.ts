/**
 * What makes `JSON.stringify` throw: a BigInt (a primitive or a boxed one, without a `toJSON`) or a cycle. Its own
 * messages name neither the field nor the record (`Do not know how to serialize a BigInt`); this finds the field.
 * @module
 */

import { _childPath } from './jsonCarryProblem.js';

/**
 * The first place in `value` that makes `JSON.stringify(value)` throw, as `'<path>: <what>'`, or `undefined`
 * when it writes. Walks as `JSON.stringify` does: `toJSON(key)` first, then the value it gives; functions,
 * symbols and `undefined` are left out, not problems.
 * @example
 * ```ts
 * _jsonWriteProblem({ input: { n: 10n } }, 'example');
 * // => 'example.input.n: a BigInt (JSON cannot write it)'
 * ```
 * @internal
 */
export function _jsonWriteProblem(value: unknown, path: string): string | undefined {
  const ancestors: object[] = [];
  const visit = (raw: unknown, key: string, at: string): string | undefined => {
    let v = raw;
    if ((typeof v === 'object' && v !== null) || typeof v === 'bigint') {
      const toJSON = (v as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') v = toJSON.call(v, key);
    }
    if (typeof v === 'bigint' || v instanceof BigInt) return `${at}: a BigInt (JSON cannot write it)`;
    if (v === null || typeof v !== 'object') return undefined;
    if (ancestors.includes(v)) return `${at}: a cyclic reference (JSON cannot write it)`;
    ancestors.push(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const p = visit(v[i], String(i), _childPath(at, i));
        if (p !== undefined) return p;
      }
    } else {
      for (const k of Object.keys(v)) {
        const p = visit((v as Record<string, unknown>)[k], k, _childPath(at, k));
        if (p !== undefined) return p;
      }
    }
    ancestors.pop();
    return undefined;
  };
  return visit(value, '', path);
}
