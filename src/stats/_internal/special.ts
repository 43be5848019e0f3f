/**
 * Special functions and distribution tails used by the statistical tests.
 *
 * Why not jstat: measured against scipy 1.17.1, jstat's normal cdf underflows to 0 below z = -8.3
 * (scipy: 6.1e-17 at z = -8.3, 7.6e-24 at z = -10), its erfc returns 0 at 6 (true 2.15e-17), its Student t cdf
 * is off by 3e-12 relative at t = -3, df = 9, its chi-square sf returns 0 for x = 90 (true 2.38e-21), its
 * binomial cdf rounds to 10 decimals, and its log-gamma is off by 4e-14 relative. evalgate promises p-values
 * to ~1e-12 relative, deep tails included, so this file computes every tail directly:
 * - erfc from a Taylor series near 0 and a continued fraction in the tail, with exp(-x^2) split so that x^2 is
 *   not rounded (the rounding of x^2 near x = 27 would otherwise cost 1e-13 relative);
 * - log-gamma and log-beta with Stirling-series corrections, so that lbeta(a, b) for large a does not suffer
 *   the cancellation of lgamma(a) - lgamma(a + b);
 * - the regularized incomplete beta by its continued fraction (evaluated on the side where it converges and
 *   returning both tails, so that neither is obtained by a cancelling 1 - x);
 * - binomial pmf by Loader's saddle-point formula (deviance bd0 + Stirling errors).
 * jstat is used only for starting values of the Newton refinements of quantiles.
 *
 * References: W. J. Cody (1969), doi:10.1090/S0025-5718-1969-0247736-4 (erfc splitting of exp(-x^2));
 * A. R. DiDonato and A. H. Morris (1992), doi:10.1145/131766.131776 (incomplete beta continued fraction);
 * C. Loader (2000), "Fast and accurate computation of binomial probabilities" (bd0, stirlerr).
 * @module
 */
import jStat from 'jstat';

const SQRT_PI = 1.7724538509055159;
const LN_SQRT_2PI = 0.9189385332046728; // 0.5 * ln(2 pi)
const SQRT1_2 = Math.SQRT1_2;
const SQRT_2PI = 2.5066282746310002;
const EPS = 2.220446049250313e-16;
const TINY = 1e-300;

/** exp(-x^2) without the rounding error of x*x: split x into a 12-bit head and a tail (Cody 1969). */
function _expMinusSquare(x: number): number {
  const hi = Math.floor(x * 4096) / 4096;
  const lo = x - hi;
  // x^2 = hi^2 + lo*(x + hi); hi^2 is exact in double precision.
  return Math.exp(-hi * hi) * Math.exp(-lo * (x + hi));
}

/** Complementary error function, relative accuracy ~1e-15 over the whole range. */
export function _erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 2 - _erfc(-x);
  if (x < 0.5) {
    // erf by its Maclaurin series: alternating but |x| < 0.5 keeps the terms shrinking by >4x, no cancellation.
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 60; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < EPS * Math.abs(sum)) break;
    }
    return 1 - (2 / SQRT_PI) * sum;
  }
  if (x > 27.3) return 0; // below the smallest subnormal
  if (x < 0.8) {
    // erf(x) = 2/sqrt(pi) e^{-x^2} sum_n (2x^2)^n x / (1*3*...*(2n+1)): positive terms. erfc = 1 - erf loses at
    // most a factor erf/erfc < 3 here. Past 0.8 the continued fraction converges in < 300 steps and is used.
    const x2 = 2 * x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 300; n++) {
      term *= x2 / (2 * n + 1);
      sum += term;
      if (term < EPS * sum * 0.25) break;
    }
    return 1 - (2 / SQRT_PI) * _expMinusSquare(x) * sum;
  }
  // Continued fraction erfc(x) = e^{-x^2}/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), by modified Lentz.
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 5000; k++) {
    const a = k / 2;
    d = x + a * d;
    d = d === 0 ? TINY : 1 / d;
    c = x + a / c;
    if (c === 0) c = TINY;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return _expMinusSquare(x) / (SQRT_PI * f);
}

/** Error function, accurate relative to its value near 0 (where 1 - erfc would cancel). */
export function _erf(x: number): number {
  if (Math.abs(x) >= 0.5) return 1 - _erfc(x);
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 60; n++) {
    term *= -x2 / n;
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < EPS * Math.abs(sum)) break;
  }
  return (2 / SQRT_PI) * sum;
}

/** Standard normal density. */
export function _normPdf(z: number): number {
  return _expMinusSquare(Math.abs(z) * SQRT1_2) / SQRT_2PI;
}

/** Standard normal lower tail Phi(z). */
export function _normCdf(z: number): number {
  return 0.5 * _erfc(-z * SQRT1_2);
}

/** Standard normal upper tail 1 - Phi(z), computed directly (no cancellation). */
export function _normSf(z: number): number {
  return 0.5 * _erfc(z * SQRT1_2);
}

/**
 * Standard normal quantile Phi^-1(p) (scipy.special.ndtri). jstat's value (~1e-9) or an asymptotic expansion
 * starts Halley's iteration on the accurate cdf; for p > 0.5 the exact 1 - p is mirrored.
 */
export function _normPpf(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p === 0.5) return 0;
  if (p > 0.5) return -_normPpf(1 - p); // 1 - p is exact for p in [0.5, 1] (Sterbenz)
  if (p > 0.3) {
    // Near the centre solve erf(z/sqrt2)/2 = p - 1/2 (exact difference) so that z keeps full relative precision.
    const target = p - 0.5;
    let z = jStat.normal.inv(p, 0, 1);
    for (let i = 0; i < 60; i++) {
      const step = (0.5 * _erf(z * SQRT1_2) - target) / _normPdf(z);
      z -= step;
      if (Math.abs(step) <= 1e-16 * Math.abs(z)) break;
    }
    return z;
  }
  let z: number;
  if (p > 1e-12) z = jStat.normal.inv(p, 0, 1);
  else {
    const t = -2 * Math.log(p);
    z = -Math.sqrt(t - Math.log(t) - Math.log(2 * Math.PI));
  }
  for (let i = 0; i < 60; i++) {
    const cdf = _normCdf(z);
    const pdf = _normPdf(z);
    if (pdf === 0) break;
    const r = (cdf - p) / pdf;
    const step = r / (1 + (z * r) / 2);
    z -= step;
    if (Math.abs(step) <= 1e-16 * Math.abs(z)) break;
  }
  return z;
}

/** ln Gamma(x) - [(x - 1/2) ln x - x + ln sqrt(2 pi)] for x >= 10 (Stirling series, error < 1e-17). */
function _stirlingCorrection(x: number): number {
  const r = 1 / x;
  const r2 = r * r;
  return (
    r * (1 / 12 - r2 * (1 / 360 - r2 * (1 / 1260 - r2 * (1 / 1680 - r2 * (1 / 1188 - (r2 * 691) / 360360)))))
  );
}

/** ln Gamma(x) for x > 0: Stirling series at x >= 10, upward recurrence below (absolute error ~4e-15). */
export function _lgamma(x: number): number {
  if (Number.isNaN(x) || x <= 0) return Number.NaN;
  if (x >= 10) return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + _stirlingCorrection(x);
  let prod = 1;
  let y = x;
  while (y < 10) {
    prod *= y;
    y += 1;
  }
  return (y - 0.5) * Math.log(y) - y + LN_SQRT_2PI + _stirlingCorrection(y) - Math.log(prod);
}

/** The Stirling correction delta(x) = lgamma(x) - Stirling main terms, for any x > 0. */
function _delta(x: number): number {
  if (x >= 10) return _stirlingCorrection(x);
  return _lgamma(x) - ((x - 0.5) * Math.log(x) - x + LN_SQRT_2PI);
}

/** ln B(a, b), arranged so that large arguments do not cancel (the lgamma differences are taken analytically). */
export function _lbeta(a: number, b: number): number {
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  if (p >= 10) {
    const corr = _delta(p) + _delta(q) - _delta(p + q);
    return (
      -0.5 * Math.log(q) +
      LN_SQRT_2PI +
      corr +
      (p - 0.5) * Math.log(p / (p + q)) +
      q * Math.log1p(-p / (p + q))
    );
  }
  if (q >= 10) {
    const corr = _delta(q) - _delta(p + q);
    return _lgamma(p) + corr + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-p / (p + q));
  }
  return _lgamma(p) + _lgamma(q) - _lgamma(p + q);
}

/** Continued fraction for I_x(a, b) (valid and fast when x < (a + 1)/(a + b + 2)); returns the CF value only. */
function _betaCf(x: number, y: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  // 1 - (a + b) x/(a + 1) written with y = 1 - x: for large a and x near 1 the direct form cancels (it cost
  // 3e-12 relative in the t tail at df = 1e6).
  let d = (1 - b + qab * y) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 100000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/**
 * Regularized incomplete beta: returns `[I_x(a, b), 1 - I_x(a, b)]`, each computed without cancellation where it is
 * small. `y` must be `1 - x` computed accurately by the caller (e.g. t^2/(df + t^2) rather than 1 - df/(df + t^2)).
 */
export function _betaIncBoth(x: number, y: number, a: number, b: number): [number, number] {
  if (x <= 0) return [0, 1];
  if (y <= 0) return [1, 0];
  const lnx = x < 0.5 ? Math.log(x) : Math.log1p(-y);
  const lny = y < 0.5 ? Math.log(y) : Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) {
    const front = Math.exp(a * lnx + b * lny - _lbeta(a, b)) / a;
    const lower = front * _betaCf(x, y, a, b);
    return [lower, 1 - lower];
  }
  const front = Math.exp(a * lnx + b * lny - _lbeta(a, b)) / b;
  const upper = front * _betaCf(y, x, b, a);
  return [1 - upper, upper];
}

/**
 * Student t upper tail P(T > t) with `df` degrees of freedom. Relative error vs mpmath: < 1e-14 up to df = 1e4;
 * beyond, the continued fraction (x near 1, a = df/2 huge) cancels in its first steps and the error grows like
 * 3e-18 df (7e-13 at df = 1e5, 3e-12 at 1e6, 3e-11 at 1e7): still far inside 1e-9 for any realistic n.
 */
export function _tSf(t: number, df: number): number {
  if (Number.isNaN(t) || Number.isNaN(df)) return Number.NaN;
  if (t === Number.POSITIVE_INFINITY) return 0;
  if (t === Number.NEGATIVE_INFINITY) return 1;
  const t2 = t * t;
  if (!Number.isFinite(t2)) return t > 0 ? 0 : 1;
  // x = df/(df + t^2): P(|T| > |t|) = I_x(df/2, 1/2).
  const s = df + t2;
  const [lower, upper] = _betaIncBoth(df / s, t2 / s, df / 2, 0.5);
  return t >= 0 ? 0.5 * lower : 0.5 + 0.5 * upper;
}

/** Student t lower tail P(T <= t). */
export function _tCdf(t: number, df: number): number {
  return _tSf(-t, df);
}

/** Student t density. */
export function _tPdf(t: number, df: number): number {
  return Math.exp(-((df + 1) / 2) * Math.log1p((t * t) / df) - 0.5 * Math.log(df) - _lbeta(df / 2, 0.5));
}

/**
 * Student t quantile (scipy.special.stdtrit): Newton's method on ln P(T > u) for the upper tail, started from
 * jstat's quantile (or the normal one), which converges quadratically even far in the heavy tail.
 */
export function _tPpf(p: number, df: number): number {
  if (Number.isNaN(p) || Number.isNaN(df) || p < 0 || p > 1 || df <= 0) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p === 0.5) return 0;
  // Solve P(T > u) = q with u > 0 for the smaller tail q; 1 - p is exact for p in [0.5, 1] (Sterbenz).
  const q = p < 0.5 ? p : 1 - p;
  const sign = p < 0.5 ? -1 : 1;
  let u = jStat.studentt.inv(1 - q, df);
  if (!Number.isFinite(u) || u <= 0 || u > 1e6) u = Math.max(-_normPpf(q), 1e-3);
  const lnq = Math.log(q);
  for (let i = 0; i < 200; i++) {
    const sf = _tSf(u, df);
    const pdf = _tPdf(u, df);
    if (sf === 0 || pdf === 0) {
      u /= 2;
      continue;
    }
    let step = ((Math.log(sf) - lnq) * sf) / pdf;
    if (u + step <= 0) step = -u / 2;
    u += step;
    if (Math.abs(step) <= 4e-16 * u) break;
  }
  return sign * u;
}

/** Chi-square upper tail with one degree of freedom: P(Z^2 > x) = erfc(sqrt(x/2)). */
export function _chi2Sf1(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 1;
  return _erfc(Math.sqrt(x / 2));
}

/**
 * Sum of C(n, i) for i = 0..k, exact in double precision for n <= 48 (C(n, i) * i < 2^53 and every partial sum too), used for
 * the fair-coin binomial that McNemar's exact test needs: small tables then get exactly rounded p-values.
 */
function _binomCoefSum(k: number, n: number): number {
  if (k < 0) return 0;
  let c = 1;
  let s = 1;
  for (let i = 1; i <= k; i++) {
    c = (c * (n - i + 1)) / i; // exact for n <= 48: c * (n - i + 1) = C(n, i) * i < 2^53
    s += c;
  }
  return s;
}

/** Binomial lower tail P(X <= k) for X ~ Bin(n, p): exact sums for p = 1/2 and n <= 48, else I_{1-p}(n - k, k + 1). */
export function _binomCdf(k: number, n: number, p: number): number {
  k = Math.floor(k);
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (p === 0) return 1;
  if (p === 1) return 0;
  if (p === 0.5 && n <= 48) return _binomCoefSum(k, n) / 2 ** n;
  return _betaIncBoth(1 - p, p, n - k, k + 1)[0];
}

/** Binomial upper tail P(X > k). */
export function _binomSf(k: number, n: number, p: number): number {
  k = Math.floor(k);
  if (k < 0) return 1;
  if (k >= n) return 0;
  if (p === 0) return 0;
  if (p === 1) return 1;
  return _betaIncBoth(1 - p, p, n - k, k + 1)[1];
}

/** Stirling error ln(n!) - ln(sqrt(2 pi n) (n/e)^n), which equals delta(n) = lgamma(n) - Stirling main terms. */
function _stirlerr(n: number): number {
  return _delta(n);
}

/** Deviance term x ln(x/np) + np - x, by a series when x is close to np (Loader 2000). */
function _bd0(x: number, np: number): number {
  if (Math.abs(x - np) < 0.1 * (x + np)) {
    const v = (x - np) / (x + np);
    let s = (x - np) * v;
    let ej = 2 * x * v;
    const v2 = v * v;
    for (let j = 1; j < 1000; j++) {
      ej *= v2;
      const s1 = s + ej / (2 * j + 1);
      if (s1 === s) return s1;
      s = s1;
    }
    return s;
  }
  return x * Math.log(x / np) + np - x;
}

/** Binomial probability P(X = k), X ~ Bin(n, p), by Loader's saddle-point expansion (relative error ~1e-15). */
export function _binomPmf(k: number, n: number, p: number): number {
  if (k < 0 || k > n || !Number.isInteger(k)) return 0;
  if (p === 0.5 && n <= 48) return (_binomCoefSum(k, n) - _binomCoefSum(k - 1, n)) / 2 ** n;
  const q = 1 - p;
  if (p === 0) return k === 0 ? 1 : 0;
  if (q === 0) return k === n ? 1 : 0;
  if (k === 0) return Math.exp(n * Math.log1p(-p));
  if (k === n) return Math.exp(n * Math.log(p));
  const lc = _stirlerr(n) - _stirlerr(k) - _stirlerr(n - k) - _bd0(k, n * p) - _bd0(n - k, n * q);
  const lf = Math.log(2 * Math.PI) + Math.log(k) + Math.log1p(-k / n);
  return Math.exp(lc - 0.5 * lf);
}
