import { _describe } from '../../_internal/describe.js';
import type { ScoreContext } from '../../core/types.js';

/** How an example is named in messages: its id, or a note that it has none. */
export function _exampleName(ctx: ScoreContext): string {
  const id = ctx.example?.id;
  return id === undefined ? 'an example without id' : `example "${id}"`;
}

/**
 * Reads `example.reference` as a list of acceptable strings (a string is a list of one).
 * Anything else is a TypeError that names the metric and the example.
 */
export function _referenceStrings(
  ctx: ScoreContext,
  metric: string,
  options: { readonly allowEmpty?: boolean } = {},
): readonly string[] {
  const ref = ctx.example?.reference;
  if (typeof ref === 'string') return [ref];
  const expected = `Metric \`${metric}\` expected \`example.reference\` of ${_exampleName(ctx)} to be a string or an array of strings`;
  if (!Array.isArray(ref)) throw new TypeError(`${expected}, got ${_describe(ref)}`);
  for (let i = 0; i < ref.length; i++) {
    if (typeof ref[i] !== 'string')
      throw new TypeError(`${expected}, got \`reference[${i}]\` = ${_describe(ref[i])}`);
  }
  if (ref.length === 0 && options.allowEmpty !== true)
    throw new RangeError(`${expected} with at least one element, got an empty array`);
  return ref as readonly string[];
}

/** Checks that the model output handed to a metric is a string. */
export function _outputString(ctx: ScoreContext, metric: string): string {
  const out = ctx.output as unknown;
  if (typeof out !== 'string')
    throw new TypeError(
      `Metric \`${metric}\` expected the output of ${_exampleName(ctx)} to be a string, got ${_describe(out)}`,
    );
  return out;
}

/** Checks a string argument of a pure scoring function. */
export function _checkString(name: string, value: unknown): string {
  if (typeof value !== 'string')
    throw new TypeError(`Expected \`${name}\` to be a string, got ${_describe(value)}`);
  return value;
}

/**
 * Checks the references argument of a pure scoring function: a string or a non-empty array of strings
 * (an empty array allowed when `allowEmpty`). Returns an array.
 */
export function _checkReferences(name: string, value: unknown, allowEmpty = false): readonly string[] {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value))
    throw new TypeError(
      `Expected \`${name}\` to be a string or an array of strings, got ${_describe(value)}`,
    );
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] !== 'string')
      throw new TypeError(`Expected \`${name}[${i}]\` to be a string, got ${_describe(value[i])}`);
  }
  if (value.length === 0 && !allowEmpty)
    throw new RangeError(`Expected \`${name}\` to have at least 1 element, got ${_describe(value)}`);
  return value as readonly string[];
}

/** Reads the optional `name` option of a metric factory. */
export function _metricName(value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.length === 0)
    throw new TypeError(`Expected \`name\` to be a non-empty string, got ${_describe(value)}`);
  return value;
}
