/**
 * The random order a gated run reads its dataset in: the dataset is read into an index (every example placed
 * and validated, ids settled by their position as given), its sampling units formed (an example, or every
 * example of one `group`), and the units shuffled with a seeded Fisher-Yates shuffle. A confidence sequence's
 * guarantee rests on that order: each unit is then a uniformly random draw, without replacement, of those left.
 * @module
 */

import seedrandom from 'seedrandom';
import type { Dataset } from '../core/types.js';
import type { PlacedExample } from '../dataset/examples.js';
import { DatasetError } from '../errors.js';
import { walkDataset } from './walkDataset.js';

/** The dataset's sampling units in their shuffled order. */
export interface _OrderedUnits {
  readonly units: readonly (readonly PlacedExample[])[];
  /** Examples left out by `keep` (a paired gate's examples missing from the baseline). */
  readonly dropped: number;
}

/** The unit an example belongs to: its group, or itself. */
export function _unitKey(placed: PlacedExample): string {
  const g = placed.example.group;
  return g === undefined ? `example:${placed.id}` : `group:${g}`;
}

/**
 * Reads every example of `dataset` (sync or async), groups them into units, and shuffles the units with
 * seedrandom's Alea generator seeded by `${seed}/gate-order` (so the order is reproducible run to run and
 * independent of the bootstrap's stream). Examples of one unit keep their relative order.
 * @throws {DatasetError} On a malformed row, an empty dataset, or when `keep` leaves nothing.
 */
export async function _readShuffledIndex(
  dataset: Dataset,
  seed: number | string,
  keep: (placed: PlacedExample) => boolean = () => true,
): Promise<_OrderedUnits> {
  const byUnit = new Map<string, PlacedExample[]>();
  let dropped = 0;
  const visit = (placed: PlacedExample) => {
    if (!keep(placed)) {
      dropped++;
      return undefined;
    }
    const key = _unitKey(placed);
    const unit = byUnit.get(key);
    if (unit === undefined) byUnit.set(key, [placed]);
    else unit.push(placed);
    return undefined;
  };
  await walkDataset(dataset, { visit });
  if (byUnit.size === 0)
    throw new DatasetError(
      `None of the dataset's ${dropped} examples is in the gate's baseline: a paired gate runs the baseline's examples`,
    );
  const units = [...byUnit.values()];
  const rng = seedrandom.alea(`${String(seed)}/gate-order`);
  for (let i = units.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = units[i]!;
    units[i] = units[j]!;
    units[j] = t;
  }
  return { units, dropped };
}
