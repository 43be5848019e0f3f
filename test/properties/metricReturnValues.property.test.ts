// Whatever a custom metric returns beside its numbers (anything JavaScript can: booleans, strings, BigInts, objects,
// NaN, ±Infinity, numbers out of range), the summary is the mean of the valid 0/1 scores alone, and every value that
// is neither a valid score nor the documented "missing" (NaN, { value: null }) is named in a run warning.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { evaluate, type Metric } from '../../src/index.js';
import { check } from './_prop.js';

function fail(msg: string): never {
  throw new Error(msg);
}
const other = fc.oneof(
  fc.boolean(),
  fc.string({ maxLength: 6 }),
  fc.bigInt({ min: -5n, max: 5n }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2, -1, 0.5),
  fc.oneof(fc.boolean(), fc.string({ maxLength: 6 }), fc.constant(null)).map((value) => ({ value })),
);
const cell = fc.oneof(fc.constantFrom(0, 1), other);

describe('metric return values (property)', () => {
  it('the mean is over the valid scores only; every invalid non-missing value warns', async () => {
    await check(
      'metric return values: mean over valid scores, invalid ones warned',
      200,
      fc.asyncProperty(fc.array(cell, { minLength: 1, maxLength: 30 }), async (cells) => {
        const m: Metric = {
          name: 'm',
          kind: 'binary',
          score: ({ example }) => cells[example.input as number] as number,
        };
        const ds = cells.map((_, i) => ({ id: `e${i}`, input: i }));
        const r = await evaluate(ds, async () => 'x', [m], { progress: false, resamples: 99 });
        const valid = cells.filter((c): c is number => c === 0 || c === 1);
        const s = r.metrics.m!;
        if (s.n !== valid.length) fail(`n ${s.n} != ${valid.length} valid scores`);
        const want = valid.reduce((a, v) => a + v, 0) / valid.length;
        if (valid.length > 0 && s.mean !== want) fail(`mean ${s.mean} != ${want}`);
        const silent = (c: unknown) =>
          (typeof c === 'number' && Number.isNaN(c)) ||
          (c !== null && typeof c === 'object' && (c as { value: unknown }).value === null);
        const loud = cells.some((c) => c !== 0 && c !== 1 && !silent(c));
        const warned = (r.warnings ?? []).some((w) => w.startsWith('metric `m` returned'));
        if (loud !== warned) fail(`warned ${warned}, expected ${loud}: ${JSON.stringify(r.warnings)}`);
      }),
    );
  });
});
