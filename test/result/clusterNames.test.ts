/**
 * A group's name is only a name: a group called `example:e0` beside an example `e0` run with trials is not that
 * example's trials. rowCluster named an example's trials `example:<id>` and a group by its own name, so the two
 * collided: 40 examples x 2 trials, e0 alone, e1..e10 in one group and e11..e39 in groups of one, are 31
 * independent units with the group named `doc` and were 30 with it named `example:e0` (e0's trials merged into the
 * group), and every interval, comparison and calibrated estimate moved with the name. Found by the renaming property of
 * test/properties/seams.property.test.ts (a bijection of group names changes no number).
 */
import { describe, expect, it } from 'vitest';
import { compare, type EvalResult, evaluate, type Metric } from '../../src/index.js';

const graded: Metric = {
  name: 'graded',
  kind: 'continuous',
  bounds: [0, 1],
  score: ({ output }) => Number(output),
};

/** 40 examples x 2 trials: e0 on its own, e1..e10 in group `name`, the rest in groups of one; labels on all. */
function run(name: string, shift = 0): Promise<EvalResult> {
  const ds = Array.from({ length: 40 }, (_, i) => ({
    id: `e${i}`,
    input: i,
    ...(i === 0 ? {} : { group: i < 11 ? name : `solo${i}` }),
    labels: { graded: (i % 2) / 2 },
  }));
  const score = (i: number) => (i === 0 ? 1 : Math.min(1, (i % 3) / 2 + (i % 4 === 0 ? shift : 0)));
  return evaluate(ds, async (i) => String(score(i as number)), [graded], {
    progress: false,
    trials: 2,
    resamples: 199,
  });
}

/** The numbers of a summary or comparison, without the prose. */
const numbers = (x: unknown) =>
  JSON.stringify(x, (k, v) => (k === 'note' || k === 'warning' ? undefined : v));

describe("a group named like an example's trials", () => {
  it('group "example:e0" gives the numbers of group "doc" (summary, calibrated estimate, comparison)', async () => {
    const name = 'example:e0';
    const [doc, other] = [await run('doc'), await run(name)];
    expect(numbers(other.metrics)).toBe(numbers(doc.metrics));
    expect(doc.metrics.graded!.ci.method).toBe('cluster-bca');
    expect(doc.metrics.graded!.calibrated!.nLabeled).toBe(31);
    const [a, b] = [compare(doc, await run('doc', 0.5)), compare(other, await run(name, 0.5))];
    expect(numbers(b.metrics)).toBe(numbers(a.metrics));
  });
});
