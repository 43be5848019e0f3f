/**
 * Argument checks shared by the paired tests.
 * @module
 */
import { _describe } from '../../_internal/describe.js';
import { _checkChoice, _checkNumericArray } from '../../_internal/validate.js';
import type { Alternative } from '../types.js';

/** Validates two paired samples (non-empty, finite, equal length) and returns Float64Array copies. */
export function _checkPaired(a: unknown, b: unknown): [Float64Array, Float64Array] {
  const x = _checkNumericArray('a', a);
  const y = _checkNumericArray('b', b);
  if (x.length !== y.length)
    throw new RangeError(
      `Expected \`b\` to have the same length as \`a\` (${x.length}) for a paired test, got ${_describe(b)}`,
    );
  return [x, y];
}

/** Validates `alternative` (default 'two-sided'). */
export function _checkAlternative(value: unknown): Alternative {
  return _checkChoice('alternative', value ?? 'two-sided', ['two-sided', 'less', 'greater'] as const);
}
