import { describe, expect, it } from 'vitest';
import {
  contains,
  containsScore,
  jsonMatch,
  jsonMatchScore,
  jsonValid,
  jsonValidScore,
  regexMatch,
  regexMatchScore,
} from '../../src/metrics/index.js';
import { ctx, ONE_MB } from './_helpers.js';

describe('contains', () => {
  it('any / all, case', () => {
    expect(containsScore('The answer is Paris.', 'Paris')).toBe(1);
    expect(containsScore('The answer is Paris.', 'paris')).toBe(0);
    expect(containsScore('The answer is Paris.', ['paris', 'Lyon'], { ignoreCase: true })).toBe(1);
    expect(containsScore('The answer is Paris.', ['Paris', 'France'], { mode: 'all' })).toBe(0);
    expect(containsScore('Paris, France', ['Paris', 'France'], { mode: 'all' })).toBe(1);
    expect(containsScore('ÉCOLE', 'école', { ignoreCase: true })).toBe(1);
    expect(containsScore('x', '')).toBe(1);
    expect(containsScore(`${ONE_MB}needle`, 'needle')).toBe(1);
  });
  it('metric and errors', () => {
    const m = contains({ ignoreCase: true });
    expect([m.name, m.kind]).toEqual(['contains', 'binary']);
    expect(m.score(ctx(['lyon', 'paris'], 'It is Paris.'))).toBe(1);
    expect(() => containsScore('a', 'a', { mode: 'some' as 'any' })).toThrow(
      new TypeError("Expected `mode` to be one of 'any' | 'all', got `\"some\"` (string)"),
    );
    expect(() => m.score(ctx(3, 'x', 'c1'))).toThrow(
      'Metric `contains` expected `example.reference` of example "c1" to be a string or an array of strings, got `3` (number)',
    );
  });
});

describe('regex_match', () => {
  it('search vs full match, flags, no lastIndex state', () => {
    expect(regexMatchScore('Answer: 42', /\d+/)).toBe(1);
    expect(regexMatchScore('Answer: 42', '\\d+', { fullMatch: true })).toBe(0);
    expect(regexMatchScore('42', '\\d+', { fullMatch: true })).toBe(1);
    expect(regexMatchScore('ANSWER', /answer/i)).toBe(1);
    expect(regexMatchScore('x\n42', /^\d+$/m, { fullMatch: true })).toBe(0);
    const m = regexMatch(/^Answer: [A-D]$/g);
    const c = ctx(undefined, 'Answer: C');
    expect([m.score(c), m.score(c), m.score(c)]).toEqual([1, 1, 1]);
    expect(regexMatchScore('👍', '^.$')).toBe(1); // string patterns get the u flag
  });
  it('errors', () => {
    expect(() => regexMatch('(')).toThrow(
      new TypeError('Expected `pattern` to be a valid regular expression, got `"("` (string)'),
    );
    expect(() => regexMatchScore('a', 5 as unknown as string)).toThrow(
      new TypeError('Expected `pattern` to be a RegExp or a string, got `5` (number)'),
    );
    expect(() => regexMatch(/a/).score(ctx(undefined, null, 'r1'))).toThrow(
      new TypeError(
        'Metric `regex_match` expected the output of example "r1" to be a string, got `null` (null)',
      ),
    );
  });
});

describe('jsonValid / jsonMatch', () => {
  it('validity, code fences', () => {
    expect(jsonValidScore('{"a": 1}')).toBe(1);
    expect(jsonValidScore('"text"')).toBe(1);
    expect(jsonValidScore('{a: 1}')).toBe(0);
    expect(jsonValidScore('')).toBe(0);
    expect(jsonValidScore('```json\n{"a": 1}\n```')).toBe(0);
    expect(jsonValidScore('```json\n{"a": 1}\n```', { codeFence: true })).toBe(1);
    const s = jsonValid().score(ctx(undefined, '{oops')) as { value: number; details: { error: string } };
    expect(s.value).toBe(0);
    expect(typeof s.details.error).toBe('string');
    expect(jsonValid().kind).toBe('binary');
  });
  it('deep equality, key order, numbers, partial', () => {
    expect(jsonMatchScore('{"b": [1, 2.0], "a": "x"}', { a: 'x', b: [1, 2] })).toBe(1);
    expect(jsonMatchScore('{"a": "x", "extra": true}', { a: 'x' })).toBe(0);
    expect(jsonMatchScore('{"a": "x", "extra": true}', { a: 'x' }, { partial: true })).toBe(1);
    expect(jsonMatchScore('[1, 2, 3]', [1, 2])).toBe(0);
    expect(jsonMatchScore('null', null)).toBe(1);
    expect(jsonMatchScore('{"a": null}', { a: undefined })).toBe(0);
    expect(jsonMatchScore('not json', 'not json')).toBe(0);
  });
  it('jsonMatch() reports where it failed', () => {
    const m = jsonMatch();
    expect(m.score(ctx({ items: [{ p: 1 }, { p: 2 }] }, '{"items": [{"p": 1}, {"p": 3}]}'))).toEqual({
      value: 0,
      details: { mismatchAt: '$.items[1].p' },
    });
    expect(m.score(ctx({ a: 1 }, '{"a": 1}'))).toEqual({ value: 1 });
    expect(jsonMatch({ parseReference: true }).score(ctx('{"a": [true]}', '{"a":[true]}'))).toEqual({
      value: 1,
    });
  });
  it('jsonMatch() errors name the example', () => {
    expect(() => jsonMatch().score(ctx(undefined, '{}', 'j1'))).toThrow(
      new TypeError(
        'Metric `json_match` expected `example.reference` of example "j1" to be a JSON value, got `undefined` (undefined)',
      ),
    );
    expect(() => jsonMatch({ parseReference: true }).score(ctx('{bad', '{}', 'j2'))).toThrow(
      new TypeError(
        'Metric `json_match` expected `example.reference` of example "j2" to be JSON text, got `"{bad"` (string)',
      ),
    );
    expect(() => jsonMatch({ partial: 1 as unknown as boolean })).toThrow(
      new TypeError('Expected `partial` to be a boolean, got `1` (number)'),
    );
  });
});
