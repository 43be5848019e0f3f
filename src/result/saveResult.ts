import { _describe } from '../_internal/describe.js';
import { _jsonBytesProblem } from '../_internal/jsonBytesProblem.js';
import { _jsonWriteProblem } from '../_internal/jsonWriteProblem.js';
import { _writeFileAtomic } from '../_internal/writeFileAtomic.js';
import { assertResult } from './assertResult.js';
import type { EvalResult } from './EvalResult.js';

/** Throws a TypeError unless `value` looks like an evalgate result of the current schema version. */
/** Throws a TypeError naming `name` unless `value` is an evalgate result. */
export function checkEvalResult(name: string, value: unknown): asserts value is EvalResult {
  assertResult(value, name);
}

/** Throws a TypeError unless `value` is a non-empty string. */
export function checkPath(name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || value === '')
    throw new TypeError(`Expected \`${name}\` to be a file path, got ${_describe(value)}`);
}

/**
 * Writes a result to a JSON file that {@link loadResult} reads back: a baseline to commit, or a CI artifact.
 *
 * The document is the result itself (it carries `schemaVersion`), pretty-printed. The file is written to a
 * temporary file in the same directory and renamed over `path`, so a reader never sees half a file and a
 * crash never truncates an existing baseline. Missing parent directories are created. `NaN` estimates are
 * written as `null` (JSON has no NaN) and restored by `loadResult`.
 *
 * @param result - The result of `evaluate()` (or of `loadResult()`).
 * @param path - Where to write, e.g. `'baselines/qa.json'`.
 * @throws {TypeError} when `result` is not an evalgate result or `path` not a string, when a record holds what
 *   JSON cannot write (a BigInt, a cycle), or bytes JSON would write as another value (a Uint8Array or a Buffer
 *   as an object of numbers, an ArrayBuffer as `{}`), naming the field.
 * @throws {RangeError} when the result's JSON is too long for one string (pass `output` to `evaluate()`).
 * @returns A promise that settles once the file is in place.
 * @example
 * ```ts
 * import { evaluate, saveResult } from 'evalgate';
 * const result = await evaluate(dataset, model, [exactMatch()]);
 * await saveResult(result, 'baselines/qa.json');
 * ```
 */
export async function saveResult(result: EvalResult, path: string): Promise<void> {
  checkEvalResult('result', result);
  checkPath('path', path);
  // JSON writes bytes as an object of numbers (or {}): loadResult would give back another value than the run held.
  const bytes = _jsonBytesProblem(result.examples, 'result.examples');
  if (bytes !== undefined)
    throw new TypeError(
      `Cannot save \`result\` to "${path}": ${bytes} would read back as another value (JSON writes bytes as an object of numbers, or {}). Keep a file path, a URL or a base64 string in the example instead of the bytes`,
    );
  let text: string;
  try {
    text = `${JSON.stringify(result, null, 2)}\n`;
  } catch (err) {
    // V8 strings hold at most 2^29 - 24 characters (Node 20); a result with huge records does not fit in one.
    if (err instanceof RangeError && err.message === 'Invalid string length')
      throw new RangeError(
        `Cannot save \`result\` to "${path}": its JSON is longer than the longest string JavaScript can hold (${err.message}). ` +
          'Run evaluate() with `output: "records.jsonl"` so the records stream to a file and the result keeps only the score table',
        { cause: err },
      );
    // JSON.stringify's own message (`Do not know how to serialize a BigInt`) names neither the record nor the field.
    const problem = _jsonWriteProblem(result, 'result');
    if (problem !== undefined)
      throw new TypeError(`Cannot save \`result\` to "${path}": ${problem}`, { cause: err });
    throw err;
  }
  await _writeFileAtomic(path, text);
}
