// clopperPearsonInterval against scipy (fixture from clopperPearson.gen.py), 1e-9 relative.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clopperPearsonInterval } from '../../src/stats/index.js';

const fixture = JSON.parse(
  readFileSync(new URL('./clopperPearson.fixture.json', import.meta.url), 'utf8'),
) as {
  cases: { k: number; n: number; confidence: number; low: number; high: number }[];
};
const rel = (got: number, want: number) => Math.abs(got - want) <= 1e-9 * Math.abs(want);

describe('clopperPearsonInterval matches scipy.stats.binomtest(...).proportion_ci(method="exact")', () => {
  it.each(fixture.cases)('k=$k n=$n confidence=$confidence', ({ k, n, confidence, low, high }) => {
    const iv = clopperPearsonInterval(k, n, confidence);
    expect(rel(iv.low, low) || iv.low === low).toBe(true);
    expect(rel(iv.high, high) || iv.high === high).toBe(true);
  });

  it('refuses k > n, a non-integer n and a confidence outside (0, 1)', () => {
    expect(() => clopperPearsonInterval(3, 2, 0.95)).toThrow(RangeError);
    expect(() => clopperPearsonInterval(1, 2.5, 0.95)).toThrow();
    expect(() => clopperPearsonInterval(1, 2, 1)).toThrow(RangeError);
  });
});
