/**
 * The sentences matcher failures are made of: everything a reader needs to judge an estimate (metric,
 * estimate, interval, sample size, and for comparisons the test, p-values and effect size) on one line.
 * @module
 */
import { _describe } from '../_internal/describe.js';
import { _formatNumber } from '../_internal/formatNumber.js';
import { _checkBoolean } from '../_internal/validate.js';
import { formatInterval, formatLevel, formatPValue, formatSigned } from '../report/format.js';
import { isEvalResult } from '../result/assertResult.js';
import type { Comparison, MetricComparison, SegmentComparison } from '../result/Comparison.js';
import type { EvalResult, GateResult, MetricSummary } from '../result/EvalResult.js';
import { unseenCandidateFailures } from '../result/nonInferiority.js';
import { sampleSize } from '../stats/sampleSize.js';

/** `estimate 0.65, 95% CI [0.56, 0.74] (bca), n=100 (3 missing)`. */
export function _describeSummary(m: MetricSummary): string {
  const missing = m.nMissing > 0 ? ` (${m.nMissing} missing)` : '';
  const warning = m.warning ? `; ${m.warning}` : '';
  return `estimate ${_formatNumber(m.mean)}, ${formatLevel(m.ci.level)} ${formatInterval(m.ci)} (${m.ci.method}), n=${m.n}${missing}${warning}`;
}

/**
 * `calibrated with 120 human labels: estimate 0.62, 95% CI [0.55, 0.69] (ppi++, lambda 0.81); raw judge
 * estimate 0.71, 95% CI [0.68, 0.74] (bca)`.
 */
export function _describeCalibrated(m: MetricSummary): string {
  const c = m.calibrated!;
  const warning = c.warning ? `; ${c.warning}` : '';
  return (
    `calibrated with ${c.nLabeled} human labels: estimate ${_formatNumber(c.mean)}, ${formatLevel(c.ci.level)} ${formatInterval(c.ci)} ` +
    `(${c.ci.method}, lambda ${_formatNumber(c.lambda, 3)}, ${c.nUnlabeled} unlabeled)${warning}; raw judge ${_describeSummary(m)}`
  );
}

/** `calibrated with 40 human label pairs: difference 0.05, 95% CI [-0.01, 0.11] (ppi++), p=0.1, holm-adjusted p=0.2`. */
export function _describeCalibratedComparison(
  m: MetricComparison,
  adjustment: Comparison['adjustment'],
): string {
  const c = m.calibrated!;
  const adjusted =
    adjustment === 'none' ? '' : `, ${adjustment}-adjusted p=${formatPValue(c.pValueAdjusted)}`;
  return (
    `calibrated with ${c.nLabeled} human label pairs: difference ${formatSigned(c.difference)}, ${formatLevel(c.ci.level)} ${formatInterval(c.ci)} ` +
    `(ppi++, lambda ${_formatNumber(c.lambda, 3)}) p=${formatPValue(c.pValue)}${adjusted}; raw judge ${_describeMetricComparison(m, adjustment)}`
  );
}

/** `difference -0.04 (0.7 → 0.66), 95% CI [-0.09, 0.01], n=200, mcnemar (exact) p=0.031, holm-adjusted p=0.062, effect size d_z=-0.15`. */
export function _describeMetricComparison(m: MetricComparison, adjustment: Comparison['adjustment']): string {
  const adjusted =
    adjustment === 'none' ? '' : `, ${adjustment}-adjusted p=${formatPValue(m.pValueAdjusted)}`;
  return (
    `difference ${formatSigned(m.difference)} (${_formatNumber(m.baselineMean)} → ${_formatNumber(m.candidateMean)}), ` +
    `${formatLevel(m.ci.level)} ${formatInterval(m.ci)}, n=${m.n}, ` +
    `${m.test} (${m.testMethod}${m.note === undefined ? '' : `; ${m.note}`}${m.definitionChanged === undefined ? '' : `; ${m.definitionChanged}`}) p=${formatPValue(m.pValue)}${adjusted}, effect size d_z=${_formatNumber(m.effectSize, 3)}`
  );
}

/**
 * `"billing" exact_match: difference -0.2 (0.7533 → 0.5533), 95% CI [-0.2667, -0.14], n=150, mcnemar (exact) p=1.9e-9, holm-adjusted p=1.5e-8`;
 * a cell with `noInterval` (few rows of a metric without bounds) says `no interval (only 8 paired rows …)` in place of
 * its interval, which is only the rows' spread.
 */
export function _describeSegmentCell(c: SegmentComparison, adjustment: Comparison['adjustment']): string {
  const adjusted = adjustment === 'none' ? '' : `, ${adjustment}-adjusted p=${formatPValue(c.pAdjusted)}`;
  const interval =
    c.noInterval === undefined
      ? `${formatLevel(c.ci.level)} ${formatInterval(c.ci)}`
      : `no interval (${c.noInterval})`;
  return (
    `${JSON.stringify(c.segment)} ${c.metric}: difference ${formatSigned(c.difference)} (${_formatNumber(c.baselineMean)} → ${_formatNumber(c.candidateMean)}), ` +
    `${interval}, n=${c.n}, ${c.test} (${c.testMethod}) p=${formatPValue(c.pValue)}${adjusted}`
  );
}

const _names = (record: object) =>
  Object.keys(record)
    .map((k) => JSON.stringify(k))
    .join(', ') || 'none';

/** Throws a TypeError unless `received` is an evalgate result. */
export function _expectResult(matcher: string, received: unknown): EvalResult {
  const r = received as Partial<EvalResult> | null;
  if (!isEvalResult(r))
    throw new TypeError(
      `${matcher}() expects an evalgate result (from evaluate() or loadResult()), received ${_describe(received)}`,
    );
  return r as EvalResult;
}

/** Throws a TypeError unless `received` is a comparison with at least one metric. */
export function _expectComparison(matcher: string, received: unknown): Comparison {
  const c = received as Partial<Comparison> | null;
  if (
    c === null ||
    typeof c !== 'object' ||
    c.kind !== 'evalgate-comparison' ||
    typeof c.metrics !== 'object' ||
    c.metrics === null
  )
    throw new TypeError(
      `${matcher}() expects a comparison (from compare()), received ${_describe(received)}`,
    );
  if (Object.keys(c.metrics).length === 0)
    throw new TypeError(
      `${matcher}() received a comparison without metrics: the two results share no metric`,
    );
  return c as Comparison;
}

/** Looks `metric` up in `metrics`, or throws a TypeError listing the names that exist. */
export function _pickMetric<T>(
  matcher: string,
  metrics: Readonly<Record<string, T>>,
  metric: unknown,
  what: string,
): T {
  if (typeof metric !== 'string')
    throw new TypeError(`${matcher}() expects \`metric\` to be a metric name, received ${_describe(metric)}`);
  if (!Object.hasOwn(metrics, metric))
    throw new TypeError(
      `${matcher}() received unknown metric ${_describe(metric)}: the ${what} has ${_names(metrics)}`,
    );
  return metrics[metric]!;
}

/** What a matcher returns to vitest (its `SyncExpectationResult`, which vitest does not export). */
export interface _MatcherOutcome {
  readonly pass: boolean;
  readonly message: () => string;
  readonly actual?: unknown;
  readonly expected?: unknown;
}

/**
 * Why a gate cannot pass whatever its numbers say: a partial run (stopped by budget or abort), or a metric
 * with nothing to estimate from (n = 0: every call failed, every score missing). Undefined when it can.
 */
export function _unusable(
  partial: string | undefined,
  metrics: readonly {
    readonly name: string;
    readonly n: number;
    readonly value: number;
    readonly broken?: string;
  }[],
): string | undefined {
  if (partial !== undefined) return `${partial}, and a partial run never passes a gate`;
  const broken = metrics.filter((m) => m.broken !== undefined);
  if (broken.length > 0)
    return `${broken.map((m) => m.broken).join('; ')} — a broken metric is not evidence (fix the metric or its \`bounds\`)`;
  const dead = metrics.filter((m) => m.n === 0 || Number.isNaN(m.value));
  if (dead.length > 0)
    return `${dead.map((m) => JSON.stringify(m.name)).join(', ')} cannot be judged: no row was scored (n = 0${dead.some((m) => m.n > 0) ? ' or an undefined estimate' : ''}), so there is no evidence to pass on`;
  return undefined;
}

/**
 * The failed outcome (failed under `.not` as well) of toBeNonInferior whose candidate failed rows its baseline
 * answered, unless `allow` (the matcher's `allowCandidateFailures` option, by default the comparison's) accepts a
 * verdict on the rows both runs answered. compare() drops a row failed on either side from every metric, so a candidate that crashes on
 * the hardest rows (which its baseline answered, right or wrong) is judged on the rest and looks as good as its
 * baseline: a certificate of the rows it chose to answer. Undefined when no such row exists or `allow` is true.
 */
export function _candidateFailures(
  matcher: string,
  comparison: Comparison,
  allow: unknown,
  isNot: boolean,
): _MatcherOutcome | undefined {
  // A comparison computed with allowCandidateFailures already judged the rows both runs answered.
  const failed = unseenCandidateFailures(
    comparison.failedOnOneSide,
    _checkBoolean('allowCandidateFailures', allow, comparison.failedOnOneSide?.allowed === true),
  );
  if (failed === 0) return undefined;
  return {
    pass: isNot, // fails under `.not` too: no evidence either way
    message: () =>
      `expected a comparison that can pass ${matcher}(), but ${_candidateFailedText(failed, comparison.nPaired, 'comparison')}`,
  };
}

/**
 * Why `failed` candidate-only failures stop a certifying verdict, and how to get one: fix the failures, or
 * `allowCandidateFailures: true`. `where`: a comparison (which drops them) or a paired gate (which skips them).
 */
export function _candidateFailedText(failed: number, of: number, where: 'comparison' | 'gate'): string {
  const them = failed === 1 ? 'it' : 'them';
  const s = of === 1 ? '' : 's';
  const rows =
    where === 'comparison'
      ? `${failed} of ${of} paired row${s} its baseline answered: the comparison drops ${them}, so its verdict`
      : `${failed} of its ${of} row${s} (examples its baseline answered): the paired gate skips ${them}, so its decision`;
  return (
    `the candidate failed ${rows} does not see ${them} (a candidate failing its hardest rows looks as good as its ` +
    'baseline). Fix the failures, or pass `{ allowCandidateFailures: true }` to judge the rows both runs answered'
  );
}

/** The failed outcome (failed under `.not` as well) of a comparison matcher whose comparison cannot pass (see {@link _unusable}), if any. */
export function _blockedComparison(
  matcher: string,
  comparison: Comparison,
  checked: readonly MetricComparison[],
  isNot: boolean,
): _MatcherOutcome | undefined {
  const why = _unusable(
    comparison.partial,
    checked.map((m) => ({
      name: m.metric,
      n: m.n,
      value: m.difference,
      ...(m.broken === undefined ? {} : { broken: m.broken }),
    })),
  );
  return why === undefined
    ? undefined
    : // Fails under `.not` too: no evidence either way.
      { pass: isNot, message: () => `expected a comparison that can pass ${matcher}(), but ${why}` };
}

/**
 * `gate pass after 35 rows (35 observations of 2000), 95% confidence sequence [0.7007, 1] (prpl-eb), 1965 rows
 * skipped`: what an anytime-valid gate decided and on how much evidence.
 */
export function _describeGate(g: GateResult): string {
  const of = g.population === undefined ? '' : ` of ${g.population}`;
  const skipped = g.rowsSkipped === null || g.rowsSkipped === 0 ? '' : `, ${g.rowsSkipped} rows skipped`;
  return (
    `gate ${g.decision} after ${g.rows} rows (${g.n} observations${of}), ` +
    `${_formatNumber(g.confidence * 100, 6)}% confidence sequence ${formatInterval({ low: g.lower, high: g.upper })} (${g.method})${skipped}` +
    (g.refused === undefined ? '' : `; refused: ${g.refused}`)
  );
}

/**
 * Why a lower bound is under `threshold`: the estimate itself is below the bar (more data will not help), or the
 * estimate clears it and the interval is too wide, with about how many examples would narrow it enough
 * (`sampleSize()`, paired-t on the differences from the bar, one-sided at the interval's alpha / 2, power 0.8,
 * with the run's standard deviation). Empty when the estimate is not a number.
 */
export function _whyBelow(m: MetricSummary, threshold: number): string {
  if (Number.isNaN(m.mean)) return '';
  if (m.mean < threshold)
    return `; the estimate ${_formatNumber(m.mean)} is itself below ${_formatNumber(threshold)}, so more examples would not help`;
  const sd = m.stderr * Math.sqrt(m.n);
  const effect = m.mean - threshold;
  let needed = '';
  if (effect > 0 && sd > 0 && Number.isFinite(sd)) {
    try {
      const plan = sampleSize({
        test: 'paired-t',
        minDetectableEffect: effect,
        sd,
        alpha: (1 - m.ci.level) / 2,
        alternative: 'greater',
        power: 0.8,
      });
      needed = `: about ${plan.n} examples would be needed to clear it with 80% power (sampleSize, paired-t, sd ${_formatNumber(sd)})`;
    } catch {
      needed = '';
    }
  }
  return `; the estimate ${_formatNumber(m.mean)} is above ${_formatNumber(threshold)} but the interval is too wide${needed}`;
}

/**
 * Refuses a margin of 1 or more on a binary metric: its difference lies in [-1, 1], so the claim would hold
 * whatever the data (a margin of 2 meant as "2 points").
 */
export function _checkMarginOnScale(
  margin: number,
  metrics: readonly { readonly metric: string; readonly kind: string }[],
): void {
  const binary = metrics.find((m) => m.kind === 'binary');
  if (binary !== undefined && margin >= 1)
    throw new RangeError(
      `Expected \`margin\` to be below 1 (the range of the difference of a binary metric, ${JSON.stringify(binary.metric)}), got ${_describe(margin)}: a margin that large passes whatever the data; margins are on the metric's scale (0.02 is 2 points of a 0-1 metric)`,
    );
}
