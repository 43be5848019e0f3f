import { _describe } from '../_internal/describe.js';
import { _formatNumber } from '../_internal/formatNumber.js';
import { _checkNumberInRange, _checkOptionsObject } from '../_internal/validate.js';
import type { SegmentComparison } from '../result/Comparison.js';
import {
  _checkMarginOnScale,
  _describeSegmentCell,
  _expectComparison,
  type _MatcherOutcome,
  _unusable,
} from './_describeEval.js';
import { _currentTest, _recordOnTask } from './recordEval.js';
import type { _EvalMatcherState } from './toHaveLowerBoundAtLeast.js';

/** Options of {@link toHaveNoSegmentRegression}. */
export interface NoSegmentRegressionOptions {
  /** Check only this metric's cells. @default every metric of the comparison */
  readonly metric?: string;
  /**
   * The loss tolerated in a segment, on the metric's scale: a cell regresses only when its difference is below
   * `-margin`. Minimum: `0`. @default the comparison's margin, else 0
   */
  readonly margin?: number;
  /**
   * Significance level the cells' adjusted p-values are held to, in (0, 1). @default the comparison's `alpha`
   */
  readonly alpha?: number;
}

/**
 * Passes iff no segment got significantly worse: no cell of `comparison.segments` (segment x metric) has a
 * difference below `-margin` with an adjusted p-value below `alpha`.
 *
 * The verdict is recomputed from each cell's `difference` and `pAdjusted` with the margin and alpha given here,
 * never read from the precomputed `regressed` flag. The p-values were adjusted across every segment x metric
 * cell by `compare()` (Holm by default), so checking a dozen segments does not multiply the false alarms. A
 * failure names each regressed segment with its numbers. A partial run, or a cell with no paired score,
 * never passes. The comparison is recorded for evalgate's reporter.
 *
 * @param received - A `Comparison` from `compare(baseline, candidate)` of runs evaluated with `segmentBy`.
 * @param options - See {@link NoSegmentRegressionOptions}.
 * @throws {TypeError} when `received` is not a comparison, has no segments, or `metric` is not one of its metrics.
 * @throws {RangeError} when `margin` is negative (or 1 or more on a binary metric) or `alpha` is outside (0, 1).
 * @example
 * ```ts
 * expect(compare(base, candidate)).toHaveNoSegmentRegression();
 * // fails with: expected no segment to regress (difference < 0 with holm-adjusted p < 0.05) on every metric,
 * //   but 1 cell did: "billing" exact_match: difference -0.2 (0.7533 → 0.5533), 95% CI [-0.2667, -0.14], n=150, …
 * ```
 */
export function toHaveNoSegmentRegression(
  this: _EvalMatcherState,
  received: unknown,
  options: NoSegmentRegressionOptions = {},
): _MatcherOutcome {
  const comparison = _expectComparison('toHaveNoSegmentRegression', received);
  _checkOptionsObject('options', options);
  if (comparison.segments === undefined)
    throw new TypeError(
      'toHaveNoSegmentRegression() received a comparison without segments: evaluate both runs with `segmentBy`',
    );
  const margin = _checkNumberInRange(
    'margin',
    options.margin ?? comparison.margin ?? 0,
    0,
    Number.POSITIVE_INFINITY,
    '[)',
  );
  const alpha = _checkNumberInRange('alpha', options.alpha ?? comparison.alpha, 0, 1);
  if (options.metric !== undefined && !Object.hasOwn(comparison.metrics, options.metric))
    throw new TypeError(
      `toHaveNoSegmentRegression() received unknown metric ${_describe(options.metric)}: the comparison has ${Object.keys(
        comparison.metrics,
      )
        .map((k) => JSON.stringify(k))
        .join(', ')}`,
    );
  const cells: readonly SegmentComparison[] =
    options.metric === undefined
      ? comparison.segments
      : comparison.segments.filter((c) => c.metric === options.metric);
  _checkMarginOnScale(
    margin,
    cells.flatMap((c) => {
      const m = comparison.metrics[c.metric];
      return m === undefined ? [] : [{ metric: c.metric, kind: m.kind }];
    }),
  );
  _recordOnTask(this.task ?? _currentTest(), comparison);
  const unusable = _unusable(
    comparison.partial,
    cells.map((c) => ({ name: `${c.segment}/${c.metric}`, n: c.n, value: c.difference })),
  );
  if (unusable !== undefined)
    return {
      pass: this.isNot === true, // fails under `.not` too: no evidence either way
      message: () => `expected a comparison that can pass toHaveNoSegmentRegression(), but ${unusable}`,
    };

  const regressed = (c: SegmentComparison) => c.difference < -margin && c.pAdjusted < alpha;
  const bad = cells.filter(regressed);
  const pass = bad.length === 0;
  const scope = options.metric === undefined ? 'on every metric' : `on ${JSON.stringify(options.metric)}`;
  const rule = `difference < ${_formatNumber(-margin)} with ${comparison.adjustment === 'none' ? '' : `${comparison.adjustment}-adjusted `}p < ${_formatNumber(alpha)}`;
  const line = (c: SegmentComparison) => _describeSegmentCell(c, comparison.adjustment);
  const segments = new Set(cells.map((c) => c.segment)).size;
  return {
    pass,
    message: () =>
      this.isNot
        ? `expected some segment to regress (${rule}) ${scope}, but none of ${segments} segments did`
        : `expected no segment to regress (${rule}) ${scope}, but ${bad.length} cell${bad.length === 1 ? '' : 's'} did:\n${bad.map((c) => `  ${line(c)}`).join('\n')}`,
  };
}
