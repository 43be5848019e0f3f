/**
 * Number and interval formatting shared by the terminal tables, the matcher messages, the CLI and the HTML
 * report, so that one estimate reads the same everywhere.
 * @module
 */
import type { ConfidenceInterval } from '../result/EvalResult.js';

/**
 * Formats a number with `digits` significant digits and no trailing zeros: `0.7`, `0.6523`, `72.35`,
 * `1.2e-5`. Non-finite values print as `NaN`, `Infinity`, `-Infinity`.
 */
export function _formatNumber(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  if (Math.abs(x) < 1e-4 || Math.abs(x) >= 1e9) {
    const [mantissa, exponent] = x.toExponential(Math.max(0, digits - 2)).split('e');
    return `${String(Number(mantissa))}e${exponent}`;
  }
  return String(Number(x.toPrecision(digits)));
}

/** `+0.03` / `-0.01` / `0`: a difference with its sign always shown. */
export function _formatSigned(x: number, digits = 4): string {
  const s = _formatNumber(x, digits);
  return x > 0 ? `+${s}` : s;
}

/** A p-value: `0.0312`, `<1e-16` below the resolution of double-precision tails. */
export function _formatPValue(p: number): string {
  if (Number.isFinite(p) && p > 0 && p < 1e-16) return '<1e-16';
  return _formatNumber(p, 3);
}

/** `[0.56, 0.74]`. */
export function _formatInterval(ci: Pick<ConfidenceInterval, 'low' | 'high'>, digits = 4): string {
  return `[${_formatNumber(ci.low, digits)}, ${_formatNumber(ci.high, digits)}]`;
}

/** `95% CI` from a level of 0.95; `90.5% CI` when the level is not a whole percentage. */
export function _formatLevel(level: number): string {
  return `${_formatNumber(level * 100, 6)}% CI`;
}

/** `$0.0123`; costs below a cent keep four significant digits. */
export function _formatCost(usd: number): string {
  if (!Number.isFinite(usd)) return String(usd);
  if (usd === 0) return '$0';
  return Math.abs(usd) >= 0.01 ? `$${usd.toFixed(2)}` : `$${_formatNumber(usd, 2)}`;
}
