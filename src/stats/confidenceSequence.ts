/**
 * Time-uniform confidence sequences for the mean of bounded observations: PrPl-EB (predictable plug-in
 * empirical Bernstein) of Waudby-Smith & Ramdas (2024), in batch and incremental form.
 * @module
 */
import { _describe } from '../_internal/describe.js';
import {
  _checkBoolean,
  _checkInteger,
  _checkNumberInRange,
  _checkNumericArray,
  _checkOptions,
  _checkOptionsObject,
} from '../_internal/validate.js';
import { _createSide, type _PrplEbSide, _pushSide } from './_internal/prplEb.js';

/** Options of {@link confidenceSequence} and {@link createConfidenceSequence}. */
export interface ConfidenceSequenceOptions {
  /**
   * Confidence level 1 - alpha of the whole sequence, in (0, 1); each side gets alpha/2. @default 0.95
   */
  readonly confidence?: number;
  /**
   * Known range `[low, high]` of every observation: finite, `low < high`, with a finite width `high - low`.
   * Observations are rescaled to [0, 1]
   * by (x - low) / (high - low) and the bounds mapped back. @default [0, 1]
   */
  readonly bounds?: readonly [number, number];
  /**
   * Size N of a finite population sampled without replacement (every observation a uniformly random draw of
   * the values not yet drawn); the sequence then covers the population mean and at most N observations are
   * accepted. An integer >= 1. @default undefined (sampling with replacement / an infinite population)
   */
  readonly population?: number;
  /**
   * Report the running intersection of the intervals so far (the lower bound never falls, the upper bound
   * never rises), which keeps the same guarantee. @default true
   */
  readonly runningIntersection?: boolean;
}

const CONFIDENCE_SEQUENCE_KEYS = Object.keys({
  confidence: true,
  bounds: true,
  population: true,
  runningIntersection: true,
} satisfies Record<keyof ConfidenceSequenceOptions, true>);

/** The interval after one observation. */
export interface ConfidenceBound {
  /** Lower bound on the mean, in `bounds`. */
  readonly lower: number;
  /** Upper bound on the mean, in `bounds`. */
  readonly upper: number;
}

/** Result of {@link confidenceSequence}. */
export interface ConfidenceSequenceResult {
  /** `lower[t - 1]`: the lower bound after t observations. (The object is frozen; typed arrays cannot be.) */
  readonly lower: Float64Array;
  /** `upper[t - 1]`: the upper bound after t observations. */
  readonly upper: Float64Array;
  /** Which construction ran: the predictable plug-in empirical-Bernstein confidence sequence. */
  readonly method: 'prpl-eb';
  /** The confidence level 1 - alpha used (of the whole sequence, both sides). */
  readonly confidence: number;
  /** The observations' range used (frozen). */
  readonly bounds: readonly [number, number];
  /** Number of observations (the length of `lower` and `upper`). */
  readonly n: number;
  /** Whether `lower` / `upper` are running intersections. */
  readonly runningIntersection: boolean;
  /** Present when sampling without replacement from a population of this size. */
  readonly population?: number;
}

/** The incremental form returned by {@link createConfidenceSequence}. */
export interface IncrementalConfidenceSequence {
  /** As {@link ConfidenceSequenceResult.method}. */
  readonly method: 'prpl-eb';
  /** The confidence level 1 - alpha used. */
  readonly confidence: number;
  /** The observations' range used (frozen). */
  readonly bounds: readonly [number, number];
  /** Whether the returned intervals are running intersections. */
  readonly runningIntersection: boolean;
  /** Present when sampling without replacement from a population of this size. */
  readonly population?: number;
  /** Number of observations pushed so far. */
  readonly n: number;
  /**
   * Adds one observation (in `bounds`) and returns the interval after it: exactly the values
   * {@link confidenceSequence} gives at that index for the same observations.
   * @throws TypeError for a non-number; RangeError for a value outside `bounds`, or a push past `population`.
   */
  push(x: number): ConfidenceBound;
  /** The current interval: `bounds` itself before any observation. */
  current(): ConfidenceBound;
}

interface _Settings {
  readonly confidence: number;
  readonly bounds: readonly [number, number];
  readonly population: number | undefined;
  readonly runningIntersection: boolean;
}

/** The shared state machine: both public forms push through it. */
interface _State {
  readonly settings: _Settings;
  readonly logInvAlpha: number;
  readonly low: _PrplEbSide;
  readonly high: _PrplEbSide;
  /** Running maxima of the [0, 1]-scale lower bounds of x and of 1 - x (for the running intersection). */
  bestLow: number;
  bestHigh: number;
  lower: number;
  upper: number;
}

function _checkBounds(value: unknown): readonly [number, number] {
  if (value === undefined) return Object.freeze([0, 1] as const);
  const shown =
    Array.isArray(value) && value.length <= 4 && value.every((v) => typeof v === 'number')
      ? `\`[${value.join(', ')}]\` (array)`
      : _describe(value);
  const expected = `Expected \`bounds\` to be [low, high] with finite numbers low < high, got ${shown}`;
  if (
    !Array.isArray(value) ||
    value.length !== 2 ||
    typeof value[0] !== 'number' ||
    typeof value[1] !== 'number'
  )
    throw new TypeError(expected);
  const [lo, hi] = value as [number, number];
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi)) throw new RangeError(expected);
  // Observations are rescaled by (x - low) / (high - low): a width that overflows makes them 0 or NaN.
  if (!Number.isFinite(hi - lo))
    throw new RangeError(
      `Expected \`bounds\` to be [low, high] with a finite width high - low, got ${shown}`,
    );
  return Object.freeze([lo, hi] as const);
}

function _checkSettings(options: ConfidenceSequenceOptions): _Settings {
  _checkOptionsObject('options', options);
  const confidence = _checkNumberInRange('confidence', options.confidence ?? 0.95, 0, 1);
  const bounds = _checkBounds(options.bounds);
  const population =
    options.population === undefined ? undefined : _checkInteger('population', options.population, 1);
  const runningIntersection = _checkBoolean('runningIntersection', options.runningIntersection, true);
  return { confidence, bounds, population, runningIntersection };
}

function _createState(settings: _Settings): _State {
  // alpha/2 per side, computed as the reference receives it: alpha = 1 - confidence, then alpha / 2.
  const alpha = 1 - settings.confidence;
  return {
    settings,
    logInvAlpha: Math.log(1 / (alpha / 2)),
    low: _createSide(),
    high: _createSide(),
    bestLow: 0,
    bestHigh: 0,
    lower: settings.bounds[0],
    upper: settings.bounds[1],
  };
}

/** Adds one observation already checked to lie in `bounds`; updates `state.lower` / `state.upper`. */
function _push(state: _State, x: number): void {
  const [lo, hi] = state.settings.bounds;
  const width = hi - lo;
  // lo <= x <= hi implies 0 <= x01 <= 1 in floating point too (rounding is monotone).
  const x01 = (x - lo) / width;
  const N = state.settings.population ?? 0;
  let l = _pushSide(state.low, x01, state.logInvAlpha, N);
  // The upper bound is 1 minus the lower bound of 1 - x (confseq's construction).
  let m = _pushSide(state.high, 1 - x01, state.logInvAlpha, N);
  if (state.settings.runningIntersection) {
    if (l > state.bestLow) state.bestLow = l;
    if (m > state.bestHigh) state.bestHigh = m;
    l = state.bestLow;
    m = state.bestHigh;
  }
  state.lower = lo + width * l;
  state.upper = lo + width * (1 - m);
}

function _outOfBounds(label: string, x: number, bounds: readonly [number, number]): RangeError {
  return new RangeError(
    `Expected ${label} to be within \`bounds\` [${bounds[0]}, ${bounds[1]}], got ${_describe(x)}`,
  );
}

/**
 * Confidence sequence for the mean of bounded observations, valid at every sample size at once: PrPl-EB, the
 * predictable plug-in empirical-Bernstein confidence sequence of Waudby-Smith & Ramdas (2024), equal to confseq's
 * `predmix_empbern_twosided_cs` (commit 70b1ef3; checked to 1e-9 relative at every point).
 *
 * Guarantee (time-uniform): P(for all t >= 1: mu in [lower_t, upper_t]) >= 1 - alpha, with alpha = 1 -
 * `confidence`. So the bounds may be looked at after every observation and the run stopped whenever they
 * answer (a lower bound above a threshold, say) without inflating the error rate, unlike a fixed-n interval
 * recomputed as data arrive. What it needs: every observation lies in `bounds`, and the observations are
 * i.i.d. with mean mu -- or, more generally, each has conditional mean mu given the ones before it (e.g. rows
 * drawn at random, with replacement, from a dataset whose mean is mu); with `population: N`, they are a
 * uniformly random order (sampling without replacement) of a fixed population of N values whose mean is mu.
 * Rows in a sorted or otherwise non-random order break the guarantee. Nothing else is assumed of the
 * distribution. The running intersection (the default here; confseq's default is off) keeps the guarantee.
 *
 * Algorithm, on x rescaled to [0, 1] (alpha/2 per side): bets lambda_t = min(1/2, sqrt(2 ln(2/alpha) /
 * (t ln(1 + t) sigma2_{t-1}))), with sigma2 the variance regularized by one pseudo observation of variance 1/4
 * around a mean regularized by one pseudo observation of 1/2; increments v_t = (x_t - mean_{t-1})^2 and
 * psi(lambda) = -ln(1 - lambda) - lambda; lower_t = max(0, sum lambda_i x_i / sum lambda_i - (ln(2/alpha) +
 * sum v_i psi(lambda_i)) / sum lambda_i). The upper bound is 1 minus the lower bound of 1 - x. Without
 * replacement, x_i becomes x_i + S_{i-1}/(N - i + 1) and lambda_i's weight 1 + (i - 1)/(N - i + 1). O(1) time
 * and memory per observation; O(n) in all.
 *
 * @param values - Observations in order of arrival, each in `bounds` (an empty array gives empty sequences).
 * @param options - `confidence` (default 0.95), `bounds` (default [0, 1]), `population` (default none),
 *   `runningIntersection` (default true).
 * @returns A frozen {@link ConfidenceSequenceResult} with `lower` / `upper` after every observation.
 * @throws TypeError for a non-array, a non-number value, or an option of the wrong type; RangeError for a
 *   value outside `bounds` (naming its index), `confidence` outside (0, 1), `bounds` not finite with low < high (and a finite width),
 *   `population` not an integer >= 1, or more values than `population`.
 * @example
 * ```ts
 * // 200 graded rows, 3 of every 4 correct:
 * const cs = confidenceSequence(Array.from({ length: 200 }, (_, i) => (i % 4 === 0 ? 0 : 1)));
 * cs.lower[199]; // => 0.6385392080702397
 * cs.upper[199]; // => 0.857792203437291
 * ```
 *
 * References:
 * - I. Waudby-Smith and A. Ramdas (2024), "Estimating means of bounded random variables by betting", Journal
 *   of the Royal Statistical Society Series B 86(1), 1-27, doi:10.1093/jrsssb/qkad009 (PrPl-EB
 *   and its without-replacement variant).
 * - S. R. Howard, A. Ramdas, J. McAuliffe and J. Sekhon (2021), "Time-uniform, nonparametric, nonasymptotic
 *   confidence sequences", Annals of Statistics 49(2), 1055-1080, doi:10.1214/20-AOS1991.
 * - confseq, `predmix_empbern_twosided_cs` (github.com/gostevehoward/confseq, src/confseq/predmix.py).
 */
export function confidenceSequence(
  values: readonly number[] | Float64Array,
  options: ConfidenceSequenceOptions = {},
): ConfidenceSequenceResult {
  _checkOptions('confidenceSequence', options, CONFIDENCE_SEQUENCE_KEYS);
  const settings = _checkSettings(options);
  const x = _checkNumericArray('values', values, 0);
  const n = x.length;
  const [lo, hi] = settings.bounds;
  for (let i = 0; i < n; i++)
    if (!(x[i] >= lo && x[i] <= hi)) throw _outOfBounds(`\`values[${i}]\``, x[i], settings.bounds);
  if (settings.population !== undefined && n > settings.population)
    throw new RangeError(
      `Expected \`values\` to have at most \`population\` (${settings.population}) elements when sampling without replacement, got ${_describe(values)}`,
    );
  const state = _createState(settings);
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    _push(state, x[i]);
    lower[i] = state.lower;
    upper[i] = state.upper;
  }
  return Object.freeze({
    lower,
    upper,
    method: 'prpl-eb' as const,
    confidence: settings.confidence,
    bounds: settings.bounds,
    n,
    runningIntersection: settings.runningIntersection,
    ...(settings.population === undefined ? {} : { population: settings.population }),
  });
}

/**
 * The incremental form of {@link confidenceSequence}: push observations one at a time (as rows of a run
 * complete) and read the current interval, in O(1) per observation. Same code path and same numbers: after
 * pushing `values[0..t)`, `push` has returned `{ lower: lower[t - 1], upper: upper[t - 1] }` of
 * `confidenceSequence(values, options)`. The same time-uniform guarantee holds, so the interval may be checked
 * after every push and the run stopped as soon as it answers.
 *
 * @param options - As for {@link confidenceSequence}.
 * @returns An {@link IncrementalConfidenceSequence}; a value rejected by `push` leaves it unchanged.
 * @throws TypeError / RangeError for bad options, as {@link confidenceSequence}.
 * @example
 * ```ts
 * const cs = createConfidenceSequence({ confidence: 0.95 });
 * cs.current(); // => { lower: 0, upper: 1 }
 * let passedAt = 0;
 * for (let i = 0; i < 2000 && passedAt === 0; i++) if (cs.push(i % 10 === 0 ? 0 : 1).lower >= 0.8) passedAt = cs.n;
 * passedAt; // => 129
 * ```
 *
 * References: as {@link confidenceSequence} (Waudby-Smith & Ramdas 2024, doi:10.1093/jrsssb/qkad009).
 */
export function createConfidenceSequence(
  options: ConfidenceSequenceOptions = {},
): IncrementalConfidenceSequence {
  _checkOptions('createConfidenceSequence', options, CONFIDENCE_SEQUENCE_KEYS);
  const settings = _checkSettings(options);
  const state = _createState(settings);
  const [lo, hi] = settings.bounds;
  const current = (): ConfidenceBound => Object.freeze({ lower: state.lower, upper: state.upper });
  const sequence: IncrementalConfidenceSequence = {
    method: 'prpl-eb',
    confidence: settings.confidence,
    bounds: settings.bounds,
    runningIntersection: settings.runningIntersection,
    ...(settings.population === undefined ? {} : { population: settings.population }),
    get n() {
      return state.low.t;
    },
    push(x: number): ConfidenceBound {
      const t = state.low.t;
      const label = `\`x\` (observation index ${t})`;
      if (typeof x !== 'number') throw new TypeError(`Expected ${label} to be a number, got ${_describe(x)}`);
      if (!(x >= lo && x <= hi)) throw _outOfBounds(label, x, settings.bounds);
      if (settings.population !== undefined && t >= settings.population)
        throw new RangeError(
          `Cannot push observation ${t}: \`population\` is ${settings.population} and every value has been drawn without replacement`,
        );
      _push(state, x);
      return current();
    },
    current,
  };
  return Object.freeze(sequence);
}
