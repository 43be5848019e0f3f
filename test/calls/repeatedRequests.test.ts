// The places of a row's identical requests (RepeatedRequests): each key counts its own requests from 0; a place
// given back is taken by the next request of that key, lowest first; other keys are untouched. As a property
// (fast-check, seeded): for any sequence of takes and give-backs, the places of a key in use are distinct, and
// taken places are the lowest not in use when a key has given places back.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RepeatedRequests } from '../../src/calls/repeatedRequests.js';

describe('RepeatedRequests', () => {
  it('counts each key from 0, and hands a given-back place to the next request of its key', () => {
    const r = new RepeatedRequests();
    expect([r.take('a'), r.take('a'), r.take('b'), r.take('a'), r.take('b')]).toEqual([0, 1, 0, 2, 1]);
    r.giveBack('a', 1);
    r.giveBack('a', 0);
    expect([r.take('b'), r.take('a'), r.take('a'), r.take('a')]).toEqual([2, 0, 1, 3]);
  });

  it('never hands out a place in use, and fills the lowest free one (property)', () => {
    const step = fc.record({ key: fc.constantFrom('a', 'b', 'c'), fail: fc.boolean() });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const r = new RepeatedRequests();
        const inUse = new Map<string, Set<number>>();
        for (const { key, fail } of steps) {
          const used = inUse.get(key) ?? new Set<number>();
          inUse.set(key, used);
          const place = r.take(key);
          expect(used.has(place)).toBe(false);
          let lowest = 0;
          while (used.has(lowest)) lowest++;
          expect(place).toBe(lowest);
          used.add(place);
          if (fail) {
            r.giveBack(key, place);
            used.delete(place);
          }
        }
      }),
      { seed: 20, numRuns: 500 },
    );
  });
});
