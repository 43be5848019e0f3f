import type { MatcherState } from 'vitest';
import { _describe } from '../_internal/describe.js';
import { _formatLevel, _formatNumber } from '../report/format.js';
import { stoppedReason } from '../result/assertResult.js';
import {
  _describeSummary,
  _expectResult,
  type _MatcherOutcome,
  _pickMetric,
  _unusable,
} from './_describeEval.js';
import { _currentTest, _recordOnTask } from './recordEval.js';

/** The matcher state vitest passes, with the running test it sets (vitest >= 3). @internal */
export type _EvalMatcherState = MatcherState & { readonly task?: Parameters<typeof _recordOnTask>[0] };

/**
 * Passes iff the lower bound of `metric`'s confidence interval is at least `threshold`: "with 95%
 * confidence, exact match is at least 0.7", which a point estimate alone cannot say.
 *
 * A `NaN` lower bound (a degenerate interval) never passes. The result is recorded for evalgate's reporter.
 *
 * @param received - An `EvalResult` from `evaluate()` or `loadResult()`.
 * @param metric - The metric's name, as in `result.metrics`.
 * @param threshold - Any finite number on the metric's scale.
 * @throws {TypeError} when `received` is not a result, `metric` is not one of its metrics, or `threshold`
 *   is not a finite number.
 * @example
 * ```ts
 * expect(result).toHaveLowerBoundAtLeast('exact_match', 0.7);
 * // fails with: expected the 95% CI lower bound of "exact_match" to be >= 0.7, but it is 0.56:
 * //   estimate 0.65, 95% CI [0.56, 0.74] (bca), n=100
 * ```
 */
export function toHaveLowerBoundAtLeast(
  this: _EvalMatcherState,
  received: unknown,
  metric: string,
  threshold: number,
): _MatcherOutcome {
  const result = _expectResult('toHaveLowerBoundAtLeast', received);
  const summary = _pickMetric('toHaveLowerBoundAtLeast', result.metrics, metric, 'result');
  if (typeof threshold !== 'number' || !Number.isFinite(threshold))
    throw new TypeError(
      `toHaveLowerBoundAtLeast() expects \`threshold\` to be a finite number, received ${_describe(threshold)}`,
    );
  _recordOnTask(this.task ?? _currentTest(), result);
  const low = summary.ci.low;
  const relation = this.isNot ? '<' : '>=';
  const unusable = _unusable(stoppedReason(result), [{ name: metric, n: summary.n, value: summary.mean }]);
  if (unusable !== undefined)
    return {
      pass: this.isNot === true, // fails under `.not` too: no evidence either way
      message: () =>
        `expected the ${_formatLevel(summary.ci.level)} lower bound of ${JSON.stringify(metric)} to be ${relation} ${_formatNumber(threshold)}, but ${unusable}`,
      actual: low,
      expected: threshold,
    };
  const pass = low >= threshold;
  return {
    pass,
    message: () =>
      `expected the ${_formatLevel(summary.ci.level)} lower bound of ${JSON.stringify(metric)} to be ${relation} ${_formatNumber(threshold)}, ` +
      `but it is ${_formatNumber(low)}: ${_describeSummary(summary)}`,
    actual: low,
    expected: threshold,
  };
}
