import { describe, expect, it } from 'vitest';
import { bootstrapCI } from '../../src/stats/bootstrapCI.js';
import { cohensD } from '../../src/stats/cohensD.js';
import { mcnemarTest, mcnemarTestFromTable } from '../../src/stats/mcnemarTest.js';
import { pairedTTest } from '../../src/stats/pairedTTest.js';
import { wilcoxonSignedRankTest } from '../../src/stats/wilcoxonSignedRankTest.js';
import { expectRel } from './_rel.js';

const sum = (x: Float64Array) => x.reduce((s, v) => s + v, 0);
const mean = (x: Float64Array) => sum(x) / x.length;

describe('bootstrapCI behaviour', () => {
  const x = Array.from({ length: 200 }, (_, i) => Math.sin(i) * 3 + (i % 7));

  it('is reproducible with the default seed and changes with another seed', () => {
    const a = bootstrapCI(x);
    const b = bootstrapCI(x);
    expect([a.low, a.high, a.stderr]).toEqual([b.low, b.high, b.stderr]);
    const c = bootstrapCI(x, { seed: 12345 });
    expect(c.low).not.toBe(a.low);
    expectRel(c.low, a.low, 0.02); // same distribution, different Monte Carlo draw
    expect(a).toMatchObject({ method: 'bca', level: 0.95, resamples: 9999, n: 200, resampling: 'items' });
    expect(Object.isFrozen(a)).toBe(true);
  });

  it('the default mean equals an explicit mean statistic resampled item by item (same seed, different path)', () => {
    const fast = bootstrapCI(x, { resamples: 4000, seed: 's' });
    const slow = bootstrapCI(x, { resamples: 4000, seed: 's', statistic: mean });
    expectRel(fast.acceleration as number, slow.acceleration as number, 1e-9); // O(n) jackknife = generic jackknife
    expectRel(fast.estimate, slow.estimate, 1e-14);
    expectRel(fast.low, slow.low, 1e-12); // same index streams: identical resamples
    expectRel(fast.high, slow.high, 1e-12);
  });

  it('binary data are resampled as multinomial counts with the same distribution as items', () => {
    const y = Array.from({ length: 400 }, (_, i) => ((i * 7919) % 10 < 7 ? 1 : 0));
    const counts = bootstrapCI(y, { resamples: 20000, seed: 'a' });
    const items = bootstrapCI(y, { resamples: 20000, seed: 'a', statistic: mean });
    expect(counts.resampling).toBe('counts');
    expect(items.resampling).toBe('items');
    // Bootstrap SE of a proportion: sqrt(p(1-p)/n); both paths within Monte Carlo error (~1%) of it.
    const p = mean(Float64Array.from(y));
    const se = Math.sqrt((p * (1 - p)) / y.length);
    expectRel(counts.stderr, se, 0.03);
    expectRel(items.stderr, se, 0.03);
    expectRel(counts.low, items.low, 0.01);
    expectRel(counts.high, items.high, 0.01);
    expectRel(counts.acceleration as number, items.acceleration as number, 1e-12);
  });

  it('one-sided intervals and the basic / percentile methods', () => {
    const less = bootstrapCI(x, { alternative: 'less', resamples: 2000 });
    expect(less.low).toBe(Number.NEGATIVE_INFINITY);
    const greater = bootstrapCI(x, { alternative: 'greater', resamples: 2000 });
    expect(greater.high).toBe(Number.POSITIVE_INFINITY);
    const pc = bootstrapCI(x, { method: 'percentile', resamples: 2000 });
    const basic = bootstrapCI(x, { method: 'basic', resamples: 2000 });
    expectRel(basic.low, 2 * pc.estimate - pc.high, 1e-12);
    expectRel(basic.high, 2 * pc.estimate - pc.low, 1e-12);
    expect(pc.acceleration).toBeUndefined();
  });

  it('does not mutate (frozen) inputs, even when the statistic sorts its argument', () => {
    const data = Object.freeze([5, 1, 4, 2, 3, 9, 7]);
    const groups = Object.freeze(['a', 'a', 'b', 'b', 'c', 'c', 'd']);
    const median = (v: Float64Array) => v.sort()[v.length >> 1];
    const r = bootstrapCI(data, { statistic: median, resamples: 50, groups });
    expect(data).toEqual([5, 1, 4, 2, 3, 9, 7]);
    expect(r.estimate).toBe(4);
  });
});

describe('bootstrapCI with groups (cluster bootstrap)', () => {
  // 12 documents with 1-6 questions each; scores correlated within a document.
  const groups: string[] = [];
  const values: number[] = [];
  for (let g = 0; g < 12; g++) {
    const size = 1 + (g % 6);
    const docLevel = (g * 37) % 10 < 6 ? 1 : 0;
    for (let k = 0; k < size; k++) {
      groups.push(`doc${g}`);
      values.push(k === 2 ? 1 - docLevel : docLevel);
    }
  }

  it('grouped mean: leave-one-cluster-out jackknife acceleration, hand-computed', () => {
    const r = bootstrapCI(values, { groups, resamples: 3000 });
    expect(r.method).toBe('cluster-bca');
    expect(r.resampling).toBe('clusters');
    expect(r.clusters).toBe(12);
    const total = values.reduce((s, v) => s + v, 0);
    const jack: number[] = [];
    for (let g = 0; g < 12; g++) {
      const idx = groups.map((l, i) => (l === `doc${g}` ? i : -1)).filter((i) => i >= 0);
      const sg = idx.reduce((s, i) => s + values[i], 0);
      jack.push((total - sg) / (values.length - idx.length));
    }
    const jm = jack.reduce((s, v) => s + v, 0) / 12;
    const u = jack.map((t) => 11 * (jm - t));
    const a =
      ((1 / 6) * u.reduce((s, v) => s + v ** 3, 0)) /
      12 ** 3 /
      (u.reduce((s, v) => s + v ** 2, 0) / 12 ** 2) ** 1.5;
    expectRel(r.acceleration as number, a, 1e-12);
    expectRel(r.estimate, total / values.length, 1e-14);
  });

  it('the grouped fast path equals the generic statistic on resampled clusters', () => {
    const fast = bootstrapCI(values, { groups, resamples: 3000, seed: 'g' });
    const generic = bootstrapCI(values, { groups, resamples: 3000, seed: 'g', statistic: mean });
    expectRel(generic.acceleration as number, fast.acceleration as number, 1e-12);
    expectRel(generic.low, fast.low, 1e-12);
    expectRel(generic.high, fast.high, 1e-12);
  });

  it('clustering widens the interval when clusters are internally correlated', () => {
    const plain = bootstrapCI(values, { resamples: 3000 });
    const clustered = bootstrapCI(values, { groups, resamples: 3000 });
    expect(clustered.stderr).toBeGreaterThan(plain.stderr);
  });

  it('null labels are singleton clusters: all-null groups reproduce the plain bootstrap distribution', () => {
    const nulls = values.map(() => null);
    const r = bootstrapCI(values, { groups: nulls, resamples: 3000, statistic: mean });
    const plain = bootstrapCI(values, { resamples: 3000, statistic: mean });
    expect(r.clusters).toBe(values.length);
    expectRel(r.acceleration as number, plain.acceleration as number, 1e-12);
    expectRel(r.stderr, plain.stderr, 0.05);
  });

  it('corpus statistic over k paired columns with groups (the evaluate() recipe)', () => {
    // Columns of per-example sufficient statistics: matches and totals; corpus score = sum(m)/sum(t).
    const m = values.map((v, i) => v * 3 + (i % 2));
    const t = values.map((_, i) => 4 + (i % 3));
    const ratio = (mm: Float64Array, tt: Float64Array) => sum(mm) / sum(tt);
    const r = bootstrapCI([m, t], { paired: true, groups, statistic: ratio, resamples: 2000 });
    expectRel(r.estimate, m.reduce((s, v) => s + v, 0) / t.reduce((s, v) => s + v, 0), 1e-14);
    expect(r.method).toBe('cluster-bca');
    expect(r.low).toBeLessThan(r.estimate);
    expect(r.high).toBeGreaterThan(r.estimate);
    // Jackknife over clusters for a ratio of sums, by hand.
    const jack: number[] = [];
    for (let g = 0; g < 12; g++) {
      let sm = 0;
      let st = 0;
      groups.forEach((l, i) => {
        if (l !== `doc${g}`) {
          sm += m[i];
          st += t[i];
        }
      });
      jack.push(sm / st);
    }
    const jm = jack.reduce((s, v) => s + v, 0) / 12;
    const u = jack.map((v) => 11 * (jm - v));
    const a =
      ((1 / 6) * u.reduce((s, v) => s + v ** 3, 0)) /
      12 ** 3 /
      (u.reduce((s, v) => s + v ** 2, 0) / 12 ** 2) ** 1.5;
    expectRel(r.acceleration as number, a, 1e-12);
  });

  it('rows-based aggregators: resample an index column and map it to rows', () => {
    const rows = values.map((v, i) => [v * 3 + (i % 2), 4 + (i % 3)] as const);
    const aggregate = (rs: readonly (readonly number[])[]) =>
      rs.reduce((s, r) => s + r[0], 0) / rs.reduce((s, r) => s + r[1], 0);
    const index = rows.map((_, i) => i);
    const viaRows = bootstrapCI(index, {
      statistic: (idx) => aggregate(Array.from(idx, (i) => rows[i])),
      groups,
      resamples: 2000,
    });
    const viaColumns = bootstrapCI([rows.map((r) => r[0]), rows.map((r) => r[1])], {
      paired: true,
      groups,
      resamples: 2000,
      statistic: (a, b) => sum(a) / sum(b),
    });
    expectRel(viaRows.estimate, viaColumns.estimate, 1e-14);
    expectRel(viaRows.low, viaColumns.low, 1e-12); // same cluster draws, same statistic
    expectRel(viaRows.high, viaColumns.high, 1e-12);
  });
});

describe('bad input: TypeError / RangeError naming the argument and echoing the value', () => {
  const ok = [1, 2, 3];
  it.each([
    [() => bootstrapCI([]), RangeError, 'Expected `data` to have at least 1 element, got `array(0)` (array)'],
    [
      () => bootstrapCI('abc' as never),
      TypeError,
      'Expected `data` to be an array of numbers or of samples, got `"abc"` (string)',
    ],
    [
      () => bootstrapCI([1, Number.NaN]),
      RangeError,
      'Expected `data[1]` to be a finite number, got `NaN` (number)',
    ],
    [
      () => bootstrapCI([1, '2' as never]),
      TypeError,
      'Expected `data[1]` to be a number, got `"2"` (string)',
    ],
    [
      () => bootstrapCI(ok, { confidence: 1.5 }),
      RangeError,
      'Expected `confidence` to be a number in (0, 1), got `1.5` (number)',
    ],
    [
      () => bootstrapCI(ok, { confidence: 0 }),
      RangeError,
      'Expected `confidence` to be a number in (0, 1), got `0` (number)',
    ],
    [
      () => bootstrapCI(ok, { resamples: 0 }),
      RangeError,
      'Expected `resamples` to be an integer >= 1, got `0` (number)',
    ],
    [
      () => bootstrapCI(ok, { resamples: 2.5 }),
      RangeError,
      'Expected `resamples` to be an integer >= 1, got `2.5` (number)',
    ],
    [
      () => bootstrapCI(ok, { method: 'bc' as never }),
      TypeError,
      "Expected `method` to be one of 'bca' | 'percentile' | 'basic', got `\"bc\"` (string)",
    ],
    [
      () => bootstrapCI(ok, { statistic: 3 as never }),
      TypeError,
      'Expected `statistic` to be a function, got `3` (number)',
    ],
    [
      () => bootstrapCI([ok, ok]),
      TypeError,
      'Expected `statistic` to be a function when `data` holds 2 samples',
    ],
    [
      () => bootstrapCI([ok, [1, 2]], { paired: true, statistic: mean }),
      RangeError,
      'Expected `data[1]` to have the same length as `data[0]` (3) with `paired`, got `array(2)` (array)',
    ],
    [
      () => bootstrapCI(ok, { groups: ['a'] }),
      RangeError,
      'Expected `groups` to have 3 elements (one per observation), got `array(1)` (array)',
    ],
    [
      () => bootstrapCI([ok, ok], { groups: ['a', 'b', 'c'], statistic: mean }),
      TypeError,
      'Expected `paired` to be true when `groups` is given with several samples',
    ],
    [
      () => pairedTTest([], []),
      RangeError,
      'Expected `a` to have at least 1 element, got `array(0)` (array)',
    ],
    [
      () => pairedTTest(ok, [1, 2]),
      RangeError,
      'Expected `b` to have the same length as `a` (3) for a paired test, got `array(2)` (array)',
    ],
    [
      () => pairedTTest(ok, [1, Number.NaN, 3]),
      RangeError,
      'Expected `b[1]` to be a finite number, got `NaN` (number)',
    ],
    [
      () => pairedTTest(ok, ok, { confidence: -0.1 }),
      RangeError,
      'Expected `confidence` to be a number in (0, 1), got `-0.1` (number)',
    ],
    [
      () => pairedTTest(ok, ok, { alternative: 'both' as never }),
      TypeError,
      "Expected `alternative` to be one of 'two-sided' | 'less' | 'greater', got `\"both\"` (string)",
    ],
    [
      () => wilcoxonSignedRankTest(ok, [1, 2]),
      RangeError,
      'Expected `b` to have the same length as `a` (3) for a paired test',
    ],
    [
      () => wilcoxonSignedRankTest(ok, ok, { zeroMethod: 'drop' as never }),
      TypeError,
      "Expected `zeroMethod` to be one of 'wilcox' | 'pratt' | 'zsplit', got `\"drop\"` (string)",
    ],
    [
      () => wilcoxonSignedRankTest(ok, ok, { correction: 'yes' as never }),
      TypeError,
      'Expected `correction` to be a boolean, got `"yes"` (string)',
    ],
    [() => mcnemarTest([1, 0, 2], [1, 0, 1]), RangeError, 'Expected `a[2]` to be 0 or 1, got `2` (number)'],
    [
      () => mcnemarTest([1, 0], [1, 0, 1]),
      RangeError,
      'Expected `b` to have the same length as `a` (2) for a paired test',
    ],
    [
      () => mcnemarTestFromTable([[1, 2]]),
      TypeError,
      'Expected `table` to be a 2x2 array [[a, b], [c, d]], got `array(1)` (array)',
    ],
    [
      () =>
        mcnemarTestFromTable([
          [1, -2],
          [3, 4],
        ]),
      RangeError,
      'Expected `table[0][1]` to be a non-negative integer, got `-2` (number)',
    ],
    [() => cohensD([], [1]), RangeError, 'Expected `a` to have at least 1 element, got `array(0)` (array)'],
    [
      () => cohensD(ok, [1, 2]),
      RangeError,
      'Expected `b` to have the same length as `a` (3) for a paired test',
    ],
  ])('%#', (fn, Err, msg) => {
    expect(fn).toThrow(Err);
    expect(fn).toThrow(msg);
  });
});
