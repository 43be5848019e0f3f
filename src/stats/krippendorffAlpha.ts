/**
 * Krippendorff's alpha for any number of raters, with missing ratings.
 * @module
 */
import { _describe } from '../_internal/describe.js';
import { _checkChoice, _checkOptions } from '../_internal/validate.js';

/** Level of measurement: which distance between two values counts as disagreement. */
export type MeasurementLevel = 'nominal' | 'ordinal' | 'interval' | 'ratio';

/** Options of {@link krippendorffAlpha}. */
export interface KrippendorffAlphaOptions {
  /**
   * `'nominal'` (equal or not), `'ordinal'` (rank distance through the pooled value frequencies), `'interval'`
   * ((u - v)^2) or `'ratio'` (((u - v)/(u + v))^2). @default 'interval' (as fast-krippendorff)
   */
  readonly level?: MeasurementLevel;
}

const KRIPPENDORFF_ALPHA_KEYS = Object.keys({ level: true } satisfies Record<
  keyof KrippendorffAlphaOptions,
  true
>);

/** Result of {@link krippendorffAlpha}. */
export interface KrippendorffAlphaResult {
  /** Alpha: 1 = perfect agreement, 0 = chance level, negative = systematic disagreement. */
  readonly alpha: number;
  readonly level: MeasurementLevel;
  /** Units (columns) with at least two ratings: only they carry information. */
  readonly pairableUnits: number;
  /** Pairable values (ratings in those units). */
  readonly pairableValues: number;
  /** Raters (rows). */
  readonly raters: number;
}

/**
 * Krippendorff's alpha-reliability of the ratings `data[rater][unit]`, `null` or NaN marking a missing rating.
 *
 * Algorithm: Krippendorff's coincidence-matrix form. Each unit u with m_u >= 2 ratings adds, for every ordered
 * pair of ratings (c, k) from different raters, 1/(m_u - 1) to the coincidence o_ck; n_c = sum_k o_ck are the
 * pairable value frequencies and e_ck = (n_c n_k - [c = k] n_c)/(n - 1) the coincidences expected by chance.
 * Then alpha = 1 - sum(o * d) / sum(e * d) for the level's distance d (the ordinal distance between ranks
 * c < k is (sum_{g=c..k} n_g - (n_c + n_k)/2)^2). The value domain is every distinct rating in `data`, as in
 * fast-krippendorff. O(raters * units + V^2) for V distinct values.
 *
 * @param data - Ratings, one row per rater, one column per unit (the orientation of fast-krippendorff's
 *   `reliability_data`): finite numbers, `null` or NaN for missing. Strings (category names) are accepted at the
 *   nominal level, where only equality matters (as in fast-krippendorff, other levels need ordered numbers).
 * @param options - `level` (default `'interval'`).
 * @returns A frozen {@link KrippendorffAlphaResult}.
 * @throws TypeError for a non-matrix, ratings that are neither numbers nor strings, strings at a level other
 *   than nominal, or numbers and strings mixed (`1` and `"1"` would be two values); RangeError for rows of different lengths, fewer than two distinct values, or no unit rated
 *   twice.
 * @example
 * ```ts
 * const data = [
 *   [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
 *   [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
 *   [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
 *   [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
 * ];
 * krippendorffAlpha(data, { level: 'nominal' }).alpha; // => 0.743421052631579
 * krippendorffAlpha(data, { level: 'ordinal' }).alpha; // => 0.8153875037548814
 * ```
 *
 * References: K. Krippendorff (1970), Estimating the reliability, systematic error and random error of interval
 * data, doi:10.1177/001316447003000105; K. Krippendorff (2004), Reliability in content analysis,
 * doi:10.1111/j.1468-2958.2004.tb00738.x; A. F. Hayes, K. Krippendorff (2007), doi:10.1080/19312450709336664;
 * fast-krippendorff (github.com/pln-fing-udelar/fast-krippendorff) as the numerical reference.
 */
export function krippendorffAlpha(
  data: readonly (readonly (number | string | null)[])[],
  options: KrippendorffAlphaOptions = {},
): KrippendorffAlphaResult {
  _checkOptions('krippendorffAlpha', options, KRIPPENDORFF_ALPHA_KEYS);
  const level = _checkChoice('level', options.level ?? 'interval', [
    'nominal',
    'ordinal',
    'interval',
    'ratio',
  ] as const);
  if (!Array.isArray(data) || data.length === 0 || !data.every((r) => Array.isArray(r)))
    throw new TypeError(
      `Expected \`data\` to be a non-empty array of rows (one per rater) of numbers or null, got ${_describe(data)}`,
    );
  const raters = data.length;
  const units = data[0].length;
  const values: (number | string)[] = [];
  // Where the first number and the first string are: 1 and "1" would be two values, equal ratings a disagreement.
  let firstNumber: string | undefined;
  let firstString: string | undefined;
  for (let r = 0; r < raters; r++) {
    const row = data[r];
    if (row.length !== units)
      throw new RangeError(
        `Expected every row of \`data\` to have ${units} units (as row 0), got ${row.length} in row ${r}`,
      );
    for (let u = 0; u < units; u++) {
      const v: unknown = row[u];
      if (v === null || (typeof v === 'number' && Number.isNaN(v))) continue;
      if (typeof v === 'string') {
        if (level !== 'nominal')
          throw new TypeError(
            `Expected \`data[${r}][${u}]\` to be a number at level '${level}' (strings only have nominal distances), got ${_describe(v)}`,
          );
        firstString ??= `\`data[${r}][${u}]\``;
        if (firstNumber !== undefined)
          throw new TypeError(
            `Expected the ratings to be all numbers or all strings, got a number at ${firstNumber} and ${_describe(v)} at ${firstString}`,
          );
        values.push(v);
        continue;
      }
      if (typeof v !== 'number')
        throw new TypeError(
          `Expected \`data[${r}][${u}]\` to be a number, a string or null, got ${_describe(v)}`,
        );
      if (!Number.isFinite(v))
        throw new RangeError(`Expected \`data[${r}][${u}]\` to be finite or null, got ${_describe(v)}`);
      firstNumber ??= `\`data[${r}][${u}]\``;
      if (firstString !== undefined)
        throw new TypeError(
          `Expected the ratings to be all numbers or all strings, got a string at ${firstString} and ${_describe(v)} at ${firstNumber}`,
        );
      values.push(v);
    }
  }
  const domain = [...new Set(values)].sort((x, y) =>
    typeof x === 'number' && typeof y === 'number'
      ? x - y
      : String(x) < String(y)
        ? -1
        : String(x) > String(y)
          ? 1
          : 0,
  );
  if (domain.length < 2)
    throw new RangeError(`Expected at least two distinct values in \`data\`, got ${domain.length}`);
  const index = new Map<number | string, number>();
  for (const [i, v] of domain.entries()) index.set(v, i);
  return Object.freeze({ ..._alphaFromMatrix(data, domain, index, level), level, raters });
}

/** Alpha from validated data (shared with the bootstrap in judgeAgreement, which resamples units). */
export function _alphaFromMatrix(
  data: readonly (readonly (number | string | null)[])[],
  domain: readonly (number | string)[],
  index: ReadonlyMap<number | string, number>,
  level: MeasurementLevel,
  unitsSubset?: ArrayLike<number>,
): { alpha: number; pairableUnits: number; pairableValues: number } {
  const V = domain.length;
  const o = new Float64Array(V * V);
  const counts = new Float64Array(V);
  const touched: number[] = [];
  const raters = data.length;
  const nUnits = unitsSubset === undefined ? data[0].length : unitsSubset.length;
  let pairableUnits = 0;
  for (let t = 0; t < nUnits; t++) {
    const u = unitsSubset === undefined ? t : unitsSubset[t];
    let m = 0;
    for (let r = 0; r < raters; r++) {
      const v = data[r][u];
      if (v === null || (typeof v === 'number' && Number.isNaN(v))) continue;
      const c = index.get(v) as number;
      if (counts[c] === 0) touched.push(c);
      counts[c]++;
      m++;
    }
    if (m >= 2) {
      pairableUnits++;
      for (const c of touched)
        for (const k of touched) {
          const w = c === k ? counts[c] * (counts[c] - 1) : counts[c] * counts[k];
          o[c * V + k] += w / (m - 1);
        }
    }
    for (const c of touched) counts[c] = 0;
    touched.length = 0;
  }
  const nv = new Float64Array(V);
  let n = 0;
  for (let c = 0; c < V; c++) {
    for (let k = 0; k < V; k++) nv[c] += o[c * V + k];
    n += nv[c];
  }
  // cumulative frequencies for the ordinal distance
  const cum = new Float64Array(V + 1);
  for (let c = 0; c < V; c++) cum[c + 1] = cum[c] + nv[c];
  let num = 0;
  let den = 0;
  for (let c = 0; c < V; c++)
    for (let k = 0; k < V; k++) {
      if (c === k) continue;
      let d: number;
      if (level === 'nominal') d = 1;
      else if (level === 'ordinal') {
        const lo = Math.min(c, k);
        const hi = Math.max(c, k);
        const s = cum[hi + 1] - cum[lo] - (nv[c] + nv[k]) / 2;
        d = s * s;
      } else if (level === 'interval') {
        const diff = (domain[c] as number) - (domain[k] as number);
        d = diff * diff;
      } else {
        const a = domain[c] as number;
        const b = domain[k] as number;
        const sum = a + b;
        const q = sum === 0 ? 0 : (a - b) / sum;
        d = q * q;
      }
      num += o[c * V + k] * d;
      den += ((nv[c] * nv[k]) / (n - 1)) * d;
    }
  if (pairableUnits === 0 && unitsSubset === undefined)
    throw new RangeError('Expected at least one unit rated by two or more raters, got none');
  return { alpha: 1 - num / den, pairableUnits, pairableValues: n };
}
