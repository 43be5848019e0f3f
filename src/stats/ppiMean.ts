/**
 * Prediction-powered (PPI++) estimate of a mean from a few human labels and many judge verdicts.
 * @module
 */
import { _describe } from '../_internal/describe.js';
import { _checkNumberInRange, _checkNumericArray, _checkOptions } from '../_internal/validate.js';
import { _normPpf, _normSf } from './_internal/special.js';

/** Labeled items: the human score and the judge's score on the same items. */
export interface LabeledPairs {
  /** Human (gold) scores. */
  readonly human: readonly number[] | Float64Array;
  /** Judge scores on the same items, same length. */
  readonly judge: readonly number[] | Float64Array;
}

/** Options of {@link ppiMean}. */
export interface PpiMeanOptions {
  /** Confidence level of the two-sided interval, in (0, 1). @default 0.95 */
  readonly confidence?: number;
  /**
   * Power-tuning weight of the judge: `'auto'` estimates the variance-minimizing value (clipped to [0, 1]);
   * `0` ignores the judge (classical mean of the labels); `1` is plain PPI. @default 'auto'
   */
  readonly lambda?: number | 'auto';
  /**
   * Bounds of the metric, e.g. `[0, 1]`: the interval and the estimate are clipped to them (and `clipped` says
   * so). @default none (no clipping)
   */
  readonly bounds?: readonly [number, number];
  /**
   * Sample weights of the labeled items (positive, finite, one per item), as ppi_py's `w`: each set's weights are
   * scaled to average 1, and the estimate is the weighted mean. Give each item the number of rows it stands for (a
   * cluster of rows counted as one item) and the estimate is the mean over rows. @default every item weighs 1
   */
  readonly weights?: readonly number[] | Float64Array;
  /** Sample weights of the unlabeled items, as ppi_py's `w_unlabeled` (see `weights`). @default every item weighs 1 */
  readonly unlabeledWeights?: readonly number[] | Float64Array;
  /**
   * The cluster of each item (`labeled[i]` for the i-th labeled item, `unlabeled[j]` for the j-th unlabeled one;
   * `null` for an item on its own): items of one cluster are not independent (the labeled and the unlabeled
   * questions of one document, an example's trials), and the variance then sums each cluster's share of the
   * estimate's error before squaring it (a cluster-robust variance), where it otherwise adds independent items'
   * shares. Items sharing no cluster give the numbers without this option, to the last bit. ppi_py has no such
   * option; lambda is its own either way. @default every item on its own
   */
  readonly clusters?: {
    readonly labeled: readonly (string | number | null)[];
    readonly unlabeled: readonly (string | number | null)[];
  };
}

const PPI_MEAN_KEYS = Object.keys({
  confidence: true,
  lambda: true,
  bounds: true,
  weights: true,
  unlabeledWeights: true,
  clusters: true,
} satisfies Record<keyof PpiMeanOptions, true>);

/** A prediction-powered estimate: frozen, self-describing. */
export interface PpiMeanResult {
  /** The estimate of the human-level mean (clipped to `bounds` when they are given). */
  readonly estimate: number;
  readonly ci: {
    readonly low: number;
    readonly high: number;
    readonly level: number;
    readonly method: 'ppi++';
  };
  /** Standard error of the estimate. */
  readonly stderr: number;
  /** The judge weight used (estimated when `lambda: 'auto'`). */
  readonly lambda: number;
  /** Labeled items. */
  readonly n: number;
  /** Unlabeled items (judge only). */
  readonly N: number;
  /**
   * Labels alone that would give the same standard error: var(human) / stderr^2 (population variance). It exceeds
   * `n` when the judge helps. NaN when the human labels are constant.
   */
  readonly effectiveN: number;
  /**
   * Two-sided p-value of the null hypothesis that the mean is 0 (ppi_py's `ppi_mean_pval` with `null=0`): useful
   * when the scores are paired differences.
   */
  readonly pValue: number;
  /** Whether the interval (and with it the estimate) was clipped to `bounds`. */
  readonly clipped: boolean;
  /** Set when lambda could not be estimated (constant judge scores) and 0 was used. */
  readonly note?: string;
}

function _meanOf(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/**
 * Whether every `x[i] - lam * y[i]` (y optional) is the same number. Such values have no spread, but their mean need
 * not be one of them in floating point (seven 0.7s average 0.7000000000000001), and the deviations from it would
 * add up to a variance of ~1e-33, a standard error of ~1e-17 and an interval of that width claiming certainty.
 */
function _constant(x: Float64Array, lam = 0, y?: Float64Array): boolean {
  const first = x[0] - (y ? lam * y[0] : 0);
  for (let i = 1; i < x.length; i++) if (x[i] - (y ? lam * y[i] : 0) !== first) return false;
  return true;
}

/** Population variance (ddof = 0) of `x - lam * y` (y optional); exactly 0 when those are all equal. */
function _var0(x: Float64Array, lam = 0, y?: Float64Array): number {
  if (_constant(x, lam, y)) return 0;
  const n = x.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i] - (y ? lam * y[i] : 0);
  m /= n;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - (y ? lam * y[i] : 0) - m;
    s += d * d;
  }
  return s / n;
}

/**
 * The PPI++ weight for a mean (ppi_py `_calc_lam_glm`, one dimension, unit weights): the labeled covariance of
 * human and judge (divided by n) over (1 + n/N) times the sample variance (ddof = 1) of all judge scores, clipped
 * to [0, 1]. NaN when the judge scores are constant.
 */
export function _ppiLambda(human: Float64Array, judge: Float64Array, unlabeled: Float64Array): number {
  const n = human.length;
  const N = unlabeled.length;
  // Constant scores are tested as such, not through their variance: the mean of seven 0.7s is not 0.7 in floating
  // point, so the variance is ~1e-33 rather than 0 and the ratio a rounding artefact (0.027 for seven 0.7s).
  const f0 = judge[0];
  if (_constant(judge) && unlabeled.every((x) => x === f0)) return Number.NaN;
  // Equal labels have no covariance with anything; their deviations from a rounded mean would give lambda ~1e-17.
  if (_constant(human)) return 0;
  const mh = _meanOf(human);
  const mj = _meanOf(judge);
  let cov = 0;
  for (let i = 0; i < n; i++) cov += (human[i] - mh) * (judge[i] - mj);
  cov /= n;
  const variance = _pooledVar1(judge, unlabeled);
  if (!(variance > 0)) return Number.NaN;
  const lam = cov / ((1 + n / N) * variance);
  return Math.min(1, Math.max(0, lam));
}

/** The sample variance (ddof = 1) of `a` and `b` taken together. */
function _pooledVar1(a: Float64Array, b: Float64Array): number {
  let all = 0;
  for (let i = 0; i < a.length; i++) all += a[i];
  for (let i = 0; i < b.length; i++) all += b[i];
  const ma = all / (a.length + b.length);
  let ss = 0;
  for (let i = 0; i < a.length; i++) ss += (a[i] - ma) ** 2;
  for (let i = 0; i < b.length; i++) ss += (b[i] - ma) ** 2;
  return ss / (a.length + b.length - 1);
}

/** `length` weights of 1. */
function ones(length: number): Float64Array {
  return new Float64Array(length).fill(1);
}

/**
 * Checked sample weights scaled to average 1 (ppi_py's `construct_weight_vector`), or `undefined` when absent or all
 * equal (then they change nothing).
 * @throws {TypeError} for a non-array or a non-number; {@link RangeError} for a wrong length or a weight that is
 *   not finite and > 0.
 */
function _weightsOf(name: string, value: unknown, length: number): Float64Array | undefined {
  if (value === undefined) return undefined;
  const raw = _checkNumericArray(name, value, 1);
  if (raw.length !== length)
    throw new RangeError(
      `Expected \`${name}\` to have ${length} elements (one per item), got ${_describe(value)}`,
    );
  let sum = 0;
  for (let i = 0; i < raw.length; i++) {
    const x = raw[i];
    if (!(Number.isFinite(x) && x > 0))
      throw new RangeError(`Expected \`${name}[${i}]\` to be a finite number > 0, got ${_describe(x)}`);
    sum += x;
  }
  if (raw.every((x) => x === raw[0])) return undefined;
  return raw.map((x) => (x * length) / sum);
}

/** mean(w * (x - lam * y)) (y optional): ppi_py's weighted mean, the weights averaging 1. */
function _weightedMean(x: Float64Array, w: Float64Array, lam = 0, y?: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += w[i] * (x[i] - (y ? lam * y[i] : 0));
  return s / x.length;
}

/**
 * The linearized variance of a weighted mean m = mean(w * r), r = x - lam * y: var_ddof0(w * (r - m)), the
 * sandwich variance of the M-estimator that minimizes mean(w * (r - m)^2) (its gradients w * (r - m), as ppi_py's
 * GLM intervals take them). Equal weights give var_ddof0(r); equal residuals r give exactly 0.
 */
function _linearizedVar(x: Float64Array, w: Float64Array, m: number, lam = 0, y?: Float64Array): number {
  if (_constant(x, lam, y)) return 0;
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += w[i] * (x[i] - (y ? lam * y[i] : 0) - m);
  mean /= n;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = w[i] * (x[i] - (y ? lam * y[i] : 0) - m) - mean;
    s += d * d;
  }
  return s / n;
}

/**
 * The PPI++ weight with sample weights (ppi_py `ppi_mean_ci` with `w`, `w_unlabeled`, then `_calc_lam_glm`, one
 * dimension, clip=True): the gradients g = w (Y - t), g^ = w (Yhat - t), g^u = v (Yhat_u - t) at t the plain PPI
 * estimate (lambda 1); lambda = [(1/n) sum (g - mean g)(g^ - mean g^)] / [(1 + n/N) var_ddof1(g^, g^u)], clipped
 * to [0, 1]. NaN when the judge scores are constant.
 */
function _weightedLambda(
  human: Float64Array,
  judge: Float64Array,
  unlabeled: Float64Array,
  w: Float64Array,
  v: Float64Array,
): number {
  const f0 = judge[0];
  if (_constant(judge) && unlabeled.every((x) => x === f0)) return Number.NaN;
  const t = _weightedMean(unlabeled, v) + _weightedMean(human, w, 1, judge);
  // The unweighted weight's formula, on the gradients in place of the scores.
  return _ppiLambda(
    human.map((y, i) => w[i] * (y - t)),
    judge.map((f, i) => w[i] * (f - t)),
    unlabeled.map((f, i) => v[i] * (f - t)),
  );
}

/**
 * Prediction-powered estimate of the mean human score, with an interval that includes the judge's error
 * (PPI++; equal to ppi_py's `ppi_mean_pointestimate` and `ppi_mean_ci`).
 *
 * Algorithm: with n labeled items (human scores Y, judge scores f) and N unlabeled items (judge scores f~), the
 * estimate is lambda mean(f~) + mean(Y - lambda f): the judge's mean on the unlabeled items, rectified by its
 * average error on the labeled ones. Its variance is lambda^2 var(f~)/N + var(Y - lambda f)/n (population
 * variances), and the interval is the two-sided normal one, estimate -/+ z stderr. With `lambda: 'auto'` the
 * weight minimizing that variance is estimated as cov(Y, f) / ((1 + n/N) var(f, f~)) and clipped to [0, 1]
 * (ppi_py's `_calc_lam_glm` with `clip=True`), so a useless judge gets lambda near 0 (the classical interval of
 * the labels) and a good one near 1. The interval is valid whatever the judge's errors, as long as the labeled
 * items are a uniform random sample of all items. O(n + N).
 *
 * With sample weights (`weights`, `unlabeledWeights`; ppi_py's `w`, `w_unlabeled`) each set's weights are scaled to
 * average 1 and every mean above is weighted: the estimate is ppi_py's weighted point estimate and lambda its
 * weighted `_calc_lam_glm`. The variance is the linearized (sandwich) variance of each weighted mean,
 * var(w (x - m)) rather than ppi_py `ppi_mean_ci`'s var(w x): a weighted mean is a ratio, and var(w x) also counts
 * the spread of the weights around the mean, which can make the interval too wide or, when the heavy items lie below
 * the mean, too narrow (ppi_py's own GLM intervals use the centered gradients, as here). With equal weights both are
 * var(x), and the numbers are the unweighted ones exactly. Weighting items by the rows they stand for (clusters of
 * rows taken as one item) makes the estimate the mean over rows.
 *
 * With `clusters`, items of one cluster (the labeled and the unlabeled rows of one document) are dependent: the
 * variance sums each cluster's shares of the estimate's error, w (Y - lambda f - rectifier) / n for a labeled item
 * and lambda v (f~ - imputed) / N for an unlabeled one, before squaring them (the cluster-robust, or sandwich,
 * variance with clusters as the independent units; no small-sample factor). Without shared clusters it is the
 * variance above, term for term.
 *
 * @param labeled - `{ human, judge }` on the labeled items (finite numbers, same length, at least 2).
 * @param unlabeledJudge - Judge scores on the items without a human label (at least 1).
 * @param options - `confidence` (default 0.95), `lambda` (default `'auto'`), `bounds` (no clipping by default),
 *   `weights` and `unlabeledWeights` (none by default), `clusters` (every item on its own by default).
 * @returns A frozen {@link PpiMeanResult}.
 * @throws TypeError for non-numeric inputs or a bad `lambda`/`bounds` type; RangeError for fewer than 2 labels,
 *   unequal lengths, an empty unlabeled set, `confidence` outside (0, 1), `lambda` outside [0, 1], weights of
 *   the wrong length or not finite and > 0, or `clusters` arrays of the wrong length (TypeError for a bad id).
 * @example
 * ```ts
 * const r = ppiMean({ human: [1, 0, 1, 1, 0, 1], judge: [1, 0, 1, 1, 1, 1] }, [1, 1, 0, 1, 1, 0, 1, 1]);
 * r.lambda; // => 0.3501683501683502
 * r.estimate; // => 0.6374859708193041
 * [r.ci.low, r.ci.high]; // => [0.29925687651221217, 0.9757150651263962]
 * // Items standing for several rows (clusters of rows), weighted by their rows:
 * const w = ppiMean({ human: [1, 0, 1, 1, 0, 1], judge: [1, 0, 1, 1, 1, 1] }, [1, 1, 0, 1, 1, 0, 1, 1], {
 *   weights: [3, 1, 1, 2, 1, 1],
 *   unlabeledWeights: [1, 1, 4, 1, 1, 1, 1, 1],
 * });
 * w.estimate; // => 0.6574049936081444
 * ```
 *
 * References: A. N. Angelopoulos, S. Bates, C. Fannjiang, M. I. Jordan, T. Zrnic (2023), Prediction-powered
 * inference, Science 382, doi:10.1126/science.adi6000; A. N. Angelopoulos, J. C. Duchi, T. Zrnic (2024), PPI++:
 * Efficient prediction-powered inference, arXiv:2311.01453, doi:10.48550/arXiv.2311.01453; ppi_py
 * (github.com/aangelopoulos/ppi_py) as the numerical reference.
 */
export function ppiMean(
  labeled: LabeledPairs,
  unlabeledJudge: readonly number[] | Float64Array,
  options: PpiMeanOptions = {},
): PpiMeanResult {
  _checkOptions('ppiMean', options, PPI_MEAN_KEYS);
  if (labeled === null || typeof labeled !== 'object')
    throw new TypeError(`Expected \`labeled\` to be an object { human, judge }, got ${_describe(labeled)}`);
  const human = _checkNumericArray('human', labeled.human, 2);
  const judge = _checkNumericArray('judge', labeled.judge, 2);
  if (judge.length !== human.length)
    throw new RangeError(
      `Expected \`judge\` to have the same length as \`human\` (${human.length}), got ${_describe(labeled.judge)}`,
    );
  const unlabeled = _checkNumericArray('unlabeledJudge', unlabeledJudge, 1);
  const confidence =
    options.confidence === undefined ? 0.95 : _checkNumberInRange('confidence', options.confidence, 0, 1);
  const bounds = options.bounds === undefined ? undefined : _checkBounds(options.bounds);
  const w = _weightsOf('weights', options.weights, human.length);
  const v = _weightsOf('unlabeledWeights', options.unlabeledWeights, unlabeled.length);
  // Equal weights are no weights (each set's are scaled to average 1): the unweighted formulas, to the last bit.
  const weighted =
    w !== undefined || v !== undefined
      ? { w: w ?? ones(human.length), v: v ?? ones(unlabeled.length) }
      : undefined;
  let note: string | undefined;
  let lambda: number;
  if (options.lambda === undefined || options.lambda === 'auto') {
    lambda =
      weighted === undefined
        ? _ppiLambda(human, judge, unlabeled)
        : _weightedLambda(human, judge, unlabeled, weighted.w, weighted.v);
    if (Number.isNaN(lambda)) {
      lambda = 0;
      note = 'The judge scores are constant: lambda cannot be estimated and 0 (labels only) was used.';
    }
  } else if (typeof options.lambda === 'number') {
    lambda = _checkNumberInRange('lambda', options.lambda, 0, 1, '[]');
  } else
    throw new TypeError(
      `Expected \`lambda\` to be a number in [0, 1] or 'auto', got ${_describe(options.lambda)}`,
    );
  const n = human.length;
  const N = unlabeled.length;
  const shared = _sharedClusters(options.clusters, n, N);
  let raw: number;
  let stderr: number;
  let varHuman: number;
  if (weighted === undefined) {
    let rect = 0;
    for (let i = 0; i < n; i++) rect += human[i] - lambda * judge[i];
    raw = lambda * _meanOf(unlabeled) + rect / n;
    stderr = Math.sqrt((lambda * lambda * _var0(unlabeled)) / N + _var0(human, lambda, judge) / n);
    varHuman = _var0(human);
  } else {
    const { w: wl, v: wu } = weighted;
    const imputed = _weightedMean(unlabeled, wu);
    const rectifier = _weightedMean(human, wl, lambda, judge);
    raw = lambda * imputed + rectifier;
    stderr = Math.sqrt(
      (lambda * lambda * _linearizedVar(unlabeled, wu, imputed)) / N +
        _linearizedVar(human, wl, rectifier, lambda, judge) / n,
    );
    varHuman = _linearizedVar(human, wl, _weightedMean(human, wl));
  }
  if (shared !== undefined) {
    const wl = weighted?.w ?? ones(n);
    const wu = weighted?.v ?? ones(N);
    stderr = Math.sqrt(
      _clusteredVar(shared, human, judge, unlabeled, wl, wu, lambda, _weightedMean(unlabeled, wu)),
    );
  }
  const z = _normPpf(1 - (1 - confidence) / 2);
  let estimate = raw;
  let low = raw - z * stderr;
  let high = raw + z * stderr;
  let clipped = false;
  if (bounds) {
    // The mean lies in the bounds, but the point estimate need not (a judge biased low on the labels and high
    // on the rest gives 1.4 for a 0-1 metric): the estimate and both ends are clipped, so low <= estimate <= high.
    const clip = (v: number) => Math.min(bounds[1], Math.max(bounds[0], v));
    clipped = clip(low) !== low || clip(high) !== high;
    low = clip(low);
    high = clip(high);
    estimate = clip(estimate);
  }
  const effectiveN = varHuman > 0 && stderr > 0 ? varHuman / (stderr * stderr) : Number.NaN;
  return Object.freeze({
    estimate,
    ci: Object.freeze({ low, high, level: confidence, method: 'ppi++' as const }),
    stderr,
    lambda,
    n,
    N,
    effectiveN,
    pValue: stderr > 0 ? Math.min(1, 2 * _normSf(Math.abs(raw) / stderr)) : raw === 0 ? 1 : 0,
    clipped,
    ...(note === undefined ? {} : { note }),
  });
}

/**
 * The checked `clusters` option as one cluster index per item (labeled items first, then unlabeled ones; -1 for an
 * item on its own), or `undefined` when it is absent or no two items share a cluster (then it changes nothing).
 */
function _sharedClusters(value: unknown, n: number, N: number): Int32Array | undefined {
  if (value === undefined) return undefined;
  const c = value as { labeled?: unknown; unlabeled?: unknown } | null;
  if (c === null || typeof c !== 'object' || !Array.isArray(c.labeled) || !Array.isArray(c.unlabeled))
    throw new TypeError(
      `Expected \`clusters\` to be { labeled, unlabeled }, two arrays of cluster ids, got ${_describe(value)}`,
    );
  const index = new Int32Array(n + N);
  const seen = new Map<string | number, number>();
  let sharing = false;
  const ids: [string, readonly unknown[], number][] = [
    ['labeled', c.labeled, n],
    ['unlabeled', c.unlabeled, N],
  ];
  let at = 0;
  for (const [name, list, length] of ids) {
    if (list.length !== length)
      throw new RangeError(
        `Expected \`clusters.${name}\` to have ${length} elements (one per ${name} item), got ${list.length}`,
      );
    for (let i = 0; i < length; i++, at++) {
      const id = list[i];
      if (id === null) {
        index[at] = -1;
        continue;
      }
      if (typeof id !== 'string' && !(typeof id === 'number' && Number.isFinite(id)))
        throw new TypeError(
          `Expected \`clusters.${name}[${i}]\` to be a string, a finite number or null, got ${_describe(id)}`,
        );
      const k = seen.get(id);
      if (k === undefined) {
        seen.set(id, seen.size);
        index[at] = seen.size - 1;
      } else {
        index[at] = k;
        sharing = true;
      }
    }
  }
  return sharing ? index : undefined;
}

/**
 * The cluster-robust variance of the estimate lambda mean_v(f~) + mean_w(Y - lambda f), weights averaging 1 in each
 * set: each item's share of the estimate's error is w_i (Y_i - lambda f_i - rectifier) / n for a labeled item and
 * lambda v_j (f~_j - imputed) / N for an unlabeled one (the terms whose squares the independent variance adds); the
 * shares of one cluster are summed, across both sets, before squaring. Items on their own keep their own square.
 */
function _clusteredVar(
  cluster: Int32Array,
  human: Float64Array,
  judge: Float64Array,
  unlabeled: Float64Array,
  w: Float64Array,
  v: Float64Array,
  lambda: number,
  imputed: number,
): number {
  const n = human.length;
  const N = unlabeled.length;
  const rectifier = _weightedMean(human, w, lambda, judge);
  // Equal residuals (or equal unlabeled scores) are each exactly at their mean: their shares are 0, not rounding.
  const labeledFlat = _constant(human, lambda, judge);
  const unlabeledFlat = _constant(unlabeled);
  const sums = new Map<number, number>();
  let total = 0;
  for (let k = 0; k < n + N; k++) {
    const share =
      k < n
        ? labeledFlat
          ? 0
          : (w[k] * (human[k] - lambda * judge[k] - rectifier)) / n
        : unlabeledFlat
          ? 0
          : (lambda * v[k - n] * (unlabeled[k - n] - imputed)) / N;
    const c = cluster[k];
    if (c < 0) total += share * share;
    else sums.set(c, (sums.get(c) ?? 0) + share);
  }
  for (const s of sums.values()) total += s * s;
  return total;
}

function _checkBounds(value: unknown): readonly [number, number] {
  if (
    !Array.isArray(value) ||
    value.length !== 2 ||
    typeof value[0] !== 'number' ||
    typeof value[1] !== 'number'
  )
    throw new TypeError(`Expected \`bounds\` to be a pair [low, high] of numbers, got ${_describe(value)}`);
  if (!(value[0] < value[1]))
    throw new RangeError(`Expected \`bounds\` to satisfy low < high, got ${_describe(value)}`);
  return value as unknown as readonly [number, number];
}
