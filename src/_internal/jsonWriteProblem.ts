/**
 * What `JSON.stringify` cannot write, and the bytes it writes as another value, found in one walk. It throws on a
 * BigInt (a primitive or a boxed one, without a `toJSON`) or a cycle, with messages that name neither the field
 * nor the record (`Do not know how to serialize a BigInt`); and it writes bytes (a typed array, a Buffer, a
 * DataView, an ArrayBuffer) as an object of numbers or `{}`, which reads back as another value. This finds the
 * field of either.
 * @module
 */

import { _blobName, _bytesName, _isBytes } from './bytes.js';
import { _childPath } from './jsonCarryProblem.js';

/**
 * What one walk of {@link _jsonWriteProblems} looks for, and where it stops:
 * - `'write'`: what makes `JSON.stringify` throw; stops at the first.
 * - `'bytes'`: bytes; stops at the first, and looks neither for the rest nor where no bytes check goes (inside
 *   bytes, a `Map`, a `Set`, or an object with its own `toJSON`), so it calls no `toJSON`.
 * - `'write-then-bytes'`: both, as `'write'` then `'bytes'` would find them in two walks: stops at the first
 *   write problem, and reports the first bytes too when there is none.
 * @internal
 */
export type _JsonWriteSeek = 'write' | 'bytes' | 'write-then-bytes';

/** What one walk found, each as `'<path>: <what>'` (or `undefined`: none found, or not looked for). @internal */
export interface _JsonWriteProblems {
  /** The first place that makes `JSON.stringify` throw: `'<path>: a BigInt (JSON cannot write it)'`. */
  readonly write: string | undefined;
  /** The first bytes: `'<path>: a Uint8Array of 3 bytes'`; with a write problem, only if met before it. */
  readonly bytes: string | undefined;
}

/** `root` extended by each key of `trail` (numbers are array indices): `example.input.image`, `example.x[1]`. */
function pathOf(root: string, trail: readonly (string | number)[]): string {
  let at = root;
  for (const key of trail) at = _childPath(at, key);
  return at;
}

/** A value neither check finds anything in (a string, a number, a boolean, null, undefined, a function, a symbol). */
const inert = (v: unknown): boolean => v === null || (typeof v !== 'object' && typeof v !== 'bigint');

/**
 * The problems `seek` asks for in `value`, found in one walk. Walks as `JSON.stringify` does (`toJSON(key)` first,
 * then the value it gives; arrays by index, objects by their own enumerable string keys; functions, symbols and
 * `undefined` are left out, not problems). The bytes check sees each value before its `toJSON` (a Buffer, not
 * its JSON) and stops at bytes, a `Map`, a `Set` and an object with its own `toJSON` (the caller chose how it is
 * written). Paths are built only for what is found, so a clean value costs no strings.
 * @example
 * ```ts
 * _jsonWriteProblems({ input: { image: Buffer.alloc(2), n: 1n } }, 'example', 'write-then-bytes');
 * // => { write: 'example.input.n: a BigInt (JSON cannot write it)', bytes: 'example.input.image: a Buffer of 2 bytes' }
 * ```
 * @internal
 */
export function _jsonWriteProblems(value: unknown, path: string, seek: _JsonWriteSeek): _JsonWriteProblems {
  const seekWrite = seek !== 'bytes';
  const seekBytes = seek !== 'write';
  let write: string | undefined;
  let bytes: string | undefined;
  const ancestors: object[] = [];
  const trail: (string | number)[] = [];
  // `reach`: the bytes check looks at `raw` (no bytes, Map, Set or `toJSON` object above it); once bytes are found it
  // looks no further. Returns true to stop.
  const visit = (raw: unknown, key: string | number, reach: boolean): boolean => {
    let v = raw;
    if (reach && bytes === undefined && typeof v === 'object' && v !== null) {
      if (_isBytes(v) || v instanceof Blob) {
        // A Blob (a File) keeps its bytes out of reach; JSON writes it as {} all the same.
        const size = v instanceof Blob ? v.size : v.byteLength;
        bytes = `${pathOf(path, trail)}: ${v instanceof Blob ? _blobName(v) : _bytesName(v)} of ${size} bytes`;
        if (!seekWrite) return true;
        reach = false;
      } else if (
        v instanceof Map ||
        v instanceof Set ||
        typeof (v as { toJSON?: unknown }).toJSON === 'function'
      )
        reach = false;
    }
    if (seekWrite) {
      if ((typeof v === 'object' && v !== null) || typeof v === 'bigint') {
        const toJSON = (v as { toJSON?: unknown }).toJSON;
        if (typeof toJSON === 'function') v = toJSON.call(v, String(key));
      }
      if (typeof v === 'bigint' || v instanceof BigInt) {
        write = `${pathOf(path, trail)}: a BigInt (JSON cannot write it)`;
        return true;
      }
    } else if (!reach) return false;
    if (v === null || typeof v !== 'object') return false;
    if (ancestors.includes(v)) {
      if (!seekWrite) return false; // a cycle: the write walk names it
      write = `${pathOf(path, trail)}: a cyclic reference (JSON cannot write it)`;
      return true;
    }
    ancestors.push(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const child: unknown = v[i];
        if (inert(child)) continue;
        trail.push(i);
        if (visit(child, i, reach)) return true;
        trail.pop();
      }
    } else {
      for (const k of Object.keys(v)) {
        const child = (v as Record<string, unknown>)[k];
        if (inert(child)) continue;
        trail.push(k);
        if (visit(child, k, reach)) return true;
        trail.pop();
      }
    }
    ancestors.pop();
    return false;
  };
  visit(value, '', seekBytes);
  return { write, bytes };
}

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
  return _jsonWriteProblems(value, path, 'write').write;
}
