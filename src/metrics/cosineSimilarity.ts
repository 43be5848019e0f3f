import { _describe } from '../_internal/describe.js';

/** Checks that `v` is an array of finite numbers; returns it. Messages start with `where` when given. */
export function _checkVector(name: string, v: unknown, where?: string): readonly number[] {
  const expected = where === undefined ? 'Expected' : `${where}: expected`;
  if (!Array.isArray(v) && !(v instanceof Float64Array) && !(v instanceof Float32Array))
    throw new TypeError(`${expected} \`${name}\` to be an array of numbers, got ${_describe(v)}`);
  const arr = v as ArrayLike<unknown>;
  for (let i = 0; i < arr.length; i++) {
    const x = arr[i];
    if (typeof x !== 'number' || !Number.isFinite(x))
      throw new TypeError(`${expected} \`${name}[${i}]\` to be a finite number, got ${_describe(x)}`);
  }
  return v as readonly number[];
}

/** Dot product and squared norms of `a` and `b`, each entry first divided by its vector's scale. */
function _sums(a: ArrayLike<number>, b: ArrayLike<number>, sa: number, sb: number): [number, number, number] {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] / sa;
    const y = b[i] / sb;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return [dot, na, nb];
}

/** The largest absolute entry of `v` (0 for an empty or all-zero vector). */
function _maxAbs(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) {
    const x = Math.abs(v[i]);
    if (x > m) m = x;
  }
  return m;
}

/** Squared norms below this lose precision to subnormals (or are 0 for a non-zero vector). */
const TINY = 2 ** -900;

/**
 * Cosine without checks; NaN when a vector has norm 0. A squared norm that overflows (entries near 1e200:
 * Infinity / Infinity is NaN) or underflows (entries near 1e-200: 0) is recomputed with each vector divided by
 * its largest absolute entry, which does not change the cosine.
 */
export function cosineUnchecked(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let [dot, na, nb] = _sums(a, b, 1, 1);
  if (!(na >= TINY && nb >= TINY && na < Number.POSITIVE_INFINITY && nb < Number.POSITIVE_INFINITY)) {
    const sa = _maxAbs(a);
    const sb = _maxAbs(b);
    if (sa === 0 || sb === 0) return Number.NaN;
    [dot, na, nb] = _sums(a, b, sa, sb);
  }
  // Rounding can carry the cosine of parallel vectors a hair past +-1 ([3, 4.1, 5.7] with itself: 1 + 2^-52).
  return Math.min(1, Math.max(-1, dot / (Math.sqrt(na) * Math.sqrt(nb))));
}

/**
 * Cosine similarity of two vectors: a·b / (|a| |b|).
 *
 * @param a - First vector.
 * @param b - Second vector, same length.
 * @returns A number in [-1, 1], at any magnitude of the entries; `NaN` when either vector is all zeros (the angle
 *   is undefined), which a metric records as missing rather than as a score.
 * @throws {TypeError} When either is not an array of finite numbers; {@link RangeError} when lengths differ.
 * @example
 * ```ts
 * cosineSimilarity([1, 0], [1, 1]); // => 0.7071067811865475
 * cosineSimilarity([1, 2], [-1, -2]); // => -0.9999999999999998
 * ```
 */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  _checkVector('a', a);
  _checkVector('b', b);
  if (a.length !== b.length)
    throw new RangeError(`Expected \`b\` to have the length of \`a\` (${a.length}), got ${_describe(b)}`);
  return cosineUnchecked(a, b);
}
