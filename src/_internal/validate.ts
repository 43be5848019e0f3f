import { _describe } from './describe.js';

/**
 * Argument checks used at every public boundary. A wrong type is a `TypeError`, a value out of range a
 * `RangeError`; the message names the option and echoes the value and its type, e.g.
 * ``Expected `confidence` to be a number in (0, 1), got `1.5` (number)``.
 */

/** Throws unless `value` is a finite number in the given interval (bounds open unless `closed`). */
export function _checkNumberInRange(
  name: string,
  value: unknown,
  low: number,
  high: number,
  bounds: '()' | '[]' | '[)' | '(]' = '()',
): number {
  const range = `${bounds[0]}${low}, ${high}${bounds[1]}`;
  const expected = `Expected \`${name}\` to be a number in ${range}, got ${_describe(value)}`;
  if (typeof value !== 'number') throw new TypeError(expected);
  const okLow = bounds[0] === '[' ? value >= low : value > low;
  const okHigh = bounds[1] === ']' ? value <= high : value < high;
  if (Number.isNaN(value) || !okLow || !okHigh) throw new RangeError(expected);
  return value;
}

/** Throws unless `value` is an integer `>= min` (and `<= max` when given). `Infinity` allowed when `allowInfinity`. */
export function _checkInteger(
  name: string,
  value: unknown,
  min: number,
  max = Number.POSITIVE_INFINITY,
  allowInfinity = false,
): number {
  const upper = max === Number.POSITIVE_INFINITY ? '' : ` and <= ${max}`;
  const expected = `Expected \`${name}\` to be an integer >= ${min}${upper}${allowInfinity ? ' (or Infinity)' : ''}, got ${_describe(value)}`;
  if (typeof value !== 'number') throw new TypeError(expected);
  if (allowInfinity && value === Number.POSITIVE_INFINITY) return value;
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(expected);
  return value;
}

/** Throws a TypeError unless `value` is one of `choices`. */
export function _checkChoice<T extends string>(name: string, value: unknown, choices: readonly T[]): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    const list = choices.map((c) => `'${c}'`).join(' | ');
    throw new TypeError(`Expected \`${name}\` to be one of ${list}, got ${_describe(value)}`);
  }
  return value as T;
}

/** Throws a TypeError unless `value` is a function. */
export function _checkFunction(name: string, value: unknown): void {
  if (typeof value !== 'function')
    throw new TypeError(`Expected \`${name}\` to be a function, got ${_describe(value)}`);
}

/** Throws a TypeError unless `value` is a plain object (or undefined when `optional`). */
export function _checkOptionsObject(name: string, value: unknown): void {
  if (value === undefined) return;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new TypeError(`Expected \`${name}\` to be an options object, got ${_describe(value)}`);
}

/**
 * Throws a TypeError naming the first own key of the options object `value` that is not one of `known` (a
 * misspelled limit, `budget.maxCost` for `budget.maxCostUsd`, would otherwise be no limit at all). An empty
 * `name` names the key alone (a function's top-level options).
 */
export function _checkKnownKeys(name: string, value: unknown, known: readonly string[]): void {
  if (value === null || typeof value !== 'object') return;
  for (const key of Object.keys(value))
    if (!known.includes(key))
      throw new TypeError(
        `Unknown option \`${name === '' ? '' : `${name}.`}${key}\`, got ${_describe((value as Record<string, unknown>)[key])}`,
      );
}

/**
 * The options check of a public function: `options` is undefined or a plain object, and every own key of it is
 * one of `known` (a TypeError "Unknown option `fn.key`" otherwise: a misspelled `confidnce` would silently keep
 * the default). Build `known` with `Object.keys({ … } satisfies Record<keyof FooOptions, true>)`, so an option
 * added to the interface and not to the list fails to compile.
 */
export function _checkOptions(fn: string, options: unknown, known: readonly string[]): void {
  _checkOptionsObject('options', options);
  _checkKnownKeys(fn, options, known);
}

/**
 * Throws unless `value` is a non-empty array-like of finite numbers; returns it as a Float64Array copy
 * (so callers can sort or index it without mutating what they were given).
 */
export function _checkNumericArray(name: string, value: unknown, minLength = 1): Float64Array {
  const isArrayLike = Array.isArray(value) || ArrayBuffer.isView(value);
  if (!isArrayLike || value instanceof DataView)
    throw new TypeError(`Expected \`${name}\` to be an array of numbers, got ${_describe(value)}`);
  const arr = value as ArrayLike<unknown>;
  if (arr.length < minLength)
    throw new RangeError(
      `Expected \`${name}\` to have at least ${minLength} element${minLength === 1 ? '' : 's'}, got ${_describe(value)}`,
    );
  const out = new Float64Array(arr.length);
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    if (typeof v !== 'number')
      throw new TypeError(`Expected \`${name}[${i}]\` to be a number, got ${_describe(v)}`);
    if (!Number.isFinite(v))
      throw new RangeError(`Expected \`${name}[${i}]\` to be a finite number, got ${_describe(v)}`);
    out[i] = v;
  }
  return out;
}

/** Validates an optional boolean option. */
export function _checkBoolean(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw new TypeError(`Expected \`${name}\` to be a boolean, got ${_describe(value)}`);
  return value;
}
