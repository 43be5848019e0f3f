import type { ExpectStatic } from 'vitest';
import { _describe } from '../_internal/describe.js';
import { _formatNumber } from '../_internal/formatNumber.js';
import { _checkBoolean, _checkOptionsObject } from '../_internal/validate.js';
import { formatLevel } from '../report/format.js';
import { gateChoseRows, stoppedReason } from '../result/assertResult.js';
import { brokenScores } from '../result/brokenScores.js';
import type { EvalResult } from '../result/EvalResult.js';
import { recordedBounds } from '../result/recordedBounds.js';
import { hasGroups, hasTrials, rowCluster } from '../result/rowClusters.js';
import { BOOTSTRAP_MIN_ROWS } from '../stats/bootstrapCI.js';
import {
  _describeCalibrated,
  _describeGate,
  _describeSummary,
  _expectResult,
  type _MatcherOutcome,
  _pickMetric,
  _unusable,
  _whyBelow,
} from './_describeEval.js';
import { _currentTest, _recordOnTask } from './recordEval.js';

/** Options of {@link toHaveLowerBoundAtLeast}. */
export interface LowerBoundOptions {
  /**
   * Use the calibrated (prediction-powered) interval when the metric has one (human labels on enough rows);
   * `false` judges the raw judge interval. @default true
   */
  readonly calibrated?: boolean;
}

/**
 * The matcher state vitest passes, with the running test it sets (vitest >= 3). Taken from `expect.getState()`
 * because vitest 3 does not export `MatcherState` by name (4 and 5 do). @internal
 */
export type _EvalMatcherState = ReturnType<ExpectStatic['getState']> & {
  readonly task?: Parameters<typeof _recordOnTask>[0];
};

/**
 * Why `metric`'s interval cannot be certified on a run its gate stopped early, or undefined: the rows that ran were
 * chosen by the gate's data (another metric's, or a paired difference), so a fixed-sample interval over them is not
 * valid at that stopping time — only the gate's own confidence sequence is.
 */
function stoppedByAnotherGate(result: EvalResult, metric: string): string | undefined {
  const gate = result.gate;
  if (gate === undefined || !gateChoseRows(result, metric)) return undefined;
  const planned = result.run.rowsPlanned;
  const by = gate.kind === 'threshold' ? `its gate on ${JSON.stringify(gate.metric)}` : 'its paired gate';
  return `the run stopped when ${by} decided, after ${result.n}${planned === undefined ? '' : ` of ${planned}`} rows: an interval over rows a gate's data chose is not valid at that stopping time (gate on the metric you assert on, or run the whole dataset)`;
}

/**
 * Passes iff the lower bound of `metric`'s confidence interval is at least `threshold`: "with 95%
 * confidence, exact match is at least 0.7", which a point estimate alone cannot say.
 *
 * A `NaN` lower bound (a degenerate interval) never passes. The result is recorded for evalgate's reporter.
 *
 * A run with an anytime-valid `gate` on this metric that decided (`result.gate.decision` `'pass'` / `'fail'`)
 * is judged on the gate's confidence-sequence lower bound, which stays valid at the data-dependent stopping
 * time where the bootstrap interval of the rows that ran would not; an undecided gate (the whole dataset ran)
 * falls back to the usual interval. Any other metric of a run its gate stopped early (or any metric, after a paired
 * gate) is not certified: the rows that ran were chosen by the gate's data, so their fixed-sample interval is not
 * valid at that stopping time; the matcher fails, under `.not` too, and says so. A failure says whether the
 * estimate itself is below the bar or the interval is too wide, and then about how many examples would be needed
 * (`sampleSize()`).
 *
 * @param received - An `EvalResult` from `evaluate()` or `loadResult()`.
 * @param metric - The metric's name, as in `result.metrics`.
 * @param threshold - Any finite number on the metric's scale.
 * @param options - `calibrated` (default true): a metric with human labels is judged on its calibrated
 *   interval (`result.metrics[metric].calibrated`, PPI++), which includes the judge's error, and the message
 *   says "calibrated with N human labels"; `{ calibrated: false }` opts out.
 * @throws {TypeError} when `received` is not a result, `metric` is not one of its metrics, or `threshold`
 *   is not a finite number.
 * @example
 * ```ts
 * expect(result).toHaveLowerBoundAtLeast('exact_match', 0.7);
 * // fails with: expected the 95% CI lower bound of "exact_match" to be >= 0.7, but it is 0.56:
 * //   estimate 0.65, 95% CI [0.56, 0.74] (bca), n=100; the estimate 0.65 is itself below 0.7, so more
 * //   examples would not help
 * const gated = await evaluate(data, model, [exactMatch()], { gate: { metric: 'exact_match', atLeast: 0.7 } });
 * expect(gated).toHaveLowerBoundAtLeast('exact_match', 0.7);
 * // passes on (2000 examples, 90% right, concurrency 1): gate pass after 35 rows (35 observations of 2000),
 * //   95% confidence sequence [0.7007, 1] (prpl-eb), 1965 rows skipped
 * ```
 */
export function toHaveLowerBoundAtLeast(
  this: _EvalMatcherState,
  received: unknown,
  metric: string,
  threshold: number,
  options: LowerBoundOptions = {},
): _MatcherOutcome {
  _checkOptionsObject('options', options);
  const useCalibrated = _checkBoolean('calibrated', options.calibrated, true);
  const result = _expectResult('toHaveLowerBoundAtLeast', received);
  const summary = _pickMetric('toHaveLowerBoundAtLeast', result.metrics, metric, 'result');
  if (typeof threshold !== 'number' || !Number.isFinite(threshold))
    throw new TypeError(
      `toHaveLowerBoundAtLeast() expects \`threshold\` to be a finite number, received ${_describe(threshold)}`,
    );
  _recordOnTask(this.task ?? _currentTest(), result);
  const low = summary.ci.low;
  const relation = this.isNot ? '<' : '>=';
  const unusable = _unusable(stoppedReason(result) ?? stoppedByAnotherGate(result, metric), [
    {
      name: metric,
      n: summary.n,
      value: summary.mean,
      ...(summary.broken === undefined
        ? {}
        : {
            broken: `metric \`${metric}\` is broken: ${brokenScores(summary.broken)}`,
          }),
    },
  ]);
  if (unusable !== undefined)
    return {
      pass: this.isNot === true, // fails under `.not` too: no evidence either way
      message: () =>
        `expected the ${formatLevel(summary.ci.level)} lower bound of ${JSON.stringify(metric)} to be ${relation} ${_formatNumber(threshold)}, but ${unusable}`,
      actual: low,
      expected: threshold,
    };
  if (useCalibrated && summary.calibrated !== undefined) {
    const c = summary.calibrated;
    const pass = c.ci.low >= threshold;
    return {
      pass,
      message: () =>
        `expected the ${formatLevel(c.ci.level)} calibrated lower bound of ${JSON.stringify(metric)} to be ${relation} ${_formatNumber(threshold)}, ` +
        `but it is ${_formatNumber(c.ci.low)}: ${_describeCalibrated(summary)}` +
        (pass || !(c.mean < threshold)
          ? ''
          : `; the calibrated estimate ${_formatNumber(c.mean)} is itself below ${_formatNumber(threshold)}`),
      actual: c.ci.low,
      expected: threshold,
    };
  }
  const gate = result.gate;
  if (
    gate !== undefined &&
    gate.metric === metric &&
    gate.kind === 'threshold' &&
    gate.decision !== 'undecided'
  ) {
    const pass = gate.lower >= threshold;
    const level = `${_formatNumber(gate.confidence * 100, 6)}% anytime-valid`;
    return {
      pass,
      message: () =>
        `expected the ${level} lower bound of ${JSON.stringify(metric)} to be ${relation} ${_formatNumber(threshold)}, ` +
        `but it is ${_formatNumber(gate.lower)}: ${_describeGate(gate)}; ${_describeSummary(summary)}` +
        (pass
          ? ''
          : gate.upper < threshold
            ? `; the upper bound ${_formatNumber(gate.upper)} is below ${_formatNumber(threshold)} too`
            : ''),
      actual: gate.lower,
      expected: threshold,
    };
  }
  const noInterval = _noIntervalWithoutBounds(result, metric, summary);
  if (noInterval !== undefined)
    return {
      pass: this.isNot === true, // fails under `.not` too: no evidence either way
      message: () =>
        `expected the ${formatLevel(summary.ci.level)} lower bound of ${JSON.stringify(metric)} to be ${relation} ${_formatNumber(threshold)}, but ${noInterval}`,
      actual: low,
      expected: threshold,
    };
  const pass = low >= threshold;
  const undecided = gate !== undefined && gate.metric === metric ? `; ${_describeGate(gate)}` : '';
  return {
    pass,
    message: () =>
      `expected the ${formatLevel(summary.ci.level)} lower bound of ${JSON.stringify(metric)} to be ${relation} ${_formatNumber(threshold)}, ` +
      `but it is ${_formatNumber(low)}: ${_describeSummary(summary)}${pass ? '' : _whyBelow(summary, threshold)}${undecided}`,
    actual: low,
    expected: threshold,
  };
}

/**
 * Why a metric that declares no bounds has no interval to certify with, or `undefined`: without bounds no
 * finite-sample interval of a mean exists, so on fewer than `BOOTSTRAP_MIN_ROWS` rows its bootstrap interval is the
 * spread of those rows, and on constant scores it is the point itself (one example scoring 3 gives [3, 3]).
 */
function _noIntervalWithoutBounds(
  result: EvalResult,
  metric: string,
  summary: EvalResult['metrics'][string],
): string | undefined {
  if (summary.kind === 'binary' || recordedBounds(result, metric) !== undefined) return undefined;
  if (summary.ci.method === 'point')
    return `metric \`${metric}\` declares no \`bounds\` and every one of its ${summary.n} scores is ${_formatNumber(summary.mean)}: its interval is that point, not evidence — declare the metric's \`bounds\` (a finite-sample interval) to gate on it`;
  const { units, grouped } = _scoredUnits(result, metric, summary.n);
  if (units < BOOTSTRAP_MIN_ROWS)
    return `metric \`${metric}\` declares no \`bounds\` and has only ${units} scored ${grouped ? `unit${units === 1 ? '' : 's'} (a group counts once)` : `example${units === 1 ? '' : 's'}`} (< ${BOOTSTRAP_MIN_ROWS}): no valid interval exists for so few rows of an unbounded score (the bootstrap's is the spread of those rows) — declare the metric's \`bounds\` (a finite-sample interval) or score at least ${BOOTSTRAP_MIN_ROWS} rows`;
  return undefined;
}

/**
 * The independent units among `metric`'s scored rows: the trials of one example, and the examples of one group,
 * count once (the summary's bootstrap resamples them together). `n` (the summary's) when no row is clustered.
 */
function _scoredUnits(
  result: EvalResult,
  metric: string,
  n: number,
): { readonly units: number; readonly grouped: boolean } {
  const t = result.scores;
  const col = t?.metrics[metric];
  const byExample = t !== undefined && hasTrials(t);
  // Unclustered rows are the summary's own n.
  if (col === undefined || (!byExample && !hasGroups(t))) return { units: n, grouped: false };
  const clusters = new Set<string>();
  let singles = 0;
  let grouped = false;
  for (let i = 0; i < col.length; i++) {
    if (t.failed[i] || col[i] === null || col[i] === undefined) continue;
    if (t.groups[i] != null) grouped = true;
    const c = rowCluster(t, i, byExample);
    if (c === null) singles++;
    else clusters.add(c);
  }
  return { units: singles + clusters.size, grouped };
}
