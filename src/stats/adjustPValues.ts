/**
 * Multiple-comparison adjustment of p-values.
 * @module
 */
import { _describe } from '../_internal/describe.js';
import { _checkChoice } from '../_internal/validate.js';

/** Adjustment methods: family-wise (Holm, Bonferroni), false discovery rate (Benjamini-Hochberg), or none. */
export type PValueAdjustment = 'holm' | 'bonferroni' | 'bh' | 'none';

/**
 * Adjusts p-values for multiple comparisons (R `p.adjust` / statsmodels `multipletests` semantics).
 *
 * Algorithm: with m the number of non-NaN p-values and p_(1) <= ... <= p_(m) sorted: Bonferroni min(1, m p);
 * Holm's step-down max_{j <= i} min(1, (m - j + 1) p_(j)); Benjamini-Hochberg's step-up
 * min_{j >= i} min(1, m p_(j) / j). NaN entries stay NaN and do not count in m (as R's p.adjust). The result is
 * in the input order.
 *
 * @param pValues - p-values in [0, 1] (NaN allowed).
 * @param method - 'holm' | 'bonferroni' | 'bh' | 'none'. @default 'holm'
 * @returns A frozen array of adjusted p-values, in the input order.
 * @throws TypeError when `pValues` is not an array of numbers or `method` is unknown; RangeError for values outside [0, 1].
 * @example
 * ```ts
 * adjustPValues([0.01, 0.04, 0.03], 'holm'); // => [0.03, 0.06, 0.06]
 * adjustPValues([0.01, 0.04, 0.03], 'bh'); // => [0.03, 0.04, 0.04]
 * ```
 *
 * References: S. Holm (1979), A simple sequentially rejective multiple test procedure,
 * https://www.jstor.org/stable/4615733; Y. Benjamini and Y. Hochberg (1995), doi:10.1111/j.2517-6161.1995.tb02031.x.
 */
export function adjustPValues(
  pValues: readonly number[],
  method: PValueAdjustment = 'holm',
): readonly number[] {
  const m0 = _checkChoice('method', method, ['holm', 'bonferroni', 'bh', 'none'] as const);
  if (!Array.isArray(pValues))
    throw new TypeError(`Expected \`pValues\` to be an array of numbers, got ${_describe(pValues)}`);
  const idx: number[] = [];
  for (let i = 0; i < pValues.length; i++) {
    const p: unknown = pValues[i];
    if (typeof p !== 'number')
      throw new TypeError(`Expected \`pValues[${i}]\` to be a number, got ${_describe(p)}`);
    if (Number.isNaN(p)) continue;
    if (p < 0 || p > 1)
      throw new RangeError(`Expected \`pValues[${i}]\` to be a number in [0, 1], got ${_describe(p)}`);
    idx.push(i);
  }
  const out = pValues.slice();
  const m = idx.length;
  if (m0 === 'none' || m === 0) return Object.freeze(out);
  if (m0 === 'bonferroni') {
    for (const i of idx) out[i] = Math.min(1, m * pValues[i]);
    return Object.freeze(out);
  }
  idx.sort((i, j) => pValues[i] - pValues[j] || i - j);
  if (m0 === 'holm') {
    let running = 0;
    for (let r = 0; r < m; r++) {
      running = Math.max(running, Math.min(1, (m - r) * pValues[idx[r]]));
      out[idx[r]] = running;
    }
  } else {
    let running = 1;
    for (let r = m - 1; r >= 0; r--) {
      running = Math.min(running, Math.min(1, (m * pValues[idx[r]]) / (r + 1)));
      out[idx[r]] = running;
    }
  }
  return Object.freeze(out);
}
