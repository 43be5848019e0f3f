/**
 * Calibration of a metric against human labels inside a run: the prediction-powered (PPI++) estimate of the
 * mean human score and the judge's agreement with the humans, plus the warnings when the labeled rows do not
 * look like a random sample (the estimate's validity rests on it).
 * @module
 */
import type { Metric } from '../core/types.js';
import type { CalibratedSummary, ScoreTable } from '../result/EvalResult.js';
import {
  calibrationUnits,
  clusteredUnitsText,
  hasGroups,
  hasTrials,
  rowCluster,
} from '../result/rowClusters.js';
import { boundedMeanInterval, clopperPearsonInterval } from '../stats/boundedMeanInterval.js';
import { judgeAgreement } from '../stats/judgeAgreement.js';
import { ppiMean } from '../stats/ppiMean.js';

/** Fewer labeled rows than this and a metric gets no calibrated estimate (a normal interval needs a handful). */
export const _MIN_LABELS = 10;
/** Below this many labels the calibrated interval is reported with a warning: its normal approximation is rough. */
const FEW_LABELS = 30;

/** What the calibration needs besides the rows. */
export interface _CalibrationInputs {
  readonly confidence: number;
  readonly resamples: number;
  readonly seed: number | string;
  /**
   * When rows are clustered (trials, groups): each value's cluster (`rowCluster`: its group, else with trials its
   * example; `null` for a row on its own), so that a cluster is one unit of the estimate. Absent: every row is a unit.
   */
  readonly clusterOf?: readonly (string | null)[];
}

/**
 * Agreement kind for a metric from its declared kind and the values seen: binary for a binary metric (or one
 * bounded by [0, 1], such as a 0-1 judge scale) whose scores and labels are all 0/1; ordinal for integer
 * scores with at most 10 distinct values (a 1-5 scale); continuous otherwise.
 */
function agreementKind(metric: Metric, judge: readonly number[], human: readonly number[]) {
  const binary = (v: number) => v === 0 || v === 1;
  const zeroOne = metric.kind === 'binary' || (metric.bounds?.[0] === 0 && metric.bounds?.[1] === 1);
  if (zeroOne && human.every(binary) && judge.every(binary)) return 'binary' as const;
  const all = [...judge, ...human];
  if (all.every(Number.isInteger) && new Set(all).size <= 10) return 'ordinal' as const;
  return 'continuous' as const;
}

/** NaN and infinities become null so the agreement survives JSON as it would after a save. */
function jsonSafe(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)]));
  return value;
}

/** The bounds a metric's scores, and so its human labels, lie in: declared, or [0, 1] for a binary metric. */
function _labelBounds(metric: Metric): readonly [number, number] | undefined {
  return metric.bounds ?? (metric.kind === 'binary' ? ([0, 1] as const) : undefined);
}

function _outside(label: number, bounds: readonly [number, number]): boolean {
  return label < bounds[0] || label > bounds[1];
}

/**
 * The calibrated summary of one metric over scored rows: `values[i]` the judge's score, `labels[i]` the human
 * label or null. With clustered rows (`inputs.clusterOf`: trials, groups), the estimate runs over units, a cluster's
 * labeled rows and its unlabeled rows, each weighted by its rows and the two of one cluster dependent (see
 * `calibrationUnits`), so that it is the row-level estimate; the judge's agreement with the humans is over rows (a
 * trial's verdict against the label), its intervals over clusters. Undefined when fewer than {@link _MIN_LABELS} scored units are labeled, when a label lies outside the
 * metric's bounds (a label on another scale), or for corpus metrics (their estimate is not a mean of per-row scores).
 */
export function _calibrate(
  metric: Metric,
  values: readonly number[],
  labels: readonly (number | null)[],
  inputs: _CalibrationInputs,
): CalibratedSummary | undefined {
  if (metric.aggregate !== undefined) return undefined;
  const none: readonly null[] = [];
  const rows = calibrationUnits(values, labels, none);
  const units = inputs.clusterOf === undefined ? rows : calibrationUnits(values, labels, inputs.clusterOf);
  const { human, judge, unlabeled, labeledRows, unlabeledRows } = units;
  if (human.length < _MIN_LABELS) return undefined;
  const bounds = _labelBounds(metric);
  // Labels on another scale than the scores (a 1-5 judge labeled 0-10) make the estimate meaningless.
  if (bounds !== undefined && human.some((h) => _outside(h, bounds))) return undefined;
  // With every row labeled there is nothing to impute: lambda 0 gives the labels' own interval.
  const allLabeled = unlabeled.length === 0;
  // Each unit weighs the rows it stands for: the estimate is a mean over rows, as the metric's own mean is.
  const r = ppiMean({ human, judge }, allLabeled ? judge : unlabeled, {
    confidence: inputs.confidence,
    ...(allLabeled ? { lambda: 0 } : {}),
    ...(bounds === undefined ? {} : { bounds }),
    weights: labeledRows,
    unlabeledWeights: allLabeled ? labeledRows : unlabeledRows,
    // A cluster's labeled and unlabeled rows are two units, not independent.
    ...(allLabeled
      ? {}
      : { clusters: { labeled: units.labeledClusters, unlabeled: units.unlabeledClusters } }),
  });
  // The agreement is a trial's verdict against the label, over labeled rows; its intervals count the rows' clusters
  // (an example's trials, a group's examples): 30 examples x 10 trials are 30 units, not 300.
  const clusterOf = inputs.clusterOf;
  const labeledClusters =
    clusterOf === undefined
      ? undefined
      : labels.flatMap((h, i) => ((h ?? null) === null ? [] : [clusterOf[i] ?? null]));
  let agreement: Record<string, unknown>;
  try {
    agreement = jsonSafe(
      judgeAgreement(rows.judge, rows.human, {
        kind: agreementKind(metric, rows.judge, rows.human),
        confidence: inputs.confidence,
        seed: inputs.seed,
        resamples: Math.max(100, Math.min(inputs.resamples, 2000)),
        ...(labeledClusters === undefined ? {} : { clusters: labeledClusters }),
      }),
    ) as Record<string, unknown>;
  } catch (err) {
    agreement = { error: (err as Error).message };
  }
  const notes: string[] = [];
  if (human.length < FEW_LABELS)
    notes.push(
      `only ${human.length} human labels: the calibrated interval rests on a normal approximation that is rough below ${FEW_LABELS}`,
    );
  if (r.clipped)
    notes.push(`the interval was clipped to the metric's bounds [${bounds?.[0]}, ${bounds?.[1]}]`);
  if (r.note !== undefined) notes.push(r.note);
  let ci: CalibratedSummary['ci'] = { low: r.ci.low, high: r.ci.high, level: r.ci.level, method: 'ppi++' };
  const v = human[0]!;
  const constantLabels = human.every((h) => h === v);
  if (bounds !== undefined && (constantLabels || r.stderr === 0)) {
    // A standard error of 0 makes the normal interval a point, which claims certainty from a few labels. It comes
    // from labels without spread (lambda 0), or from a judge whose error is the same on every labeled row (none, for
    // a judge matching every label) while its unlabeled scores are all equal (lambda 1): 20 labels the judge
    // matches do not show it never errs. The labels' own finite-sample interval says what they do show; it is
    // widened to the estimate, so that low <= mean <= high.
    const point = constantLabels ? v : r.estimate;
    const exact = bounds[0] === 0 && bounds[1] === 1 && human.every((h) => h === 0 || h === 1);
    let ones = 0;
    for (const h of human) ones += h;
    const iv = exact
      ? clopperPearsonInterval(ones, human.length, inputs.confidence)
      : boundedMeanInterval(human, bounds, inputs.confidence);
    ci = {
      low: Math.min(iv.low, point),
      high: Math.max(iv.high, point),
      level: inputs.confidence,
      method: exact ? 'clopper-pearson' : 'bounded-mean',
    };
    const what = exact ? 'exact Clopper-Pearson' : 'bounded-mean';
    notes.push(
      constantLabels
        ? `the human labels are all equal (${v}): the PPI++ interval would be that point, so the ${what} interval over the ${human.length} labels is reported`
        : `the PPI++ standard error is 0 (the judge's error is the same on every labeled row and its unlabeled scores are all equal): its interval would be the point ${r.estimate}, so the ${what} interval over the ${human.length} labels, widened to the estimate, is reported`,
    );
  } else if (r.stderr === 0)
    notes.push(
      `the PPI++ standard error is 0 (no spread in the labels, or in the judge's errors on them and its unlabeled scores): the interval is the point ${r.estimate}, which a few labels do not justify, and the metric has no bounds for a finite-sample interval`,
    );
  return {
    mean: r.estimate,
    ci,
    stderr: r.stderr,
    method: 'ppi++',
    lambda: r.lambda,
    nLabeled: human.length,
    nUnlabeled: units.unlabeledUnits,
    effectiveN: Number.isFinite(r.effectiveN) ? r.effectiveN : Number.NaN,
    agreement,
    ...(notes.length === 0 ? {} : { warning: notes.join('; ') }),
  };
}

/**
 * The warnings for human labels keyed by a name no metric of the run has (`stray`: name -> the first example
 * carrying it): such labels are not used, and without a warning a typo would silently leave a judge uncalibrated.
 */
export function _strayLabelWarnings(
  stray: ReadonlyMap<string, string>,
  metrics: readonly Metric[],
): string[] {
  const names = metrics.map((m) => `\`${m.name}\``).join(', ');
  return [...stray].map(
    ([name, id]) =>
      `human labels name metric \`${name}\` (first on example "${id}"), which this run does not compute (its metrics: ${names}): they are not used`,
  );
}

/**
 * Warnings when the labeled rows of a metric do not look like a uniform random sample of the scored rows: the
 * first rows of the dataset, all in one segment, all in one group, or too few to calibrate.
 */
export function _labelWarnings(metrics: readonly Metric[], table: ScoreTable): string[] {
  const out: string[] = [];
  if (table.labels === undefined) return out;
  for (const m of metrics) {
    const col = table.labels[m.name];
    if (col === undefined) continue;
    const labeled: number[] = [];
    for (let i = 0; i < col.length; i++) if (col[i] !== null && !table.failed[i]) labeled.push(i);
    const k = labeled.length;
    const n = col.length;
    if (k === 0) continue;
    const name = `\`${m.name}\``;
    if (m.aggregate !== undefined) {
      out.push(
        `metric ${name} is a corpus metric: its human labels are not used (a calibrated estimate needs a mean of per-example scores)`,
      );
      continue;
    }
    // A label is used only beside a score: rows where the metric failed lose theirs.
    const scores = table.metrics[m.name];
    let scored = 0;
    // The calibrated estimate counts units (an example's trials, a group's examples, are one), so this does too.
    const trials = hasTrials(table);
    const clustered = trials || hasGroups(table);
    const units = new Set<string>();
    for (const i of labeled)
      if (scores?.[i] !== null && scores?.[i] !== undefined) {
        scored++;
        if (clustered) units.add(rowCluster(table, i, trials) ?? `\u0000row ${i}`);
      }
    if (scored < k)
      out.push(
        `metric ${name} has no score on ${k - scored} of its ${k} labeled rows (the metric failed there): those labels are not used, and if the failures are not at random the calibrated estimate is biased`,
      );
    if (scored < _MIN_LABELS) {
      out.push(
        `metric ${name} has human labels on only ${scored} ${scored < k ? 'scored ' : ''}rows: at least ${_MIN_LABELS} are needed for a calibrated estimate`,
      );
      continue;
    }
    if (clustered && units.size < _MIN_LABELS) {
      const what = clusteredUnitsText(hasGroups(table), `${scored} rows`);
      out.push(
        `metric ${name} has human labels on only ${units.size} ${scored < k ? 'scored ' : ''}${what}: at least ${_MIN_LABELS} are needed for a calibrated estimate`,
      );
      continue;
    }
    const bounds = _labelBounds(m);
    const off =
      bounds === undefined
        ? undefined
        : labeled.find((i) => scores?.[i] !== null && scores?.[i] !== undefined && _outside(col[i]!, bounds));
    if (bounds !== undefined && off !== undefined) {
      out.push(
        `metric ${name} has a human label outside its bounds [${bounds[0]}, ${bounds[1]}] (${col[off]} on example "${table.ids[off]}"): no calibrated estimate is computed`,
      );
      continue;
    }
    if (k === n) continue;
    const advice =
      'the calibrated estimate is valid only for a uniform random sample: use sampleForLabeling()';
    if (labeled[k - 1] === k - 1)
      out.push(
        `the ${k} human labels of ${name} are on the first ${k} rows of the dataset, not a random sample; ${advice}`,
      );
    const segs = table.segments;
    if (segs !== undefined) {
      const all = new Set(segs.flat());
      if (all.size >= 2) {
        const common = segs[labeled[0]!]!.filter((s) => labeled.every((i) => segs[i]!.includes(s)));
        const onlyOne = new Set(labeled.flatMap((i) => segs[i]!));
        if (onlyOne.size === 1 && common.length === 1)
          out.push(
            `every human label of ${name} is in segment ${JSON.stringify(common[0])} (of ${all.size} segments), not a random sample; ${advice}`,
          );
      }
    }
    const groups = new Set(labeled.map((i) => table.groups[i]));
    const allGroups = new Set(table.groups.filter((g) => g !== null));
    if (groups.size === 1 && !groups.has(null) && allGroups.size >= 2)
      out.push(
        `every human label of ${name} is in group ${JSON.stringify([...groups][0])}, not a random sample; ${advice}`,
      );
  }
  return out;
}

/**
 * Refuses an anytime-valid gate on a metric that carries human labels: the gate's confidence sequence runs on
 * the judge's scores alone, so it would decide on the judge's bias, which the labels exist to correct.
 */
export function refuseCalibratedGate(metric: string): never {
  throw new TypeError(
    `A gate on \`${metric}\` is refused: its examples carry human labels, and a gate decides on the judge's scores alone (a calibrated gate is not supported yet). Remove \`gate\` and assert on result.metrics.${metric}.calibrated, or gate on a metric without labels.`,
  );
}
