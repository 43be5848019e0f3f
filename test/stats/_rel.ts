import { expect } from 'vitest';

/**
 * Asserts |got - want| <= tol * |want| (relative tolerance scaled to the value); NaN and infinities must match
 * exactly. Used for every float compared with a reference (scipy 1.17.1, statsmodels formulas).
 */
export function expectRel(got: number, want: number, tol = 1e-9, label = ''): void {
  if (Number.isNaN(want) || !Number.isFinite(want)) {
    expect(got, label).toBe(want);
    return;
  }
  const err = Math.abs(got - want);
  const bound = tol * Math.abs(want);
  if (!(err <= bound)) {
    expect.fail(
      `${label ? `${label}: ` : ''}got ${got}, want ${want} (|diff| ${err.toExponential(2)} > ${bound.toExponential(2)})`,
    );
  }
}
