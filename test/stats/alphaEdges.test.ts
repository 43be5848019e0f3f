// krippendorffAlpha at the edges of its input: ratings of two types, renamed categories, -0.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { krippendorffAlpha } from '../../src/stats/index.js';

const FC = { seed: 20261207, numRuns: 300 };

describe('krippendorffAlpha refuses numbers and strings mixed', () => {
  // Before: 1 and "1" were two values, so two raters giving the same ratings, one as numbers and one as text read
  // from a file, disagreed: [[1, 0, 1, 0], ["1", "0", "1", "0"]] gave alpha -0.16666666666666696 (nominal), not 1.
  it.each([
    [
      [
        [1, 0, 1, 0],
        ['1', '0', '1', '0'],
      ],
      /a number at `data\[0\]\[0\]` and `"1"` \(string\) at `data\[1\]\[0\]`/,
    ],
    [
      [
        ['a', 'b', null],
        ['a', 2, 'b'],
      ],
      /a string at `data\[0\]\[0\]` and `2` \(number\) at `data\[1\]\[1\]`/,
    ],
  ])('%j', (data, message) => {
    expect(() => krippendorffAlpha(data, { level: 'nominal' })).toThrow(TypeError);
    expect(() => krippendorffAlpha(data, { level: 'nominal' })).toThrow(message);
  });
});

describe('krippendorffAlpha invariants (seeded properties)', () => {
  const matrix = fc
    .tuple(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 2, max: 12 }))
    .chain(([raters, units]) =>
      fc.array(
        fc.array(fc.option(fc.integer({ min: 0, max: 3 }), { freq: 5 }), {
          minLength: units,
          maxLength: units,
        }),
        { minLength: raters, maxLength: raters },
      ),
    );
  const alphaOf = (data: (number | string | null)[][], level: 'nominal' | 'ordinal' | 'interval') => {
    try {
      return krippendorffAlpha(data, { level }).alpha;
    } catch (err) {
      return err instanceof RangeError ? 'refused' : err;
    }
  };

  it('nominal alpha does not change when the categories are renamed (strings, or permuted numbers)', () => {
    fc.assert(
      fc.property(matrix, fc.shuffledSubarray([0, 1, 2, 3], { minLength: 4, maxLength: 4 }), (data, perm) => {
        const names = ['yes', 'no', 'unsure', 'n/a'];
        const a = alphaOf(data, 'nominal');
        const s = alphaOf(
          data.map((r) => r.map((v) => (v === null ? null : names[v]!))),
          'nominal',
        );
        const p = alphaOf(
          data.map((r) => r.map((v) => (v === null ? null : perm[v]!))),
          'nominal',
        );
        for (const other of [s, p])
          if (typeof a !== 'number') expect(other).toBe(a);
          else if (Number.isNaN(a)) expect(other).toBeNaN();
          else expect(Math.abs((other as number) - a)).toBeLessThanOrEqual(1e-12);
      }),
      FC,
    );
  });

  it('-0 is the value 0, and alpha is at most 1, at every level', () => {
    fc.assert(
      fc.property(
        matrix,
        fc.constantFrom('nominal' as const, 'ordinal' as const, 'interval' as const),
        (data, level) => {
          const a = alphaOf(data, level);
          const z = alphaOf(
            data.map((r) => r.map((v) => (v === 0 ? -0 : v))),
            level,
          );
          if (typeof a === 'number' && !Number.isNaN(a)) {
            expect(z).toBe(a);
            expect(a).toBeLessThanOrEqual(1);
          } else if (typeof a === 'number') expect(z).toBeNaN();
          else expect(z).toBe(a);
        },
      ),
      FC,
    );
  });
});
