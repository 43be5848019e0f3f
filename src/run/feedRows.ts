/**
 * Reads the dataset into the run's queue: lazily, with back-pressure (read ahead at most 2x concurrency, then
 * wait until the queue drains to 1x, so memory stays bounded without waiting on every row), `trials` rows per
 * example, until the run stops. A gated run is fed unit by unit in its random order (see `order.ts`), each unit
 * declared to the gate before its rows are queued.
 * @module
 */
import type { Dataset } from '../core/types.js';
import type { PlacedExample } from '../dataset/examples.js';
import { DatasetError } from '../errors.js';
import type { _GateTracker } from './gateTracker.js';
import { _readShuffledIndex } from './order.js';
import type { Run } from './Run.js';
import { walkDataset } from './walkDataset.js';

/**
 * Feeds every example of `dataset` to `run` (`run.config.trials` rows each) and waits for the queue to drain.
 * In replay mode the first row runs alone, so a pipeline that makes no call through evalgate is stopped after
 * one row, not after `concurrency`.
 * @throws {DatasetError} On a malformed row or source (after the rows in flight finish; see {@link _feeding}).
 */
export async function feedRows(run: Run, dataset: Dataset): Promise<void> {
  const { trials } = run.config;
  if (run.gate !== undefined) return _feedGated(run, run.gate, dataset, trials);
  let row = 0;
  let probe = run.rows.replay && run.rows.model.offline !== true;
  const visit = (placed: PlacedExample): Promise<void> | undefined => {
    for (let trial = 0; trial < trials; trial++) run.add(placed, trial, row++);
    if (probe) {
      probe = false;
      return run.idle();
    }
    return run.backPressure();
  };
  return _feeding(run, async () => {
    await walkDataset(dataset, { visit, stopped: () => run.stopped(), signal: run.rows.signal });
  });
}

/**
 * Runs `read`, marks the dataset complete and waits for the queue. A dataset error after rows were queued stops the
 * run (see `Run.stopOnDatasetError`) and lets the rows in flight finish (their calls are sent and paid for: evaluate() attaches the
 * partial result to the error); any other error, or one before any row, cancels what is in flight first.
 */
async function _feeding(run: Run, read: () => Promise<void>): Promise<void> {
  try {
    await read();
    run.markComplete();
    await run.idle();
  } catch (err) {
    if (err instanceof DatasetError && run.counts.queued > 0) run.stopOnDatasetError(err);
    else run.stop('fatal', err);
    await run.idle().catch(() => {});
    throw err;
  }
}

/**
 * Feeds a gated run unit by unit (every trial of an example, every example of a group, back to back), each unit
 * declared to the gate before its rows are queued. Without `shuffled` the dataset is indexed and shuffled
 * first, and the gate samples without replacement from the units it holds; a declared-shuffled stream is read
 * as it comes (its size unknown), one example per unit. A paired gate runs only the baseline's examples.
 * Records the rows planned with `run.indexRows` when the dataset was indexed.
 */
async function _feedGated(run: Run, gate: _GateTracker, dataset: Dataset, trials: number): Promise<void> {
  const keep = (p: PlacedExample) => gate.baseline === undefined || gate.baseline.has(p.id);
  const noteDropped = (dropped: number) => {
    if (dropped > 0)
      gate.warnings.push(
        `gate: ${dropped} example${dropped === 1 ? ' is' : 's are'} not scored in the baseline, so the paired gate did not run ${dropped === 1 ? 'it' : 'them'}`,
      );
  };
  let row = 0;
  let unit = 0;
  const feedUnit = (examples: readonly PlacedExample[]): Promise<void> | undefined => {
    const rows = Array.from({ length: examples.length * trials }, (_, i) => row + i);
    gate.expectUnit(unit++, rows);
    for (const placed of examples) for (let trial = 0; trial < trials; trial++) run.add(placed, trial, row++);
    return run.backPressure();
  };
  return _feeding(run, async () => {
    if (!run.config.shuffled) {
      const { units, dropped } = await _readShuffledIndex(dataset, run.config.seed, keep);
      noteDropped(dropped);
      run.indexRows(units.reduce((n, u) => n + u.length, 0) * trials);
      gate.start(
        units.length,
        'seeded',
        units.map((u) => u.length),
      );
      for (const u of units) {
        if (run.stopped()) break;
        const wait = feedUnit(u);
        if (wait) await wait;
      }
    } else {
      gate.start(undefined, 'as-given');
      let dropped = 0;
      const take = (placed: PlacedExample): Promise<void> | undefined => {
        if (placed.example.group !== undefined)
          throw new DatasetError(
            `dataset row ${placed.position} ("${placed.id}") has a \`group\`, but a gate over a stream declared \`shuffled\` cannot sample whole groups: pass the dataset without \`shuffled: true\` so it is indexed and shuffled by group`,
            { position: placed.position, exampleId: placed.id },
          );
        if (!keep(placed)) {
          dropped++;
          return undefined;
        }
        return feedUnit([placed]);
      };
      await walkDataset(dataset, { visit: take, stopped: () => run.stopped(), signal: run.rows.signal });
      noteDropped(dropped);
    }
  });
}
