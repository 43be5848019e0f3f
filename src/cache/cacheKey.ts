import { Buffer } from 'node:buffer';
import * as crypto from 'node:crypto';
import { _bytesKind, _isBytes } from '../_internal/bytes.js';
import { _checkInteger } from '../_internal/validate.js';

/**
 * Top-level request fields that never change the answer and must never reach the cache (credentials,
 * transport settings). They are dropped before hashing so that rotating a key keeps the cache valid.
 */
const TRANSPORT_FIELDS = new Set([
  'apiKey',
  'api_key',
  'authorization',
  'Authorization',
  'headers',
  'extra_headers',
  'extraHeaders',
  'signal',
  'timeout',
]);

/**
 * Serializes a JSON value with object keys sorted recursively (code-unit order), so that two requests that
 * differ only in key order serialize identically. Follows `JSON.stringify` for what it keeps: `toJSON()` is
 * honoured, a boxed number, string or boolean is written as its primitive,
 * object properties whose value is `undefined` are omitted, arrays keep their order. One departure: binary data
 * (a typed array, a Buffer, a DataView, an ArrayBuffer) is written as `<Kind base64-of-its-bytes>`, which is not
 * JSON (see `binaryText`): keyed by its bytes in milliseconds, where JSON's one member per element took seconds
 * per megabyte.
 *
 * @throws {TypeError} for values JSON cannot represent faithfully (functions, symbols, bigints, non-finite
 *   numbers, cycles): silently turning them into `null` would let different requests share a key.
 * @internal
 */
export function _canonicalJson(value: unknown): string {
  return serialize(value, [], []);
}

/** `$.a[0].b` from the keys walked so far; built only for error messages. */
function pathOf(trail: readonly (string | number)[]): string {
  let p = '$';
  for (const k of trail) p += typeof k === 'number' ? `[${k}]` : `.${k}`;
  return p;
}

/** A string `JSON.stringify` writes as is between quotes: no quote, backslash, control character or surrogate. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what JSON escapes.
const PLAIN_STRING = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/** `JSON.stringify(s)`, without its call for the strings most requests are made of (plain text). */
function quote(s: string): string {
  return PLAIN_STRING.test(s) ? `"${s}"` : JSON.stringify(s);
}

// Hot path of every cached call: plain string concatenation, keys sorted only when they are not already, and
// the error path (`trail`) kept as a stack that is turned into text only when something is wrong. Objects are
// written in place (no recursion for strings, numbers and booleans), and the cycle check looks at the objects
// being written, which are few (the nesting depth).
function serialize(value: unknown, trail: (string | number)[], stack: object[]): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value))
        throw new TypeError(`Cannot hash \`${pathOf(trail)}\`: ${value} is not a finite number`);
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new TypeError(`Cannot hash \`${pathOf(trail)}\`: a ${typeof value} is not JSON`);
  }
  const obj = value as { toJSON?: () => unknown };
  const proto: unknown = Object.getPrototypeOf(obj);
  const plain = proto === Object.prototype || proto === Array.prototype || proto === null;
  if (!plain) {
    // Before toJSON: a Buffer's toJSON lists its bytes as numbers.
    const bytes = binaryText(obj);
    if (bytes !== undefined) return bytes;
    // A Blob (a File) shows no bytes to a synchronous reader: as JSON writes it, `{}`, any two would share a key.
    if (typeof Blob === 'function' && obj instanceof Blob)
      throw new TypeError(
        `Cannot hash \`${pathOf(trail)}\`: a ${obj.constructor.name} holds its bytes out of reach of a synchronous hash; put its bytes (a Uint8Array) in the request`,
      );
  }
  if (typeof obj.toJSON === 'function') return serialize(obj.toJSON(), trail, stack);
  if (!plain) {
    // JSON.stringify writes a boxed primitive as the primitive (`new Number(5)` as `5`): keyed by its own
    // properties instead, every boxed number or boolean would share the key of `{}`.
    const primitive = unboxed(obj);
    if (primitive !== NOT_BOXED) return serialize(primitive, trail, stack);
  }
  if (stack.includes(obj)) throw new TypeError(`Cannot hash \`${pathOf(trail)}\`: the value is circular`);
  stack.push(obj);
  let out: string;
  if (Array.isArray(obj)) {
    out = '[';
    for (let i = 0; i < obj.length; i++) {
      if (i > 0) out += ',';
      const v: unknown = obj[i];
      // JSON.stringify writes `null` for undefined array slots; so do we, positions carry meaning.
      if (v === undefined || v === null) out += 'null';
      else if (typeof v === 'string') out += quote(v);
      else {
        trail.push(i);
        out += serialize(v, trail, stack);
        trail.pop();
      }
    }
    out += ']';
  } else {
    const rec = obj as Record<string, unknown>;
    const keys = Object.keys(rec);
    sortKeys(keys);
    out = '{';
    for (const k of keys) {
      const v = rec[k];
      if (v === undefined) continue;
      if (out.length > 1) out += ',';
      out += quote(k);
      if (typeof v === 'string') out += `:${quote(v)}`;
      else {
        trail.push(k);
        out += `:${serialize(v, trail, stack)}`;
        trail.pop();
      }
    }
    out += '}';
  }
  stack.pop();
  return out;
}

const NOT_BOXED: unique symbol = Symbol('not boxed');

/**
 * Binary data (a typed array, a Buffer, a DataView, an ArrayBuffer) as `<Kind base64>`: its kind and its bytes,
 * or `undefined` for any other object.
 *
 * Written as `JSON.stringify` writes them, a typed array became one member per element, `{"0":137,"1":80,...}`,
 * with its index keys sorted: ~12 characters and a string compare per byte, ~1.6 s to key a request holding a
 * 1 MB image (the AI SDK hands a provider its images and files as Uint8Array), and an ArrayBuffer or a DataView
 * became `{}`, so any two shared a key. The bytes themselves in base64 are ~1.33 characters per byte, keyed in
 * ~5 ms per MB, and two values share this text only when they are the same kind with the same bytes. No JSON
 * value is written with `<`, so this text never equals a JSON value's. Properties added to such an object (not
 * its elements) are not part of the key.
 */
function binaryText(obj: object): string | undefined {
  if (!_isBytes(obj)) return undefined;
  // The kind by internal slots (`_bytesKind`), not by class name: a subclass keys as the bytes it holds.
  const bytes = ArrayBuffer.isView(obj)
    ? Buffer.from(obj.buffer, obj.byteOffset, obj.byteLength)
    : Buffer.from(obj);
  return `<${_bytesKind(obj)} ${bytes.toString('base64')}>`;
}

/**
 * The primitive a `Number`, `String`, `Boolean` or `BigInt` object wraps (told by its internal slot, as
 * `JSON.stringify` tells it, not by its prototype), or {@link NOT_BOXED}. A boxed symbol is not unwrapped:
 * `JSON.stringify` writes it as an object.
 */
function unboxed(obj: object): unknown {
  for (const primitiveOf of BOXED_VALUE_OF) {
    try {
      return primitiveOf.call(obj);
    } catch {
      // not this kind of box
    }
  }
  return NOT_BOXED;
}
const BOXED_VALUE_OF: readonly ((this: unknown) => unknown)[] = [
  Number.prototype.valueOf,
  String.prototype.valueOf,
  Boolean.prototype.valueOf,
  BigInt.prototype.valueOf,
];

/** Above this many keys an object's keys are sorted by `Array.prototype.sort`, below it in place. */
const INSERTION_SORT_MAX = 16;

/**
 * Sorts an object's keys in code-unit order, as `keys.sort()` does, leaving sorted keys as they are. A request's
 * objects have a few keys each: V8's `sort` allocates a work array per call (~0.8 KB, three per chat completion),
 * an insertion sort in place allocates nothing. Keys of one object are distinct, so the order is total.
 */
function sortKeys(keys: string[]): void {
  const n = keys.length;
  if (n > INSERTION_SORT_MAX) {
    keys.sort();
    return;
  }
  for (let i = 1; i < n; i++) {
    const k = keys[i] as string;
    let j = i - 1;
    if ((keys[j] as string) <= k) continue;
    do {
      keys[j + 1] = keys[j] as string;
      j--;
    } while (j >= 0 && (keys[j] as string) > k);
    keys[j + 1] = k;
  }
}

/**
 * The cache key of a request: SHA-256 (hex) of the canonical JSON of `{ request, trial }`.
 *
 * The request is everything that changes the answer — model, messages or prompt, sampling parameters, tools,
 * response format, seed — and the trial index makes k trials k independent cache entries. Keys are sorted
 * recursively, so key order never matters. Transport fields at the top level of the request (`apiKey`,
 * `api_key`, `authorization`, `headers`, `extra_headers`, `extraHeaders`, `signal`, `timeout`) are dropped:
 * they never change the answer and must never be hashed into, or stored in, a cache.
 *
 * @param request - the request body, a JSON value (binary data in it, such as an image as a Uint8Array, is keyed by its bytes).
 * @param trial - trial index, an integer `>= 0`. @default 0
 * @param api - the API the request is sent to, when equal bodies could go to several. @default none
 * @returns 64 lowercase hex characters.
 * @throws {TypeError} when the request holds something JSON cannot represent (function, bigint, NaN, cycle).
 * @example
 * ```ts
 * cacheKey({ model: 'gpt-4o-mini', temperature: 0 }) === cacheKey({ temperature: 0, model: 'gpt-4o-mini' });
 * // => true
 * cacheKey({ model: 'gpt-4o-mini' }, 1) === cacheKey({ model: 'gpt-4o-mini' }, 0);
 * // => false
 * ```
 */
export function cacheKey(request: unknown, trial = 0, api?: string): string {
  _checkInteger('trial', trial, 0);
  let body = request;
  if (request !== null && typeof request === 'object' && !Array.isArray(request)) {
    const rec = request as Record<string, unknown>;
    if (Object.keys(rec).some((k) => TRANSPORT_FIELDS.has(k))) {
      body = Object.fromEntries(Object.entries(rec).filter(([k]) => !TRANSPORT_FIELDS.has(k)));
    }
  }
  return sha256Hex(
    _canonicalJson(api === undefined ? { request: body, trial } : { api, request: body, trial }),
  );
}

/**
 * The key of the n-th repetition (n >= 1) of a request whose key is `key`, within one phase of one row: an entry
 * of its own, so that a pipeline asking the same thing again (a self-consistency sample, a judge averaged over
 * calls, a loop asking until the answer parses) gets another answer, as it does without a cache. The hashed text
 * is not JSON, so it never equals the key of any request. Not part of the public API.
 */
export function repeatedKey(key: string, n: number): string {
  return sha256Hex(`${key} repeat ${n}`);
}

/**
 * SHA-256 of a string as hex: the one-shot `crypto.hash` where the runtime has it (Node.js >= 20.12 / 21.7,
 * about five times faster for a request-sized string than a `Hash` object), else `createHash`. Same digest.
 */
const sha256Hex: (text: string) => string =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (text) =>
        (crypto as unknown as { hash(alg: string, data: string, enc: 'hex'): string }).hash(
          'sha256',
          text,
          'hex',
        )
    : (text) => crypto.createHash('sha256').update(text).digest('hex');
