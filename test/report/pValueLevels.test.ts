/**
 * A p-value never reads as a significance level it is not. Regression: formatPValue kept 3 significant digits,
 * so p = 0.049996 (significant at 0.05) read "p=0.05" beside its verdict, and 0.05004 (not significant) read
 * "0.05" too: the same text for both sides of the line.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPValue } from '../../src/report/format.js';

const LEVELS = [0.1, 0.05, 0.01, 0.005, 0.001];

describe('formatPValue near a significance level', () => {
  it.each([
    [0.049996, '0.049996'],
    [0.05004, '0.05004'],
    [0.0099996, '0.0099996'],
    [0.05, '0.05'],
    [0.0312, '0.0312'],
    [0.5, '0.5'],
  ])('%d reads %s', (p, text) => {
    expect(formatPValue(p)).toBe(text);
  });

  it('property: a p-value within 0.1% of a level reads as that level only when it is that level, up to residue (seeded)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...LEVELS),
        fc.double({ min: -1e-3, max: 1e-3, noNaN: true }),
        (level, rel) => {
          const p = level * (1 + rel);
          // Closer than 12 significant digits is floating-point residue, which may read as the level.
          if (Math.abs(p - level) > 1e-11 * level) expect(formatPValue(p)).not.toBe(formatPValue(level));
          // Still the number, to at least 3 significant digits.
          expect(Math.abs(Number(formatPValue(p)) - p)).toBeLessThanOrEqual(5e-3 * p);
        },
      ),
      { seed: 53, numRuns: 500 },
    );
  });
});
