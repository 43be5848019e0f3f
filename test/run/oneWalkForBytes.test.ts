/**
 * One walk where there were two, one namer where there were four: the checks a record goes through before it is
 * written find what they found before, in the same order.
 *
 * Before, `refuseUnwritable` (src/run/Run.ts) walked each example twice (what `JSON.stringify` cannot write, then
 * bytes), `recordLine` (src/run/sinks.ts) walked `details` for bytes with path strings made at every node, and
 * bytes were told apart and named in four places (`_jsonBytesProblem`, the cache key's `binaryText`, the
 * trajectory's `bytesMark`, the tool result's `textOf`). The old functions are copied below from the commit
 * before (5b309bb) as `old…`, and serve as the oracle: on random nested values mixing plain JSON, bytes of every
 * kind, -0, NaN, undefined, functions, symbols, cycles and shared references, BigInts (boxed too), Dates, Maps,
 * Sets and `toJSON` objects, the new code reports exactly what they reported.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { _bytesClass, _bytesKind, _bytesName, _isBytes } from '../../src/_internal/bytes.js';
import { _jsonBytesProblem } from '../../src/_internal/jsonBytesProblem.js';
import { _childPath } from '../../src/_internal/jsonCarryProblem.js';
import { _jsonWriteProblem, _jsonWriteProblems } from '../../src/_internal/jsonWriteProblem.js';
import type { Example } from '../../src/index.js';
import type { ExampleRecord } from '../../src/result/EvalResult.js';
import { _refuseUnwritable } from '../../src/run/Run.js';
import { _recordLine } from '../../src/run/sinks.js';

// ---- The oracle: the functions of 5b309bb, as they were ----

/** src/_internal/jsonWriteProblem.ts `_jsonWriteProblem` at 5b309bb. */
function oldJsonWriteProblem(value: unknown, path: string): string | undefined {
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

/** src/_internal/jsonBytesProblem.ts `bytesName` at 5b309bb. */
function oldBytesName(v: ArrayBufferView | ArrayBufferLike): string {
  const raw = (v as { constructor?: { name?: unknown } }).constructor?.name;
  const name = typeof raw === 'string' && raw !== '' ? raw : 'byte array';
  return `${/^[AEIOaeio]/.test(name) ? 'an' : 'a'} ${name}`;
}

/** src/_internal/jsonBytesProblem.ts `_jsonBytesProblem` at 5b309bb. */
function oldJsonBytesProblem(value: unknown, path: string): string | undefined {
  const ancestors: object[] = [];
  const visit = (v: unknown, at: string): string | undefined => {
    if (v === null || typeof v !== 'object') return undefined;
    if (ArrayBuffer.isView(v)) return `${at}: ${oldBytesName(v)} of ${v.byteLength} bytes`;
    if (
      v instanceof ArrayBuffer ||
      (typeof SharedArrayBuffer === 'function' && v instanceof SharedArrayBuffer)
    )
      return `${at}: ${oldBytesName(v)} of ${v.byteLength} bytes`;
    if (v instanceof Map || v instanceof Set) return undefined;
    if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return undefined;
    if (ancestors.includes(v)) return undefined;
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

/** src/run/Run.ts `refuseUnwritable` at 5b309bb: the message it threw, or `undefined`. */
function oldRefuseUnwritable(example: unknown, output: string): string | undefined {
  const at = `dataset row 0 ("x"): \`output\` writes each record to "${output}" as JSON`;
  const problem = oldJsonWriteProblem(example, 'example');
  if (problem !== undefined)
    return `${at}, which cannot write ${problem}. Convert the field (a BigInt to a string or a number, a cycle to plain data), or run without \`output\``;
  const bytes = oldJsonBytesProblem(example, 'example');
  if (bytes !== undefined)
    return `${at}, which would read back ${bytes} as another value (JSON writes bytes as an object of numbers, or {}). Keep a file path, a URL or a base64 string in the example and read the bytes in the model, or run without \`output\``;
  return undefined;
}

/** src/run/sinks.ts `recordLine` at 5b309bb: its line, or the message it threw. */
function oldRecordLine(path: string, record: ExampleRecord): { line: string } | { thrown: string } {
  const bytes = oldJsonBytesProblem(record.details, 'record.details');
  if (bytes !== undefined)
    return {
      thrown: `Writing records to "${path}" failed: the record of example "${record.id}" (trial ${record.trial}) holds ${bytes}, which would read back as another value (JSON writes bytes as an object of numbers, or {})`,
    };
  try {
    return { line: JSON.stringify(record) };
  } catch (err) {
    const problem = oldJsonWriteProblem(record, 'record');
    if (problem === undefined) return { thrown: (err as Error).message };
    return {
      thrown: `Writing records to "${path}" failed: the record of example "${record.id}" (trial ${record.trial}) holds ${problem}`,
    };
  }
}

/** src/agents/trajectoryRecorder.ts `bytesMark` at 5b309bb (without its `mark` callback). */
function oldBytesMark(value: unknown): string | undefined {
  if (!ArrayBuffer.isView(value) && !(value instanceof ArrayBuffer)) return undefined;
  const name = value.constructor.name;
  return `…[truncated: ${/^[AEIO]/.test(name) ? 'an' : 'a'} ${name} of ${value.byteLength} bytes]`;
}

/** src/agents/_internal/readBodies.ts `textOf` at 5b309bb: its bytes branch. */
function oldTextOfBytes(content: unknown): string | undefined {
  if (ArrayBuffer.isView(content) || content instanceof ArrayBuffer)
    return `[${content.constructor.name}: ${content.byteLength} bytes]`;
  return undefined;
}

const oldTypedArrayKind = Object.getOwnPropertyDescriptor(
  Object.getPrototypeOf(Uint8Array.prototype) as object,
  Symbol.toStringTag,
)?.get as (this: unknown) => string | undefined;

/** src/cache/cacheKey.ts `binaryText` at 5b309bb: the kind it wrote before the base64 (`undefined`: not bytes). */
function oldBinaryKind(obj: object): string | undefined {
  if (ArrayBuffer.isView(obj))
    return Buffer.isBuffer(obj) ? 'Buffer' : (oldTypedArrayKind.call(obj) ?? 'DataView');
  if (obj instanceof ArrayBuffer) return 'ArrayBuffer';
  if (obj instanceof SharedArrayBuffer) return 'SharedArrayBuffer';
  return undefined;
}

// ---- Random values, built fresh from a plain description on every run (fast-check replays descriptions) ----

class Image extends Uint8Array {}
class Embedding extends Float32Array {}

/** Bytes of every kind, `n` elements long. */
const BYTES: readonly ((n: number) => object)[] = [
  (n) => new Uint8Array(n),
  (n) => new Int8Array(n),
  (n) => new Uint8ClampedArray(n),
  (n) => new Int16Array(n),
  (n) => new Uint16Array(n),
  (n) => new Int32Array(n),
  (n) => new Uint32Array(n),
  (n) => new Float32Array(n),
  (n) => new Float64Array(n),
  (n) => new BigInt64Array(n), // its elements are BigInts: JSON.stringify throws on them
  (n) => new BigUint64Array(n),
  (n) => Buffer.alloc(n), // has its own toJSON
  (n) => new DataView(new ArrayBuffer(n)),
  (n) => new ArrayBuffer(n),
  (n) => new SharedArrayBuffer(n),
  (n) => new Image(n),
  (n) => new Embedding(n),
];

type Spec =
  | { readonly t: 'prim'; readonly v: unknown }
  | { readonly t: 'fn' }
  | { readonly t: 'bytes'; readonly k: number; readonly n: number }
  | { readonly t: 'date'; readonly ms: number }
  | { readonly t: 'boxedBigInt'; readonly v: bigint }
  | { readonly t: 'arr'; readonly items: readonly Spec[] }
  | { readonly t: 'obj'; readonly entries: readonly (readonly [string, Spec])[] }
  | { readonly t: 'map'; readonly items: readonly Spec[]; readonly own: Spec | undefined }
  | { readonly t: 'set'; readonly items: readonly Spec[] }
  | { readonly t: 'toJSON'; readonly inner: Spec };

const prim = fc.oneof(
  fc.string({ maxLength: 4 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constantFrom(null, undefined, -0, 0, NaN, Number.POSITIVE_INFINITY),
  fc.bigInt({ min: -10n, max: 10n }),
  fc.constant(Symbol('s')),
);

const KEYS = fc.oneof(
  fc.string({ maxLength: 3 }),
  fc.constantFrom('a', 'b', 'image', 'a b', '0', '__proto__', 'constructor', 'toJSON', '$x'),
);

const { spec } = fc.letrec<{ spec: Spec; leaf: Spec }>((tie) => ({
  leaf: fc.oneof(
    { weight: 4, arbitrary: prim.map((v): Spec => ({ t: 'prim', v })) },
    {
      weight: 3,
      arbitrary: fc.record({
        t: fc.constant('bytes' as const),
        k: fc.nat({ max: BYTES.length - 1 }),
        n: fc.nat({ max: 4 }),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ t: 'fn' } as const) },
    {
      weight: 1,
      arbitrary: fc.record({
        t: fc.constant('date' as const),
        ms: fc.oneof(fc.integer({ min: 0, max: 2e12 }), fc.constant(Number.NaN)),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ t: fc.constant('boxedBigInt' as const), v: fc.bigInt({ min: 0n, max: 9n }) }),
    },
  ),
  spec: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 3, arbitrary: tie('leaf') },
    {
      weight: 3,
      arbitrary: fc.record({
        t: fc.constant('arr' as const),
        items: fc.array(tie('spec'), { maxLength: 4 }),
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        t: fc.constant('obj' as const),
        entries: fc.array(fc.tuple(KEYS, tie('spec')), { maxLength: 4 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        t: fc.constant('map' as const),
        items: fc.array(tie('spec'), { maxLength: 2 }),
        own: fc.option(tie('spec'), { nil: undefined }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        t: fc.constant('set' as const),
        items: fc.array(tie('spec'), { maxLength: 2 }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('toJSON' as const), inner: tie('spec') }) },
  ),
}));

/** The value `s` describes, every object new; `containers` collects the arrays and plain objects made. */
function build(s: Spec, containers: object[]): unknown {
  switch (s.t) {
    case 'prim':
      return s.v;
    case 'fn':
      return () => 1;
    case 'bytes':
      return BYTES[s.k]!(s.n);
    case 'date':
      return new Date(s.ms);
    case 'boxedBigInt':
      return Object(s.v);
    case 'arr': {
      const a = s.items.map((i) => build(i, containers));
      containers.push(a);
      return a;
    }
    case 'obj': {
      // fromEntries defines own fields (`__proto__` included), as JSON.parse does.
      const o = Object.fromEntries(s.entries.map(([k, v]) => [k, build(v, containers)]));
      containers.push(o);
      return o;
    }
    case 'map': {
      const m = new Map(s.items.map((i, n) => [n, build(i, containers)]));
      // JSON.stringify writes a Map's own fields (the write walk goes there; the bytes walk does not).
      if (s.own !== undefined) Object.assign(m, { own: build(s.own, containers) });
      return m;
    }
    case 'set':
      return new Set(s.items.map((i) => build(i, containers)));
    case 'toJSON': {
      const inner = build(s.inner, containers);
      return { toJSON: (_key: string) => inner };
    }
  }
}

/**
 * A value from `s`, with links added: each `[from, to]` makes the `from`-th container (array or plain object)
 * hold the `to`-th one, a cycle when it is one of its ancestors or itself, a shared reference otherwise.
 */
function linkedValue(s: Spec, links: readonly (readonly [number, number])[]): unknown {
  const containers: object[] = [];
  const root = build(s, containers);
  if (containers.length > 0)
    links.forEach(([from, to], i) => {
      const c = containers[from % containers.length]!;
      const target = containers[to % containers.length]!;
      if (Array.isArray(c)) c.push(target);
      else (c as Record<string, unknown>)[`link${i}`] = target;
    });
  return root;
}

const value = fc
  .tuple(spec, fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 2 }), fc.nat({ max: 3 }))
  // Links in a quarter of the values only: a cycle is a write problem, which hides every bytes problem.
  .map(([s, links, noLinks]) => linkedValue(s, noLinks === 0 ? links : []));

/** Both kinds of problems, in how many runs: each precedence must be exercised, not only one. */
function counter() {
  const seen = { write: 0, bytes: 0, both: 0, neither: 0 };
  return {
    seen,
    add(write: string | undefined, bytes: string | undefined) {
      if (write !== undefined && bytes !== undefined) seen.both++;
      else if (write !== undefined) seen.write++;
      else if (bytes !== undefined) seen.bytes++;
      else seen.neither++;
    },
  };
}

const RUNS = { seed: 31, numRuns: 300 };

describe('one walk reports what the two walks reported', () => {
  it("_jsonWriteProblems: each seek gives the old walk's answer; write-then-bytes gives both (property, seeded)", () => {
    const count = counter();
    fc.assert(
      fc.property(value, (v) => {
        const write = oldJsonWriteProblem(v, 'example');
        const bytes = oldJsonBytesProblem(v, 'example');
        count.add(write, bytes);
        expect(_jsonWriteProblem(v, 'example')).toBe(write);
        expect(_jsonBytesProblem(v, 'example')).toBe(bytes);
        const both = _jsonWriteProblems(v, 'example', 'write-then-bytes');
        expect(both.write).toBe(write);
        // Without a write problem, the bytes the bytes walk found; with one, only what the walk met before it.
        if (write === undefined) expect(both.bytes).toBe(bytes);
        else if (both.bytes !== undefined) expect(both.bytes).toBe(bytes);
      }),
      RUNS,
    );
    expect(count.seen.both, JSON.stringify(count.seen)).toBeGreaterThan(20);
    expect(count.seen.bytes, JSON.stringify(count.seen)).toBeGreaterThan(20);
    expect(count.seen.write, JSON.stringify(count.seen)).toBeGreaterThan(20);
    expect(count.seen.neither, JSON.stringify(count.seen)).toBeGreaterThan(20);
  });

  it('_refuseUnwritable throws the message refuseUnwritable threw, the write problem first (property, seeded)', () => {
    fc.assert(
      fc.property(value, (input) => {
        const example = { id: 'x', input } as Example;
        const want = oldRefuseUnwritable(example, 'out.jsonl');
        let got: string | undefined;
        try {
          _refuseUnwritable({ example, id: 'x', position: 0 }, 'out.jsonl');
        } catch (err) {
          got = (err as Error).message;
        }
        expect(got).toBe(want);
      }),
      RUNS,
    );
  });

  it('_recordLine writes the line recordLine wrote, or throws its message, bytes in details first (property, seeded)', () => {
    const count = counter();
    fc.assert(
      fc.property(value, value, fc.boolean(), (input, details, withDetails) => {
        const record = {
          id: 'q1',
          trial: 0,
          input,
          output: 'a',
          scores: { m: 1 },
          ...(withDetails ? { details: { m: details } } : {}),
          latencyMs: 1,
          cached: false,
          retries: 0,
        } as ExampleRecord;
        const want = oldRecordLine('out.jsonl', record);
        let got: { line: string } | { thrown: string };
        try {
          got = { line: _recordLine('out.jsonl', record) };
        } catch (err) {
          got = { thrown: (err as Error).message };
        }
        expect(got).toEqual(want);
        count.add(
          oldJsonWriteProblem(record, 'record'),
          oldJsonBytesProblem(record.details, 'record.details'),
        );
      }),
      RUNS,
    );
    expect(count.seen.both, JSON.stringify(count.seen)).toBeGreaterThan(5);
  });
});

describe('one namer: bytes of every kind are told and named as the four places told and named them', () => {
  it.each(BYTES.map((make) => [Object.prototype.toString.call(make(1)), make] as const))(
    '%s',
    (_tag, make) => {
      for (const n of [0, 1, 3]) {
        const b = make(n);
        expect(_isBytes(b)).toBe(true);
        const bytes = b as ArrayBufferView | ArrayBufferLike;
        expect(_bytesName(bytes)).toBe(oldBytesName(bytes));
        expect(_bytesKind(bytes)).toBe(oldBinaryKind(b));
        // The trajectory's mark and the tool result's text did not take a SharedArrayBuffer for bytes.
        if (!(b instanceof SharedArrayBuffer)) {
          expect(`…[truncated: ${_bytesName(bytes)} of ${bytes.byteLength} bytes]`).toBe(oldBytesMark(b));
          expect(`[${_bytesClass(bytes)}: ${bytes.byteLength} bytes]`).toBe(oldTextOfBytes(b));
        }
      }
    },
  );

  it.each([
    ['an array', [1, 2]],
    ['an object of numbers', { 0: 137, 1: 80 }],
    ['a Buffer as JSON', Buffer.from([1]).toJSON()],
    ['a Blob', new Blob(['x'])],
    ['a string', 'abc'],
    ['null', null],
  ])('%s is not bytes', (_what, v) => {
    expect(_isBytes(v)).toBe(false);
    expect(oldBinaryKind(Object(v))).toBeUndefined();
  });
});
