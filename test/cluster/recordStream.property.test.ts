// The record stream's text form: what a worker encodes, the coordinator decodes to the same value. JSON with two
// additions (non-finite numbers and -0, which JSON writes as null and 0), so the additions must never be read
// into a value that did not hold them: an object `{ $number: '7' }` in an example's metadata or a metric's
// details is data, and comes back as that object.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { _decode, _encode } from '../../src/cluster/_protocol.js';
import { check } from '../properties/_prop.js';

/** JSON values, with the numbers JSON alone changes, and objects keyed like the stream's own marks. */
const carried = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      -0,
      0,
      7,
      '7',
      '-0',
      null,
    ),
    fc.double(),
    fc.string(),
    fc.boolean(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('$number', '$', '$$number', 'a', '__proto__', '$a'), tie('value'), {
      maxKeys: 3,
      noNullPrototype: true,
    }),
    fc.record(
      { $number: fc.oneof(fc.string(), fc.constantFrom('NaN', 'Infinity', '-0', '7')) },
      { noNullPrototype: true },
    ),
  ),
})).value;

describe('cluster record stream: encode then decode', () => {
  it('gives back every value it carries (Object.is on numbers, objects keyed $number included)', () => {
    check(
      'record stream round trip',
      500,
      fc.property(carried, (v) => {
        expect(_decode(_encode(v))).toStrictEqual(v);
      }),
    );
  });

  it.each([
    ['an object holding only $number', { $number: '7' }],
    ['a non-finite mark as data', { $number: 'NaN' }],
    ['a nested one, in details', { details: { m: { $number: 'Infinity' } } }],
    ['a key of one $', { $: 1 }],
  ])('%s comes back as itself', (_what, v) => {
    expect(_decode(_encode(v))).toStrictEqual(v);
  });
});
