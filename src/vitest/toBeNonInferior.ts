import { _formatNumber } from '../_internal/formatNumber.js';
import { _checkBoolean, _checkNumberInRange, _checkOptionsObject } from '../_internal/validate.js';
import { isEvalResult, stoppedReason } from '../result/assertResult.js';
import type { MetricComparison } from '../result/Comparison.js';
import { compare } from '../result/compare.js';
import type { EvalResult } from '../result/EvalResult.js';
import { clearsMargin, exactlyZero } from '../result/nonInferiority.js';
import {
  _blockedComparison,
  _candidateFailedText,
  _candidateFailures,
  _checkMarginOnScale,
  _describeCalibratedComparison,
  _describeGate,
  _describeMetricComparison,
  _expectComparison,
  type _MatcherOutcome,
  _pickMetric,
  _unusable,
} from './_describeEval.js';
import { _currentTest, _recordOnTask } from './recordEval.js';
import type { _EvalMatcherState } from './toHaveLowerBoundAtLeast.js';

/** Options of {@link toBeNonInferior}. */
export interface NonInferiorOptions {
  /**
   * The largest loss you accept, on the metric's scale (0.02 = two points of accuracy). Minimum: `0`; below 1
   * on a binary metric.
   * @default the margin the comparison was computed with (`compare(…, { margin })`); required if it had none
   */
  readonly margin?: number;
  /** Check only this metric. @default every metric of the comparison */
  readonly metric?: string;
  /**
   * On a gated result whose paired gate stayed undecided (the whole dataset ran): the baseline to fall back
   * to the usual paired interval with (`compare(baseline, result)`). Ignored on a comparison. @default none
   */
  readonly baseline?: EvalResult;
  /**
   * Use the calibrated (PPI++) comparison of metrics both runs labeled (`metrics[name].calibrated`); `false`
   * judges the raw judge difference. @default true
   */
  readonly calibrated?: boolean;
  /**
   * Judge the rows both runs answered even when the candidate failed rows its baseline answered. By default such
   * rows fail the matcher: a comparison drops a failed row, so a candidate that crashes on its hardest rows would be
   * certified on the rest. On a gated result, any failed row of the run (the paired gate skips failed rows, and runs
   * only examples the baseline answered). @default the comparison's `allowCandidateFailures` (false)
   */
  readonly allowCandidateFailures?: boolean;
}

/**
 * Passes iff the candidate is non-inferior to the baseline: the lower bound of the confidence interval of
 * candidate − baseline is above `-margin`, on the chosen metric or on every metric.
 *
 * The verdict is recomputed from `ci.low` and the margin given here, never read from the comparison's
 * precomputed `nonInferior` flag, so a margin passed to the matcher always means what it says. A candidate that
 * failed rows its baseline answered fails (the comparison drops those rows; pass `allowCandidateFailures: true` to
 * judge the rows both runs answered). With the
 * comparison's two-sided 95% interval this is a one-sided test at the 2.5% level. A `NaN` bound never
 * passes. The comparison is recorded for evalgate's reporter.
 *
 * Also takes a result of `evaluate(…, { gate: { baseline, metric, margin } })`: a decided paired gate passes
 * iff its anytime-valid lower bound of the mean difference is above `-margin` (the gate's margin unless one is
 * given here); an undecided one (the whole dataset ran) falls back to `compare(options.baseline, result, { allowUnpaired: true })`'s
 * interval, and fails saying so when no `baseline` is given.
 *
 * @param received - A `Comparison` from `compare(baseline, candidate)`, or a result with a paired gate.
 * @param options - See {@link NonInferiorOptions}.
 * @throws {TypeError} when `received` is not a comparison, `metric` is unknown, or no margin is known.
 * @throws {RangeError} when `margin` is negative or not finite, or 1 or more on a binary metric (its difference
 *   lies in [-1, 1], so the claim would hold whatever the data).
 * @example
 * ```ts
 * expect(compare(base, candidate)).toBeNonInferior({ margin: 0.02 });
 * // fails with: expected the candidate to be non-inferior (margin 0.02: CI lower bound of the difference
 * //   > -0.02) on every metric, but "exact_match" has lower bound -0.09: difference -0.04 (0.7 → 0.66), …
 * const gated = await evaluate(data, candidate, [exactMatch()], { gate: { baseline: base, metric: 'exact_match', margin: 0.05 } });
 * expect(gated).toBeNonInferior();
 * // passes on (an identical candidate, 2000 examples, concurrency 1): gate pass after 278 rows (278 observations
 * //   of 2000), 95% confidence sequence [-0.04996, 0.04996] (prpl-eb), 1722 rows skipped
 * ```
 */
export function toBeNonInferior(
  this: _EvalMatcherState,
  received: unknown,
  options: NonInferiorOptions = {},
): _MatcherOutcome {
  _checkOptionsObject('options', options);
  if (isEvalResult(received)) return gatedNonInferior.call(this, received, options);
  const comparison = _expectComparison('toBeNonInferior', received);
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
  _checkMarginOnScale(margin, checked);
  _recordOnTask(this.task ?? _currentTest(), comparison);
  const blocked =
    _blockedComparison('toBeNonInferior', comparison, checked, this.isNot === true) ??
    _candidateFailures('toBeNonInferior', comparison, options.allowCandidateFailures, this.isNot === true);
  if (blocked !== undefined) return blocked;

  const useCalibrated = _checkBoolean('calibrated', options.calibrated, true);
  const cal = (m: MetricComparison) => (useCalibrated ? m.calibrated : undefined);
  const noInterval = checked.filter((m) => cal(m) === undefined && m.noInterval !== undefined);
  if (noInterval.length > 0)
    return {
      pass: this.isNot === true, // fails under `.not` too: no evidence either way
      message: () =>
        `expected a comparison that can pass toBeNonInferior(), but ${noInterval.map((m) => _noIntervalReason(m)).join('; ')}`,
    };
  const lowOf = (m: MetricComparison) => cal(m)?.ci.low ?? m.ci.low;
  // A difference known to be exactly 0 ([0, 0]: identical paired data, raw or calibrated) passes at margin 0 too.
  const exact = (m: MetricComparison) => {
    const c = cal(m);
    return c === undefined ? exactlyZero(m) : c.ci.method === 'point' && exactlyZero(c);
  };
  const passes = (m: MetricComparison) => lowOf(m) > -margin || exact(m);
  const pass = checked.every(passes);
  // A failure lists the metrics that decided it: the inferior ones, or (under .not) all of them.
  const shown = this.isNot ? checked : checked.filter((m) => !passes(m));
  const scope = options.metric === undefined ? 'on every metric' : `on ${JSON.stringify(options.metric)}`;
  const line = (m: MetricComparison) =>
    `${JSON.stringify(m.metric)} has lower bound ${_formatNumber(lowOf(m))}: ${cal(m) === undefined ? _describeMetricComparison(m, comparison.adjustment) : _describeCalibratedComparison(m, comparison.adjustment)}`;
  return {
    pass,
    message: () =>
      `expected the candidate ${this.isNot ? 'not ' : ''}to be non-inferior (margin ${_formatNumber(margin)}: CI lower bound of the difference > ${_formatNumber(-margin)}) ${scope}, but` +
      (shown.length === 1 ? ` ${line(shown[0]!)}` : `:\n${shown.map((m) => `  ${line(m)}`).join('\n')}`),
  };
}

/** toBeNonInferior() on a result with a paired gate. */
function gatedNonInferior(
  this: _EvalMatcherState,
  result: EvalResult,
  options: NonInferiorOptions,
): _MatcherOutcome {
  const gate = result.gate;
  if (gate === undefined || gate.kind !== 'non-inferiority')
    throw new TypeError(
      'toBeNonInferior() expects a comparison (from compare()) or a result with a paired gate (`evaluate(…, { gate: { baseline, metric, margin } })`), received a result without one: pass `compare(baseline, result)`',
    );
  if (options.metric !== undefined && options.metric !== gate.metric)
    throw new TypeError(
      `toBeNonInferior(): the result's paired gate is on ${JSON.stringify(gate.metric)}, not ${JSON.stringify(options.metric)}`,
    );
  const margin = options.margin ?? gate.margin!;
  _checkNumberInRange('margin', margin, 0, Number.POSITIVE_INFINITY, '[)');
  const summary = result.metrics[gate.metric];
  if (summary !== undefined) _checkMarginOnScale(margin, [{ metric: gate.metric, kind: summary.kind }]);
  _recordOnTask(this.task ?? _currentTest(), result);
  const head = `expected the candidate ${this.isNot ? 'not ' : ''}to be non-inferior (margin ${_formatNumber(margin)}: lower bound of the difference > ${_formatNumber(-margin)}) on ${JSON.stringify(gate.metric)}, but`;
  if (gate.refused !== undefined)
    return {
      pass: this.isNot === true, // fails under `.not` too: a broken metric is no evidence either way
      message: () => `${head} the gate refused to decide: ${gate.refused}`,
    };
  const allowFailures = _checkBoolean('allowCandidateFailures', options.allowCandidateFailures, false);
  if (result.nFailed > 0 && !allowFailures)
    return {
      pass: this.isNot === true, // fails under `.not` too: no evidence either way
      message: () => `${head} ${_candidateFailedText(result.nFailed, result.n, 'gate')}`,
    };
  if (gate.decision !== 'undecided') {
    const pass = gate.lower > -margin;
    return {
      pass,
      message: () =>
        `${head} the anytime-valid lower bound is ${_formatNumber(gate.lower)}: ${_describeGate(gate)}` +
        (gate.decision === 'fail'
          ? `; inferior: the upper bound ${_formatNumber(gate.upper)} is below ${_formatNumber(-gate.margin!)}`
          : ''),
    };
  }
  const stopped = stoppedReason(result);
  if (stopped !== undefined)
    return {
      pass: this.isNot === true, // fails under `.not` too: no evidence either way
      message: () =>
        `${head} the gate is undecided (${_describeGate(gate)}): ${stopped}, and a partial run never passes a gate`,
    };
  if (options.baseline === undefined)
    return {
      pass: this.isNot === true, // fails under `.not` too: no evidence either way
      message: () =>
        `${head} the gate is undecided after the whole dataset (${_describeGate(gate)}); pass \`{ baseline }\` to fall back to the paired interval of compare(baseline, result)`,
    };
  const comparison = compare(options.baseline, result, { margin, allowUnpaired: true });
  const m = comparison.metrics[gate.metric];
  if (m === undefined)
    throw new TypeError(`toBeNonInferior(): the baseline has no metric ${JSON.stringify(gate.metric)}`);
  const unusable = _unusable(comparison.partial, [
    { name: m.metric, n: m.n, value: m.difference, ...(m.broken === undefined ? {} : { broken: m.broken }) },
  ]);
  if (unusable !== undefined)
    return {
      pass: this.isNot === true, // fails under `.not` too: no evidence either way
      message: () => `${head} ${unusable}`,
    };
  if (m.noInterval !== undefined)
    return {
      pass: this.isNot === true, // fails under `.not` too: no evidence either way
      message: () => `${head} ${_noIntervalReason(m)}`,
    };
  const pass = clearsMargin(m, margin);
  return {
    pass,
    message: () =>
      `${head} the gate is undecided after the whole dataset (${_describeGate(gate)}), and the paired interval has lower bound ${_formatNumber(m.ci.low)}: ${_describeMetricComparison(m, 'none')}`,
  };
}

/** Why a comparison of few rows of a metric without recorded bounds is no evidence (`MetricComparison.noInterval`). */
function _noIntervalReason(m: MetricComparison): string {
  return `${JSON.stringify(m.metric)} has ${m.noInterval}`;
}
