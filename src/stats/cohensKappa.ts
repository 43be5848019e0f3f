/**
 * Cohen's kappa (unweighted, linear or quadratic weights) between two raters.
 * @module
 */
import { _describe } from '../_internal/describe.js';
import { _checkOptions } from '../_internal/validate.js';

/** A rating: a number (ordered numerically) or a string (ordered by code units); one call takes one of the two. */
export type Rating = number | string;

/** Options of {@link cohensKappa}. */
export interface CohensKappaOptions {
  /**
   * Disagreement weights on the label indices: none (every disagreement costs 1), `'linear'` (|i - j|) or
   * `'quadratic'` ((i - j)^2). Use weights for ordinal scales. @default undefined (unweighted)
   */
  readonly weights?: 'linear' | 'quadratic';
  /**
   * The label list, in scale order. Pairs with a rating outside it are left out (scikit-learn semantics).
   * @default the sorted distinct ratings of both raters
   */
  readonly labels?: readonly Rating[];
}

const COHENS_KAPPA_KEYS = Object.keys({ weights: true, labels: true } satisfies Record<
  keyof CohensKappaOptions,
  true
>);

/** Result of {@link cohensKappa}. */
export interface CohensKappaResult {
  /** Kappa in [-1, 1]; NaN when chance disagreement is zero (both raters used one and the same label). */
  readonly kappa: number;
  /** Observed agreement (share of pairs with equal labels). */
  readonly observedAgreement: number;
  readonly weights: 'none' | 'linear' | 'quadratic';
  /** Pairs used (those with both ratings in `labels`). */
  readonly n: number;
  readonly labels: readonly Rating[];
  /** Set when kappa is NaN, and why. */
  readonly note?: string;
}

function _compare(x: Rating, y: Rating): number {
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  const sx = String(x);
  const sy = String(y);
  return sx < sy ? -1 : sx > sy ? 1 : 0;
}

function _checkRatings(name: string, value: unknown): readonly Rating[] {
  if (!Array.isArray(value))
    throw new TypeError(`Expected \`${name}\` to be an array of numbers or strings, got ${_describe(value)}`);
  for (let i = 0; i < value.length; i++) {
    const v: unknown = value[i];
    if (typeof v === 'string') continue;
    if (typeof v !== 'number')
      throw new TypeError(`Expected \`${name}[${i}]\` to be a number or a string, got ${_describe(v)}`);
    if (!Number.isFinite(v))
      throw new RangeError(`Expected \`${name}[${i}]\` to be finite, got ${_describe(v)}`);
  }
  return value as readonly Rating[];
}

/**
 * Throws a TypeError when the ratings (of `a`, `b` and `labels` together) mix numbers and strings, as scikit-learn
 * refuses a "Mix of label input types (string and number)": `1` and `"1"` would be two labels, a judge's 1 against a
 * human's "1" a disagreement, and with weights the label order (numbers against strings by their text, which is not
 * transitive: 2 < 10 < "1a" < 2) would depend on the order of the items.
 */
function _checkOneType(a: readonly Rating[], b: readonly Rating[], labels: readonly Rating[]): void {
  let first: { readonly name: string; readonly at: number; readonly value: Rating } | undefined;
  for (const [name, list] of [
    ['a', a],
    ['b', b],
    ['labels', labels],
  ] as const)
    for (let i = 0; i < list.length; i++) {
      const v = list[i];
      if (first === undefined) first = { name, at: i, value: v };
      else if (typeof v !== typeof first.value)
        throw new TypeError(
          `Expected the ratings to be all numbers or all strings, got ${_describe(first.value)} at \`${first.name}[${first.at}]\` and ${_describe(v)} at \`${name}[${i}]\``,
        );
    }
}

/**
 * Cohen's kappa between two raters' labels on the same items (scikit-learn `cohen_kappa_score`).
 *
 * Algorithm: builds the confusion matrix C over the label list (rows: `a`, columns: `b`), the chance matrix
 * E = outer(row sums, column sums) / n, and a disagreement weight matrix W on label indices (1 off the diagonal
 * unweighted; |i - j| linear; (i - j)^2 quadratic); kappa = 1 - sum(W * C) / sum(W * E). O(n + k^2) for k labels.
 * Quadratic-weighted kappa equals the intraclass correlation under mild conditions (Fleiss & Cohen 1973).
 *
 * @param a - The first rater's labels (numbers or strings).
 * @param b - The second rater's labels, same length.
 * @param options - `weights` (default unweighted), `labels` (default: sorted distinct labels of both).
 * @returns A frozen {@link CohensKappaResult}.
 * @throws TypeError for non-array input, ratings that are neither numbers nor strings, or numbers and strings
 *   mixed (in `a`, `b` and `labels` together, as scikit-learn refuses them); RangeError for unequal lengths,
 *   non-finite numbers, or no pair inside `labels`.
 * @example
 * ```ts
 * cohensKappa([1, 2, 3, 3, 2, 1], [1, 2, 2, 3, 3, 1]).kappa; // => 0.4999999999999999
 * cohensKappa([1, 2, 3, 3, 2, 1], [1, 2, 2, 3, 3, 1], { weights: 'quadratic' }).kappa; // => 0.75
 * ```
 *
 * References: J. Cohen (1960), A coefficient of agreement for nominal scales, doi:10.1177/001316446002000104;
 * J. Cohen (1968), Weighted kappa, doi:10.1037/h0026256; J. L. Fleiss, J. Cohen (1973),
 * doi:10.1177/001316447303300309; scikit-learn `sklearn.metrics.cohen_kappa_score`.
 */
export function cohensKappa(
  a: readonly Rating[],
  b: readonly Rating[],
  options: CohensKappaOptions = {},
): CohensKappaResult {
  _checkOptions('cohensKappa', options, COHENS_KAPPA_KEYS);
  const x = _checkRatings('a', a);
  const y = _checkRatings('b', b);
  if (x.length !== y.length)
    throw new RangeError(
      `Expected \`b\` to have the same length as \`a\` (${x.length}), got ${_describe(b)}`,
    );
  _checkOneType(x, y, options.labels === undefined ? [] : _checkRatings('labels', options.labels));
  const weights = options.weights;
  if (weights !== undefined && weights !== 'linear' && weights !== 'quadratic')
    throw new TypeError(
      `Expected \`weights\` to be one of 'linear' | 'quadratic', got ${_describe(weights)}`,
    );
  let labels: Rating[];
  if (options.labels === undefined) {
    const seen = new Set<Rating>([...x, ...y]);
    labels = [...seen].sort(_compare);
  } else {
    labels = [..._checkRatings('labels', options.labels)];
    if (labels.length === 0)
      throw new RangeError('Expected `labels` to have at least 1 element, got [] (array)');
  }
  const index = new Map<Rating, number>();
  for (const [i, l] of labels.entries()) index.set(l, i);
  const k = labels.length;
  const conf = new Float64Array(k * k);
  let n = 0;
  let agree = 0;
  for (let i = 0; i < x.length; i++) {
    const u = index.get(x[i]);
    const v = index.get(y[i]);
    if (u === undefined || v === undefined) continue;
    conf[u * k + v]++;
    n++;
    if (u === v) agree++;
  }
  if (n === 0)
    throw new RangeError(
      `Expected at least one pair with both ratings in \`labels\`, got ${x.length} pairs outside`,
    );
  const kappa = _kappaFromConfusion(conf, k, weights);
  const base = {
    kappa,
    observedAgreement: agree / n,
    weights: weights ?? ('none' as const),
    n,
    labels: Object.freeze(labels),
  };
  if (Number.isNaN(kappa))
    return Object.freeze({
      ...base,
      note: 'Chance disagreement is zero (both raters used a single, identical label): kappa is undefined.',
    });
  return Object.freeze(base);
}

/** kappa = 1 - sum(W C) / sum(W E) from a k x k row-major confusion matrix (NaN when sum(W E) = 0). */
export function _kappaFromConfusion(
  conf: Float64Array,
  k: number,
  weights: 'linear' | 'quadratic' | undefined,
): number {
  const rows = new Float64Array(k);
  const cols = new Float64Array(k);
  let n = 0;
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      const c = conf[i * k + j];
      rows[i] += c;
      cols[j] += c;
      n += c;
    }
  let obs = 0;
  let exp = 0;
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      if (i === j) continue;
      const d = Math.abs(i - j);
      const w = weights === undefined ? 1 : weights === 'linear' ? d : d * d;
      obs += w * conf[i * k + j];
      exp += (w * rows[i] * cols[j]) / n;
    }
  return exp === 0 ? Number.NaN : 1 - obs / exp;
}
