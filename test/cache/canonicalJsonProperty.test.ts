import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { _canonicalJson } from '../../src/cache/cacheKey.js';
import { cacheKey } from '../../src/cache/index.js';

/**
 * The definition the fast serializer must match, written plainly: JSON.stringify for scalars, arrays in order
 * (`null` for undefined slots), object members sorted by key in code-unit order with undefined values left
 * out. (An object cannot be rebuilt with its keys sorted: integer-like keys always come first.)
 */
function reference(value: unknown): string {
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : reference(v))).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const rec = value as Record<string, unknown>;
  const members = Object.keys(rec)
    .sort()
    .filter((k) => rec[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${reference(rec[k])}`);
  return `{${members.join(',')}}`;
}

// Strings with what JSON escapes (quotes, backslashes, control characters, lone and paired surrogates).
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('"', '\\', '\u0000', '\u001f', '\u007f', '\ud800', '\udfff', '😀', 'a\nb', 'é'),
);
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value')),
    fc.dictionary(text, fc.oneof(tie('value'), fc.constant(undefined))),
  ),
})).value;

describe('_canonicalJson against its definition', () => {
  it('equals its plain definition (JSON.stringify, keys sorted) for any JSON value (seeded)', () => {
    fc.assert(
      fc.property(json, (v) => {
        expect(_canonicalJson(v)).toBe(reference(v));
      }),
      { seed: 20, numRuns: 2000 },
    );
  });

  it('sorts the keys of objects small and large, in any insertion order, as keys.sort() does (seeded)', () => {
    // The serializer sorts up to 16 keys in place and more with Array.prototype.sort: both sides of that line,
    // keys sharing prefixes and differing by case, digits or surrogate halves (code-unit order, not code points).
    const key = fc.oneof(
      text,
      fc.constantFrom('a', 'A', 'aa', 'a0', 'b', '_', 'Z', '\uffff', '\ud83d\ude00', '\ud800', ''),
      fc.stringMatching(/^[a-c]{0,3}$/),
    );
    fc.assert(
      fc.property(fc.uniqueArray(key, { maxLength: 40, size: 'max' }), fc.boolean(), (keys, reversed) => {
        const ordered = reversed ? [...keys].reverse() : keys;
        const obj = Object.fromEntries(ordered.map((k, i) => [k, i]));
        expect(_canonicalJson(obj)).toBe(reference(obj));
        expect(_canonicalJson([obj, { nested: obj }])).toBe(reference([obj, { nested: obj }]));
      }),
      { seed: 22, numRuns: 1000 },
    );
  });

  it('cacheKey is the SHA-256 of that text, whichever hash function the runtime offers (seeded)', () => {
    fc.assert(
      fc.property(json, fc.nat(5), (v, trial) => {
        const want = createHash('sha256')
          .update(reference({ request: v, trial }))
          .digest('hex');
        expect(cacheKey(v, trial)).toBe(want);
      }),
      { seed: 21, numRuns: 500 },
    );
  });
});

describe('cacheKey of binary data (property)', () => {
  const kinds = [
    'Uint8Array',
    'Int8Array',
    'Uint16Array',
    'Float64Array',
    'Buffer',
    'DataView',
    'ArrayBuffer',
  ] as const;
  type Kind = (typeof kinds)[number];
  const make = (kind: Kind, b: Uint8Array): unknown => {
    const copy = new Uint8Array(b).buffer;
    switch (kind) {
      case 'Uint8Array':
        return new Uint8Array(copy);
      case 'Int8Array':
        return new Int8Array(copy);
      case 'Uint16Array':
        return new Uint16Array(copy.slice(0, copy.byteLength - (copy.byteLength % 2)));
      case 'Float64Array':
        return new Float64Array(copy.slice(0, copy.byteLength - (copy.byteLength % 8)));
      case 'Buffer':
        return Buffer.from(copy);
      case 'DataView':
        return new DataView(copy);
      case 'ArrayBuffer':
        return copy;
    }
  };
  const bytesOf = (v: unknown): string => {
    const view = ArrayBuffer.isView(v) ? v : new Uint8Array(v as ArrayBuffer);
    return Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('hex');
  };
  it('two binary values share a key exactly when they are the same kind with the same bytes (seeded)', () => {
    const value = fc.record({ kind: fc.constantFrom(...kinds), bytes: fc.uint8Array({ maxLength: 24 }) });
    fc.assert(
      fc.property(value, value, json, (x, y, around) => {
        const a = make(x.kind, x.bytes);
        const b = make(y.kind, y.bytes);
        const same = x.kind === y.kind && bytesOf(a) === bytesOf(b);
        expect(cacheKey({ around, data: a }) === cacheKey({ around, data: b })).toBe(same);
        // and never the key of the JSON value the SDK would write for it
        expect(cacheKey({ around, data: a })).not.toBe(
          cacheKey({ around, data: JSON.parse(JSON.stringify(a)) }),
        );
      }),
      { seed: 23, numRuns: 500 },
    );
  });
});
