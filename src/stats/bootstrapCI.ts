/**
 * Bootstrap confidence intervals (percentile, basic, BCa), with cluster resampling.
 * @module
 */
import { _describe } from '../_internal/describe.js';
import {
  _checkChoice,
  _checkFunction,
  _checkInteger,
  _checkNumberInRange,
  _checkNumericArray,
  _checkOptions,
  _checkOptionsObject,
} from '../_internal/validate.js';
import { _accelerationFromJackknife, _intervalFromDistribution } from './_internal/bootstrapInterval.js';
import { _sum } from './_internal/quantile.js';
import {
  _binomialSample,
  _createRng,
  type _Rng,
  _resampleIndices,
  _resampleSum,
  _warmResampling,
} from './_internal/rng.js';
import type { Alternative } from './types.js';

/** Which bootstrap interval to compute. */
export type BootstrapMethod = 'bca' | 'percentile' | 'basic';

/**
 * A statistic of one or more samples. It receives resampled copies as `Float64Array`s (in the order of the
 * samples); it may read or even reorder them, they are refilled before every call.
 */
export type BootstrapStatistic = (...samples: Float64Array[]) => number;

/** Options of {@link bootstrapCI}. */
export interface BootstrapOptions {
  /**
   * The statistic. Default: the mean of a single sample (fast path: O(n) jackknife, count resampling for
   * few-valued data). Required when several samples are given.
   */
  readonly statistic?: BootstrapStatistic;
  /** Interval method. @default 'bca' */
  readonly method?: BootstrapMethod;
  /** Number of bootstrap resamples. Integer, minimum `1`. @default 9999 */
  readonly resamples?: number;
  /** Confidence level, in (0, 1). @default 0.95 */
  readonly confidence?: number;
  /** `'less'` gives (-Infinity, high), `'greater'` gives (low, Infinity). @default 'two-sided' */
  readonly alternative?: Alternative;
  /** Seed of the resampling streams (any string or number). @default 'evalgate' */
  readonly seed?: string | number;
  /**
   * Several samples of equal length resampled with the same indices (rows), e.g. (baseline, candidate) scores
   * or the k columns of per-example sufficient statistics of a corpus metric. @default false
   */
  readonly paired?: boolean;
  /**
   * Cluster labels, one per observation (row when paired). Whole clusters are resampled with replacement and the
   * BCa jackknife leaves one cluster out. `null` marks an observation that is its own cluster. @default undefined
   */
  readonly groups?: readonly (string | number | null)[];
}

const BOOTSTRAP_KEYS = Object.keys({
  statistic: true,
  method: true,
  resamples: true,
  confidence: true,
  alternative: true,
  seed: true,
  paired: true,
  groups: true,
} satisfies Record<keyof BootstrapOptions, true>);

/** A bootstrap confidence interval: frozen, self-describing. */
export interface BootstrapResult {
  /** The statistic on the original data. */
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  /** The confidence level. */
  readonly level: number;
  /** `'bca' | 'percentile' | 'basic'`, prefixed `cluster-` when `groups` were given. */
  readonly method: BootstrapMethod | `cluster-${BootstrapMethod}`;
  readonly alternative: Alternative;
  /** Standard deviation (ddof = 1) of the bootstrap distribution. */
  readonly stderr: number;
  readonly resamples: number;
  /** Observations (rows when paired; the first sample's length otherwise). */
  readonly n: number;
  /** Clusters resampled (only with `groups`). */
  readonly clusters?: number;
  /** BCa acceleration (NaN when undefined, e.g. constant data). Absent for other methods. */
  readonly acceleration?: number;
  /**
   * How resamples were drawn: `'counts'` (multinomial counts over the few distinct values, exact same distribution
   * as drawing items), `'items'`, or `'clusters'`.
   */
  readonly resampling: 'counts' | 'items' | 'clusters';
  /** Set when a bound could not be computed (NaN) and why. */
  readonly warning?: string;
}

/** Default seed: intervals are reproducible unless a seed is chosen. */
const DEFAULT_SEED = 'evalgate';
/** At most this many distinct values (and at most n/8) switch the mean to multinomial count resampling. */
const MAX_DISTINCT_FOR_COUNTS = 64;

/**
 * Below this many rows (or paired rows) evalgate does not take a bootstrap interval as evidence: a summary, a
 * comparison and the lower-bound matcher switch to a finite-sample interval, or refuse, under it.
 */
export const BOOTSTRAP_MIN_ROWS = 30;

/**
 * Bootstrap confidence interval of a statistic (scipy.stats.bootstrap semantics).
 *
 * Algorithm: draws `resamples` resamples with replacement (the same row indices for every sample when `paired`,
 * whole clusters when `groups` are given), evaluates the statistic on each, and reads the interval off the
 * sorted bootstrap distribution with linear (Hyndman-Fan type 7) quantiles. `'percentile'` takes the alpha and
 * 1 - alpha quantiles, `'basic'` reflects them about the estimate, and `'bca'` (Efron 1987) shifts the quantile
 * levels by the bias correction z0 = Phi^-1(p0), where p0 counts bootstrap values below the estimate with ties
 * as half, and by the jackknife acceleration a (leave-one-out, or leave-one-cluster-out). For the default mean
 * the jackknife values are (sum - x_i)/(n - 1), O(n) rather than scipy's O(n^2), and data with few distinct
 * values (0/1 scores) are resampled as multinomial counts, one binomial draw per distinct value, so a resample
 * costs O(distinct) instead of O(n). Memory is O(n + resamples). Randomness comes from seedrandom's Alea
 * generator, seeded by `seed` (fixed by default: the same call gives the same interval).
 *
 * Degenerate data never throws: constant data (a = 0/0), or a bootstrap distribution entirely above or below
 * the estimate (z0 = -/+Infinity), give NaN bounds and a `warning`.
 *
 * Calls for evalgate's metric summaries (what `evaluate()` should use; map the result to a `MetricSummary` as
 * `{ mean: r.estimate, ci: { low: r.low, high: r.high, level: r.level, method: r.method }, stderr: r.stderr,
 * warning: r.warning }`):
 * - plain mean: `bootstrapCI(values, { confidence, resamples, seed })`, `values` the finite scores of the scored rows;
 * - grouped mean: `bootstrapCI(values, { confidence, resamples, seed, groups })`, `groups[i]` the label of
 *   `values[i]` (`null` = its own cluster); `r.method` is then `'cluster-bca'`;
 * - corpus metric whose aggregator takes rows (`metric.aggregate(stats)`): resample the row indices,
 *   `bootstrapCI(stats.map((_, i) => i), { confidence, resamples, seed, groups, statistic: (idx) =>
 *   metric.aggregate(Array.from(idx, (i) => stats[i])) })`; an aggregator written over columns can instead take
 *   `bootstrapCI(columns, { paired: true, groups, statistic: (...cols) => aggregate(...cols) })`. Both cost O(n) per
 *   resample and O(n^2) for the BCa jackknife (n calls of the aggregator); pass `method: 'percentile'` to skip the
 *   jackknife for very large corpora.
 *
 * @param data - One sample (`number[]` or `Float64Array`) or several samples (an array of them). Finite numbers.
 * @param options - See {@link BootstrapOptions}; defaults: `method: 'bca'`, `resamples: 9999`, `confidence: 0.95`,
 *   `alternative: 'two-sided'`, `seed: 'evalgate'`, `paired: false`, statistic = mean.
 * @returns A frozen {@link BootstrapResult}.
 * @throws TypeError when `data` is not numeric, `statistic` is not a function, several samples are given without
 *   a statistic, or `groups` is combined with unpaired samples. RangeError for empty samples, non-finite values,
 *   unequal lengths with `paired`, `groups` of the wrong length, `confidence` outside (0, 1) or `resamples` < 1.
 * @example
 * ```ts
 * const ci = bootstrapCI([1, 0, 1, 1, 0, 1, 1, 1, 0, 1]);
 * ci.estimate; // => 0.7
 * [ci.low, ci.high]; // => an interval around 0.7, the same on every run (fixed seed)
 * ```
 *
 * References:
 * - B. Efron (1987), Better bootstrap confidence intervals, JASA 82(397), doi:10.1080/01621459.1987.10478410
 * - B. Efron and R. Tibshirani (1993), An Introduction to the Bootstrap, doi:10.1201/9780429246593 (14.3, 15.4)
 * - A. C. Davison and D. V. Hinkley (1997), Bootstrap Methods and their Application, doi:10.1017/CBO9780511802843
 *   (cluster resampling, section 3.8)
 * - R. J. Hyndman and Y. Fan (1996), Sample quantiles in statistical packages, doi:10.1080/00031305.1996.10473566
 */
export function bootstrapCI(
  data: readonly number[] | Float64Array | readonly (readonly number[] | Float64Array)[],
  options: BootstrapOptions = {},
): BootstrapResult {
  _checkOptions('bootstrapCI', options, BOOTSTRAP_KEYS);
  return bootstrapWithDistribution(data, options).result;
}

/**
 * {@link bootstrapCI} that also hands back the (sorted) bootstrap distribution, for callers that derive a
 * bootstrap p-value from it (compare() on corpus metrics). Internal.
 */
export function bootstrapWithDistribution(
  data: readonly number[] | Float64Array | readonly (readonly number[] | Float64Array)[],
  options: BootstrapOptions = {},
): { readonly result: BootstrapResult; readonly distribution: Float64Array } {
  _checkOptionsObject('options', options);
  const method = _checkChoice('method', options.method ?? 'bca', ['bca', 'percentile', 'basic'] as const);
  const resamples = _checkInteger('resamples', options.resamples ?? 9999, 1);
  const confidence = _checkNumberInRange('confidence', options.confidence ?? 0.95, 0, 1);
  const alternative = _checkChoice('alternative', options.alternative ?? 'two-sided', [
    'two-sided',
    'less',
    'greater',
  ] as const);
  const seed = options.seed ?? DEFAULT_SEED;
  if (typeof seed !== 'string' && typeof seed !== 'number')
    throw new TypeError(`Expected \`seed\` to be a string or a number, got ${_describe(seed)}`);
  const paired = options.paired ?? false;
  if (typeof paired !== 'boolean')
    throw new TypeError(`Expected \`paired\` to be a boolean, got ${_describe(paired)}`);
  if (options.statistic !== undefined) _checkFunction('statistic', options.statistic);

  const samples = _toSamples(data);
  if (samples.length > 1 && options.statistic === undefined)
    throw new TypeError(
      `Expected \`statistic\` to be a function when \`data\` holds ${samples.length} samples, got \`undefined\` (undefined)`,
    );
  if (paired) {
    for (let j = 1; j < samples.length; j++)
      if (samples[j].length !== samples[0].length)
        throw new RangeError(
          `Expected \`data[${j}]\` to have the same length as \`data[0]\` (${samples[0].length}) with \`paired\`, got ${_describe((data as readonly unknown[])[j])}`,
        );
  }
  const rows = samples[0].length;
  let clusters: _Clusters | undefined;
  if (options.groups !== undefined) {
    if (samples.length > 1 && !paired)
      throw new TypeError(
        'Expected `paired` to be true when `groups` is given with several samples, got `false` (boolean)',
      );
    clusters = _clusterIndex(options.groups, rows);
  }

  _warmResampling();
  const rng = _createRng(seed);
  const b = new Float64Array(resamples);
  const statistic = options.statistic;
  let estimate: number;
  let jack: Float64Array[] | undefined;
  let resampling: BootstrapResult['resampling'];
  const needJack = method === 'bca';

  if (statistic === undefined) {
    const x = samples[0];
    estimate = _sum(x) / rows;
    if (clusters !== undefined) {
      resampling = 'clusters';
      _clusterMeanResamples(rng, x, clusters, b);
      if (needJack) jack = [_clusterMeanJackknife(x, clusters)];
    } else {
      const distinct = _distinctValues(x, Math.min(MAX_DISTINCT_FOR_COUNTS, Math.floor(rows / 8)));
      if (distinct !== undefined) {
        resampling = 'counts';
        _countMeanResamples(rng, distinct, rows, b);
      } else {
        resampling = 'items';
        for (let r = 0; r < resamples; r++) b[r] = _resampleSum(rng, x, rows) / rows;
      }
      if (needJack) jack = [_meanJackknife(x)];
    }
  } else {
    estimate = statistic(...samples.map((s) => s.slice()));
    if (clusters !== undefined) {
      resampling = 'clusters';
      _clusterGenericResamples(rng, samples, clusters, statistic, b);
      if (needJack) jack = [_clusterGenericJackknife(samples, clusters, statistic)];
    } else {
      resampling = 'items';
      if (paired || samples.length === 1) {
        _pairedGenericResamples(rng, samples, statistic, b);
        if (needJack) jack = [_pairedGenericJackknife(samples, statistic)];
      } else {
        _unpairedGenericResamples(rng, samples, statistic, b);
        if (needJack) jack = _unpairedGenericJackknife(samples, statistic);
      }
    }
  }

  const acceleration = jack === undefined ? Number.NaN : _accelerationFromJackknife(jack);
  let nanCount = 0;
  for (let r = 0; r < resamples; r++) if (Number.isNaN(b[r])) nanCount++;
  let warning: string | undefined;
  let low: number;
  let high: number;
  let stderr: number;
  if (nanCount > 0) {
    low = Number.NaN;
    high = Number.NaN;
    stderr = Number.NaN;
    warning = `The statistic returned NaN on ${nanCount} of ${resamples} resamples; no interval computed.`;
  } else {
    const iv = _intervalFromDistribution(b, estimate, acceleration, method, confidence, alternative);
    low = iv.low;
    high = iv.high;
    stderr = iv.stderr;
    if (Number.isNaN(low) || Number.isNaN(high)) {
      if (Number.isNaN(estimate)) warning = 'The statistic is NaN on the data; no interval computed.';
      else if (method === 'bca' && Number.isNaN(acceleration))
        warning =
          'The BCa interval cannot be computed: the jackknife acceleration is 0/0 (constant data or a statistic that does not vary when one observation is left out).';
      else if (!Number.isFinite(iv.z0))
        warning = `The BCa interval cannot be computed: every bootstrap statistic is ${iv.z0 < 0 ? 'above' : 'below'} the estimate (degenerate bootstrap distribution).`;
      else warning = 'The bootstrap interval cannot be computed (degenerate bootstrap distribution).';
    }
  }
  const result: {
    -readonly [K in keyof BootstrapResult]: BootstrapResult[K];
  } = {
    estimate,
    low,
    high,
    level: confidence,
    method: clusters === undefined ? method : (`cluster-${method}` as const),
    alternative,
    stderr,
    resamples,
    n: rows,
    resampling,
  };
  if (clusters !== undefined) result.clusters = clusters.count;
  if (method === 'bca') result.acceleration = acceleration;
  if (warning !== undefined) result.warning = warning;
  return { result: Object.freeze(result), distribution: b };
}

/** Normalizes `data` into validated Float64Array copies. */
function _toSamples(data: unknown): Float64Array[] {
  const isArrayLike = Array.isArray(data) || (ArrayBuffer.isView(data) && !(data instanceof DataView));
  if (!isArrayLike)
    throw new TypeError(`Expected \`data\` to be an array of numbers or of samples, got ${_describe(data)}`);
  const arr = data as ArrayLike<unknown>;
  if (arr.length === 0)
    throw new RangeError(`Expected \`data\` to have at least 1 element, got ${_describe(data)}`);
  const first = arr[0];
  if (Array.isArray(first) || ArrayBuffer.isView(first)) {
    const out: Float64Array[] = [];
    for (let j = 0; j < arr.length; j++) out.push(_checkNumericArray(`data[${j}]`, arr[j]));
    return out;
  }
  return [_checkNumericArray('data', data)];
}

/** Rows grouped by cluster: `order` lists row indices cluster by cluster, `start[g]..start[g+1]` is cluster g. */
interface _Clusters {
  readonly count: number;
  readonly order: Int32Array;
  readonly start: Int32Array;
}

function _clusterIndex(groups: unknown, rows: number): _Clusters {
  if (!Array.isArray(groups))
    throw new TypeError(`Expected \`groups\` to be an array of labels, got ${_describe(groups)}`);
  if (groups.length !== rows)
    throw new RangeError(
      `Expected \`groups\` to have ${rows} elements (one per observation), got ${_describe(groups)}`,
    );
  const ids = new Int32Array(rows);
  const label = new Map<string | number, number>();
  let count = 0;
  for (let i = 0; i < rows; i++) {
    const g: unknown = groups[i];
    if (g === null || g === undefined) {
      ids[i] = count++;
      continue;
    }
    if (typeof g !== 'string' && typeof g !== 'number')
      throw new TypeError(`Expected \`groups[${i}]\` to be a string, a number or null, got ${_describe(g)}`);
    let id = label.get(g);
    if (id === undefined) {
      id = count++;
      label.set(g, id);
    }
    ids[i] = id;
  }
  const start = new Int32Array(count + 1);
  for (let i = 0; i < rows; i++) start[ids[i] + 1]++;
  for (let g = 0; g < count; g++) start[g + 1] += start[g];
  const fill = start.slice(0, count);
  const order = new Int32Array(rows);
  for (let i = 0; i < rows; i++) order[fill[ids[i]]++] = i;
  return { count, order, start };
}

/** Distinct values and their counts, or undefined when there are more than `limit`. */
function _distinctValues(
  x: Float64Array,
  limit: number,
): { values: Float64Array; counts: Float64Array } | undefined {
  if (limit < 1) return undefined;
  const seen = new Map<number, number>();
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    const c = seen.get(v);
    if (c === undefined) {
      if (seen.size >= limit) return undefined;
      seen.set(v, 1);
    } else seen.set(v, c + 1);
  }
  const values = new Float64Array(seen.size);
  const counts = new Float64Array(seen.size);
  let k = 0;
  for (const [v, c] of seen) {
    values[k] = v;
    counts[k++] = c;
  }
  return { values, counts };
}

/**
 * Mean resamples as multinomial counts: the number of draws of each distinct value is Multinomial(n, c_j/n),
 * generated by conditional binomials (count_j ~ Bin(remaining draws, c_j / remaining weight)).
 */
function _countMeanResamples(
  rng: _Rng,
  d: { values: Float64Array; counts: Float64Array },
  n: number,
  b: Float64Array,
) {
  const k = d.values.length;
  for (let r = 0; r < b.length; r++) {
    let left = n;
    let weight = n;
    let s = 0;
    for (let j = 0; j < k - 1 && left > 0; j++) {
      const draw = _binomialSample(rng, left, d.counts[j] / weight);
      s += draw * d.values[j];
      left -= draw;
      weight -= d.counts[j];
    }
    if (left > 0) s += left * d.values[k - 1];
    b[r] = s / n;
  }
}

/** Leave-one-out means (S - x_i)/(n - 1): O(n) time. */
function _meanJackknife(x: Float64Array): Float64Array {
  const n = x.length;
  const s = _sum(x);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (s - x[i]) / (n - 1);
  return out;
}

/** Cluster bootstrap of the mean: total of the drawn clusters' sums over their total size. */
function _clusterMeanResamples(rng: _Rng, x: Float64Array, cl: _Clusters, b: Float64Array) {
  const sums = new Float64Array(cl.count);
  const sizes = new Float64Array(cl.count);
  for (let g = 0; g < cl.count; g++) {
    let s = 0;
    for (let k = cl.start[g]; k < cl.start[g + 1]; k++) s += x[cl.order[k]];
    sums[g] = s;
    sizes[g] = cl.start[g + 1] - cl.start[g];
  }
  const idx = new Int32Array(cl.count);
  for (let r = 0; r < b.length; r++) {
    _resampleIndices(rng, idx, cl.count, cl.count);
    let s = 0;
    let m = 0;
    for (let i = 0; i < cl.count; i++) {
      s += sums[idx[i]];
      m += sizes[idx[i]];
    }
    b[r] = s / m;
  }
}

/** Leave-one-cluster-out means (S - S_g)/(N - n_g). */
function _clusterMeanJackknife(x: Float64Array, cl: _Clusters): Float64Array {
  const total = _sum(x);
  const n = x.length;
  const out = new Float64Array(cl.count);
  for (let g = 0; g < cl.count; g++) {
    let s = 0;
    for (let k = cl.start[g]; k < cl.start[g + 1]; k++) s += x[cl.order[k]];
    out[g] = (total - s) / (n - (cl.start[g + 1] - cl.start[g]));
  }
  return out;
}

function _pairedGenericResamples(
  rng: _Rng,
  samples: Float64Array[],
  stat: BootstrapStatistic,
  b: Float64Array,
) {
  const n = samples[0].length;
  const idx = new Int32Array(n);
  const bufs = samples.map(() => new Float64Array(n));
  for (let r = 0; r < b.length; r++) {
    _resampleIndices(rng, idx, n, n);
    for (let j = 0; j < samples.length; j++) {
      const src = samples[j];
      const dst = bufs[j];
      for (let i = 0; i < n; i++) dst[i] = src[idx[i]];
    }
    b[r] = stat(...bufs);
  }
}

function _unpairedGenericResamples(
  rng: _Rng,
  samples: Float64Array[],
  stat: BootstrapStatistic,
  b: Float64Array,
) {
  const bufs = samples.map((s) => new Float64Array(s.length));
  const idx = new Int32Array(Math.max(...samples.map((s) => s.length)));
  for (let r = 0; r < b.length; r++) {
    for (let j = 0; j < samples.length; j++) {
      const src = samples[j];
      const dst = bufs[j];
      const n = src.length;
      _resampleIndices(rng, idx, n, n);
      for (let i = 0; i < n; i++) dst[i] = src[idx[i]];
    }
    b[r] = stat(...bufs);
  }
}

/** Leave-one-row-out values; buffers are refilled for every call so a statistic may reorder them. */
function _pairedGenericJackknife(samples: Float64Array[], stat: BootstrapStatistic): Float64Array {
  const n = samples[0].length;
  const out = new Float64Array(n);
  if (n < 2) return out.fill(Number.NaN);
  const bufs = samples.map(() => new Float64Array(n - 1));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < samples.length; j++) {
      bufs[j].set(samples[j].subarray(0, i), 0);
      bufs[j].set(samples[j].subarray(i + 1), i);
    }
    out[i] = stat(...bufs);
  }
  return out;
}

/** scipy's multi-sample jackknife: leave one observation of sample j out, the other samples whole. */
function _unpairedGenericJackknife(samples: Float64Array[], stat: BootstrapStatistic): Float64Array[] {
  const out: Float64Array[] = [];
  for (let j = 0; j < samples.length; j++) {
    const n = samples[j].length;
    const th = new Float64Array(n);
    const args = samples.map((s) => s.slice());
    const buf = new Float64Array(Math.max(n - 1, 0));
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < samples.length; k++) if (k !== j) args[k].set(samples[k]);
      buf.set(samples[j].subarray(0, i), 0);
      buf.set(samples[j].subarray(i + 1), i);
      args[j] = buf;
      th[i] = n < 2 ? Number.NaN : stat(...args);
    }
    out.push(th);
  }
  return out;
}

/** Cluster resampling for any statistic: drawn clusters' rows are concatenated into growable buffers. */
function _clusterGenericResamples(
  rng: _Rng,
  samples: Float64Array[],
  cl: _Clusters,
  stat: BootstrapStatistic,
  b: Float64Array,
) {
  let cap = Math.max(16, 2 * samples[0].length);
  let bufs = samples.map(() => new Float64Array(cap));
  const idx = new Int32Array(cl.count);
  for (let r = 0; r < b.length; r++) {
    _resampleIndices(rng, idx, cl.count, cl.count);
    let m = 0;
    for (let i = 0; i < cl.count; i++) m += cl.start[idx[i] + 1] - cl.start[idx[i]];
    if (m > cap) {
      cap = 2 * m;
      bufs = samples.map(() => new Float64Array(cap));
    }
    let pos = 0;
    for (let i = 0; i < cl.count; i++) {
      const g = idx[i];
      for (let k = cl.start[g]; k < cl.start[g + 1]; k++) {
        const row = cl.order[k];
        for (let j = 0; j < samples.length; j++) bufs[j][pos] = samples[j][row];
        pos++;
      }
    }
    b[r] = stat(...bufs.map((buf) => buf.subarray(0, m)));
  }
}

/** Leave-one-cluster-out values of any statistic. */
function _clusterGenericJackknife(
  samples: Float64Array[],
  cl: _Clusters,
  stat: BootstrapStatistic,
): Float64Array {
  const n = samples[0].length;
  const out = new Float64Array(cl.count);
  const inCluster = new Int32Array(n);
  for (let g = 0; g < cl.count; g++)
    for (let k = cl.start[g]; k < cl.start[g + 1]; k++) inCluster[cl.order[k]] = g;
  const bufs = samples.map(() => new Float64Array(n));
  for (let g = 0; g < cl.count; g++) {
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (inCluster[i] === g) continue;
      for (let j = 0; j < samples.length; j++) bufs[j][m] = samples[j][i];
      m++;
    }
    out[g] = m === 0 ? Number.NaN : stat(...bufs.map((buf) => buf.subarray(0, m)));
  }
  return out;
}
