/**
 * Bytes in a value JSON would write: a typed array (`Uint8Array`, `Float32Array`, a Node `Buffer`), a `DataView`
 * or an `ArrayBuffer`. JSON writes a typed array as an object of numbers (`{"0":137,"1":80,…}`, a Buffer as
 * `{"type":"Buffer","data":[…]}`) and the others as `{}`, so what is read back is another value, several times
 * larger than the bytes (a 300 KB image becomes 3.7 MB of JSON as a Uint8Array, 1.1 MB as a Buffer).
 * @module
 */

import { _jsonWriteProblems } from './jsonWriteProblem.js';

/**
 * The first place in `value` that holds bytes, as `'<path>: a <Class> of <n> bytes'`, or `undefined` when there
 * are none. Walks what `JSON.stringify` writes (arrays and objects' own enumerable fields), but not into an
 * object with its own `toJSON` (the caller chose how it is written), a `Map` or a `Set` (written as `{}`). The
 * walk is {@link _jsonWriteProblems}'s (`'write-then-bytes'` finds these bytes and what JSON cannot write in one).
 * @example
 * ```ts
 * _jsonBytesProblem({ input: { image: new Uint8Array(3) } }, 'example');
 * // => 'example.input.image: a Uint8Array of 3 bytes'
 * ```
 * @internal
 */
export function _jsonBytesProblem(value: unknown, path: string): string | undefined {
  return _jsonWriteProblems(value, path, 'bytes').bytes;
}
