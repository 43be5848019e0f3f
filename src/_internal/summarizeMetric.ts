import type { MetricSummary } from '../result.js';
import type { MetricKind } from '../types.js';

/** How a metric's interval is computed (the stats module supplies the bootstrap). */
export interface _SummaryOptions {
  readonly confidence: number;
  readonly resamples: number;
  readonly seed: number | string;
}

/** Inverse of the standard normal CDF (Acklam's rational approximation refined by one Halley step). */
function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  let x: number;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p <= 1 - lo) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x =
      -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  return x;
}

/** Summarizes one metric's per-row scores (nulls are missing) with a normal-approximation interval. */
export function _summarizeMetric(
  kind: MetricKind,
  values: readonly number[],
  nMissing: number,
  options: _SummaryOptions,
): MetricSummary {
  const n = values.length;
  let sum = 0;
  for (const v of values) sum += v;
  const mean = n > 0 ? sum / n : Number.NaN;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  const stderr = n > 1 ? Math.sqrt(ss / (n - 1) / n) : Number.NaN;
  const z = normalQuantile(1 - (1 - options.confidence) / 2);
  const ok = n > 1 && stderr > 0;
  return {
    kind,
    mean,
    ci: {
      low: ok ? mean - z * stderr : Number.NaN,
      high: ok ? mean + z * stderr : Number.NaN,
      level: options.confidence,
      method: 'normal',
    },
    stderr,
    n,
    nMissing,
    aggregation: 'mean',
    ...(ok
      ? {}
      : { warning: n === 0 ? 'no scored examples' : 'interval undefined: constant scores or n < 2' }),
  };
}
