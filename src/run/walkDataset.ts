/**
 * The one walk over a dataset that every feeder shares (the in-process feeder, the gated one, the shuffled
 * index, the cluster coordinator): each item placed (its id, its position, its checks), in order, sync and async
 * sources alike, until the feeder stops, with the dataset-level checks once the end is reached.
 * @module
 */
import { raceAbort } from '../calls/waits.js';
import type { Dataset } from '../core/types.js';
import { ExamplePlacer, type PlacedExample } from '../dataset/examples.js';
import { DatasetError } from '../errors.js';

/** How a walk visits the dataset. */
export interface DatasetVisitor {
  /**
   * Called with every example, placed, and the raw item it came from. Returns a promise only when the walk must
   * wait before the next item (back-pressure), so a sync dataset is walked without a microtask per row.
   */
  readonly visit: (placed: PlacedExample, item: unknown) => Promise<void> | undefined;
  /** Asked before each item: `true` ends the walk there, without the end-of-dataset checks. */
  readonly stopped?: () => boolean;
  /** Ends a wait for an async source's next item when it aborts (a stalled source must not hold the run). */
  readonly signal?: AbortSignal;
}

/**
 * Walks `dataset` once, placing every item and handing it to `visit`, until `stopped()` says so.
 * @returns `true` when the walk reached the end of the dataset (and its end checks passed), `false` when it
 *   was stopped first.
 * @throws {DatasetError} On a malformed row, a duplicate id, an empty dataset (at its end), or the source failing to
 *   give its next item (naming the row; the source's error is the `cause`).
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
  let rows = 0;
  const take = (item: unknown) => visitor.visit(placer.place(item), item);
  if (typeof (dataset as Iterable<unknown>)[Symbol.iterator] === 'function') {
    // By hand rather than `for…of`, so a failure of the source is told from one of the visit.
    const it = readSource(() => (dataset as Iterable<unknown>)[Symbol.iterator](), rows);
    for (;;) {
      // No closure per row: this loop is the walk of every in-memory dataset.
      let r: IteratorResult<unknown>;
      try {
        r = it.next();
      } catch (err) {
        throw sourceError(err, rows);
      }
      if (r.done) break;
      // As `for…of` does: leaving the walk from its body (a stop, a throw) tells the source to stop.
      let left = true;
      try {
        if (stopped()) return false;
        const wait = take(r.value);
        if (wait) await wait;
        rows++;
        left = false;
      } finally {
        if (left) it.return?.();
      }
    }
  } else {
    const it = readSource(() => (dataset as AsyncIterable<unknown>)[Symbol.asyncIterator](), rows);
    for (;;) {
      let r: IteratorResult<unknown> | undefined;
      try {
        r = await nextOrAbort(it, visitor.signal);
      } catch (err) {
        throw sourceError(err, rows);
      }
      if (r === undefined) return false; // the run aborted while the source was waiting for its next item
      if (r.done) break;
      // As `for await` does: leaving the walk from its body (a stop, a throw) tells the source to stop.
      let left = true;
      try {
        if (stopped()) return false;
        const wait = take(r.value);
        if (wait) await wait;
        rows++;
        left = false;
      } finally {
        if (left) await it.return?.();
      }
    }
  }
  if (stopped()) return false;
  placer.finish();
  return true;
}

/** Runs one read of the source (making its iterator, its next item), its failure a {@link sourceError}. */
function readSource<T>(read: () => T, rows: number): T {
  try {
    return read();
  } catch (err) {
    throw sourceError(err, rows);
  }
}

/**
 * The source's own failure as a DatasetError naming the row it could not give, its error the `cause`; a
 * DatasetError (loadJsonl's, naming its line) is already that and passes as is.
 */
function sourceError(err: unknown, rows: number): unknown {
  if (err instanceof DatasetError) return err;
  const what = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return new DatasetError(`dataset row ${rows}: reading the dataset failed after ${rows} rows: ${what}`, {
    position: rows,
    cause: err,
  });
}

/**
 * The source's next item, or `undefined` as soon as `signal` aborts: the pending read is then abandoned (its
 * failure never left unhandled) and the source told to stop, without waiting for it.
 */
async function nextOrAbort(
  it: AsyncIterator<unknown>,
  signal: AbortSignal | undefined,
): Promise<IteratorResult<unknown> | undefined> {
  if (signal === undefined) return it.next();
  try {
    if (!signal.aborted) return await raceAbort(it.next(), signal);
  } catch (err) {
    if (!signal.aborted || err !== signal.reason) throw err;
  }
  Promise.resolve(it.return?.()).then(undefined, ignore);
  return undefined;
}

function ignore(): void {}
