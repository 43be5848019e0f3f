import type { Metric } from '../core/types.js';
import type { MetricSummary } from '../result/EvalResult.js';
import { BOOTSTRAP_MIN_ROWS, bootstrapCI } from '../stats/bootstrapCI.js';
import { boundedMeanInterval, clopperPearsonInterval } from '../stats/boundedMeanInterval.js';
import { clusteredMeanInterval, clusteredProportionInterval } from '../stats/clusteredMeanInterval.js';
import { clusterMeans } from '../stats/descriptive.js';

/** How a metric's interval is computed. */
export interface _SummaryOptions {
  readonly confidence: number;
  readonly resamples: number;
  readonly seed: number | string;
}

/** The scored rows of one metric: values (or sufficient statistics) and the cluster of each row. */
export interface _ScoredRows {
  readonly values: readonly number[];
  /** Corpus metrics only: the sufficient statistics of each scored row, aligned with `values`. */
  readonly stats?: readonly (readonly number[])[];
  /** Cluster label per scored row (null = its own cluster); undefined when every row is independent. */
  readonly clusters?: readonly (string | null)[];
  /**
   * Whether the clusters are examples (their trials), not groups: an unbounded metric's few-rows warning then counts
   * examples (5 examples × 8 trials are 5 observations). Groups keep counting rows there (they have a warning of their
   * own below 20 groups).
   */
  readonly examplesClustered?: boolean;
  readonly nMissing: number;
}

/**
 * Summarizes one metric: the estimate (mean, or `metric.aggregate` of the sufficient statistics for a corpus
 * metric) with a BCa bootstrap interval (scipy.stats.bootstrap semantics, see `bootstrapCI`), resampling whole
 * clusters when rows are clustered. No rows give NaN bounds and a warning. Where the bootstrap cannot answer
 * honestly the interval is finite-sample and `ci.note` says why: constant binary scores, or a tail the
 * resamples cannot resolve (`resamples × (1 − confidence)/2 < 1`) or fewer than 30 rows on a binary metric,
 * get the exact
 * Clopper-Pearson interval; a bounded continuous metric with fewer than 30 rows, constant scores, a degenerate
 * bootstrap or an unresolvable tail gets the bounded-mean interval (PrPl-EB at fixed n). Only a metric without
 * bounds falls back to the point interval `[c, c]` on constant data.
 */
export function _summarizeMetric(metric: Metric, rows: _ScoredRows, options: _SummaryOptions): MetricSummary {
  const s = _summarizeUnclamped(metric, rows, options);
  const b = _boundsOf(metric);
  if (b === undefined || !s.aggregation) return s;
  // The same rule as for a row's score: an estimate or bound past the metric's range by rounding is the bound
  // (corpus BLEU of perfect rows is 100.00000000000004, as sacrebleu's).
  const tol = 1e-9 * (b[1] - b[0]);
  const clamp = (x: number) => (x > b[1] && x <= b[1] + tol ? b[1] : x < b[0] && x >= b[0] - tol ? b[0] : x);
  const mean = clamp(s.mean);
  const low = clamp(s.ci.low);
  const high = clamp(s.ci.high);
  if (mean === s.mean && low === s.ci.low && high === s.ci.high) return s;
  return { ...s, mean, ci: { ...s.ci, low, high } };
}

function _summarizeUnclamped(metric: Metric, rows: _ScoredRows, options: _SummaryOptions): MetricSummary {
  const n = rows.values.length;
  const corpus = metric.aggregate !== undefined && rows.stats !== undefined;
  const base = {
    kind: metric.kind,
    n,
    nMissing: rows.nMissing,
    aggregation: corpus ? 'corpus' : 'mean',
  } as const;
  if (n === 0) {
    return {
      ...base,
      mean: Number.NaN,
      ci: { low: Number.NaN, high: Number.NaN, level: options.confidence, method: 'bca' },
      stderr: Number.NaN,
      warning: 'no scored examples',
    };
  }
  const common = {
    confidence: options.confidence,
    resamples: options.resamples,
    seed: options.seed,
    ...(rows.clusters === undefined ? {} : { groups: rows.clusters }),
  };
  const allSame = rows.values.every((v) => v === rows.values[0]);
  if (!corpus && metric.kind === 'binary' && allSame && (rows.values[0] === 0 || rows.values[0] === 1)) {
    return _clopperPearsonAllSame(base, rows, options);
  }
  const bounds = _boundsOf(metric);
  // The resamples cannot resolve the tail asked for: fewer than one resample lies beyond each bound, so the
  // bootstrap's end points are the extreme resamples, not quantiles. Use the exact / finite-sample interval.
  const tailResamples = options.resamples * ((1 - options.confidence) / 2);
  let tailWarning: string | undefined;
  if (tailResamples < _MIN_TAIL_RESAMPLES)
    tailWarning = `the resamples cannot resolve the tail of confidence ${options.confidence} (resamples × (1 − confidence)/2 = ${_fmt(tailResamples)} < ${_MIN_TAIL_RESAMPLES}): raise \`resamples\` to at least ${Math.ceil(_MIN_TAIL_RESAMPLES / ((1 - options.confidence) / 2))}`;
  const small = corpus
    ? undefined
    : _smallSampleSummary(metric, rows, options, base, { bounds, allSame, tailResamples });
  if (small !== undefined) return small;
  return _bootstrapSummary(metric, rows, options, base, { corpus, bounds, common, tailWarning });
}

/** The summary's fields every interval route shares. */
type _SummaryBase = Pick<MetricSummary, 'kind' | 'n' | 'nMissing' | 'aggregation'>;

/**
 * The exact or finite-sample summary of a per-example metric where the bootstrap is not to be trusted (too few
 * rows, every score the same, a tail the resamples cannot resolve), or `undefined` when the bootstrap applies.
 */
function _smallSampleSummary(
  metric: Metric,
  rows: _ScoredRows,
  options: _SummaryOptions,
  base: _SummaryBase,
  {
    bounds,
    allSame,
    tailResamples,
  }: {
    readonly bounds: readonly [number, number] | undefined;
    readonly allSame: boolean;
    readonly tailResamples: number;
  },
): MetricSummary | undefined {
  const n = rows.values.length;
  if (tailResamples < _MIN_TAIL_RESAMPLES) {
    const why = `resamples × (1 − confidence)/2 = ${_fmt(tailResamples)} < ${_MIN_TAIL_RESAMPLES}: the resamples cannot resolve the tail asked for`;
    if (metric.kind === 'binary' && rows.clusters === undefined) {
      return _exact(
        base,
        rows.values,
        _clopperPearsonOf(rows.values, options),
        'clopper-pearson',
        options,
        `${why}, so the exact Clopper-Pearson interval is reported`,
        undefined,
        `the resamples cannot resolve the tail of confidence ${options.confidence}: exact Clopper-Pearson interval`,
      );
    }
    if (bounds !== undefined)
      return _boundedMean(
        base,
        rows,
        bounds,
        options,
        undefined,
        (iv = 'bounded-mean interval') => `${why}, so the ${iv} is reported`,
        (iv = 'bounded-mean interval') =>
          `the resamples cannot resolve the tail of confidence ${options.confidence}: ${iv}`,
      );
  }
  if (
    metric.kind === 'binary' &&
    rows.clusters === undefined &&
    n < BOOTSTRAP_MIN_ROWS &&
    rows.values.every((v) => v === 0 || v === 1)
  ) {
    return _exact(
      base,
      rows.values,
      _clopperPearsonOf(rows.values, options),
      'clopper-pearson',
      options,
      `only ${n} scored examples (< ${BOOTSTRAP_MIN_ROWS}): the bootstrap is unreliable, so the exact Clopper-Pearson interval is reported`,
      undefined,
      `n < ${BOOTSTRAP_MIN_ROWS}: exact interval`,
    );
  }
  const units = rows.clusters === undefined ? undefined : clusterMeans(rows.values, rows.clusters);
  if (
    units !== undefined &&
    units.length < BOOTSTRAP_MIN_ROWS &&
    bounds !== undefined &&
    metric.kind === 'binary'
  )
    return _fewBinaryUnits(base, rows, units, bounds, options);
  const few = (units?.length ?? n) < BOOTSTRAP_MIN_ROWS;
  if (metric.kind !== 'binary' && bounds !== undefined && (few || allSame)) {
    const why = (iv?: string) =>
      !few
        ? `every score is ${rows.values[0]}: the bootstrap distribution is a point, so the ${iv ?? 'finite-sample bounded-mean interval'} is reported`
        : units === undefined
          ? `only ${n} scored examples (< ${BOOTSTRAP_MIN_ROWS}): the bootstrap is unreliable, so the finite-sample bounded-mean interval is reported`
          : `only ${units.length} independent scored units (< ${BOOTSTRAP_MIN_ROWS}; an example's trials, or a group, count once): the bootstrap is unreliable, so the ${iv ?? 'finite-sample bounded-mean interval of the unit means'} is reported`;
    const short = !few
      ? `every score is ${rows.values[0]}`
      : units === undefined
        ? `n < ${BOOTSTRAP_MIN_ROWS}: finite-sample interval`
        : `${units.length} units < ${BOOTSTRAP_MIN_ROWS}: finite-sample interval`;
    return _boundedMean(base, rows, bounds, options, undefined, why, () => short);
  }
  if (allSame) {
    // Every score is the same number and the metric declares no bounds: no finite-sample interval exists
    // without them, and every resample has that mean, so the interval is the point itself (method says so).
    const c = rows.values[0]!;
    return {
      ...base,
      mean: c,
      ci: { low: c, high: c, level: options.confidence, method: 'point' },
      stderr: 0,
      warning: `every score is ${c}: the bootstrap distribution is a point, so the interval is [${c}, ${c}]`,
    };
  }
  return undefined;
}

/**
 * A binary metric whose clustered rows (an example's trials, a group) make fewer than {@link BOOTSTRAP_MIN_ROWS} units: as
 * many observations as clusters (4 examples sampled 5 times are 4, and the bootstrap of 4 clusters is as unreliable
 * as that of 4 rows). When each unit's mean is 0 or 1 (what one trial of a deterministic pipeline gives), Clopper-Pearson
 * on Korn and Graubard's effective sample size of the clustered proportion (`clusteredProportionInterval`): with units
 * of one size exactly Clopper-Pearson over the units (`'clopper-pearson'`); with units of unequal size
 * `'korn-graubard'`, since the estimate is the mean over rows, not over units (10 singletons scoring 1 beside a group of
 * 30 scoring 0: 0.25, where Clopper-Pearson of 10 units in 11 is [0.59, 0.998]). Else the bounded-mean interval of
 * the unit means, or with units of unequal size Hoeffding's interval of their size-weighted mean (see `_boundedMean`).
 */
function _fewBinaryUnits(
  base: _SummaryBase,
  rows: _ScoredRows,
  units: readonly number[],
  bounds: readonly [number, number],
  options: _SummaryOptions,
): MetricSummary {
  const few = `only ${units.length} independent scored units (< ${BOOTSTRAP_MIN_ROWS}; an example's trials, or a group, count once): the bootstrap is unreliable`;
  if (units.every((v) => v === 0 || v === 1) && rows.values.every((v) => v === 0 || v === 1)) {
    const iv = clusteredProportionInterval(rows.values, rows.clusters!, options.confidence);
    return iv.method === 'clopper-pearson'
      ? _exact(
          base,
          rows.values,
          iv,
          'clopper-pearson',
          options,
          `${few}, so the exact Clopper-Pearson interval over the units is reported`,
          undefined,
          `${units.length} units < ${BOOTSTRAP_MIN_ROWS}: exact interval`,
        )
      : _exact(
          base,
          rows.values,
          iv,
          'korn-graubard',
          options,
          `${few}, and the units differ in size (the estimate is the mean over rows, not over units), so the Clopper-Pearson interval on Korn and Graubard's effective sample size of the clustered proportion is reported`,
          undefined,
          `${units.length} units < ${BOOTSTRAP_MIN_ROWS}: Korn-Graubard interval`,
        );
  }
  return _boundedMean(
    base,
    rows,
    bounds,
    options,
    undefined,
    (iv = 'finite-sample bounded-mean interval of the unit means') => `${few}, so the ${iv} is reported`,
    () => `${units.length} units < ${BOOTSTRAP_MIN_ROWS}: finite-sample interval`,
  );
}

/** The exact Clopper-Pearson interval of 0/1 observations (rows, or units whose means are 0 or 1). */
function _clopperPearsonOf(observations: readonly number[], options: _SummaryOptions) {
  const k = observations.reduce((a, v) => a + v, 0);
  return clopperPearsonInterval(k, observations.length, options.confidence);
}

/** The bootstrap summary (per-example mean, or a corpus metric re-aggregated on resampled rows). */
function _bootstrapSummary(
  metric: Metric,
  rows: _ScoredRows,
  options: _SummaryOptions,
  base: _SummaryBase,
  {
    corpus,
    bounds,
    common,
    tailWarning,
  }: {
    readonly corpus: boolean;
    readonly bounds: readonly [number, number] | undefined;
    readonly common: Parameters<typeof bootstrapCI>[1];
    readonly tailWarning: string | undefined;
  },
): MetricSummary {
  const n = rows.values.length;
  // Clustered rows count once per cluster (an example's trials, a group), as the per-example rules count them.
  const units = _unitCount(rows);
  const fewWhat =
    rows.clusters === undefined
      ? `${n} scored examples`
      : `${units} independent scored unit${units === 1 ? '' : 's'} (an example's trials, or a group, count once)`;
  let result: ReturnType<typeof bootstrapCI>;
  let estimate: number | undefined;
  if (corpus && bounds !== undefined && units < BOOTSTRAP_MIN_ROWS) {
    // A corpus score has no finite-sample interval of its own, and the bootstrap of a few rows is the spread of
    // those rows (chrF on 2 rows: [52.9, 63.3]): the finite-sample route a per-example metric takes, on the rows'
    // own scores, widened to contain the corpus estimate.
    return _boundedMean(
      base,
      rows,
      bounds,
      options,
      metric.aggregate!(rows.stats!),
      (iv) =>
        `only ${fewWhat} (< ${BOOTSTRAP_MIN_ROWS}): the bootstrap is unreliable, so the ${iv === undefined ? `bounded-mean interval of the per-row scores${rows.clusters === undefined ? '' : ' (their unit means)'} (widened to contain the corpus estimate)` : `${iv}, over the per-row scores and widened to contain the corpus estimate,`} is reported`,
      () =>
        rows.clusters === undefined
          ? `n < ${BOOTSTRAP_MIN_ROWS}: finite-sample interval`
          : `${units} units < ${BOOTSTRAP_MIN_ROWS}: finite-sample interval`,
    );
  }
  if (corpus) {
    // Resample row indices; the statistic re-aggregates the rows they point at (references, no copies).
    const aggregate = metric.aggregate!;
    const all = rows.stats!;
    estimate = aggregate(all);
    const buf: (readonly number[])[] = [];
    const statistic = (idx: ArrayLike<number>) => {
      buf.length = idx.length;
      for (let i = 0; i < idx.length; i++) buf[i] = all[idx[i]!]!;
      return aggregate(buf);
    };
    result = bootstrapCI(
      Float64Array.from({ length: n }, (_, i) => i),
      { ...common, statistic },
    );
  } else {
    result = bootstrapCI(rows.values, common);
  }
  if (!(Number.isFinite(result.low) && Number.isFinite(result.high))) {
    // A degenerate bootstrap distribution (a constant statistic under resampling, e.g. chrF 100 on every row).
    const est = estimate ?? result.estimate;
    if (bounds !== undefined)
      return _boundedMean(
        base,
        rows,
        bounds,
        options,
        est,
        (iv) =>
          corpus
            ? `the bootstrap distribution is degenerate, so the ${iv === undefined ? 'bounded-mean interval of the per-row scores (widened to contain the corpus estimate)' : `${iv}, over the per-row scores and widened to contain the corpus estimate,`} is reported`
            : `the bootstrap distribution is degenerate, so the ${iv ?? 'finite-sample bounded-mean interval'} is reported`,
        () => 'degenerate bootstrap: finite-sample interval',
      );
    if (Number.isFinite(est))
      return {
        ...base,
        mean: est,
        ci: { low: est, high: est, level: options.confidence, method: 'point' },
        stderr: 0,
        warning: `the bootstrap distribution is a point and the metric declares no bounds, so the interval is [${est}, ${est}]`,
      };
  }
  // Without bounds no finite-sample interval exists: on few rows the bootstrap's is all there is, and it says so.
  const examples = rows.examplesClustered === true ? _unitCount(rows) : n;
  const unbounded =
    bounds === undefined && n < BOOTSTRAP_MIN_ROWS
      ? `only ${n} scored examples (< ${BOOTSTRAP_MIN_ROWS}) and the metric declares no \`bounds\`: no finite-sample interval exists, so this bootstrap interval is unreliable (declare \`bounds\` for one)`
      : bounds === undefined && examples < BOOTSTRAP_MIN_ROWS
        ? `only ${examples} scored examples (< ${BOOTSTRAP_MIN_ROWS}; their ${n} rows over trials count once per example) and the metric declares no \`bounds\`: no finite-sample interval exists, so this bootstrap interval of ${examples} clusters is unreliable (declare \`bounds\` for one)`
        : undefined;
  const warnings = [unbounded, tailWarning, result.warning].filter((w) => w !== undefined);
  return {
    ...base,
    mean: result.estimate,
    ci: {
      low: result.low,
      high: result.high,
      level: result.level,
      method: result.method,
    },
    stderr: result.stderr,
    ...(warnings.length === 0 ? {} : { warning: warnings.join('; ') }),
  };
}

/** How many independent units the scored rows make: a cluster counts once, a row without one counts once. */
export function _unitCount(rows: Pick<_ScoredRows, 'values' | 'clusters'>): number {
  if (rows.clusters === undefined) return rows.values.length;
  const named = new Set<string>();
  let alone = 0;
  for (const c of rows.clusters) {
    if (c === null) alone++;
    else named.add(c);
  }
  return named.size + alone;
}

/** Fewer expected resamples than this beyond each end of the interval: the tail is not resolved. */
export const _MIN_TAIL_RESAMPLES = 1;

function _fmt(x: number): string {
  return Number(x.toPrecision(3)).toString();
}

/** The metric's declared range (binary: [0, 1]); undefined when unbounded or not finite. */
function _boundsOf(metric: Metric): readonly [number, number] | undefined {
  const b = metric.bounds ?? (metric.kind === 'binary' ? ([0, 1] as const) : undefined);
  return b !== undefined && Number.isFinite(b[0]) && Number.isFinite(b[1]) && b[0] < b[1] ? b : undefined;
}

function _stderr(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  let m = 0;
  for (const v of values) m += v;
  m /= n;
  let ss = 0;
  for (const v of values) ss += (v - m) ** 2;
  return Math.sqrt(ss / (n - 1) / n);
}

function _exact(
  base: Pick<MetricSummary, 'kind' | 'n' | 'nMissing' | 'aggregation'>,
  values: readonly number[],
  iv: { low: number; high: number },
  method: 'clopper-pearson' | 'korn-graubard' | 'bounded-mean' | 'hoeffding',
  options: _SummaryOptions,
  why: string,
  estimate?: number,
  short: string = why,
): MetricSummary {
  let mean = estimate;
  if (mean === undefined) {
    mean = 0;
    for (const v of values) mean += v;
    mean /= values.length;
  }
  return {
    ...base,
    mean,
    ci: {
      low: Math.min(iv.low, mean),
      high: Math.max(iv.high, mean),
      level: options.confidence,
      method,
      note: why,
    },
    stderr: _stderr(values),
    warning: short,
  };
}

/**
 * The bounded-mean interval (PrPl-EB at fixed n, see `boundedMeanInterval`) over the scored rows, or over the
 * cluster means when rows are clustered (clusters are the independent units). Clusters of unequal size make the
 * estimate (the mean over rows) the size-weighted mean of the cluster means, which the bounded-mean interval of the
 * cluster means as equal observations does not cover: then Hoeffding's interval of the weighted mean
 * (`clusteredMeanInterval`, method `'hoeffding'`). `why` and `short` are told the interval's name when it is not their
 * own bounded-mean one.
 */
function _boundedMean(
  base: Pick<MetricSummary, 'kind' | 'n' | 'nMissing' | 'aggregation'>,
  rows: _ScoredRows,
  bounds: readonly [number, number],
  options: _SummaryOptions,
  estimate: number | undefined,
  why: (interval?: string) => string,
  short: (interval?: string) => string = why,
): MetricSummary {
  if (rows.clusters !== undefined) {
    const iv = clusteredMeanInterval(rows.values, rows.clusters, bounds, options.confidence);
    const name =
      iv.method === 'hoeffding'
        ? 'finite-sample Hoeffding interval of the size-weighted mean of the unit means (units of unequal size: the estimate is the mean over rows, not over units)'
        : undefined;
    return _exact(
      base,
      rows.values,
      iv,
      iv.method,
      options,
      why(name),
      estimate,
      short(name && 'Hoeffding interval'),
    );
  }
  const [lo, hi] = bounds;
  const clamped = rows.values.map((v) => Math.min(hi, Math.max(lo, v)));
  const iv = boundedMeanInterval(clamped, bounds, options.confidence);
  return _exact(base, rows.values, iv, 'bounded-mean', options, why(), estimate, short());
}

/**
 * Every score of a binary metric is 1 (or every one 0): the bootstrap distribution is a point, so BCa is
 * undefined, yet "40 of 40 correct" does say something. Report the exact Clopper-Pearson interval, which for
 * k = n has the closed form low = (alpha/2)^(1/n), high = 1 (mirrored for k = 0), matching
 * scipy.stats.binomtest(k, n).proportion_ci(method='exact') (scipy 1.17.1). Clustered rows count once per
 * cluster, the conservative effective sample size.
 * Reference: Clopper & Pearson (1934), doi:10.1093/biomet/26.4.404.
 */
function _clopperPearsonAllSame(
  base: Pick<MetricSummary, 'kind' | 'n' | 'nMissing' | 'aggregation'>,
  rows: _ScoredRows,
  options: _SummaryOptions,
): MetricSummary {
  const value = rows.values[0]!;
  let nEff = rows.values.length;
  if (rows.clusters !== undefined) {
    const labels = new Set<string>();
    let singletons = 0;
    for (const c of rows.clusters) {
      if (c === null) singletons++;
      else labels.add(c);
    }
    nEff = labels.size + singletons;
  }
  const bound = ((1 - options.confidence) / 2) ** (1 / nEff);
  return {
    ...base,
    mean: value,
    ci: {
      low: value === 1 ? bound : 0,
      high: value === 1 ? 1 : 1 - bound,
      level: options.confidence,
      method: 'clopper-pearson',
    },
    stderr: 0,
    warning: `every score is ${value}: the bootstrap is degenerate, so the exact Clopper-Pearson interval over ${nEff} ${rows.clusters === undefined ? 'examples' : 'clusters'} is reported`,
  };
}
