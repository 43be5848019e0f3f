/**
 * How well a judge agrees with human raters: accuracy, TPR/TNR, kappa, alpha and Spearman, with intervals.
 * @module
 */
import { _describe } from '../_internal/describe.js';
import { _checkChoice, _checkInteger, _checkNumberInRange, _checkOptions } from '../_internal/validate.js';
import { _clopperPearson } from './_internal/clopperPearson.js';
import { _gcd, _kornGraubardCounts } from './_internal/kornGraubard.js';
import { _averageRanks, _pearson } from './_internal/ranks.js';
import { bootstrapCI } from './bootstrapCI.js';
import { _kappaFromConfusion } from './cohensKappa.js';
import { _alphaFromMatrix, type MeasurementLevel } from './krippendorffAlpha.js';

/** What the scores are: 0/1 verdicts, an ordered scale (1..5), or continuous scores. */
export type JudgeKind = 'binary' | 'ordinal' | 'continuous';

/** Options of {@link judgeAgreement}. */
export interface JudgeAgreementOptions {
  /** Kind of score; decides which statistics apply. */
  readonly kind: JudgeKind;
  /** Confidence level of every interval, in (0, 1). @default 0.95 */
  readonly confidence?: number;
  /** Seed of the bootstrap resampling. @default 'evalgate' */
  readonly seed?: string | number;
  /** Bootstrap resamples for the BCa intervals, integer >= 100. @default 2000 */
  readonly resamples?: number;
  /**
   * The cluster of each item (an example whose trials were judged several times, a group of related items), one
   * per item; `null` for an item on its own. Items of one cluster are not independent: with clusters of two or
   * more items every interval counts clusters, not items (see {@link judgeAgreement}). @default undefined
   */
  readonly clusters?: readonly (string | number | null)[];
}

const JUDGE_AGREEMENT_KEYS = Object.keys({
  kind: true,
  confidence: true,
  seed: true,
  resamples: true,
  clusters: true,
} satisfies Record<keyof JudgeAgreementOptions, true>);

/** An estimate with its interval. */
export interface AgreementInterval {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  readonly level: number;
  /**
   * `'clopper-pearson'` (exact binomial) for proportions, `'bca'` (seeded bootstrap) for the others; with clusters
   * (`options.clusters`) `'korn-graubard'` (Clopper–Pearson on the effective sample size) and `'cluster-bca'`.
   */
  readonly method: 'clopper-pearson' | 'bca' | 'korn-graubard' | 'cluster-bca';
  /** Set when a bound could not be computed, and why. */
  readonly warning?: string;
}

/** Agreement among the human raters themselves: what a judge can hope to reach. */
export interface HumanCeiling {
  /** Most ratings on one item. */
  readonly raters: number;
  /** Items rated by at least two humans. */
  readonly items: number;
  /** Krippendorff's alpha among the humans (level as for the judge). */
  readonly alpha: number;
  /** Mean pairwise Cohen's kappa between rater positions (binary: unweighted; ordinal: quadratic). */
  readonly kappa?: number;
  /** Mean pairwise Spearman correlation between rater positions (ordinal, continuous). */
  readonly spearman?: number;
}

/** Result of {@link judgeAgreement}. */
export interface JudgeAgreementResult {
  readonly kind: JudgeKind;
  /** Items with both a judge score and at least one human rating. */
  readonly n: number;
  /** Independent units the intervals count: clusters of items (only with `options.clusters` of two or more items). */
  readonly clusters?: number;
  /** Share of items where the judge equals the human consensus (binary, ordinal). */
  readonly accuracy?: AgreementInterval;
  /** Judge's true positive rate (sensitivity) against the human consensus (binary). */
  readonly tpr?: AgreementInterval;
  /** Judge's true negative rate (specificity) against the human consensus (binary). */
  readonly tnr?: AgreementInterval;
  /** Cohen's kappa judge vs consensus (binary: unweighted; ordinal: quadratic weights). */
  readonly kappa?: AgreementInterval;
  /** Krippendorff's alpha judge vs consensus (binary: nominal; ordinal: ordinal; continuous: interval). */
  readonly alpha: AgreementInterval;
  /** Spearman's rho judge vs consensus (ordinal, continuous). */
  readonly spearman?: AgreementInterval;
  /** Present when some items have several human ratings. */
  readonly humanCeiling?: HumanCeiling;
}

type HumanEntry = number | null | readonly (number | null)[];

/** The judge's scores as a Float64Array, null and NaN kept as NaN (skipped items). */
function _checkJudge(value: unknown): Float64Array {
  if (!Array.isArray(value) && !(value instanceof Float64Array))
    throw new TypeError(`Expected \`judge\` to be an array of numbers, got ${_describe(value)}`);
  const arr = value as ArrayLike<unknown>;
  if (arr.length === 0)
    throw new RangeError(`Expected \`judge\` to have at least 1 element, got ${_describe(value)}`);
  const out = new Float64Array(arr.length);
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    if (v === null) out[i] = Number.NaN;
    else if (typeof v !== 'number')
      throw new TypeError(`Expected \`judge[${i}]\` to be a number or null, got ${_describe(v)}`);
    else if (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY)
      throw new RangeError(`Expected \`judge[${i}]\` to be finite or null, got ${_describe(v)}`);
    else out[i] = v;
  }
  return out;
}

function _ratings(entry: HumanEntry, i: number): number[] {
  const list = Array.isArray(entry) ? entry : [entry];
  const out: number[] = [];
  for (let r = 0; r < list.length; r++) {
    const v: unknown = list[r];
    if (v === null || (typeof v === 'number' && Number.isNaN(v))) continue;
    if (typeof v !== 'number')
      throw new TypeError(`Expected \`human[${i}]\` to hold numbers or null, got ${_describe(v)}`);
    if (!Number.isFinite(v))
      throw new RangeError(`Expected \`human[${i}]\` to be finite, got ${_describe(v)}`);
    out.push(v);
  }
  return out;
}

/** Consensus of several ratings: majority (binary, ties to 1), lower median (ordinal), mean (continuous). */
function _consensus(r: number[], kind: JudgeKind): number {
  if (r.length === 1) return r[0];
  if (kind === 'binary') {
    let ones = 0;
    for (const v of r) ones += v;
    return ones * 2 >= r.length ? 1 : 0;
  }
  if (kind === 'ordinal') {
    const s = [...r].sort((x, y) => x - y);
    return s[(s.length - 1) >> 1];
  }
  let sum = 0;
  for (const v of r) sum += v;
  return sum / r.length;
}

/**
 * Agreement of a judge's scores with human ratings on the same items, each statistic with an interval.
 *
 * Algorithm: each item's human reference is its rating, or the consensus of several (majority for binary, ties
 * counted as 1; lower median for ordinal; mean for continuous); items without a human rating are skipped.
 * Proportions (accuracy; for binary judges the true positive and true negative rates, i.e. sensitivity and
 * specificity against the humans) get exact Clopper–Pearson intervals. Cohen's kappa (quadratic weights for
 * ordinal scales), Krippendorff's alpha (nominal / ordinal / interval) and Spearman's rho get seeded BCa
 * bootstrap intervals over items ({@link bootstrapCI}, same seed, same interval). With several human ratings
 * per item, `humanCeiling` reports the humans' own agreement (alpha among them; mean pairwise kappa and Spearman
 * between rater positions): a judge agreeing with humans about as well as they agree with each other is as good
 * as the labels allow.
 *
 * With `clusters` (items that are not independent: the trials of one example, the items of one group), the
 * estimates stay over items and every interval counts clusters: the bootstrap resamples whole clusters (the same
 * seeded draws over clusters as over items, `method: 'cluster-bca'`), and a proportion's interval is
 * Clopper–Pearson on Korn and Graubard's effective sample size (`method: 'korn-graubard'`: p(1 - p) over the
 * cluster-robust variance of p, at most the items; when p is 0 or 1 the clusters with an item in the proportion's
 * denominator). Clusters of k identical items give exactly the numbers of one item each; clusters of one item each
 * are no clusters. The variance carries no small-sample factor C/(C - 1) over C clusters (R's survey::svyciprop,
 * `method = "beta"`, applies one) and n_eff no degrees-of-freedom adjustment: with few clusters the interval is
 * a little narrower than survey's (n_eff 20% larger at 6 clusters); without the factor, k identical copies give
 * exactly the interval of one copy. Checked against an independent Python implementation
 * (test/stats/fixtures/gen_clustered_agreement.py).
 *
 * @param judge - The judge's scores, one per item (finite numbers; 0/1 for binary); `null` or NaN for an item
 *   the judge did not score (skipped, like an item without a human rating).
 * @param human - Per item: a human score, `null` (unlabeled), or an array of several raters' scores (`null` for
 *   a missing rating).
 * @param options - `kind` (required), `confidence` (default 0.95), `seed` (default 'evalgate'), `resamples`
 *   (default 2000), `clusters` (default none: every item a unit).
 * @returns A frozen {@link JudgeAgreementResult}.
 * @throws TypeError for non-numeric scores, an unknown `kind` or a cluster label that is not a string, number or
 *   null; RangeError for unequal lengths (of `human` or `clusters`), fewer than 2
 *   items with both a judge score and a human rating, or binary scores other than 0/1.
 * @example
 * ```ts
 * const judge = [1, 1, 0, 1, 0, 0, 1, 1, 0, 1];
 * const human = [1, 1, 0, 0, 0, 0, 1, 1, 1, 1];
 * const r = judgeAgreement(judge, human, { kind: 'binary' });
 * r.accuracy?.estimate; // => 0.8
 * r.kappa?.estimate; // => 0.5833333333333333
 * ```
 *
 * References: J. Cohen (1960), doi:10.1177/001316446002000104; K. Krippendorff (2004),
 * doi:10.1111/j.1468-2958.2004.tb00738.x; C. J. Clopper, E. S. Pearson (1934), doi:10.1093/biomet/26.4.404;
 * B. Efron (1987), Better bootstrap confidence intervals, doi:10.1080/01621459.1987.10478410; E. L. Korn,
 * B. I. Graubard (1998), Confidence intervals for proportions with small expected number of positive counts
 * estimated from survey data, Survey Methodology 24(2):193-201; L. Zheng et al.
 * (2023), Judging LLM-as-a-judge with MT-Bench and Chatbot Arena, doi:10.48550/arXiv.2306.05685.
 */
export function judgeAgreement(
  judge: readonly (number | null)[] | Float64Array,
  human: readonly HumanEntry[],
  options: JudgeAgreementOptions,
): JudgeAgreementResult {
  _checkOptions('judgeAgreement', options, JUDGE_AGREEMENT_KEYS);
  if (options === undefined)
    throw new TypeError('Expected `options` to be an options object with `kind`, got undefined');
  const kind = _checkChoice('kind', options.kind, ['binary', 'ordinal', 'continuous'] as const);
  const confidence =
    options.confidence === undefined ? 0.95 : _checkNumberInRange('confidence', options.confidence, 0, 1);
  const resamples =
    options.resamples === undefined ? 2000 : _checkInteger('resamples', options.resamples, 100);
  const seed = options.seed ?? 'evalgate';
  const j = _checkJudge(judge);
  const clusterOf = _checkClusters(options.clusters, j.length);
  if (!Array.isArray(human))
    throw new TypeError(
      `Expected \`human\` to be an array of numbers, nulls or arrays, got ${_describe(human)}`,
    );
  if (human.length !== j.length)
    throw new RangeError(
      `Expected \`human\` to have the same length as \`judge\` (${j.length}), got ${_describe(human)}`,
    );
  const js: number[] = [];
  const hs: number[] = [];
  const all: number[][] = [];
  const cs: (string | number | null)[] = [];
  let raters = 0;
  for (let i = 0; i < j.length; i++) {
    const r = _ratings(human[i], i);
    if (r.length === 0 || Number.isNaN(j[i])) continue;
    cs.push(clusterOf?.[i] ?? null);
    if (kind === 'binary') {
      if (j[i] !== 0 && j[i] !== 1)
        throw new RangeError(`Expected \`judge[${i}]\` to be 0 or 1, got ${_describe(j[i])}`);
      for (const v of r)
        if (v !== 0 && v !== 1)
          throw new RangeError(`Expected \`human[${i}]\` to be 0 or 1, got ${_describe(v)}`);
    }
    js.push(j[i]);
    hs.push(_consensus(r, kind));
    all.push(
      Array.isArray(human[i]) ? (human[i] as (number | null)[]).map((v) => (v === null ? Number.NaN : v)) : r,
    );
    raters = Math.max(raters, r.length);
  }
  const n = js.length;
  if (n < 2) throw new RangeError(`Expected at least 2 items with a human rating, got ${n}`);
  const J = Float64Array.from(js);
  const H = Float64Array.from(hs);
  const level: MeasurementLevel = kind === 'binary' ? 'nominal' : kind === 'ordinal' ? 'ordinal' : 'interval';
  const domain = [...new Set([...js, ...hs])].sort((x, y) => x - y);
  const index = new Map<number, number>();
  for (const [i, v] of domain.entries()) index.set(v, i);
  const matrix = [js, hs];
  const idx = Float64Array.from({ length: n }, (_, i) => i);
  // Dense cluster ids (a null item its own cluster); undefined when every cluster is one item: rows independent.
  const units = _denseClusters(cs);
  const boot = (stat: (sub: Float64Array) => number): AgreementInterval => {
    const r = bootstrapCI(idx, {
      statistic: stat,
      resamples,
      confidence,
      seed,
      ...(units === undefined ? {} : { groups: Array.from(units.id) }),
    });
    return Object.freeze({
      estimate: r.estimate,
      low: r.low,
      high: r.high,
      level: confidence,
      method: units === undefined ? ('bca' as const) : ('cluster-bca' as const),
      ...(r.warning === undefined ? {} : { warning: r.warning }),
    });
  };
  // `agree[i]` whether item i counts as a success, `keep[i]` whether it is in the proportion's denominator.
  const proportion = (agree: (i: number) => boolean, keep: (i: number) => boolean): AgreementInterval => {
    let k = 0;
    let m = 0;
    for (let i = 0; i < n; i++)
      if (keep(i)) {
        m++;
        if (agree(i)) k++;
      }
    if (units === undefined || m === 0) return exact(k, m);
    const eff = _effectiveCounts(units, k, m, agree, keep);
    const [low, high] = _clopperPearson(eff.successes, eff.n, confidence);
    return Object.freeze({ estimate: k / m, low, high, level: confidence, method: 'korn-graubard' as const });
  };
  const exact = (k: number, m: number): AgreementInterval => {
    const [low, high] = _clopperPearson(k, m, confidence);
    return Object.freeze({
      estimate: m === 0 ? Number.NaN : k / m,
      low,
      high,
      level: confidence,
      method: 'clopper-pearson' as const,
      ...(m === 0 ? { warning: 'No items in this class.' } : {}),
    });
  };
  const out: { -readonly [K in keyof JudgeAgreementResult]: JudgeAgreementResult[K] } = {
    kind,
    n,
    ...(units === undefined ? {} : { clusters: units.count }),
    alpha:
      domain.length < 2
        ? Object.freeze({
            estimate: Number.NaN,
            low: Number.NaN,
            high: Number.NaN,
            level: confidence,
            method: 'bca' as const,
            warning: 'Judge and humans used a single value: alpha is undefined.',
          })
        : boot((sub) => _alphaFromMatrix(matrix, domain, index, level, sub).alpha),
  };
  if (kind !== 'continuous') {
    out.accuracy = proportion(
      (i) => J[i] === H[i],
      () => true,
    );
    const k = domain.length;
    const weights = kind === 'ordinal' ? ('quadratic' as const) : undefined;
    const ji = Int32Array.from(js, (v) => index.get(v) as number);
    const hi = Int32Array.from(hs, (v) => index.get(v) as number);
    const conf = new Float64Array(k * k);
    // Kappa does not change when every count is divided by the same number. Counting in units of the clusters'
    // common size makes the arithmetic, not only the value, that of one copy: k identical trials of each example
    // give exactly the kappa, and interval, of one trial.
    const scale = units === undefined ? 1 : units.commonSize;
    out.kappa = boot((sub) => {
      conf.fill(0);
      for (let t = 0; t < sub.length; t++) conf[hi[sub[t]] * k + ji[sub[t]]]++;
      if (scale !== 1) for (let c = 0; c < conf.length; c++) conf[c] /= scale;
      return _kappaFromConfusion(conf, k, weights);
    });
  }
  if (kind === 'binary') {
    out.tpr = proportion(
      (i) => J[i] === 1,
      (i) => H[i] === 1,
    );
    out.tnr = proportion(
      (i) => J[i] === 0,
      (i) => H[i] !== 1,
    );
  } else {
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    out.spearman = boot((sub) => {
      const m = sub.length;
      const x = m === n ? a : new Float64Array(m);
      const y = m === n ? b : new Float64Array(m);
      for (let t = 0; t < m; t++) {
        x[t] = J[sub[t]];
        y[t] = H[sub[t]];
      }
      return _pearson(_averageRanks(x), _averageRanks(y));
    });
  }
  if (raters >= 2) out.humanCeiling = _ceiling(all, raters, kind, level);
  return Object.freeze(out);
}

function _checkClusters(value: unknown, n: number): readonly (string | number | null)[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value))
    throw new TypeError(`Expected \`clusters\` to be an array of labels, got ${_describe(value)}`);
  if (value.length !== n)
    throw new RangeError(
      `Expected \`clusters\` to have the same length as \`judge\` (${n}), got ${_describe(value)}`,
    );
  for (let i = 0; i < n; i++) {
    const c: unknown = value[i];
    if (c !== null && typeof c !== 'string' && typeof c !== 'number')
      throw new TypeError(
        `Expected \`clusters[${i}]\` to be a string, a number or null, got ${_describe(c)}`,
      );
  }
  return value as readonly (string | number | null)[];
}

interface _Units {
  /** Dense cluster id of each item, in order of first appearance (a null item is its own cluster). */
  readonly id: Int32Array;
  readonly count: number;
  /** Greatest common divisor of the cluster sizes (k for k trials of every example). */
  readonly commonSize: number;
}

/** Clusters of the kept items; undefined when no cluster holds two items (then the items are the units). */
function _denseClusters(cs: readonly (string | number | null)[]): _Units | undefined {
  const id = new Int32Array(cs.length);
  const label = new Map<string | number, number>();
  const sizes: number[] = [];
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i];
    let g = c === null ? undefined : label.get(c);
    if (g === undefined) {
      g = sizes.length;
      sizes.push(0);
      if (c !== null) label.set(c, g);
    }
    sizes[g]++;
    id[i] = g;
  }
  if (sizes.length === cs.length) return undefined;
  return {
    id,
    count: sizes.length,
    commonSize: Number(sizes.reduce((g, size) => _gcd(g, BigInt(size)), 0n)),
  };
}

/**
 * Korn and Graubard's effective counts of one proportion (see `_kornGraubardCounts`): the successes and items of
 * each cluster, `agree` of the items `keep` takes; `A` and `M` are the proportion's totals.
 */
function _effectiveCounts(
  units: _Units,
  A: number,
  M: number,
  agree: (i: number) => boolean,
  keep: (i: number) => boolean,
): { readonly successes: number; readonly n: number } {
  const y = new Array<number>(units.count).fill(0);
  const m = new Array<number>(units.count).fill(0);
  for (let i = 0; i < units.id.length; i++) {
    if (!keep(i)) continue;
    m[units.id[i]]++;
    if (agree(i)) y[units.id[i]]++;
  }
  return _kornGraubardCounts(y, m, A, M);
}

function _ceiling(all: number[][], raters: number, kind: JudgeKind, level: MeasurementLevel): HumanCeiling {
  // rows = rater positions, columns = items, NaN where missing
  const matrix: number[][] = Array.from({ length: raters }, () =>
    new Array<number>(all.length).fill(Number.NaN),
  );
  let items = 0;
  for (let u = 0; u < all.length; u++) {
    let m = 0;
    for (let r = 0; r < all[u].length; r++) {
      matrix[r][u] = all[u][r];
      if (!Number.isNaN(all[u][r])) m++;
    }
    if (m >= 2) items++;
  }
  const values = [...new Set(matrix.flat().filter((v) => !Number.isNaN(v)))].sort((x, y) => x - y);
  const index = new Map<number, number>();
  for (const [i, v] of values.entries()) index.set(v, i);
  const alpha =
    values.length < 2 || items === 0 ? Number.NaN : _alphaFromMatrix(matrix, values, index, level).alpha;
  let kappaSum = 0;
  let kappaCount = 0;
  let rhoSum = 0;
  let rhoCount = 0;
  for (let r1 = 0; r1 < raters; r1++)
    for (let r2 = r1 + 1; r2 < raters; r2++) {
      const x: number[] = [];
      const y: number[] = [];
      for (let u = 0; u < all.length; u++) {
        const a = matrix[r1][u];
        const b = matrix[r2][u];
        if (!Number.isNaN(a) && !Number.isNaN(b)) {
          x.push(a);
          y.push(b);
        }
      }
      if (x.length < 2) continue;
      if (kind !== 'continuous') {
        const k = values.length;
        const conf = new Float64Array(k * k);
        for (let t = 0; t < x.length; t++)
          conf[(index.get(x[t]) as number) * k + (index.get(y[t]) as number)]++;
        const kap = _kappaFromConfusion(conf, k, kind === 'ordinal' ? 'quadratic' : undefined);
        if (!Number.isNaN(kap)) {
          kappaSum += kap;
          kappaCount++;
        }
      }
      if (kind !== 'binary') {
        const rho = _pearson(_averageRanks(x), _averageRanks(y));
        if (!Number.isNaN(rho)) {
          rhoSum += rho;
          rhoCount++;
        }
      }
    }
  return Object.freeze({
    raters,
    items,
    alpha,
    ...(kind !== 'continuous' ? { kappa: kappaCount ? kappaSum / kappaCount : Number.NaN } : {}),
    ...(kind !== 'binary' ? { spearman: rhoCount ? rhoSum / rhoCount : Number.NaN } : {}),
  });
}
