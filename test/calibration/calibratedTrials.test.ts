// compare() of two labeled runs with trials > 1: the calibrated (PPI++) difference counted each trial of a labeled
// example as another labeled pair, so a deterministic pipeline sampled 5 times reported 5x the labeled pairs and
// an interval about sqrt(5) narrower than one trial gives, from the same human labels. The trials of one example
// are one unit: the calibrated difference now runs over per-example means.
import { describe, expect, it } from 'vitest';
import { compare, type Example, evaluate, type Metric } from '../../src/index.js';

const N = 60;
const u = (i: number, salt: number): number => {
  let h = Math.imul(i ^ (salt * 0x9e3779b9), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
};
// Humans label every other example; the judge agrees with them on most.
const examples: Example[] = Array.from({ length: N }, (_, i) => ({
  id: `q${i}`,
  input: i,
  ...(i % 2 === 0 ? { labels: { judge: u(i, 1) < 0.6 ? 1 : 0 } } : {}),
}));
const baselineLabels = examples.map((e) => e.labels);
const candidateExamples: Example[] = examples.map((e, i) =>
  e.labels === undefined ? e : { ...e, labels: { judge: u(i, 1) < 0.6 || u(i, 2) < 0.3 ? 1 : 0 } },
);
const judge: Metric = {
  name: 'judge',
  kind: 'binary',
  score: ({ output }) => Number(output),
};
const model = (salt: number) => async (input: unknown) => {
  const i = input as number;
  return u(i, 1) < 0.6 || (salt === 2 && u(i, 2) < 0.3)
    ? u(i, 5) < 0.9
      ? '1'
      : '0'
    : u(i, 6) < 0.2
      ? '1'
      : '0';
};

describe('compare() calibrated difference with trials', () => {
  it('a deterministic pipeline sampled 5 times gives the calibrated difference of one trial', async () => {
    expect(baselineLabels.filter(Boolean).length).toBe(30);
    const run = (ds: Example[], salt: number, trials: number) =>
      evaluate(ds, model(salt), [judge], { trials, progress: false, resamples: 999 });
    const one = compare(await run(examples, 1, 1), await run(candidateExamples, 2, 1), {
      resamples: 999,
    }).metrics.judge!.calibrated!;
    const five = compare(await run(examples, 1, 5), await run(candidateExamples, 2, 5), {
      resamples: 999,
    }).metrics.judge!.calibrated!;
    expect(one.nLabeled).toBe(30);
    expect(five.nLabeled).toBe(30);
    expect(five.nUnlabeled).toBe(one.nUnlabeled);
    expect(five.difference).toBe(one.difference);
    expect(five.ci).toEqual(one.ci);
    expect(five.pValue).toBe(one.pValue);
  });
});
