/**
 * Seeded randomness for the bootstrap.
 *
 * All randomness comes from `seedrandom`'s Alea generator (Baagøe's multiply-with-carry, period ~2^116, passes
 * BigCrush). One Alea stream is a serial chain of a float multiply, a truncation and a subtraction, which caps it
 * at ~5 ns per draw in V8 whatever the call overhead. The resampling hot loops therefore run FOUR independent Alea
 * streams, interleaved draw by draw so the CPU overlaps their latencies (~1.5 ns per draw). Each stream is seeded
 * by `seedrandom.alea(`${seed}/${k}`)`; its state is read once through seedrandom's `state()` and advanced in the
 * hot loops with the same recurrence, so stream k is bit-for-bit `seedrandom.alea(`${seed}/${k}`)()`
 * (test/stats/rng.test.ts checks this).
 *
 * Indices are `floor(u * n)` with u an Alea output in [0, 1) carrying 32 random bits: the bias for n <= 2^20 is
 * below 2^-12 per cell relative, far under bootstrap Monte Carlo error.
 * @module
 */
import seedrandom from 'seedrandom';

/** 2^-32. */
const TWO_M32 = 2.3283064365386963e-10;
const ALEA_MULT = 2091639;

/** Four interleaved Alea states: [c, s0, s1, s2] per stream, in one Float64Array. */
export interface _Rng {
  readonly state: Float64Array;
  /** Which stream `uniform()` draws from next (round robin). */
  turn: number;
}

/** Creates the four seeded streams. `seed` may be any string or number (converted with String()). */
export function _createRng(seed: string | number): _Rng {
  const state = new Float64Array(16);
  for (let k = 0; k < 4; k++) {
    const st = seedrandom.alea(`${String(seed)}/${k}`, { state: true }).state();
    state[4 * k] = st.c;
    state[4 * k + 1] = st.s0;
    state[4 * k + 2] = st.s1;
    state[4 * k + 3] = st.s2;
  }
  return { state, turn: 0 };
}

/** One uniform draw in [0, 1) (streams taken round robin). For the non-hot paths (binomial sampling). */
export function _uniform(rng: _Rng): number {
  const st = rng.state;
  const o = 4 * rng.turn;
  rng.turn = (rng.turn + 1) & 3;
  const t = ALEA_MULT * st[o + 1] + st[o] * TWO_M32;
  st[o + 1] = st[o + 2];
  st[o + 2] = st[o + 3];
  st[o] = t | 0;
  st[o + 3] = t - st[o];
  return st[o + 3];
}

/**
 * Sum of `m` values drawn with replacement from `x` (one bootstrap resample of a mean, without materializing it).
 * The four streams advance in lock step; when m is not a multiple of 4 the spare draws are discarded.
 */
export function _resampleSum(rng: _Rng, x: Float64Array, m: number): number {
  const st = rng.state;
  let c0 = st[0];
  let a0 = st[1];
  let b0 = st[2];
  let d0 = st[3];
  let c1 = st[4];
  let a1 = st[5];
  let b1 = st[6];
  let d1 = st[7];
  let c2 = st[8];
  let a2 = st[9];
  let b2 = st[10];
  let d2 = st[11];
  let c3 = st[12];
  let a3 = st[13];
  let b3 = st[14];
  let d3 = st[15];
  const n = x.length;
  // Four accumulators, no branch in the loop (a branch there costs 3x in V8); the m mod 4 tail is drawn after.
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const end = m - (m & 3);
  for (let i = 0; i < end; i += 4) {
    let t = ALEA_MULT * a0 + c0 * TWO_M32;
    a0 = b0;
    b0 = d0;
    c0 = t | 0;
    d0 = t - c0;
    t = ALEA_MULT * a1 + c1 * TWO_M32;
    a1 = b1;
    b1 = d1;
    c1 = t | 0;
    d1 = t - c1;
    t = ALEA_MULT * a2 + c2 * TWO_M32;
    a2 = b2;
    b2 = d2;
    c2 = t | 0;
    d2 = t - c2;
    t = ALEA_MULT * a3 + c3 * TWO_M32;
    a3 = b3;
    b3 = d3;
    c3 = t | 0;
    d3 = t - c3;
    s0 += x[(d0 * n) | 0];
    s1 += x[(d1 * n) | 0];
    s2 += x[(d2 * n) | 0];
    s3 += x[(d3 * n) | 0];
  }
  if (end < m) {
    // One more block of four draws; the spare ones are discarded.
    let t = ALEA_MULT * a0 + c0 * TWO_M32;
    a0 = b0;
    b0 = d0;
    c0 = t | 0;
    d0 = t - c0;
    t = ALEA_MULT * a1 + c1 * TWO_M32;
    a1 = b1;
    b1 = d1;
    c1 = t | 0;
    d1 = t - c1;
    t = ALEA_MULT * a2 + c2 * TWO_M32;
    a2 = b2;
    b2 = d2;
    c2 = t | 0;
    d2 = t - c2;
    t = ALEA_MULT * a3 + c3 * TWO_M32;
    a3 = b3;
    b3 = d3;
    c3 = t | 0;
    d3 = t - c3;
    const left = m - end;
    s0 += x[(d0 * n) | 0];
    if (left > 1) s1 += x[(d1 * n) | 0];
    if (left > 2) s2 += x[(d2 * n) | 0];
  }
  st[0] = c0;
  st[1] = a0;
  st[2] = b0;
  st[3] = d0;
  st[4] = c1;
  st[5] = a1;
  st[6] = b1;
  st[7] = d1;
  st[8] = c2;
  st[9] = a2;
  st[10] = b2;
  st[11] = d2;
  st[12] = c3;
  st[13] = a3;
  st[14] = b3;
  st[15] = d3;
  return s0 + s1 + (s2 + s3);
}

let warmed = false;

/**
 * Runs the resampling loops a few hundred times on a scratch generator so that V8 optimizes them as whole
 * functions with type feedback for every branch. Without it, the first long calls run in on-stack-replaced code
 * that deoptimizes at the never-yet-executed tail test, costing 2-4x on the first few thousand resamples.
 * Invisible to results: the scratch generator is not the caller's.
 */
export function _warmResampling(): void {
  if (warmed) return;
  warmed = true;
  const scratch = _createRng('warm-up');
  const x = new Float64Array(16).fill(1);
  const idx = new Int32Array(16);
  for (let k = 0; k < 400; k++) {
    const m = 1 + (k % 16);
    _resampleSum(scratch, x, m);
    _resampleIndices(scratch, idx, m, 16);
  }
}

/** Fills `out[0..m)` with indices drawn uniformly from [0, n). */
export function _resampleIndices(rng: _Rng, out: Int32Array, m: number, n: number): void {
  const st = rng.state;
  let c0 = st[0];
  let a0 = st[1];
  let b0 = st[2];
  let d0 = st[3];
  let c1 = st[4];
  let a1 = st[5];
  let b1 = st[6];
  let d1 = st[7];
  let c2 = st[8];
  let a2 = st[9];
  let b2 = st[10];
  let d2 = st[11];
  let c3 = st[12];
  let a3 = st[13];
  let b3 = st[14];
  let d3 = st[15];
  const end = m - (m & 3);
  for (let i = 0; i < end; i += 4) {
    let t = ALEA_MULT * a0 + c0 * TWO_M32;
    a0 = b0;
    b0 = d0;
    c0 = t | 0;
    d0 = t - c0;
    t = ALEA_MULT * a1 + c1 * TWO_M32;
    a1 = b1;
    b1 = d1;
    c1 = t | 0;
    d1 = t - c1;
    t = ALEA_MULT * a2 + c2 * TWO_M32;
    a2 = b2;
    b2 = d2;
    c2 = t | 0;
    d2 = t - c2;
    t = ALEA_MULT * a3 + c3 * TWO_M32;
    a3 = b3;
    b3 = d3;
    c3 = t | 0;
    d3 = t - c3;
    out[i] = (d0 * n) | 0;
    out[i + 1] = (d1 * n) | 0;
    out[i + 2] = (d2 * n) | 0;
    out[i + 3] = (d3 * n) | 0;
  }
  if (end < m) {
    // m mod 4 tail: one more block of four draws, the spare ones discarded.
    let t = ALEA_MULT * a0 + c0 * TWO_M32;
    a0 = b0;
    b0 = d0;
    c0 = t | 0;
    d0 = t - c0;
    t = ALEA_MULT * a1 + c1 * TWO_M32;
    a1 = b1;
    b1 = d1;
    c1 = t | 0;
    d1 = t - c1;
    t = ALEA_MULT * a2 + c2 * TWO_M32;
    a2 = b2;
    b2 = d2;
    c2 = t | 0;
    d2 = t - c2;
    t = ALEA_MULT * a3 + c3 * TWO_M32;
    a3 = b3;
    b3 = d3;
    c3 = t | 0;
    d3 = t - c3;
    const left = m - end;
    out[end] = (d0 * n) | 0;
    if (left > 1) out[end + 1] = (d1 * n) | 0;
    if (left > 2) out[end + 2] = (d2 * n) | 0;
  }
  st[0] = c0;
  st[1] = a0;
  st[2] = b0;
  st[3] = d0;
  st[4] = c1;
  st[5] = a1;
  st[6] = b1;
  st[7] = d1;
  st[8] = c2;
  st[9] = a2;
  st[10] = b2;
  st[11] = d2;
  st[12] = c3;
  st[13] = a3;
  st[14] = b3;
  st[15] = d3;
}

/** ln(k!) for the BTRD acceptance test: exact table for k < 10 would be overkill; Stirling with correction. */
function _fc(k: number): number {
  // Stirling correction ln(k!) - [(k + 1/2) ln(k + 1) - (k + 1) + ln sqrt(2 pi)], Hörmann (1993) eq. for fc.
  if (k < 10) return FC_TABLE[k];
  const r = 1 / (k + 1);
  const r2 = r * r;
  return r * (1 / 12 - r2 * (1 / 360 - r2 / 1260));
}

const FC_TABLE = (() => {
  const t = new Float64Array(10);
  let lf = 0; // ln k!
  for (let k = 0; k < 10; k++) {
    if (k > 0) lf += Math.log(k);
    t[k] = lf - ((k + 0.5) * Math.log(k + 1) - (k + 1) + 0.5 * Math.log(2 * Math.PI));
  }
  return t;
})();

/**
 * One draw from Binomial(n, p), exactly distributed: inversion when n*min(p, 1-p) < 10, otherwise Hörmann's BTRD
 * (transformed rejection with decomposition), which costs O(1) expected uniforms for any n.
 *
 * Reference: W. Hörmann (1993), "The generation of binomial random variates", J. Statist. Comput. Simul. 46,
 * 101-110, doi:10.1080/00949659308811496.
 */
export function _binomialSample(rng: _Rng, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - _binomialSample(rng, n, 1 - p);
  if (n * p < 10) {
    // Inversion by sequential search from 0: expected n*p + 1 steps.
    const q = 1 - p;
    const s = p / q;
    const a = (n + 1) * s;
    for (;;) {
      let r = q ** n;
      let u = _uniform(rng);
      let x = 0;
      while (u > r) {
        u -= r;
        x++;
        if (x > n) break;
        r *= a / x - s;
      }
      if (x <= n) return x;
    }
  }
  // BTRD setup (Hörmann 1993, section 3).
  const m = Math.floor((n + 1) * p);
  const r = p / (1 - p);
  const nr = (n + 1) * r;
  const npq = n * p * (1 - p);
  const spq = Math.sqrt(npq);
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const alpha = (2.83 + 5.1 / b) * spq;
  const vr = 0.92 - 4.2 / b;
  const urvr = 0.86 * vr;
  for (;;) {
    let v = _uniform(rng);
    let u: number;
    if (v <= urvr) {
      u = v / vr - 0.43;
      return Math.floor(((2 * a) / (0.5 - Math.abs(u)) + b) * u + c);
    }
    if (v >= vr) {
      u = _uniform(rng) - 0.5;
    } else {
      u = v / vr - 0.93;
      u = Math.sign(u) * 0.5 - u;
      v = _uniform(rng) * vr;
    }
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + c);
    if (k < 0 || k > n) continue;
    v = (v * alpha) / (a / (us * us) + b);
    const km = Math.abs(k - m);
    if (km <= 15) {
      // Recursive evaluation of f(k)/f(m).
      let f = 1;
      if (m < k) {
        for (let i = m + 1; i <= k; i++) f *= nr / i - r;
      } else if (m > k) {
        for (let i = k + 1; i <= m; i++) v *= nr / i - r;
      }
      if (v <= f) return k;
      continue;
    }
    // Squeeze, then the exact log test with Stirling corrections.
    v = Math.log(v);
    const rho = (km / npq) * (((km / 3 + 0.625) * km + 1 / 6) / npq + 0.5);
    const t = (-km * km) / (2 * npq);
    if (v < t - rho) return k;
    if (v > t + rho) continue;
    const nm = n - m + 1;
    const h = (m + 0.5) * Math.log((m + 1) / (r * nm)) + _fc(m) + _fc(n - m);
    const nk = n - k + 1;
    if (v <= h + (n + 1) * Math.log(nm / nk) + (k + 0.5) * Math.log((nk * r) / (k + 1)) - _fc(k) - _fc(n - k))
      return k;
  }
}
