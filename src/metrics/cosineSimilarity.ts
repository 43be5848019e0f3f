import { _describe } from '../_internal/describe.js';

/** Checks that `v` is an array of finite numbers; returns it. */
export function _checkVector(name: string, v: unknown): readonly number[] {
  if (!Array.isArray(v) && !(v instanceof Float64Array) && !(v instanceof Float32Array))
    throw new TypeError(`Expected \`${name}\` to be an array of numbers, got ${_describe(v)}`);
  const arr = v as ArrayLike<unknown>;
  for (let i = 0; i < arr.length; i++) {
    const x = arr[i];
    if (typeof x !== 'number' || !Number.isFinite(x))
      throw new TypeError(`Expected \`${name}[${i}]\` to be a finite number, got ${_describe(x)}`);
  }
  return v as readonly number[];
}

/** Cosine without checks; NaN when a vector has norm 0. */
export function cosineUnchecked(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  if (na === 0 || nb === 0) return Number.NaN;
  return dot / (Math.sqrt(na) * Math.sqrt(nb));
}

/**
 * Cosine similarity of two vectors: a·b / (|a| |b|).
 *
 * @param a - First vector.
 * @param b - Second vector, same length.
 * @returns A number in [-1, 1]; `NaN` when either vector is all zeros (the angle is undefined), which a metric
 *   records as missing rather than as a score.
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
