/**
 * Cohen's d and Hedges' g.
 * @module
 */
import { _checkBoolean, _checkNumericArray, _checkOptions } from '../_internal/validate.js';
import { _checkPaired } from './_internal/checks.js';
import { _mean, _variance } from './_internal/quantile.js';

/** Options of {@link cohensD}. */
export interface CohensDOptions {
  /** Paired samples (d_z of the differences); false gives the pooled-sd d_s of two independent samples. @default true */
  readonly paired?: boolean;
}

const COHENS_D_KEYS = Object.keys({ paired: true } satisfies Record<keyof CohensDOptions, true>);

/** Result of {@link cohensD}. */
export interface CohensDResult {
  /** Cohen's d (d_z when paired, d_s otherwise); NaN when the sd is 0 and the mean difference too. */
  readonly d: number;
  /** Hedges' g = d * J with J = 1 - 3/(4 df - 1). */
  readonly g: number;
  readonly type: 'd_z' | 'd_s';
  /** Degrees of freedom used by J: n - 1 (paired) or n_a + n_b - 2. */
  readonly df: number;
}

/**
 * Standardized mean difference: Cohen's d with Hedges' small-sample correction g.
 *
 * Algorithm: paired: d_z = mean(a - b) / sd(a - b) (ddof = 1), df = n - 1. Unpaired: d_s = (mean(a) - mean(b)) / s_p
 * with the pooled s_p = sqrt(((n_a - 1) s_a^2 + (n_b - 1) s_b^2)/(n_a + n_b - 2)), df = n_a + n_b - 2. In both
 * cases g = d (1 - 3/(4 df - 1)) (Hedges 1981's approximation of the exact gamma-function factor).
 *
 * @param a - First sample (e.g. candidate scores).
 * @param b - Second sample (same length when paired).
 * @param options - `paired` (default true).
 * @returns A frozen {@link CohensDResult}.
 * @throws TypeError for non-numeric input; RangeError for empty arrays, non-finite values, or unequal lengths when paired.
 * @example
 * ```ts
 * cohensD([78, 85, 62, 90, 71, 88, 67, 94, 80, 73], [72, 80, 65, 81, 70, 77, 60, 86, 76, 75]).d;
 * // => 0.9897624106974509
 * ```
 *
 * References: J. Cohen (1988), Statistical Power Analysis for the Behavioral Sciences, doi:10.4324/9780203771587;
 * L. V. Hedges (1981), doi:10.3102/10769986006002107; D. Lakens (2013), doi:10.3389/fpsyg.2013.00863 (d_z, d_s).
 */
export function cohensD(
  a: readonly number[] | Float64Array,
  b: readonly number[] | Float64Array,
  options: CohensDOptions = {},
): CohensDResult {
  _checkOptions('cohensD', options, COHENS_D_KEYS);
  const paired = _checkBoolean('paired', options.paired, true);
  if (paired) {
    const [x, y] = _checkPaired(a, b);
    const d = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) d[i] = x[i] - y[i];
    const m = _mean(d);
    const dz = m / Math.sqrt(_variance(d, m));
    const df = x.length - 1;
    return Object.freeze({ d: dz, g: dz * (1 - 3 / (4 * df - 1)), type: 'd_z' as const, df });
  }
  const x = _checkNumericArray('a', a);
  const y = _checkNumericArray('b', b);
  const df = x.length + y.length - 2;
  const mx = _mean(x);
  const my = _mean(y);
  const vx = x.length > 1 ? _variance(x, mx) : 0;
  const vy = y.length > 1 ? _variance(y, my) : 0;
  const sp = Math.sqrt(((x.length - 1) * vx + (y.length - 1) * vy) / df);
  const ds = (mx - my) / sp;
  return Object.freeze({ d: ds, g: ds * (1 - 3 / (4 * df - 1)), type: 'd_s' as const, df });
}
