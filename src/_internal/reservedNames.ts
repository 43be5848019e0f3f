/**
 * Names a metric cannot take, shared by evaluate()'s check of its metrics and loadResult's check of a file.
 * @module
 */

/**
 * Names that would collide with `Object.prototype` in the records keyed by metric name: a lookup by such a name
 * finds what every object inherits (`constructor`, `toString`), and `__proto__` assigned into a record sets its
 * prototype instead of adding an entry.
 * @internal
 */
export const _RESERVED_NAMES: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
  ...Object.getOwnPropertyNames(Object.prototype),
]);
