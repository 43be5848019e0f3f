import type { Metric } from '../core/types.js';
import type { MetricSummary } from '../result/EvalResult.js';
import { bootstrapCI } from '../stats/bootstrapCI.js';

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
  readonly nMissing: number;
}

/**
 * Summarizes one metric: the estimate (mean, or `metric.aggregate` of the sufficient statistics for a corpus
 * metric) with a BCa bootstrap interval (scipy.stats.bootstrap semantics, see `bootstrapCI`), resampling whole
 * clusters when rows are clustered. No rows give NaN bounds and a warning; constant scores give the exact
 * Clopper-Pearson interval (binary) or the point interval `[c, c]` (continuous, method `'point'`).
 */
export function _summarizeMetric(metric: Metric, rows: _ScoredRows, options: _SummaryOptions): MetricSummary {
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
  if (!corpus && allSame) {
    // Every score is the same number: every resample has that mean, so the bootstrap interval is the point
    // itself (BCa's acceleration is 0/0 there). Report it as such, with a method that says so.
    const c = rows.values[0]!;
    return {
      ...base,
      mean: c,
      ci: { low: c, high: c, level: options.confidence, method: 'point' },
      stderr: 0,
      warning: `every score is ${c}: the bootstrap distribution is a point, so the interval is [${c}, ${c}]`,
    };
  }
  let result: ReturnType<typeof bootstrapCI>;
  if (corpus) {
    // Resample row indices; the statistic re-aggregates the rows they point at (references, no copies).
    const aggregate = metric.aggregate!;
    const all = rows.stats!;
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
    ...(result.warning === undefined ? {} : { warning: result.warning }),
  };
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
