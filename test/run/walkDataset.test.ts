// The one dataset walk every feeder shares (in-process, gated, the shuffled index, the cluster coordinator):
// items placed in order, sync and async sources alike, stopped when the feeder says so, end checks at the end.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/core/types.js';
import type { PlacedExample } from '../../src/dataset/examples.js';
import { DatasetError } from '../../src/errors.js';
import { walkDataset } from '../../src/run/walkDataset.js';

async function* asAsync<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

/** Distinct example ids, possibly none given (then ids are `#position`). */
const examples = fc
  .uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 40 })
  .chain((ids) =>
    fc.tuple(fc.constant(ids), fc.array(fc.boolean(), { minLength: ids.length, maxLength: ids.length })),
  )
  .map(([ids, given]) => ids.map((id, i) => (given[i] ? { id, input: i } : { input: i })))
  .filter((rows) => {
    const ids = rows.map((r, i) => ('id' in r ? r.id : `#${i}`));
    return new Set(ids).size === ids.length;
  });

describe('walkDataset', () => {
  it('visits every example once, in order, the same for an array and an async stream', async () => {
    await fc.assert(
      fc.asyncProperty(
        examples.filter((rows) => rows.length > 0),
        async (rows) => {
          const fromArray: PlacedExample[] = [];
          const fromStream: PlacedExample[] = [];
          expect(await walkDataset(rows, { visit: (p) => void fromArray.push(p) })).toBe(true);
          expect(await walkDataset(asAsync(rows), { visit: (p) => void fromStream.push(p) })).toBe(true);
          expect(fromArray.map((p) => p.position)).toEqual(rows.map((_, i) => i));
          expect(fromArray.map((p) => p.id)).toEqual(rows.map((r, i) => ('id' in r ? r.id : `#${i}`)));
          expect(fromStream.map((p) => [p.id, p.position])).toEqual(fromArray.map((p) => [p.id, p.position]));
          expect(fromArray.map((p) => p.example)).toEqual(rows);
        },
      ),
      { seed: 20, numRuns: 300 },
    );
  });

  it('stops before the item after the one that stopped it, without the end checks', async () => {
    await fc.assert(
      fc.asyncProperty(examples, fc.nat(45), fc.boolean(), async (rows, stopAfter, async) => {
        const seen: string[] = [];
        const walking = walkDataset(async ? asAsync(rows) : rows, {
          visit: (p) => void seen.push(p.id),
          stopped: () => seen.length >= stopAfter,
        });
        if (stopAfter > rows.length && rows.length === 0) {
          // Read to its end, and empty: the end check refuses it.
          await expect(walking).rejects.toBeInstanceOf(DatasetError);
          return;
        }
        // Stopped (even an empty dataset stopped before its end is no error), or read to its end.
        expect(await walking).toBe(stopAfter > rows.length);
        expect(seen).toEqual(
          rows.slice(0, Math.min(stopAfter, rows.length)).map((r, i) => ('id' in r ? r.id : `#${i}`)),
        );
      }),
      { seed: 21, numRuns: 300 },
    );
  });

  it('waits on the promise a visit returns before reading the next item (back-pressure)', async () => {
    const events: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const walking = walkDataset(
      (function* () {
        for (let i = 0; i < 3; i++) {
          events.push(`read ${i}`);
          yield { input: i };
        }
      })(),
      {
        visit: (p) => {
          events.push(`visit ${p.position}`);
          return p.position === 0 ? gate : undefined;
        },
      },
    );
    await new Promise((r) => setTimeout(r, 10));
    expect(events).toEqual(['read 0', 'visit 0']);
    release();
    expect(await walking).toBe(true);
    expect(events).toEqual(['read 0', 'visit 0', 'read 1', 'visit 1', 'read 2', 'visit 2']);
  });

  it('refuses an empty dataset, a duplicate id and a malformed row with a DatasetError', async () => {
    await expect(walkDataset([], { visit: () => undefined })).rejects.toThrow(
      new DatasetError('The dataset is empty: there is nothing to evaluate'),
    );
    await expect(walkDataset(asAsync([]), { visit: () => undefined })).rejects.toBeInstanceOf(DatasetError);
    await expect(
      walkDataset(
        [
          { id: 'a', input: 1 },
          { id: 'a', input: 2 },
        ],
        { visit: () => undefined },
      ),
    ).rejects.toThrow('dataset row 1: duplicate example id "a"');
    await expect(
      walkDataset([{ input: 1 }, 7] as unknown as Dataset, { visit: () => undefined }),
    ).rejects.toThrow('dataset row 1: expected an example object, got `7` (number)');
  });
});
