// compare()'s few-unit fallback took the per-cluster mean differences as equal observations (the bounded-mean interval
// of the cluster means), widened to hold the difference, which is the mean over ROWS. With groups of unequal size that
// is an interval for another number. Baseline all wrong; the candidate right on 25 singleton groups and wrong on a
// group of 100: difference 0.2 (25 of 125 rows), while 25 of the 26 units moved, so the interval of the unit means
// lies around 25/26 and, widened to hold 0.2, had the difference itself as its lower bound, from 26 units one of which
// holds 80% of the rows. The interval is now widened to hold Hoeffding's interval of the size-weighted mean of the
// cluster differences ('hoeffding' when that widened it; an interval that already held it keeps 'bounded-mean').
import { describe, expect, it } from 'vitest';
import { compare } from '../../src/result/compare.js';
import type { EvalResult } from '../../src/result/EvalResult.js';
import { makeResult } from '../stats/_makeResult.js';

const groups = [...Array.from({ length: 25 }, (_, i) => `s${i}`), ...Array<string>(100).fill('big')];

function run(values: number[]): EvalResult {
  const r = makeResult({ metrics: { q: values }, kinds: { q: 'binary' } });
  return { ...r, scores: { ...r.scores, groups } } as EvalResult;
}

describe('compare() on few groups of unequal size', () => {
  it('25 singletons gained beside a group of 100 unchanged: the lower bound is below the difference', () => {
    const b = run(Array(125).fill(0));
    const c = run([...Array(25).fill(1), ...Array(100).fill(0)]);
    const m = compare(b, c, { margin: 0.1 }).metrics.q!;
    expect(m.difference).toBe(0.2);
    expect(m.ci.method).toBe('hoeffding');
    // w = (1/125 x 25, 100/125): sum w^2 = 0.6416, range 2 ([-1, 1]): half-width 2.18, clipped.
    expect([m.ci.low, m.ci.high]).toEqual([-1, 1]);
    expect(m.nonInferior).toBe(false);
    expect(m.ci.note).toContain("widened to hold Hoeffding's interval of their size-weighted mean");
  });
});
