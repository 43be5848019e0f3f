import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { _canonicalJson } from '../../src/cache/cacheKey.js';
import { cacheKey } from '../../src/cache/index.js';

const request = {
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Capital of France?' },
  ],
  temperature: 0,
  seed: 7,
  response_format: {
    type: 'json_schema',
    json_schema: { name: 'a', schema: { type: 'object', properties: { b: {}, a: {} } } },
  },
};

/** Rebuilds an object with its keys in reverse order, recursively. */
function reversed(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversed);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .reverse()
        .map(([k, x]) => [k, reversed(x)]),
    );
  return v;
}

describe('_canonicalJson', () => {
  it('sorts keys recursively and keeps array order', () => {
    expect(_canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });
  it('omits undefined properties like JSON.stringify and honours toJSON', () => {
    expect(_canonicalJson({ a: undefined, b: new Date(0), c: [undefined] })).toBe(
      '{"b":"1970-01-01T00:00:00.000Z","c":[null]}',
    );
  });
  it('equals JSON.stringify for already-sorted plain data', () => {
    const v = { a: 'é\n"', b: [1.5, -0, 1e21, true, false, null], c: { d: '' } };
    expect(_canonicalJson(v)).toBe(JSON.stringify(v));
  });
  it.each([
    [{ a: Number.NaN }, 'Cannot hash `$.a`: NaN is not a finite number'],
    [{ a: [1, Number.POSITIVE_INFINITY] }, 'Cannot hash `$.a[1]`: Infinity is not a finite number'],
    [{ f: () => 1 }, 'Cannot hash `$.f`: a function is not JSON'],
    [{ n: 1n }, 'Cannot hash `$.n`: a bigint is not JSON'],
  ])('rejects %o', (value, message) => {
    expect(() => _canonicalJson(value)).toThrow(new TypeError(message));
  });
  it('rejects cycles but accepts shared (non-circular) references', () => {
    const shared = { x: 1 };
    expect(_canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    expect(() => _canonicalJson(cyc)).toThrow(new TypeError('Cannot hash `$.self`: the value is circular'));
  });
});

describe('cacheKey', () => {
  it('is the SHA-256 hex of the canonical JSON of { request, trial }', () => {
    const want = createHash('sha256')
      .update(_canonicalJson({ request, trial: 0 }))
      .digest('hex');
    expect(cacheKey(request)).toBe(want);
    expect(cacheKey(request)).toMatch(/^[0-9a-f]{64}$/);
  });
  it('does not depend on key order at any depth', () => {
    expect(JSON.stringify(reversed(request))).not.toBe(JSON.stringify(request));
    expect(cacheKey(reversed(request))).toBe(cacheKey(request));
  });
  it('changes with everything that changes the answer', () => {
    const base = cacheKey(request);
    const variants = [
      { ...request, model: 'gpt-4o' },
      { ...request, temperature: 0.5 },
      { ...request, seed: 8 },
      { ...request, messages: request.messages.slice(1) },
      { ...request, messages: [...request.messages].reverse() },
      { ...request, tools: [{ type: 'function', function: { name: 'f' } }] },
      { ...request, response_format: { type: 'text' } },
    ];
    const keys = new Set(variants.map((v) => cacheKey(v)));
    expect(keys.size).toBe(variants.length);
    expect(keys.has(base)).toBe(false);
  });
  it('gives each trial its own key', () => {
    const keys = new Set([0, 1, 2].map((t) => cacheKey(request, t)));
    expect(keys.size).toBe(3);
    expect(cacheKey(request, 0)).toBe(cacheKey(request));
  });
  it('ignores credentials and transport fields at the top level', () => {
    const withSecrets = {
      ...request,
      apiKey: 'sk-secret',
      api_key: 'sk-secret',
      headers: { Authorization: 'Bearer sk-secret' },
      extra_headers: { 'x-request-id': 'abc' },
      timeout: 1000,
    };
    expect(cacheKey(withSecrets)).toBe(cacheKey(request));
  });
  it.each([
    [-1, RangeError, 'Expected `trial` to be an integer >= 0, got `-1` (number)'],
    [1.5, RangeError, 'Expected `trial` to be an integer >= 0, got `1.5` (number)'],
    ['1', TypeError, 'Expected `trial` to be an integer >= 0, got `"1"` (string)'],
  ])('rejects trial %o', (trial, Err, message) => {
    expect(() => cacheKey(request, trial as number)).toThrow(new Err(message));
  });
});

describe('cacheKey of boxed primitives', () => {
  // Regression: a boxed primitive was keyed by its own properties, so `new Number(5)` and `new Number(6)` (and
  // both booleans) shared the key of `{}`, and `new String('ab')` that of `{ 0: 'a', 1: 'b' }`, while the SDK,
  // which sends JSON.stringify's text, sends 5, 6, true, false and "ab".
  it.each([
    [new Number(5), 5],
    [new Number(-1.5e-7), -1.5e-7],
    [new String('ab'), 'ab'],
    [new String(''), ''],
    [new Boolean(false), false],
    [new Boolean(true), true],
  ])('keys %o as the primitive JSON.stringify sends', (boxed, primitive) => {
    const body = { messages: [boxed], model: 'm', temperature: boxed };
    expect(JSON.stringify(body)).toBe(
      JSON.stringify({ messages: [primitive], model: 'm', temperature: primitive }),
    );
    expect(_canonicalJson(body)).toBe(JSON.stringify(body));
    expect(cacheKey(body)).toBe(cacheKey({ model: 'm', temperature: primitive, messages: [primitive] }));
  });
  it('gives requests that differ only in a boxed value different keys', () => {
    const keys = [
      new Number(5),
      new Number(6),
      new Boolean(false),
      new Boolean(true),
      {},
      new String('ab'),
      { 0: 'a', 1: 'b' },
    ].map((v) => cacheKey({ model: 'm', x: v }));
    expect(new Set(keys).size).toBe(keys.length);
  });
  it('refuses a boxed BigInt, as JSON.stringify does, naming the field', () => {
    expect(() => JSON.stringify({ n: Object(1n) })).toThrow(TypeError);
    expect(() => _canonicalJson({ n: Object(1n) })).toThrow(
      new TypeError('Cannot hash `$.n`: a bigint is not JSON'),
    );
  });
  it('keeps Map, Set, RegExp and boxed symbols as JSON.stringify writes them ({}): the SDK sends those bytes', () => {
    for (const v of [new Map([[1, 2]]), new Set([1]), /a/g, Object(Symbol('s'))])
      expect(_canonicalJson({ x: v })).toBe(JSON.stringify({ x: v }));
  });
});

describe('cacheKey of binary data', () => {
  // The AI SDK hands a provider its images and files as Uint8Array: keyed as JSON.stringify writes one (a member
  // per byte, index keys sorted), 1 MB took ~1.6 s to key, and an ArrayBuffer or a DataView keyed like `{}`.
  const bytes = (...b: number[]) => new Uint8Array(b);
  const keyOf = (x: unknown) =>
    cacheKey({ model: 'm', messages: [{ role: 'user', content: [{ data: x }] }] });

  it('gives binary values of another kind or other bytes other keys, and equal ones the same key', () => {
    const u = bytes(1, 2, 3);
    const values: unknown[] = [
      u,
      bytes(1, 2, 4),
      bytes(1, 2),
      bytes(),
      new Int8Array([1, 2, 3]),
      new Uint8ClampedArray([1, 2, 3]),
      new Uint16Array([1, 2, 3]),
      new Float32Array([1, 2, 3]),
      Buffer.from([1, 2, 3]),
      new DataView(u.buffer),
      u.buffer,
      new ArrayBuffer(0),
      new ArrayBuffer(3),
      { 0: 1, 1: 2, 2: 3 },
      [1, 2, 3],
      {},
      'AQID',
      '<Uint8Array AQID>',
    ];
    const keys = values.map(keyOf);
    expect(new Set(keys).size).toBe(values.length);
    expect(keyOf(bytes(1, 2, 3))).toBe(keys[0]);
    expect(keyOf(new Uint8Array([1, 2, 3]).buffer)).toBe(keys[10]);
  });

  it('keys a view by the bytes it shows, not by the rest of its buffer', () => {
    const whole = bytes(9, 1, 2, 3, 9);
    const part = whole.subarray(1, 4);
    expect(keyOf(part)).toBe(keyOf(bytes(1, 2, 3)));
    expect(keyOf(new DataView(whole.buffer, 1, 3))).toBe(keyOf(new DataView(bytes(1, 2, 3).buffer)));
    expect(keyOf(whole.subarray(0, 3))).not.toBe(keyOf(part));
  });

  it('hashes about 4 characters per 3 bytes: a 1 MB image is ~1.33 MB of text, not ~12 MB', () => {
    const image = new Uint8Array(1_000_000).map((_, i) => (i * 31) % 256);
    const text = _canonicalJson({ data: image });
    expect(text.length).toBeLessThan(1_400_000);
    expect(text).toBe(`{"data":<Uint8Array ${Buffer.from(image).toString('base64')}>}`);
  });

  it('refuses a Blob or a File (its bytes cannot be read synchronously) rather than keying it like {}', () => {
    for (const [v, name] of [
      [new Blob(['a']), 'Blob'],
      [new File(['b'], 'b.txt'), 'File'],
    ] as const)
      expect(() => keyOf(v)).toThrow(
        new TypeError(
          `Cannot hash \`$.request.messages[0].content[0].data\`: a ${name} holds its bytes out of reach of a synchronous hash; put its bytes (a Uint8Array) in the request`,
        ),
      );
  });

  it('keeps key-order invariance around binary values', () => {
    const a = { z: bytes(1), a: new DataView(bytes(2).buffer), m: [bytes(3)] };
    const b = { m: [bytes(3)], a: new DataView(bytes(2).buffer), z: bytes(1) };
    expect(cacheKey(a)).toBe(cacheKey(b));
  });
});
