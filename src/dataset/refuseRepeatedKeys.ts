/**
 * A JSON line that gives one object a key twice, refused by the line readers (loadJsonl, loadLabels).
 * @module
 */
import { _repeatedJsonKey } from '../_internal/repeatedJsonKey.js';
import { DatasetError } from '../errors.js';

/**
 * Throws a {@link DatasetError} naming `path`, the 1-based `line` and the key when one object of the line's JSON
 * `text` (already parsed) names a key twice: `JSON.parse` keeps the last value of a repeated key and drops the
 * others silently, so `{"id": 1, "id": 2}` would be the example `2` and `{"labels": {"m": 1, "m": 0}}` the label 0,
 * one of two values the file holds. The same key in two different objects is no repeat.
 * @example
 * ```ts
 * refuseRepeatedKeys('{"id":1,"id":2}', 'qa.jsonl', 3);
 * // throws 'qa.jsonl:3: the line gives key "id" twice in one object (at `id`): …'
 * ```
 */
export function refuseRepeatedKeys(text: string, path: string, line: number): void {
  const repeated = _repeatedJsonKey(text);
  if (repeated === undefined) return;
  throw new DatasetError(
    `${path}:${line}: the line gives key ${JSON.stringify(repeated.key)} twice in one object (at \`${repeated.path}\`): JSON keeps only the last of the two values and would drop the other without a word; keep one`,
    { line },
  );
}
