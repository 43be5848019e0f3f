// One formatter for every text path: a fixed number of significant digits, never float noise.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { _formatCost, _formatNumber } from '../../src/_internal/formatNumber.js';
import { formatInterval, formatPValue, formatSigned } from '../../src/report/format.js';

describe('number formatting', () => {
  it.each([
    [0.1 + 0.2, '0.3'],
    [0.8400000000000001, '0.84'],
    [8.88e-18, '0'],
    [-2.2e-17, '0'],
    [1.2e-5, '1.2e-5'],
    [0.65234, '0.6523'],
    [72.3456, '72.35'],
    [Number.NaN, 'NaN'],
  ])('_formatNumber(%s) = %s', (x, want) => {
    expect(_formatNumber(x)).toBe(want);
  });

  it('an interval end that is zero up to rounding reads 0; a close bound keeps its digits', () => {
    expect(formatInterval({ low: 8.88e-18, high: 0.11333333 })).toBe('[0, 0.1133]');
    expect(formatInterval({ low: 0.70141, high: 1 })).toBe('[0.7014, 1]');
    expect(formatInterval({ low: -0.1, high: 2.7e-17 })).toBe('[-0.1, 0]');
  });

  it('a difference of float noise is 0 without a sign; a small p-value stays in exponent form', () => {
    expect(formatSigned(8.88e-18)).toBe('0');
    expect(formatSigned(0.04)).toBe('+0.04');
    expect(formatPValue(3.2e-14)).toBe('3.2e-14');
    expect(formatPValue(1)).toBe('1');
    expect(_formatCost(1e-15)).toBe('$0');
  });

  it('never prints more than the asked significant digits, nor a long tail of float noise (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.integer({ min: 2, max: 6 }),
        (x, digits) => {
          const s = _formatNumber(x, digits);
          const mantissa = s
            .replace(/^-/, '')
            .replace(/e.*$/, '')
            .replace('.', '')
            .replace(/^0+/, '')
            .replace(/0+$/, '');
          expect(mantissa.length, s).toBeLessThanOrEqual(digits);
          expect(s).not.toMatch(/e-1[3-9]|e-[2-9]\d/);
          // Round trip: within a unit of the last digit (the exponent form keeps one digit fewer: `1.23e-5`).
          const kept = s.includes('e') ? digits - 1 : digits;
          if (s !== '0') expect(Math.abs(Number(s) - x)).toBeLessThanOrEqual(Math.abs(x) * 10 ** (1 - kept));
        },
      ),
      { seed: 18, numRuns: 500 },
    );
  });

  it('an interval keeps low <= high after formatting (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -10, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        (low, w) => {
          const [a, b] = formatInterval({ low, high: low + w })
            .slice(1, -1)
            .split(', ')
            .map(Number);
          expect(a!).toBeLessThanOrEqual(b!);
        },
      ),
      { seed: 18, numRuns: 500 },
    );
  });
});
