/**
 * Reads the dataset into the run's queue: lazily, with back-pressure (read ahead at most 2x concurrency, then
 * wait until the queue drains to 1x, so memory stays bounded without waiting on every row), `trials` rows per
 * example, until the run stops.
 * @module
 */
import type { Dataset } from '../core/types.js';
import { _ExamplePlacer } from '../dataset/examples.js';
import type { _Run } from './createRun.js';

/**
 * Feeds every example of `dataset` to `run` and waits for the queue to drain. In replay mode the first row runs
 * alone, so a pipeline that makes no call through evalgate is stopped after one row, not after `concurrency`.
 * @throws {DatasetError} On a malformed row or source (in-flight rows are cancelled first).
 */
export async function _feedRows(run: _Run, dataset: Dataset, trials: number): Promise<void> {
  const placer = new _ExamplePlacer();
  const { queue, concurrency } = run;
  let row = 0;
  let probe = run.rows.replay && run.rows.model.offline !== true;
  // Returns a promise only when the reader must wait, so a sync dataset is walked without a microtask per row.
  const feed = (item: unknown): Promise<void> | undefined => {
    const placed = placer.place(item);
    for (let trial = 0; trial < trials; trial++) run.add(placed, trial, row++);
    if (probe) {
      probe = false;
      return queue.onIdle();
    }
    return queue.size >= 2 * concurrency ? queue.onSizeLessThan(concurrency) : undefined;
  };
  try {
    if (typeof (dataset as Iterable<unknown>)[Symbol.iterator] === 'function') {
      for (const item of dataset as Iterable<unknown>) {
        if (run.stopped()) break;
        const wait = feed(item);
        if (wait) await wait;
      }
    } else {
      for await (const item of dataset as AsyncIterable<unknown>) {
        if (run.stopped()) break;
        const wait = feed(item);
        if (wait) await wait;
      }
    }
    if (!run.stopped()) placer.finish();
    run.complete = true;
    await queue.onIdle();
  } catch (err) {
    // A dataset error while reading: cancel what is in flight, then surface it.
    run.stop('fatal', err);
    await queue.onIdle().catch(() => {});
    throw err;
  }
}
