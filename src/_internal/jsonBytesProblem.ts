/**
 * Bytes in a value JSON would write: a typed array (`Uint8Array`, `Float32Array`, a Node `Buffer`), a `DataView`
 * or an `ArrayBuffer`. JSON writes a typed array as an object of numbers (`{"0":137,"1":80,…}`, a Buffer as
 * `{"type":"Buffer","data":[…]}`) and the others as `{}`, so what is read back is another value, several times
 * larger than the bytes (a 300 KB image becomes 3.7 MB of JSON as a Uint8Array, 1.1 MB as a Buffer).
 * @module
 */

import { _childPath } from './jsonCarryProblem.js';

/** A byte container as a message names it: its class's name with its article (`a Uint8Array`, `an ArrayBuffer`). */
function bytesName(v: ArrayBufferView | ArrayBufferLike): string {
  const raw = (v as { constructor?: { name?: unknown } }).constructor?.name;
  const name = typeof raw === 'string' && raw !== '' ? raw : 'byte array';
  return `${/^[AEIOaeio]/.test(name) ? 'an' : 'a'} ${name}`;
}

/**
 * The first place in `value` that holds bytes, as `'<path>: a <Class> of <n> bytes'`, or `undefined` when there
 * are none. Walks what `JSON.stringify` writes (arrays and objects' own enumerable fields), but not into an
 * object with its own `toJSON` (the caller chose how it is written), a `Map` or a `Set` (written as `{}`).
 * @example
 * ```ts
 * _jsonBytesProblem({ input: { image: new Uint8Array(3) } }, 'example');
 * // => 'example.input.image: a Uint8Array of 3 bytes'
 * ```
 * @internal
 */
export function _jsonBytesProblem(value: unknown, path: string): string | undefined {
  const ancestors: object[] = [];
  const visit = (v: unknown, at: string): string | undefined => {
    if (v === null || typeof v !== 'object') return undefined;
    if (ArrayBuffer.isView(v)) return `${at}: ${bytesName(v)} of ${v.byteLength} bytes`;
    if (
      v instanceof ArrayBuffer ||
      (typeof SharedArrayBuffer === 'function' && v instanceof SharedArrayBuffer)
    )
      return `${at}: ${bytesName(v)} of ${v.byteLength} bytes`;
    if (v instanceof Map || v instanceof Set) return undefined;
    if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return undefined;
    if (ancestors.includes(v)) return undefined; // a cycle: _jsonWriteProblem names it
    ancestors.push(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const p = visit(v[i], _childPath(at, i));
        if (p !== undefined) return p;
      }
    } else {
      for (const key of Object.keys(v)) {
        const p = visit((v as Record<string, unknown>)[key], _childPath(at, key));
        if (p !== undefined) return p;
      }
    }
    ancestors.pop();
    return undefined;
  };
  return visit(value, path);
}
