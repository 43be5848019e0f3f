import type { MetricSummary } from '../result.js';
import { bootstrapCI } from '../stats/bootstrapCI.js';
import type { Metric } from '../types.js';

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
 * clusters when rows are clustered. Degenerate data (no rows, constant scores) gives NaN bounds and a warning.
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
