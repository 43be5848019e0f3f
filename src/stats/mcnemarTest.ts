/**
 * McNemar's test for paired binary outcomes.
 * @module
 */

import { _describe } from '../_internal/describe.js';
import { _checkBoolean, _checkOptions } from '../_internal/validate.js';
import { _checkPaired } from './_internal/checks.js';
import { _binomCdf, _binomPmf, _chi2Sf1 } from './_internal/special.js';
import type { TestResult } from './types.js';

/** Options of {@link mcnemarTest} and {@link mcnemarTestFromTable}. */
export interface McNemarOptions {
  /** Exact binomial test on the discordant pairs; false uses the chi-square approximation. @default true */
  readonly exact?: boolean;
  /** Continuity correction of the chi-square statistic (ignored when `exact`). @default true */
  readonly correction?: boolean;
  /** Mid-p version of the exact test (Fagerland et al. 2013); only with `exact`. @default false */
  readonly midP?: boolean;
}

const MCNEMAR_KEYS = Object.keys({ exact: true, correction: true, midP: true } satisfies Record<
  keyof McNemarOptions,
  true
>);

/** Result of McNemar's test. */
export interface McNemarResult extends TestResult {
  /** 'exact' | 'mid-p' | 'asymptotic'. */
  readonly method: 'exact' | 'mid-p' | 'asymptotic';
  readonly alternative: 'two-sided';
  /** Whether the chi-square statistic was continuity-corrected (asymptotic only). */
  readonly correction: boolean;
  /** Discordant counts: `b` = first right / second wrong (table[0][1]), `c` = the reverse (table[1][0]). */
  readonly b: number;
  readonly c: number;
  /** The 2x2 table [[both 1, a=1 b=0], [a=0 b=1, both 0]]. */
  readonly table: readonly [readonly [number, number], readonly [number, number]];
  /** Set when b = c = 0 (no discordant pairs): p = 1 by convention. */
  readonly note?: string;
}

/**
 * McNemar's test on paired 0/1 outcomes (e.g. baseline and candidate correctness on the same examples).
 *
 * Algorithm: builds the 2x2 table of (a_i, b_i) with rows a = 1, 0 and columns b = 1, 0 and calls
 * {@link mcnemarTestFromTable}. Only the discordant pairs matter: b = #(a=1, b=0), c = #(a=0, b=1).
 *
 * @param a - First outcomes (0 or 1 each), e.g. the baseline's.
 * @param b - Second outcomes, same length.
 * @param options - `exact` (default true), `correction` (default true), `midP` (default false).
 * @returns A frozen {@link McNemarResult}.
 * @throws TypeError for non-arrays or non-numbers; RangeError for empty or unequal-length arrays or values other than 0/1.
 * @example
 * ```ts
 * mcnemarTest([1, 1, 1, 0, 1], [0, 0, 0, 0, 1]).pValue; // => 0.25 (b = 3, c = 0, exact)
 * ```
 *
 * References: Q. McNemar (1947), doi:10.1007/BF02295996; statsmodels `mcnemar` semantics;
 * M. W. Fagerland, S. Lydersen, P. Laake (2013), The McNemar test for binary matched-pairs data: mid-p and
 * asymptotic are better than exact conditional, doi:10.1186/1471-2288-13-91.
 */
export function mcnemarTest(
  a: readonly number[] | Float64Array,
  b: readonly number[] | Float64Array,
  options: McNemarOptions = {},
): McNemarResult {
  _checkOptions('mcnemarTest', options, MCNEMAR_KEYS);
  const [x, y] = _checkPaired(a, b);
  let n11 = 0;
  let n10 = 0;
  let n01 = 0;
  let n00 = 0;
  for (let i = 0; i < x.length; i++) {
    const u = x[i];
    const v = y[i];
    if (u !== 0 && u !== 1) throw new RangeError(`Expected \`a[${i}]\` to be 0 or 1, got ${_describe(u)}`);
    if (v !== 0 && v !== 1) throw new RangeError(`Expected \`b[${i}]\` to be 0 or 1, got ${_describe(v)}`);
    if (u === 1) {
      if (v === 1) n11++;
      else n10++;
    } else if (v === 1) n01++;
    else n00++;
  }
  return mcnemarTestFromTable(
    [
      [n11, n10],
      [n01, n00],
    ],
    options,
  );
}

/**
 * McNemar's test from a 2x2 table `[[a, b], [c, d]]` of paired outcomes (statsmodels `mcnemar(table)` semantics).
 *
 * Algorithm: exact: statistic = min(b, c), p = min(1, 2 * BinomCDF(min(b, c); b + c, 1/2)); mid-p: the unclamped
 * exact p minus BinomPMF(min(b, c); b + c, 1/2). Asymptotic: statistic = (|b - c| - k)^2 / (b + c) with k = 1 when
 * `correction`, else 0, and p = chi2.sf(statistic, 1). When b = c = 0 statsmodels returns p = 0 (corrected: 1/0)
 * or NaN; evalgate returns statistic 0 and p = 1 (no evidence of a difference; R's mcnemar.test also skips the
 * correction when b = c) and says so in `note`. Tails are computed without cancellation (regularized incomplete
 * beta; erfc for the chi-square with one degree of freedom), accurate to ~1e-14 relative even for p ~ 1e-100.
 *
 * @param table - `[[a, b], [c, d]]`, non-negative integer counts.
 * @param options - `exact` (default true), `correction` (default true), `midP` (default false).
 * @returns A frozen {@link McNemarResult}.
 * @throws TypeError when `table` is not a 2x2 array of numbers; RangeError for negative or non-integer counts.
 * @example
 * ```ts
 * mcnemarTestFromTable([[30, 3], [10, 7]]).pValue; // => 0.09228515625
 * mcnemarTestFromTable([[30, 3], [10, 7]], { exact: false }).statistic; // => 2.769230769230769
 * ```
 *
 * References: Q. McNemar (1947), doi:10.1007/BF02295996; A. L. Edwards (1948), doi:10.1007/BF02289261
 * (continuity correction); Fagerland et al. (2013), doi:10.1186/1471-2288-13-91 (mid-p).
 */
export function mcnemarTestFromTable(
  table: readonly (readonly number[])[],
  options: McNemarOptions = {},
): McNemarResult {
  _checkOptions('mcnemarTestFromTable', options, MCNEMAR_KEYS);
  const exact = _checkBoolean('exact', options.exact, true);
  const correction = _checkBoolean('correction', options.correction, true);
  const midP = _checkBoolean('midP', options.midP, false);
  if (!Array.isArray(table) || table.length !== 2 || !table.every((r) => Array.isArray(r) && r.length === 2))
    throw new TypeError(`Expected \`table\` to be a 2x2 array [[a, b], [c, d]], got ${_describe(table)}`);
  for (let i = 0; i < 2; i++)
    for (let j = 0; j < 2; j++) {
      const v: unknown = table[i][j];
      if (typeof v !== 'number')
        throw new TypeError(`Expected \`table[${i}][${j}]\` to be a number, got ${_describe(v)}`);
      if (!Number.isInteger(v) || v < 0)
        throw new RangeError(
          `Expected \`table[${i}][${j}]\` to be a non-negative integer, got ${_describe(v)}`,
        );
    }
  const b = table[0][1];
  const c = table[1][0];
  const n = table[0][0] + b + c + table[1][1];
  const frozenTable = Object.freeze([
    Object.freeze([table[0][0], b] as const),
    Object.freeze([c, table[1][1]] as const),
  ] as const);
  const base = { alternative: 'two-sided' as const, n, b, c, table: frozenTable };
  const nd = b + c;
  if (exact) {
    const k = Math.min(b, c);
    const twice = 2 * _binomCdf(k, nd, 0.5);
    if (midP) {
      return Object.freeze({
        ...base,
        statistic: k,
        pValue: twice - _binomPmf(k, nd, 0.5),
        method: 'mid-p' as const,
        correction: false,
      });
    }
    return Object.freeze({
      ...base,
      statistic: k,
      pValue: Math.min(1, twice),
      method: 'exact' as const,
      correction: false,
    });
  }
  if (nd === 0) {
    return Object.freeze({
      ...base,
      statistic: 0,
      pValue: 1,
      method: 'asymptotic' as const,
      correction,
      note: 'No discordant pairs (b = c = 0): statistic 0 and p = 1 by convention (statsmodels gives 0/0 or 1/0).',
    });
  }
  const diff = Math.abs(b - c) - (correction ? 1 : 0);
  const statistic = (diff * diff) / nd;
  return Object.freeze({
    ...base,
    statistic,
    pValue: _chi2Sf1(statistic),
    method: 'asymptotic' as const,
    correction,
  });
}
