import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxInWindow } from '../../src/testing/index.js';
import { check } from '../properties/_prop.js';

/** The definition: the largest total weight of entries in any half-open window [t, t + w) starting at an entry. */
function bruteForce(log: readonly { at: number; w: number }[], windowMs: number): number {
  let best = 0;
  for (const start of log) {
    let sum = 0;
    for (const e of log) if (e.at >= start.at && e.at < start.at + windowMs) sum += e.w;
    best = Math.max(best, sum);
  }
  return best;
}

describe('maxInWindow edges', () => {
  // A NaN time made the sort comparator inconsistent: [{at: NaN}, {at: 0}, {at: 1}] in a 1000 ms window gave
  // 3, though at most two real times fit; a NaN weight made every sum NaN and the peak 0.
  it.each([
    ['a NaN time', [{ at: Number.NaN }, { at: 0 }, { at: 1 }], /`log\[0\]\.at`.*NaN/],
    ['an infinite time', [{ at: 0 }, { at: Number.POSITIVE_INFINITY }], /`log\[1\]\.at`.*Infinity/],
    ['a string time', [{ at: 0 }, { at: '5' }], /`log\[1\]\.at`.*"5"/],
    ['a null entry', [{ at: 0 }, null], /`log\[1\]`.*null/],
  ])('refuses %s with an error naming the entry', (_name, log, pattern) => {
    expect(() => maxInWindow(log as never, 1000)).toThrow(pattern);
  });

  it.each([
    ['NaN', Number.NaN],
    ['negative', -1],
    ['infinite', Number.POSITIVE_INFINITY],
    ['a string', '2'],
  ])('refuses a weight that is %s with a RangeError or TypeError naming the entry', (_name, w) => {
    expect(() => maxInWindow([{ at: 0 }, { at: 1 }], 1000, () => w as number)).toThrow(/weight.*log\[0\]/);
  });

  it('matches the brute-force definition whatever the order, with ties and weights', () =>
    check(
      'maxInWindow = brute force',
      300,
      fc.property(
        fc.array(fc.record({ at: fc.integer({ min: 0, max: 50 }), w: fc.integer({ min: 0, max: 5 }) }), {
          maxLength: 30,
        }),
        fc.integer({ min: 1, max: 20 }),
        (log, windowMs) => {
          expect(maxInWindow(log, windowMs, (e) => e.w)).toBe(bruteForce(log, windowMs));
          expect(maxInWindow(log, windowMs)).toBe(
            bruteForce(
              log.map((e) => ({ at: e.at, w: 1 })),
              windowMs,
            ),
          );
        },
      ),
    ));
});
