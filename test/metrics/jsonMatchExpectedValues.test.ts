// jsonMatch's expected value is a JSON value, but a JavaScript dataset can hand it anything. What JSON cannot hold
// was compared silently: a Date or a Map has no own keys, so the output `{}` matched it (1); NaN and Infinity are
// never what JSON.parse gives, so every row scored 0; a field set to `undefined` (which JSON.stringify leaves
// out) had to be present in the output with a value JSON has not, so `{}` scored 0 too. Such an expected value is
// now a TypeError naming where it is, and an `undefined` field is absent, as JSON writes it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonMatch, jsonMatchScore } from '../../src/metrics/index.js';
import { check } from '../properties/_prop.js';
import { ctx } from './_helpers.js';

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}
const cyclic: Record<string, unknown> = { a: 1 };
cyclic.self = cyclic;

const NOT_JSON: [string, unknown, string, string][] = [
  ['a Date', { when: new Date(0) }, '{"when": {}}', '`Date` (object) at `$.when`'],
  ['a Map', new Map([['a', 1]]), '{}', '`Map` (object) at `$`'],
  ['a Set', [new Set([1])], '[{}]', '`Set` (object) at `$[0]`'],
  ['a class instance', { p: new Point(1, 2) }, '{"p": {"x": 1, "y": 2}}', '`Point` (object) at `$.p`'],
  ['NaN', { score: Number.NaN }, '{"score": null}', '`NaN` (number) at `$.score`'],
  ['Infinity', [1, Number.POSITIVE_INFINITY], '[1, 1e999]', '`Infinity` (number) at `$[1]`'],
  [
    'a bigint',
    { id: 9007199254740993n },
    '{"id": 9007199254740993}',
    '`9007199254740993n` (bigint) at `$.id`',
  ],
  ['a function', { f: () => 1 }, '{}', '`function f` (function) at `$.f`'],
  ['undefined in an array', [1, undefined], '[1, null]', '`undefined` (undefined) at `$[1]`'],
  ['a cycle', cyclic, '{"a": 1, "self": {}}', '`object` (object) at `$.self`, a cycle'],
];

describe('jsonMatch refuses an expected value JSON cannot hold', () => {
  it.each(NOT_JSON)('%s: a TypeError naming its path', (_, expected, output, shown) => {
    expect(() => jsonMatchScore(output, expected)).toThrow(
      new TypeError(
        `Expected \`expected\` to be a JSON value (null, a boolean, a string, a finite number, an array or a plain object), got ${shown}`,
      ),
    );
    expect(() => jsonMatch().score(ctx(expected, output, 'j9'))).toThrow(
      new TypeError(
        `Metric \`json_match\` expected \`example.reference\` of example "j9" to be a JSON value (null, a boolean, a string, a finite number, an array or a plain object), got ${shown}`,
      ),
    );
  });

  it('a field set to undefined is absent, as JSON.stringify writes it', () => {
    expect(jsonMatchScore('{"a": 1}', { a: 1, b: undefined })).toBe(1);
    expect(jsonMatchScore('{}', { b: undefined })).toBe(1);
    expect(jsonMatchScore('{"a": 1, "b": null}', { a: 1, b: undefined })).toBe(0);
    expect(jsonMatchScore('{"a": 1, "b": 2}', { a: 1, b: undefined }, { partial: true })).toBe(1);
    expect(jsonMatch().score(ctx({ a: 1, b: undefined }, '{"a": 1}'))).toEqual({ value: 1 });
    // An object without prototype is a plain object.
    expect(jsonMatchScore('{"a": 1}', Object.assign(Object.create(null), { a: 1 }))).toBe(1);
  });

  it('numbers compare by value: -0 is 0, 1.0 is 1, 1e2 is 100; integers past 2^53 as JSON.parse reads them', () => {
    expect(jsonMatchScore('{"a": -0}', { a: 0 })).toBe(1);
    expect(jsonMatchScore('{"a": 0}', { a: -0 })).toBe(1);
    expect(jsonMatchScore('[1.0, 1e2, 0.30000000000000004]', [1, 100, 0.1 + 0.2])).toBe(1);
    expect(jsonMatchScore('[0.3]', [0.1 + 0.2])).toBe(0);
    // Both literals are the double 2^53: JavaScript cannot tell them apart (documented).
    expect(jsonMatchScore('9007199254740993', 9007199254740992)).toBe(1);
    // A duplicate key keeps its last value, as JSON.parse (and Python's json) do.
    expect(jsonMatchScore('{"a": 1, "a": 2}', { a: 2 })).toBe(1);
  });

  it('property: every JSON value matches its own text, with keys in any order and any indentation', () => {
    check(
      'jsonMatch of a JSON value against its text',
      300,
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2, '\t'), (v, indent) => {
        const shuffled = JSON.parse(JSON.stringify(v), (_, x) =>
          x !== null && typeof x === 'object' && !Array.isArray(x)
            ? Object.fromEntries(Object.entries(x).reverse())
            : x,
        );
        return jsonMatchScore(JSON.stringify(shuffled, null, indent), v) === 1;
      }),
    );
  });
});
