import { _describe } from '../_internal/describe.js';
import type { Dataset, Example } from '../core/types.js';
import { DatasetError } from '../errors.js';

/** An example with its id settled and its position in the dataset. */
export interface PlacedExample {
  readonly example: Example;
  readonly id: string;
  readonly position: number;
}

/** How an error names a row (built only when one is thrown: a valid row costs no string). */
const rowAt = (position: number) => `dataset row ${position}`;

/**
 * The id an example's `id` field names: a non-empty string as is, an integer within ±(2^53 - 1) or a number of at
 * most 15 significant digits as its text; undefined for anything else. A double holds every integer up to 2^53 and
 * every decimal of up to 15 significant digits exactly enough to give its text back; past either, two ids the file
 * wrote apart parse as one number (`9007199254740993` as 9007199254740992, `0.12345678901234566` and
 * `0.12345678901234567` both as 0.12345678901234566), so the dataset and its labels would pair two examples as one.
 * @example
 * ```ts
 * exampleIdText(7); // => '7'
 * exampleIdText(1.5); // => '1.5'
 * exampleIdText(0.12345678901234567); // => undefined (17 significant digits)
 * ```
 */
export function exampleIdText(id: unknown): string | undefined {
  if (typeof id === 'string') return id.length > 0 ? id : undefined;
  if (typeof id !== 'number' || !Number.isFinite(id) || Math.abs(id) > Number.MAX_SAFE_INTEGER)
    return undefined;
  const text = String(id);
  return Number.isInteger(id) || significantDigits(text) <= 15 ? text : undefined;
}

/** Significant digits of a number's shortest text (`'0.00120'` has 3 digits, `'1.5e-7'` 2). */
function significantDigits(text: string): number {
  return text.replace(/e.*$/, '').replace(/[-.]/g, '').replace(/^0+/, '').length;
}

/** Why `id` is not an example id (see {@link exampleIdText}), for an error message. */
export function exampleIdProblem(id: unknown): string {
  if (typeof id !== 'number' || !Number.isFinite(id))
    return `expected \`id\` to be a non-empty string, got ${_describe(id)}`;
  if (Math.abs(id) > Number.MAX_SAFE_INTEGER)
    return `expected \`id\` to be a non-empty string or an integer within ±(2^53 - 1), got ${_describe(id)}: past 2^53 a number may not be the id the file wrote; write it as a string`;
  return `expected \`id\` to be a non-empty string, an integer, or a number of at most 15 significant digits, got ${_describe(id)}: past 15 digits a number may not be the id the file wrote (two ids can parse as one number); write it as a string`;
}

/** True for anything `for await` can walk. */
function isDataset(value: unknown): value is Dataset {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  if (typeof value === 'string') return false;
  return (
    typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function' ||
    typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function'
  );
}

/** Throws a TypeError unless `dataset` is an iterable or async iterable (and not a string). */
export function checkDataset(dataset: unknown): asserts dataset is Dataset {
  if (!isDataset(dataset))
    throw new TypeError(
      `Expected \`dataset\` to be an array, iterable or async iterable of examples, got ${_describe(dataset)}`,
    );
}

/**
 * Validates rows one at a time and settles their ids: rows without an id get `#<position>` (stable across
 * runs of the same dataset); a duplicate id, a non-object row, a row without `input`, or (at `finish()`) an
 * empty dataset is a {@link DatasetError} naming the position and id. A class rather than a generator so the
 * hot loop of evaluate() can walk a sync iterable without a microtask per row.
 */
export class ExamplePlacer {
  private readonly seen = new Set<string>();
  private position = 0;

  place(row: unknown): PlacedExample {
    const position = this.position;
    if (row === null || typeof row !== 'object' || Array.isArray(row))
      throw new DatasetError(`${rowAt(position)}: expected an example object, got ${_describe(row)}`, {
        position,
      });
    const ex = row as Example;
    if (!('input' in ex))
      throw new DatasetError(`${rowAt(position)}: the example has no \`input\` field`, { position });
    const id = ex.id === undefined ? `#${position}` : exampleIdText(ex.id);
    if (id === undefined)
      throw new DatasetError(`${rowAt(position)}: ${exampleIdProblem(ex.id)}`, { position });
    if (this.seen.has(id))
      throw new DatasetError(`${rowAt(position)}: duplicate example id "${id}"`, { position, exampleId: id });
    this.seen.add(id);
    if (ex.group !== undefined && typeof ex.group !== 'string')
      throw new DatasetError(
        `${rowAt(position)} ("${id}"): expected \`group\` to be a string, got ${_describe(ex.group)}`,
        {
          position,
          exampleId: id,
        },
      );
    if (
      ex.context !== undefined &&
      (!Array.isArray(ex.context) || ex.context.some((c) => typeof c !== 'string'))
    )
      throw new DatasetError(`${rowAt(position)} ("${id}"): expected \`context\` to be an array of strings`, {
        position,
        exampleId: id,
      });
    if (ex.labels !== undefined) {
      const labels: unknown = ex.labels;
      if (labels === null || typeof labels !== 'object' || Array.isArray(labels))
        throw new DatasetError(
          `${rowAt(position)} ("${id}"): expected \`labels\` to be an object of metric name -> number, got ${_describe(labels)}`,
          { position, exampleId: id },
        );
      for (const [name, v] of Object.entries(labels))
        if (typeof v !== 'number' || !Number.isFinite(v))
          throw new DatasetError(
            `${rowAt(position)} ("${id}"): expected \`labels.${name}\` to be a finite number, got ${_describe(v)}`,
            { position, exampleId: id },
          );
    }
    this.position++;
    return { example: ex, id, position };
  }

  /** Throws when no row was placed. */
  finish(): void {
    if (this.position === 0) throw new DatasetError('The dataset is empty: there is nothing to evaluate');
  }
}

/** Walks a dataset lazily through an {@link ExamplePlacer}. */
export async function* placeExamples(dataset: Dataset): AsyncGenerator<PlacedExample> {
  const placer = new ExamplePlacer();
  for await (const row of dataset as AsyncIterable<unknown>) yield placer.place(row);
  placer.finish();
}
