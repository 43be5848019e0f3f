/**
 * The protocol by which a dataset wrapper tells the run what a reader of its result must know (labels that
 * matched no example, say): a function under a well-known symbol, read once the run has read the dataset.
 * @module
 */
import { _describe } from '../_internal/describe.js';

/**
 * The key under which a dataset (an iterable or async iterable of examples) may carry a function returning notes
 * for the run's `result.warnings`. `evaluate()` calls it once, after it has read the dataset (to its end, or as
 * far as the run went), and adds each note to the warnings. `withLabels()` uses it to say how many label ids
 * matched no example. `Symbol.for('evalgate.datasetNotes')`, so that two copies of evalgate agree on it.
 */
export const datasetNotes: unique symbol = Symbol.for('evalgate.datasetNotes');

/**
 * A dataset that has notes for the run: `[datasetNotes]()` returns them (an empty array when it has none), each a
 * sentence for `result.warnings`. It is asked after the dataset has been read, so a wrapper can report on what it saw.
 */
export interface DatasetWithNotes {
  readonly [datasetNotes]: () => readonly string[];
}

/**
 * The notes `dataset` declares under {@link datasetNotes}: none when it declares none. A notes function that throws
 * or does not return an array of strings is itself the one note (the run's result is kept, not lost to it).
 * @example
 * ```ts
 * notesOfDataset([{ input: 1 }]); // => []
 * notesOfDataset(Object.assign([{ input: 1 }], { [datasetNotes]: () => ['3 labels unused'] })); // => ['3 labels unused']
 * ```
 */
export function notesOfDataset(dataset: unknown): readonly string[] {
  if (dataset === null || (typeof dataset !== 'object' && typeof dataset !== 'function')) return [];
  const read = (dataset as Partial<DatasetWithNotes>)[datasetNotes];
  if (read === undefined) return [];
  const bad = (what: string) => [
    `the dataset's notes (its [Symbol.for('evalgate.datasetNotes')]) were not read: ${what}`,
  ];
  if (typeof read !== 'function') return bad(`expected a function, got ${_describe(read)}`);
  let notes: unknown;
  try {
    notes = read.call(dataset);
  } catch (err) {
    return bad(`it threw ${err instanceof Error ? `${err.name}: ${err.message}` : _describe(err)}`);
  }
  if (!Array.isArray(notes) || !notes.every((n) => typeof n === 'string'))
    return bad(`expected an array of strings, got ${_describe(notes)}`);
  return notes;
}
