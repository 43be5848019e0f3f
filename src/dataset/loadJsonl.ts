import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { _describe } from '../_internal/describe.js';
import { _checkOptions } from '../_internal/validate.js';
import type { Example } from '../core/types.js';
import { DatasetError } from '../errors.js';
import { refuseRepeatedKeys } from './refuseRepeatedKeys.js';
import { utf8Line } from './utf8Line.js';

/** Options of {@link loadJsonl}. */
export interface LoadJsonlOptions {
  /**
   * Turns a parsed line into an example, for files whose rows are not already `{ input, reference, … }`.
   * Receives the parsed value and the 1-based line number. @default identity
   */
  readonly map?: (row: Record<string, unknown>, line: number) => Example;
}

/**
 * Streams examples from a JSON Lines file, one line at a time, so a dataset of any size costs memory
 * for one line, not for the file.
 *
 * Blank lines are skipped, and so is a UTF-8 byte order mark at the start of the file. A line that is not valid
 * UTF-8 (a Latin-1 export, a cut multi-byte character), not valid JSON, whose value is not an object, or that gives
 * one object a key twice (`{"id": 1, "id": 2}`: JSON.parse would keep the last value and drop the other silently),
 * stops the stream with a {@link DatasetError} naming the file and the 1-based line number.
 *
 * @param path - Path of the `.jsonl` file.
 * @param options - {@link LoadJsonlOptions}.
 * @returns An async iterable of examples, read lazily as `evaluate()` consumes it.
 * @throws {TypeError} When `path` is not a non-empty string.
 * @throws {DatasetError} While iterating: unreadable file, invalid UTF-8, invalid JSON, a non-object line, a key given
 *   twice in one object, or `map` throwing
 *   (naming the line; the error it threw is the `cause`).
 * @example
 * ```ts
 * for await (const ex of loadJsonl('qa.jsonl')) console.log(ex.id, ex.input);
 * // => q1 What is 2 + 2?
 * ```
 */
export function loadJsonl(path: string, options: LoadJsonlOptions = {}): AsyncIterable<Example> {
  if (typeof path !== 'string' || path.length === 0)
    throw new TypeError(`Expected \`path\` to be a non-empty string, got ${_describe(path)}`);
  _checkOptions(
    'loadJsonl',
    options,
    Object.keys({ map: true } satisfies Record<keyof LoadJsonlOptions, true>),
  );
  const map = options.map;
  return {
    async *[Symbol.asyncIterator]() {
      // Latin-1 keeps every byte, so each line is decoded strictly from its own bytes (see utf8Line).
      const stream = createReadStream(path, { encoding: 'latin1' });
      const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
      let lineNo = 0;
      try {
        for await (const raw of lines) {
          lineNo++;
          // A compressed file is not text: say so rather than "not valid UTF-8" (read as Latin-1, 1f 8b is "\x1f\x8b").
          if (lineNo === 1 && raw.startsWith('\x1f\x8b'))
            throw new DatasetError(
              `${path}:1: the file is gzip-compressed (it starts with the gzip bytes 1f 8b): decompress it first (gunzip), loadJsonl reads JSON Lines text`,
              { line: 1 },
            );
          let text = utf8Line(raw, path, lineNo);
          // A UTF-8 byte order mark (Windows editors write one) is not JSON: drop it from the first line.
          if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
          if (text.trim() === '') continue;
          let value: unknown;
          try {
            value = JSON.parse(text);
          } catch (err) {
            throw new DatasetError(`${path}:${lineNo}: invalid JSON (${(err as Error).message})`, {
              line: lineNo,
              cause: err,
            });
          }
          if (value === null || typeof value !== 'object' || Array.isArray(value))
            throw new DatasetError(
              `${path}:${lineNo}: expected a JSON object per line, got ${_describe(value)}`,
              {
                line: lineNo,
              },
            );
          refuseRepeatedKeys(text, path, lineNo);
          if (map === undefined) {
            yield value as Example;
            continue;
          }
          let mapped: Example;
          try {
            mapped = map(value as Record<string, unknown>, lineNo);
          } catch (err) {
            // The caller's code failed, not the read: say where, and keep its error.
            throw new DatasetError(
              `${path}:${lineNo}: \`options.map\` threw: ${(err as Error)?.message ?? String(err)}`,
              {
                line: lineNo,
                cause: err,
              },
            );
          }
          yield mapped;
        }
      } catch (err) {
        if (err instanceof DatasetError) throw err;
        throw new DatasetError(`${path}: cannot read the dataset (${(err as Error).message})`, {
          cause: err,
        });
      } finally {
        lines.close();
        stream.destroy();
      }
    },
  };
}
