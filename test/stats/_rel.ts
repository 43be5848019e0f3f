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

/** A PPI++ reference: what the fixture generators (gen_ppi.py, gen_ppi_weighted.py) write per case. */
export interface PpiReference {
  readonly lambda: number;
  readonly estimate: number;
  readonly stderr: number;
  readonly low: number;
  readonly high: number;
  readonly p: number;
}

/** Asserts a `ppiMean` result equals a PPI++ reference to 1e-9 relative (lambda, estimate, stderr, interval, p). */
export function expectPpi(
  r: { lambda: number; estimate: number; stderr: number; ci: { low: number; high: number }; pValue: number },
  want: PpiReference,
): void {
  expectRel(r.lambda, want.lambda, 1e-9, 'lambda');
  expectRel(r.estimate, want.estimate, 1e-9, 'estimate');
  expectRel(r.stderr, want.stderr, 1e-9, 'stderr');
  expectRel(r.ci.low, want.low, 1e-9, 'low');
  expectRel(r.ci.high, want.high, 1e-9, 'high');
  expectRel(r.pValue, want.p, 1e-9, 'p');
}
