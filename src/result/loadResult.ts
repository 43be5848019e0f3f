import { readFile } from 'node:fs/promises';
import { ResultFormatError } from '../errors.js';
import { _validateResult } from './assertResult.js';
import { displayedResult } from './documentDisplay.js';
import type { EvalResult } from './EvalResult.js';
import { checkPath } from './saveResult.js';

function _deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) _deepFreeze(v);
  }
  return value;
}

/**
 * Reads a result file written by {@link saveResult} (or any JSON dump of an `EvalResult`) and checks it.
 *
 * The whole document is validated before it is returned: the schema version (a file written by a newer
 * evalgate is refused rather than misread), run metadata, every metric summary, every example record, the
 * score columns (all the same length, and every cell: ids non-empty strings, trials integers >= 0, groups strings or
 * null, `failed` booleans, scores and labels numbers or null, corpus statistics arrays of numbers or null; compare()
 * pairs and drops rows by them) and the totals. `null` estimates and CI bounds become `NaN` again, and so do
 * the NaN numbers of a calibrated summary and of a judge's bias report.
 * The returned result is deeply frozen, like the one `evaluate()` returns.
 *
 * @param path - The file to read.
 * @throws {TypeError} when `path` is not a string.
 * @throws {ResultFormatError} when the file is not JSON, is a comparison, has no or a newer
 *   `schemaVersion`, a field has the wrong type, or a metric has a name evaluate() refuses (`constructor`,
 *   `__proto__`, …); the message names the file and the field.
 * @throws The `fs` error (`ENOENT` …) when the file cannot be read.
 * @returns The result, ready for `compare()` or the matchers.
 * @example
 * ```ts
 * import { loadResult } from 'evalgate';
 * const base = await loadResult('baselines/qa.json');
 * base.metrics.exact_match.mean; // => 0.72
 * ```
 */
export async function loadResult(path: string): Promise<EvalResult> {
  checkPath('path', path);
  const text = await readFile(path, 'utf8');
  let doc: unknown;
  try {
    // A UTF-8 byte order mark (Windows editors write one) is not JSON.
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new ResultFormatError(`${path} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  return _deepFreeze(displayedResult(_validateResult(doc, path)));
}
