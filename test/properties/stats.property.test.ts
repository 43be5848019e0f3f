// Invariants of the finite-sample intervals in evalgate/stats (issue 19), as properties over hundreds of runs.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { boundedMeanInterval, clopperPearsonInterval } from '../../src/stats/index.js';
import { check } from './_prop.js';

function fail(msg: string): never {
  throw new Error(msg);
}
const nk = fc
  .integer({ min: 1, max: 400 })
  .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n })));
const level = fc.double({ min: 0.5, max: 0.999999, noNaN: true });

describe('finite-sample interval properties', () => {
  it('Clopper-Pearson contains k/n, mirrors at n - k, and nests across levels', () => {
    check(
      'clopper-pearson contains, mirrors, nests',
      500,
      fc.property(nk, level, level, ([n, k], c1, c2) => {
        const [lo, hi] = c1 <= c2 ? [c1, c2] : [c2, c1];
        const a = clopperPearsonInterval(k, n, lo);
        const b = clopperPearsonInterval(k, n, hi);
        const m = clopperPearsonInterval(n - k, n, lo);
        if (!(a.low <= k / n && k / n <= a.high)) fail(`[${a.low}, ${a.high}] excludes ${k}/${n}`);
        if (Math.abs(a.low - (1 - m.high)) > 1e-12 || Math.abs(a.high - (1 - m.low)) > 1e-12)
          fail('not mirrored');
        if (!(b.low <= a.low + 1e-12 && b.high >= a.high - 1e-12)) fail(`${hi} does not contain ${lo}`);
      }),
    );
  });

  it('the bounded-mean interval lies in its bounds, and one observation certifies nothing at 95%', () => {
    const xs = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 200 });
    check(
      'bounded-mean in bounds',
      300,
      fc.property(xs, level, (values, c) => {
        const iv = boundedMeanInterval(values, [0, 1], c);
        if (!(iv.low >= 0 && iv.high <= 1 && iv.low <= iv.high)) fail(`[${iv.low}, ${iv.high}]`);
      }),
    );
    check(
      'one observation: bounded-mean is [0, 1] at 95%',
      300,
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (x) => {
        const iv = boundedMeanInterval([x], [0, 1], 0.95);
        if (iv.low !== 0 || iv.high !== 1) fail(`[${iv.low}, ${iv.high}] from one ${x}`);
      }),
    );
  });
});
