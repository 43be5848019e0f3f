/**
 * One side of the PrPl-EB confidence sequence: the lower bound for the mean of observations in [0, 1], updated in
 * O(1) per observation. The upper bound of a two-sided sequence is 1 minus this lower bound run on 1 - x.
 *
 * Reference: confseq (gostevehoward/confseq at commit 70b1ef30aef08ad459815ea87fc25248f8b15178, numpy 2.4.6),
 * `predmix_lower_cs` and `predmix_empbern_lower_cs` in src/confseq/predmix.py with `lambda_predmix_eb` in
 * src/confseq/betting_strategies.py, at the defaults `predmix_empbern_twosided_cs` passes: truncation 1/2,
 * fixed_n None, prior mean 1/2, prior variance 1/4, one pseudo observation, unregularized predictable mean
 * starting at 0 in the variance increment. The sums are sequential (numpy's cumsum is a left-to-right
 * accumulate) and every expression keeps the reference's order of operations, so the two agree to a few ulps of
 * the sums involved, not only to the 1e-9 the tests ask.
 * @module
 */

/** Running sums of one side. Mutable: owned by one confidence sequence. */
export interface _PrplEbSide {
  /** Number of observations so far (t - 1 while computing step t). */
  t: number;
  /** Sum of the observations. */
  sum: number;
  /** Sum of (x_i - regularized mean after i)^2: the numerator of the regularized variance. */
  sumSq: number;
  /** Sum of lambda_i (x_i + Z*_i): numerator of the weighted mean. */
  numer: number;
  /** Sum of lambda_i (1 + W*_i): denominator of the weighted mean and of the margin. */
  denom: number;
  /** Sum of v_i psi(lambda_i): the variance part of the margin. */
  penalty: number;
}

/** A side with no observation. */
export function _createSide(): _PrplEbSide {
  return { t: 0, sum: 0, sumSq: 0, numer: 0, denom: 0, penalty: 0 };
}

/**
 * Adds observation `x` (in [0, 1]) and returns the new lower bound l_t = max(0, mu_hat_t - margin_t), before any
 * running intersection.
 *
 * @param logInvAlpha - ln(1/alpha) for this side (alpha/2 of the two-sided level).
 * @param population - Finite population size N for sampling without replacement, or 0 for none. Requires t <= N.
 */
export function _pushSide(side: _PrplEbSide, x: number, logInvAlpha: number, population: number): number {
  const t = side.t + 1;
  // Bet lambda_t: predictable, from the regularized variance after t - 1 observations (prior 1/4, one pseudo obs).
  const sigma2Prev = t === 1 ? 0.25 : (0.25 + side.sumSq) / t;
  let lambda = Math.sqrt((2 * logInvAlpha) / (t * Math.log(1 + t) * sigma2Prev));
  if (Number.isNaN(lambda)) lambda = 0;
  lambda = Math.min(0.5, lambda);
  // Variance increment v_t = (x_t - mean of the first t - 1)^2, that mean taken as 0 before any observation.
  const meanPrev = t === 1 ? 0 : side.sum / (t - 1);
  const d = x - meanPrev;
  const v = d * d;
  // psi_E(lambda) = -ln(1 - lambda) - lambda, written as the reference writes it (lambda <= 1/2: no trap).
  const psi = -Math.log(1 - lambda) - lambda;
  // Without replacement: the mean of the values not yet drawn is (N mu - S_{t-1}) / (N - t + 1); Z* and W* fold
  // that into the weighted mean (Waudby-Smith & Ramdas 2024, section on sampling without replacement).
  let zStar = 0;
  let wStar = 0;
  if (population > 0) {
    const left = population - t + 1;
    zStar = side.sum / left;
    wStar = (t - 1) / left;
  }
  side.numer += lambda * (x + zStar);
  side.denom += lambda * (1 + wStar);
  side.penalty += v * psi;
  // Regularized mean and variance after t observations, for the next bet.
  side.sum += x;
  const muReg = Math.min((0.5 + side.sum) / (t + 1), 1);
  const e = x - muReg;
  side.sumSq += e * e;
  side.t = t;
  const margin = (logInvAlpha + side.penalty) / side.denom;
  const lower = side.numer / side.denom - margin;
  return Math.max(lower, 0);
}
