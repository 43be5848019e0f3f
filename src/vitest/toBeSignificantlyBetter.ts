import { _formatNumber } from '../_internal/formatNumber.js';
import { _checkBoolean, _checkNumberInRange, _checkOptionsObject } from '../_internal/validate.js';
import type { MetricComparison } from '../result/Comparison.js';
import {
  _blockedComparison,
  _describeCalibratedComparison,
  _describeMetricComparison,
  _expectComparison,
  type _MatcherOutcome,
  _pickMetric,
} from './_describeEval.js';
import { _currentTest, _recordOnTask } from './recordEval.js';
import type { _EvalMatcherState } from './toHaveLowerBoundAtLeast.js';

/** Options of {@link toBeSignificantlyBetter}. */
export interface SignificantlyBetterOptions {
  /**
   * Significance level the adjusted p-value must be below. Range: (0, 1).
   * @default the comparison's `alpha` (0.05 unless `compare()` was given another)
   */
  readonly alpha?: number;
  /** Check only this metric. @default every metric of the comparison */
  readonly metric?: string;
  /**
   * Use the calibrated (PPI++) comparison of metrics both runs labeled (`metrics[name].calibrated`); `false`
   * judges the raw judge difference. @default true
   */
  readonly calibrated?: boolean;
}

/**
 * Passes iff the candidate beats the baseline significantly: the difference candidate − baseline is
 * positive and its multiplicity-adjusted p-value (`pValueAdjusted`, Holm by default) is below `alpha`, on
 * the chosen metric or on every metric.
 *
 * The adjusted p-value is used even for one metric so that checking metrics one by one does not inflate the
 * false-positive rate; compare with `adjustment: 'none'` to test a single pre-registered metric. The
 * comparison is recorded for evalgate's reporter.
 *
 * @param received - A `Comparison` from `compare(baseline, candidate)`.
 * @param options - See {@link SignificantlyBetterOptions}.
 * @throws {TypeError} when `received` is not a comparison or `metric` is unknown.
 * @throws {RangeError} when `alpha` is outside (0, 1).
 * @example
 * ```ts
 * expect(compare(oldPrompt, newPrompt)).toBeSignificantlyBetter({ metric: 'exact_match' });
 * // fails with: expected the candidate to be significantly better (holm-adjusted p < 0.05 and a positive
 * //   difference) on "exact_match", but "exact_match" has difference +0.01 (0.7 → 0.71), … p=0.62, …
 * ```
 */
export function toBeSignificantlyBetter(
  this: _EvalMatcherState,
  received: unknown,
  options: SignificantlyBetterOptions = {},
): _MatcherOutcome {
  const comparison = _expectComparison('toBeSignificantlyBetter', received);
  _checkOptionsObject('options', options);
  const alpha =
    options.alpha === undefined ? comparison.alpha : _checkNumberInRange('alpha', options.alpha, 0, 1);
  const checked: readonly MetricComparison[] =
    options.metric === undefined
      ? Object.values(comparison.metrics)
      : [_pickMetric('toBeSignificantlyBetter', comparison.metrics, options.metric, 'comparison')];
  _recordOnTask(this.task ?? _currentTest(), comparison);
  const blocked = _blockedComparison('toBeSignificantlyBetter', comparison, checked, this.isNot === true);
  if (blocked !== undefined) return blocked;

  const useCalibrated = _checkBoolean('calibrated', options.calibrated, true);
  const cal = (m: MetricComparison) => (useCalibrated ? m.calibrated : undefined);
  const passes = (m: MetricComparison) => {
    const c = cal(m);
    return c === undefined
      ? m.difference > 0 && m.pValueAdjusted < alpha
      : c.difference > 0 && c.pValueAdjusted < alpha;
  };
  const pass = checked.every(passes);
  const shown = this.isNot ? checked : checked.filter((m) => !passes(m));
  const scope = options.metric === undefined ? 'on every metric' : `on ${JSON.stringify(options.metric)}`;
  const pName = comparison.adjustment === 'none' ? 'p' : `${comparison.adjustment}-adjusted p`;
  const line = (m: MetricComparison) =>
    `${JSON.stringify(m.metric)} has ${cal(m) === undefined ? _describeMetricComparison(m, comparison.adjustment) : _describeCalibratedComparison(m, comparison.adjustment)}`;
  return {
    pass,
    message: () =>
      `expected the candidate ${this.isNot ? 'not ' : ''}to be significantly better (${pName} < ${_formatNumber(alpha)} and a positive difference) ${scope}, but` +
      (shown.length === 1 ? ` ${line(shown[0]!)}` : `:\n${shown.map((m) => `  ${line(m)}`).join('\n')}`),
  };
}
