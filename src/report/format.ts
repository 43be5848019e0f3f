/**
 * Number and interval formatting shared by the terminal tables, the matcher messages, the CLI and the HTML
 * report, so that one estimate reads the same everywhere.
 * @module
 */
import { _formatNumber } from '../_internal/formatNumber.js';
import type { ConfidenceInterval } from '../result/EvalResult.js';

export { _formatCost, _formatNumber } from '../_internal/formatNumber.js';

/** `+0.03` / `-0.01` / `0`: a difference with its sign always shown. */
export function _formatSigned(x: number, digits = 4): string {
  const s = _formatNumber(x, digits);
  return x > 0 && s !== '0' ? `+${s}` : s;
}

/** A p-value: `0.0312`, `2.1e-9`, `<1e-16` below the resolution of double-precision tails. */
export function _formatPValue(p: number): string {
  if (Number.isFinite(p) && p > 0 && p < 1e-16) return '<1e-16';
  if (Number.isFinite(p) && p > 0 && p < 1e-4) {
    // Small p-values are data, not rounding residue: always in exponent form.
    const [mantissa, exponent] = p.toExponential(1).split('e');
    return `${String(Number(mantissa))}e${exponent}`;
  }
  return _formatNumber(p, 3);
}

/**
 * `[0.56, 0.74]`: each end to `digits` significant digits; an end that is zero up to floating-point rounding
 * next to the other reads `0` (`[8.88e-18, 0.1133]` → `[0, 0.1133]`).
 */
export function _formatInterval(ci: Pick<ConfidenceInterval, 'low' | 'high'>, digits = 4): string {
  const scale = Math.max(Math.abs(ci.low), Math.abs(ci.high));
  return `[${_formatNumber(ci.low, digits, scale)}, ${_formatNumber(ci.high, digits, scale)}]`;
}

/** `95% CI` from a level of 0.95; `90.5% CI` when the level is not a whole percentage. */
export function _formatLevel(level: number): string {
  return `${_formatNumber(level * 100, 6)}% CI`;
}
