// A misspelled key inside `cache` or `cluster` is refused, not ignored. Regression: `cache: { store, mdoe: 'replay' }`
// ran in read-write mode (every row sent to the provider and paid for, where the user asked for an offline, free
// replay), and `cluster: { …, heartbeatTimeoutMS: 60_000 }` kept the 10 s default (workers abandon a run whose
// coordinator pauses longer), both without a word.
import { describe, expect, it } from 'vitest';
import { memoryCache } from '../../src/cache/index.js';
import type { ModelContext } from '../../src/core/types.js';
import { evaluate } from '../../src/index.js';
import { echoDataset, echoMatch } from '../cache/_fixtures.js';

describe('a nested option evalgate does not know', () => {
  it.each([
    [
      'cache.mdoe',
      { cache: { store: memoryCache(), mdoe: 'replay' } },
      'Unknown option `cache.mdoe`, got `"replay"` (string)',
    ],
    [
      'cluster.heartbeatTimeoutMS',
      { cluster: { redis: 'redis://127.0.0.1:1', task: './task.ts', heartbeatTimeoutMS: 60_000 } },
      'Unknown option `cluster.heartbeatTimeoutMS`, got `60000` (number)',
    ],
    [
      'cluster.chunksize',
      { cluster: { redis: 'redis://127.0.0.1:1', task: './task.ts', chunksize: 8 } },
      'Unknown option `cluster.chunksize`, got `8` (number)',
    ],
  ])('evaluate() refuses %s before any row runs or anything connects', async (_key, options, message) => {
    let rows = 0;
    const model = async (input: unknown) => {
      rows++;
      return String(input);
    };
    const err = await evaluate(echoDataset(3), model, [echoMatch], {
      progress: false,
      resamples: 100,
      ...(options as object),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toBe(message);
    expect(rows).toBe(0);
  });

  it('a cache given as { store, mode } still runs in that mode', async () => {
    const store = memoryCache();
    let sent = 0;
    const model = async (input: unknown, ctx: ModelContext) =>
      String(
        (
          await ctx.call({ request: { input } }, async () => {
            sent++;
            return { value: `a${String(input)}` };
          })
        ).value,
      );
    await evaluate(echoDataset(3), model, [echoMatch], {
      progress: false,
      cache: { store, mode: 'read-write' },
    });
    await evaluate(echoDataset(3), model, [echoMatch], {
      progress: false,
      cache: { store, mode: 'replay' },
    });
    expect(sent).toBe(3);
  });
});
