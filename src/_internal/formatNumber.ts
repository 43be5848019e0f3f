/**
 * The one number formatter of every text path (terminal tables, Markdown, HTML, matcher messages, progress
 * lines, the CLI): a fixed number of significant digits, never float noise such as `0.8400000000000001` or an
 * interval endpoint of `8.88e-18` that is zero up to rounding.
 * @module
 */

/**
 * Below this magnitude a score, difference or cost is floating-point residue of a sum of values of order one
 * (doubles carry about 16 digits), not data: it prints as `0`.
 */
const NOISE = 1e-12;

/**
 * Formats `x` with `digits` significant digits and no trailing zeros: `0.7`, `0.6523`, `72.35`, `1.2e-5`.
 * Values within 1e-12 of zero print `0`, and so do values below 1e-9 × `scale` (the largest magnitude printed
 * beside `x`, e.g. the other end of an interval): `[8.88e-18, 0.1133]` reads `[0, 0.1133]`, while
 * `[0.7014, 1]` keeps its digits. Non-finite values print as `NaN`, `Infinity`, `-Infinity`.
 * @internal
 */
export function _formatNumber(x: number, digits = 4, scale?: number): string {
  if (!Number.isFinite(x)) return String(x);
  const tiny =
    scale !== undefined && Number.isFinite(scale) ? Math.max(NOISE, Math.abs(scale) * 1e-9) : NOISE;
  if (Math.abs(x) < tiny) return '0';
  if (Math.abs(x) < 1e-4 || Math.abs(x) >= 1e9) {
    const [mantissa, exponent] = x.toExponential(Math.max(0, digits - 2)).split('e');
    return `${String(Number(mantissa))}e${exponent}`;
  }
  return String(Number(x.toPrecision(digits)));
}

/** `$0.0123`; costs below a cent keep two significant digits. @internal */
export function _formatCost(usd: number): string {
  if (!Number.isFinite(usd)) return String(usd);
  if (Math.abs(usd) < NOISE) return '$0';
  return Math.abs(usd) >= 0.01 ? `$${usd.toFixed(2)}` : `$${_formatNumber(usd, 2)}`;
}
