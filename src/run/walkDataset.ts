/**
 * The one walk over a dataset that every feeder shares (the in-process feeder, the gated one, the shuffled
 * index, the cluster coordinator): each item placed (its id, its position, its checks), in order, sync and async
 * sources alike, until the feeder stops, with the dataset-level checks once the end is reached.
 * @module
 */
import type { Dataset } from '../core/types.js';
import { ExamplePlacer, type PlacedExample } from '../dataset/examples.js';

/** How a walk visits the dataset. */
export interface DatasetVisitor {
  /**
   * Called with every example, placed, and the raw item it came from. Returns a promise only when the walk must
   * wait before the next item (back-pressure), so a sync dataset is walked without a microtask per row.
   */
  readonly visit: (placed: PlacedExample, item: unknown) => Promise<void> | undefined;
  /** Asked before each item: `true` ends the walk there, without the end-of-dataset checks. */
  readonly stopped?: () => boolean;
}

/**
 * Walks `dataset` once, placing every item and handing it to `visit`, until `stopped()` says so.
 * @returns `true` when the walk reached the end of the dataset (and its end checks passed), `false` when it
 *   was stopped first.
 * @throws {DatasetError} On a malformed row, a duplicate id, or an empty dataset (at its end).
 * @example
 * ```ts
 * const ids: string[] = [];
 * await walkDataset([{ input: 1 }, { input: 2 }], { visit: (p) => void ids.push(p.id) }); // => true
 * ids; // => ['#0', '#1']
 * ```
 */
export async function walkDataset(dataset: Dataset, visitor: DatasetVisitor): Promise<boolean> {
  const placer = new ExamplePlacer();
  const stopped = visitor.stopped ?? (() => false);
  const take = (item: unknown) => visitor.visit(placer.place(item), item);
  if (typeof (dataset as Iterable<unknown>)[Symbol.iterator] === 'function') {
    for (const item of dataset as Iterable<unknown>) {
      if (stopped()) return false;
      const wait = take(item);
      if (wait) await wait;
    }
  } else {
    for await (const item of dataset as AsyncIterable<unknown>) {
      if (stopped()) return false;
      const wait = take(item);
      if (wait) await wait;
    }
  }
  if (stopped()) return false;
  placer.finish();
  return true;
}
