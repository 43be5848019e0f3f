/**
 * How many human labels a prediction-powered estimate needs for a target interval half-width.
 * @module
 */
import { _checkInteger, _checkNumberInRange, _checkOptions } from '../_internal/validate.js';
import { _normPpf } from './_internal/special.js';

/** Options of {@link labelsNeeded}. */
export interface LabelsNeededOptions {
  /** Correlation between judge and human scores, in [-1, 1] (e.g. from a pilot's `judgeAgreement`). */
  readonly correlation: number;
  /** Items the judge scores (unlabeled), integer >= 1. */
  readonly N: number;
  /** Target half-width of the two-sided interval, > 0. */
  readonly halfWidth: number;
  /** Confidence level, in (0, 1). @default 0.95 */
  readonly confidence?: number;
  /** Standard deviation of the human score, > 0. @default 0.5 (the largest possible for a [0, 1] metric) */
  readonly sd?: number;
}

const LABELS_NEEDED_KEYS = Object.keys({
  correlation: true,
  N: true,
  halfWidth: true,
  confidence: true,
  sd: true,
} satisfies Record<keyof LabelsNeededOptions, true>);

/** Result of {@link labelsNeeded}. */
export interface LabelsNeededResult {
  /** Human labels needed with PPI++ (rounded up). */
  readonly n: number;
  /** Human labels needed without the judge (classical interval), rounded up. */
  readonly classicalN: number;
  /** The unrounded PPI++ solution. */
  readonly exact: number;
  /** Labels saved: classicalN - n. */
  readonly saved: number;
}

/**
 * Human labels needed so that a PPI++ interval for a mean reaches a target half-width.
 *
 * Algorithm: at the optimal judge weight, the PPI++ variance is sd^2 (1 - rho^2 N/(n + N)) / n (Angelopoulos,
 * Duchi & Zrnic 2024): the judge removes the share rho^2 of the human variance, discounted by the sampling of
 * its own mean on N items. Setting z sd sqrt(that / n) = halfWidth gives c n^2 + (c N - 1) n - (1 - rho^2) N = 0
 * with c = (halfWidth / (z sd))^2, whose positive root is rounded up. The classical answer (rho = 0, N -> inf)
 * is (z sd / halfWidth)^2. A planning formula: it assumes the pilot's correlation holds.
 *
 * @param options - `correlation`, `N`, `halfWidth`, `confidence` (default 0.95), `sd` (default 0.5).
 * @returns A frozen {@link LabelsNeededResult}.
 * @throws TypeError for non-numbers; RangeError for values out of range.
 * @example
 * ```ts
 * labelsNeeded({ correlation: 0.9, N: 10000, halfWidth: 0.05 }); // => { n: 76, classicalN: 385, exact: 75.31364575759989, saved: 309 }
 * ```
 *
 * References: A. N. Angelopoulos, J. C. Duchi, T. Zrnic (2024), PPI++: Efficient prediction-powered inference,
 * doi:10.48550/arXiv.2311.01453; A. N. Angelopoulos et al. (2023), doi:10.1126/science.adi6000.
 */
export function labelsNeeded(options: LabelsNeededOptions): LabelsNeededResult {
  _checkOptions('labelsNeeded', options, LABELS_NEEDED_KEYS);
  if (options === undefined) throw new TypeError('Expected `options` to be an options object, got undefined');
  const rho = _checkNumberInRange('correlation', options.correlation, -1, 1, '[]');
  const N = _checkInteger('N', options.N, 1);
  const h = _checkNumberInRange('halfWidth', options.halfWidth, 0, Number.POSITIVE_INFINITY);
  const confidence =
    options.confidence === undefined ? 0.95 : _checkNumberInRange('confidence', options.confidence, 0, 1);
  const sd =
    options.sd === undefined ? 0.5 : _checkNumberInRange('sd', options.sd, 0, Number.POSITIVE_INFINITY);
  const z = _normPpf(1 - (1 - confidence) / 2);
  const c = (h * h) / (z * z * sd * sd);
  const b = c * N - 1;
  const disc = b * b + 4 * c * (1 - rho * rho) * N;
  // stable root: for b > 0 use 2q / (b + sqrt(disc)) to avoid cancellation
  const q = (1 - rho * rho) * N;
  const exact = b > 0 ? (2 * q) / (b + Math.sqrt(disc)) : (-b + Math.sqrt(disc)) / (2 * c);
  const n = Math.max(1, Math.ceil(exact - 1e-9));
  const classicalN = Math.max(1, Math.ceil((z * sd) ** 2 / (h * h) - 1e-9));
  return Object.freeze({ n, classicalN, exact, saved: classicalN - n });
}
