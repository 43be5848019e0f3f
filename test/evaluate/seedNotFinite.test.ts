// A seed that JSON cannot hold is refused. Regression: `seed: NaN` (a parsed env variable, say) ran, and the saved
// result's `config.seed` read `null` (JSON has no NaN or Infinity), so the run could not be reproduced from its file.
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/index.js';
import { echoDataset, echoMatch } from '../cache/_fixtures.js';

describe('seed', () => {
  it.each([
    [Number.NaN, 'Expected `seed` to be a finite number or a string, got `NaN` (number)'],
    [Number.POSITIVE_INFINITY, 'Expected `seed` to be a finite number or a string, got `Infinity` (number)'],
    [Number.NEGATIVE_INFINITY, 'Expected `seed` to be a finite number or a string, got `-Infinity` (number)'],
  ])('%s is a RangeError before any row runs', async (seed, message) => {
    let rows = 0;
    const err = await evaluate(
      echoDataset(3),
      async (x) => {
        rows++;
        return String(x);
      },
      [echoMatch],
      { seed, progress: false, resamples: 100 },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RangeError);
    expect((err as Error).message).toBe(message);
    expect(rows).toBe(0);
  });

  it.each([0, -3, 1.5, 'abc'])('%s is kept as given and survives JSON', async (seed) => {
    const r = await evaluate(echoDataset(3), async (x) => String(x), [echoMatch], {
      seed,
      progress: false,
      resamples: 100,
    });
    expect(JSON.parse(JSON.stringify(r)).config.seed).toBe(seed);
  });
});
