/**
 * Empty responses are never cached (DESIGN, "Cache"): a call whose value is `undefined`, `null` or `''` is
 * returned to the row, not written, and named once in the result's warnings.
 *
 * Regression: the runtime wrote whatever a `ctx.call` sender returned, so a sender that came back empty once (a
 * glitch, a filtered answer) answered every rerun with that empty value from the cache, for free and in silence.
 * The providers refuse an empty body as an error; a sender's own value went unchecked.
 */
import { describe, expect, it } from 'vitest';
import { memoryCache } from '../../src/cache/index.js';
import { ReplayMissError } from '../../src/errors.js';
import { evaluate } from '../../src/index.js';

describe('a call whose value is empty is returned, not cached', () => {
  it.each([
    ['an empty string', '', "''"],
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
  ])('%s: the rerun sends again, the warning names it, replay misses', async (_what, empty, shown) => {
    const cache = memoryCache();
    let sent = 0;
    const run = (mode?: 'replay') =>
      evaluate(
        [
          { id: 'a', input: 'q1' },
          { id: 'b', input: 'q2' },
        ],
        async (input, ctx) => {
          const r = await ctx.call({ request: { model: 'm', input } }, async () => {
            sent++;
            return { value: input === 'q1' ? empty : 'answer' };
          });
          return String(r.value);
        },
        [],
        { cache: mode === undefined ? cache : { store: cache, mode }, progress: false },
      );
    const first = await run();
    expect(first.examples.map((e) => e.output)).toEqual([String(empty), 'answer']);
    expect(first.warnings?.join('\n')).toContain(
      `empty response 1 time (returned, not cached): the call's value was ${shown}`,
    );
    const second = await run();
    expect(sent).toBe(3);
    expect(second.totals.cacheHits).toBe(1);
    expect(second.examples.map((e) => e.output)).toEqual([String(empty), 'answer']);

    await expect(run('replay')).rejects.toBeInstanceOf(ReplayMissError);
    expect(sent).toBe(3);
  });

  it('a value that is not empty (0, false, [], {}) is cached', async () => {
    const cache = memoryCache();
    let sent = 0;
    for (let run = 0; run < 2; run++)
      await evaluate(
        [0, false, [], {}].map((v, i) => ({ id: `r${i}`, input: JSON.stringify(v) })),
        async (input, ctx) => {
          const r = await ctx.call({ request: { input } }, async () => {
            sent++;
            return { value: JSON.parse(String(input)) as unknown };
          });
          return JSON.stringify(r.value);
        },
        [],
        { cache, progress: false },
      );
    expect(sent).toBe(4);
  });
});
