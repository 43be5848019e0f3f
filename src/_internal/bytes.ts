/**
 * Bytes, as every part of evalgate tells them apart from other objects: a typed array (`Uint8Array`,
 * `Float32Array`, a Node `Buffer`), a `DataView`, an `ArrayBuffer` or a `SharedArrayBuffer`, from this realm or
 * another (a `vm` context, a worker's transfer). JSON writes none of them as bytes (a typed array as an object of
 * numbers, a Buffer as `{"type":"Buffer","data":[…]}`, the others as `{}`), so the record writers refuse them, the
 * cache key writes their bytes, and trajectories show their size instead.
 * @module
 */
import { Buffer } from 'node:buffer';
import { isAnyArrayBuffer, isSharedArrayBuffer } from 'node:util/types';

/** A byte container: what {@link _isBytes} accepts. @internal */
export type _Bytes = ArrayBufferView | ArrayBufferLike;

/**
 * Whether `value` is bytes: a typed array, a Buffer, a DataView, an ArrayBuffer or a SharedArrayBuffer, told by
 * its internal slots (not by `instanceof`, which misses another realm's). A `Blob` is not: it holds its bytes out of
 * reach of a synchronous reader.
 * @example
 * ```ts
 * _isBytes(new Uint8Array(3)); // => true
 * _isBytes([1, 2, 3]); // => false
 * ```
 * @internal
 */
export function _isBytes(value: unknown): value is _Bytes {
  return ArrayBuffer.isView(value) || isAnyArrayBuffer(value);
}

/** The getter of `%TypedArray%.prototype[Symbol.toStringTag]`: a typed array's own kind, whatever its class says. */
const typedArrayKind = Object.getOwnPropertyDescriptor(
  Object.getPrototypeOf(Uint8Array.prototype) as object,
  Symbol.toStringTag,
)?.get as (this: unknown) => string | undefined;

/**
 * The layout of `bytes`, told by its internal slots: `Buffer`, the typed array's own kind (`Uint8Array`,
 * `Float32Array`, also for a subclass), `DataView`, `ArrayBuffer` or `SharedArrayBuffer`. A subclass or a changed
 * `constructor` does not change it, so it can key a cache; messages name the class instead ({@link _bytesName}).
 * @example
 * ```ts
 * class Image extends Uint8Array {}
 * _bytesKind(new Image(3)); // => 'Uint8Array'
 * ```
 * @internal
 */
export function _bytesKind(bytes: _Bytes): string {
  if (ArrayBuffer.isView(bytes))
    return Buffer.isBuffer(bytes) ? 'Buffer' : (typedArrayKind.call(bytes) ?? 'DataView');
  return isSharedArrayBuffer(bytes) ? 'SharedArrayBuffer' : 'ArrayBuffer';
}

/**
 * The class of `bytes` as a message names it: its constructor's name (`Uint8Array`, `Buffer`, a subclass's own),
 * or `byte array` when it has none.
 * @example
 * ```ts
 * _bytesClass(Buffer.alloc(2)); // => 'Buffer'
 * ```
 * @internal
 */
export function _bytesClass(bytes: _Bytes): string {
  const raw = (bytes as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof raw === 'string' && raw !== '' ? raw : 'byte array';
}

/**
 * The class of `bytes` with its article, as a sentence names it: `a Uint8Array`, `an ArrayBuffer`, `a Buffer`.
 * @example
 * ```ts
 * `${_bytesName(new Int16Array(2))} of 4 bytes`; // => 'an Int16Array of 4 bytes'
 * ```
 * @internal
 */
export function _bytesName(bytes: _Bytes): string {
  const name = _bytesClass(bytes);
  return `${/^[AEIOaeio]/.test(name) ? 'an' : 'a'} ${name}`;
}

/**
 * A `Blob` (a `File`) with its article, as a sentence names it: `a Blob`, `a File`. JSON writes one as `{}`, so the
 * record writers refuse it as they refuse bytes ({@link _isBytes} does not take it: its bytes are out of reach of
 * a synchronous reader).
 * @example
 * ```ts
 * _blobName(new File(['x'], 'a.txt')); // => 'a File'
 * ```
 * @internal
 */
export function _blobName(blob: Blob): string {
  return blob instanceof File ? 'a File' : 'a Blob';
}
