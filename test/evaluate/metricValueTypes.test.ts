// A custom metric (plain JavaScript, or typed loosely) can return a boolean, a numeric string or a BigInt, bare or
// as `{ value }`. None is a number: each is a refused score with a run warning naming it, like `Infinity` or a
// score outside the bounds, never a score dropped without a word. `value: false` beside `1` on other rows made
// the mean 1 over the rows that returned 1 (a 14-of-40 metric reported as perfect, interval [0.77, 1]).
import { describe, expect, it } from 'vitest';
import { evaluate, type Metric } from '../../src/index.js';

const ds = Array.from({ length: 40 }, (_, i) => ({ id: `e${i}`, input: i }));

describe('a metric that returns something other than a number', () => {
  it.each([
    ['{ value: false }', { value: false }, '`false` (boolean)'],
    ['{ value: true }', { value: true }, '`true` (boolean)'],
    ["{ value: '0' }", { value: '0' }, '`"0"` (string)'],
    ['bare false', false, '`false` (boolean)'],
    ["bare '0.5'", '0.5', '`"0.5"` (string)'],
    ['bare 1n', 1n, '`1n` (bigint)'],
    ['{ value: 0n }', { value: 0n }, '`0n` (bigint)'],
  ])(
    '%s on 26 of 40 rows: those scores are missing and a warning names the value',
    async (_, other, shown) => {
      const m: Metric = {
        name: 'm',
        kind: 'binary',
        score: ({ example }) => ((example.input as number) % 3 === 0 ? 1 : (other as unknown as number)),
      };
      const r = await evaluate(ds, async () => 'x', [m], { progress: false, resamples: 199 });
      expect(r.metrics.m!.n).toBe(14);
      expect(r.metrics.m!.nMissing).toBe(26);
      expect(r.warnings ?? []).toContain(
        `metric \`m\` returned ${shown} for example "e1" (and 25 more), not a number; those scores are missing`,
      );
      expect(r.examples[1]!.scores.m).toBeNull();
    },
  );

  it('NaN and { value: null } stay missing without a warning (the documented "missing")', async () => {
    for (const other of [Number.NaN, { value: null }]) {
      const m: Metric = {
        name: 'm',
        kind: 'binary',
        score: ({ example }) => ((example.input as number) % 3 === 0 ? 1 : (other as unknown as number)),
      };
      const r = await evaluate(ds, async () => 'x', [m], { progress: false, resamples: 199 });
      expect(r.metrics.m!.nMissing).toBe(26);
      expect(r.warnings ?? []).toEqual([]);
    }
  });
});
