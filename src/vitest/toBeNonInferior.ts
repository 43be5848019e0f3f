import { _checkNumberInRange, _checkOptionsObject } from '../_internal/validate.js';
import { _formatNumber } from '../report/format.js';
import type { MetricComparison } from '../result/Comparison.js';
import {
  _blockedComparison,
  _describeMetricComparison,
  _expectComparison,
  type _MatcherOutcome,
  _pickMetric,
} from './_describeEval.js';
import { _currentTest, _recordOnTask } from './recordEval.js';
import type { _EvalMatcherState } from './toHaveLowerBoundAtLeast.js';

/** Options of {@link toBeNonInferior}. */
export interface NonInferiorOptions {
  /**
   * The largest loss you accept, on the metric's scale (0.02 = two points of accuracy). Minimum: `0`.
   * @default the margin the comparison was computed with (`compare(…, { margin })`); required if it had none
   */
  readonly margin?: number;
  /** Check only this metric. @default every metric of the comparison */
  readonly metric?: string;
}

/**
 * Passes iff the candidate is non-inferior to the baseline: the lower bound of the confidence interval of
 * candidate − baseline is above `-margin`, on the chosen metric or on every metric.
 *
 * The verdict is recomputed from `ci.low` and the margin given here, never read from the comparison's
 * precomputed `nonInferior` flag, so a margin passed to the matcher always means what it says. With the
 * comparison's two-sided 95% interval this is a one-sided test at the 2.5% level. A `NaN` bound never
 * passes. The comparison is recorded for evalgate's reporter.
 *
 * @param received - A `Comparison` from `compare(baseline, candidate)`.
 * @param options - See {@link NonInferiorOptions}.
 * @throws {TypeError} when `received` is not a comparison, `metric` is unknown, or no margin is known.
 * @throws {RangeError} when `margin` is negative or not finite.
 * @example
 * ```ts
 * expect(compare(base, candidate)).toBeNonInferior({ margin: 0.02 });
 * // fails with: expected the candidate to be non-inferior (margin 0.02: CI lower bound of the difference
 * //   > -0.02) on every metric, but "exact_match" has lower bound -0.09: difference -0.04 (0.7 → 0.66), …
 * ```
 */
export function toBeNonInferior(
  this: _EvalMatcherState,
  received: unknown,
  options: NonInferiorOptions = {},
): _MatcherOutcome {
  const comparison = _expectComparison('toBeNonInferior', received);
  _checkOptionsObject('options', options);
  const margin = options.margin ?? comparison.margin;
  if (margin === undefined)
    throw new TypeError(
      'toBeNonInferior() needs a margin: pass `{ margin }` or compute the comparison with `compare(baseline, candidate, { margin })`',
    );
  _checkNumberInRange('margin', margin, 0, Number.POSITIVE_INFINITY, '[)');
  const checked: readonly MetricComparison[] =
    options.metric === undefined
      ? Object.values(comparison.metrics)
      : [_pickMetric('toBeNonInferior', comparison.metrics, options.metric, 'comparison')];
  _recordOnTask(this.task ?? _currentTest(), comparison);
  const blocked = _blockedComparison('toBeNonInferior', comparison, checked, this.isNot === true);
  if (blocked !== undefined) return blocked;

  const passes = (m: MetricComparison) => m.ci.low > -margin;
  const pass = checked.every(passes);
  // A failure lists the metrics that decided it: the inferior ones, or (under .not) all of them.
  const shown = this.isNot ? checked : checked.filter((m) => !passes(m));
  const scope = options.metric === undefined ? 'on every metric' : `on ${JSON.stringify(options.metric)}`;
  const line = (m: MetricComparison) =>
    `${JSON.stringify(m.metric)} has lower bound ${_formatNumber(m.ci.low)}: ${_describeMetricComparison(m, comparison.adjustment)}`;
  return {
    pass,
    message: () =>
      `expected the candidate ${this.isNot ? 'not ' : ''}to be non-inferior (margin ${_formatNumber(margin)}: CI lower bound of the difference > ${_formatNumber(-margin)}) ${scope}, but` +
      (shown.length === 1 ? ` ${line(shown[0]!)}` : `:\n${shown.map((m) => `  ${line(m)}`).join('\n')}`),
  };
}
