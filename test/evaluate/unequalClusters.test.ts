// With fewer than 30 independent units, a summary's finite-sample interval took the units' means as equally weighted
// observations (Clopper-Pearson over the units, or the bounded-mean interval of their means), then widened it to hold
// the estimate. The estimate is the mean over ROWS: with groups of unequal size that interval is one for another
// number. 10 singleton groups scoring 1 beside one group of 30 scoring 0: mean 0.25, Clopper-Pearson of 10 units in
// 11 is [0.59, 0.998], reported as [0.25, 0.998], a lower bound the estimate itself certified. Now Korn and
// Graubard's interval (binary, every group all right or all wrong) or Hoeffding's of the weighted mean, checked against
// an independent Python computation (fixtures/gen_unequal_clusters.py, scipy 1.17.1).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluate, type Metric } from '../../src/index.js';
import { expectRel } from '../stats/_rel.js';

interface Case {
  readonly name: string;
  readonly kind: 'binary' | 'continuous';
  readonly values: readonly number[];
  readonly groups: readonly (string | null)[];
  readonly confidence: number;
  readonly mean: number;
  readonly low: number;
  readonly high: number;
  readonly method: 'korn-graubard' | 'hoeffding';
}

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/unequalClusters.json', import.meta.url), 'utf8'),
) as { cases: Case[] };

/** One run of the case's rows, each example scoring its value, grouped as the case says. */
async function run(c: Pick<Case, 'kind' | 'values' | 'groups'>, confidence = 0.95) {
  const metric: Metric = {
    name: 'm',
    kind: c.kind,
    ...(c.kind === 'binary' ? {} : { bounds: [0, 1] as const }),
    score: ({ example }) => example.input as number,
  };
  const data = c.values.map((v, i) => ({
    id: `e${i}`,
    input: v,
    ...(c.groups[i] === null ? {} : { group: c.groups[i]! }),
  }));
  const r = await evaluate(data, async () => 'x', [metric], { progress: false, confidence });
  return r.metrics.m!;
}

describe('few groups of unequal size: an interval for the mean over rows', () => {
  it.each(fixture.cases)('$name: $method, as the Python reference', async (c) => {
    const m = await run(c, c.confidence);
    expect(m.ci.method).toBe(c.method);
    expectRel(m.mean, c.mean, 1e-9, 'mean');
    expectRel(m.ci.low, c.low, 1e-9, 'low');
    expectRel(m.ci.high, c.high, 1e-9, 'high');
    expect(m.ci.low).toBeLessThan(m.mean);
    expect(m.ci.high).toBeGreaterThan(m.mean);
  });

  const singles = Array.from({ length: 10 }, (_, i) => `s${i}`);
  it('10 singletons at 1 beside a group of 30 at 0: the interval holds values on both sides of 0.25', async () => {
    const m = await run({
      kind: 'binary',
      values: [...Array(10).fill(1), ...Array(30).fill(0)],
      groups: [...singles, ...Array(30).fill('big')],
    });
    expect(m.mean).toBe(0.25);
    expect(m.ci.low).toBeLessThan(0.25);
    expect(m.ci.high).toBeGreaterThan(0.25);
    expect(m.ci.high).toBeLessThan(0.8); // not Clopper-Pearson over 11 units, [0.59, 0.998]
    expect(m.ci.note).toContain("Korn and Graubard's effective sample size");
    expect(m.warning).toContain('11 units < 30: Korn-Graubard interval');
  });

  it('the mirror (10 singletons at 0, a group of 30 at 1): an upper bound above 0.75', async () => {
    const m = await run({
      kind: 'binary',
      values: [...Array(10).fill(0), ...Array(30).fill(1)],
      groups: [...singles, ...Array(30).fill('big')],
    });
    expect(m.mean).toBe(0.75);
    expect(m.ci.low).toBeLessThan(0.75);
    expect(m.ci.high).toBeGreaterThan(0.75);
  });

  it('a bounded metric on those groups: Hoeffding, and one group of 75% of the rows certifies nothing', async () => {
    const m = await run({
      kind: 'continuous',
      values: [...Array(10).fill(0.95), ...Array(30).fill(0.05)],
      groups: [...singles, ...Array(30).fill('big')],
    });
    expect(m.ci.method).toBe('hoeffding');
    expect([m.ci.low, m.ci.high]).toEqual([0, 1]);
    expect(m.ci.note).toContain('Hoeffding interval of the size-weighted mean of the unit means');
  });
});
