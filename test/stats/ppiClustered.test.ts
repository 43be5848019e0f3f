import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ppiMean } from '../../src/stats/index.js';
import { expectPpi, type PpiReference } from './_rel.js';

// Fixtures from test/stats/fixtures/gen_ppi_clustered.py (numpy/scipy; versions in `meta`): grouped runs whose labels
// were drawn row by row, as calibrationUnits cuts them (a cluster's labeled rows one unit, its unlabeled rows
// another, both carrying the cluster's id), with ppi_py's weighted estimate and lambda and the cluster-robust variance.
const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/ppi_clustered.json', import.meta.url), 'utf8'),
) as {
  meta: Record<string, unknown>;
  cases: ({
    human: number[];
    judge: number[];
    weights: number[];
    labeledClusters: (string | null)[];
    unlabeled: number[];
    unlabeledWeights: number[];
    unlabeledClusters: (string | null)[];
    confidence: number;
  } & Record<string, unknown>)[];
};

describe('ppiMean with clusters = the cluster-robust variance of gen_ppi_clustered.py', () => {
  it('was generated with scipy 1.17, on clusters that hold both labeled and unlabeled units', () => {
    expect(String(fixture.meta.scipy)).toMatch(/^1\.17\./);
    expect(fixture.cases.length).toBe(24);
    for (const c of fixture.cases)
      expect(c.labeledClusters.some((id) => id !== null && c.unlabeledClusters.includes(id))).toBe(true);
  });

  it.each(fixture.cases.map((c, i) => [i, c] as const))('case %i', (_, c) => {
    const labeled = { human: c.human, judge: c.judge };
    const options = {
      confidence: c.confidence,
      weights: c.weights,
      unlabeledWeights: c.unlabeledWeights,
      clusters: { labeled: c.labeledClusters, unlabeled: c.unlabeledClusters },
    };
    expectPpi(ppiMean(labeled, c.unlabeled, options), c.auto as PpiReference);
    for (const lam of [0, 0.5, 1])
      expectPpi(
        ppiMean(labeled, c.unlabeled, { ...options, lambda: lam }),
        c[`lam${lam === 0.5 ? '0.5' : `${lam}.0`}`] as PpiReference,
      );
    // The dependence of a cluster's two units is what the clusters add: without them the variance differs.
    const { clusters: _clusters, ...independent } = options;
    const alone = ppiMean(labeled, c.unlabeled, { ...independent, lambda: 0.5 });
    expect(alone.stderr).not.toBe(ppiMean(labeled, c.unlabeled, { ...options, lambda: 0.5 }).stderr);
  });
});

const item = fc.double({ min: 0, max: 1, noNaN: true });

describe('ppiMean with clusters: properties (seeded)', () => {
  it('clusters no two items share change no number, to the last bit (weighted or not)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(item, item, fc.integer({ min: 1, max: 9 })), { minLength: 2, maxLength: 25 }),
        fc.array(fc.tuple(item, fc.integer({ min: 1, max: 9 })), { minLength: 1, maxLength: 25 }),
        fc.boolean(),
        fc.array(fc.boolean(), { minLength: 50, maxLength: 50 }),
        (lab, unl, weighted, alone) => {
          const human = lab.map((x) => x[0]);
          const judge = lab.map((x) => x[1]);
          const unlabeled = unl.map((x) => x[0]);
          const base = weighted
            ? { weights: lab.map((x) => x[2]), unlabeledWeights: unl.map((x) => x[1]) }
            : {};
          const clusters = {
            labeled: lab.map((_, i) => (alone[i] ? null : `c${i}`)),
            unlabeled: unl.map((_, j) => (alone[25 + j] ? null : j)),
          };
          const without = ppiMean({ human, judge }, unlabeled, base);
          expect(ppiMean({ human, judge }, unlabeled, { ...base, clusters })).toEqual(without);
        },
      ),
      { seed: 31, numRuns: 300 },
    );
  });

  it('one cluster holding a labeled and an unlabeled item: the two shares add before squaring', () => {
    // Labeled Y - f: [0.5, 0, 0] (judge 0.5, 0, 0.5; human 1, 0, 0.5) and unlabeled judge [1, 0] at lambda 1.
    const labeled = { human: [1, 0, 0.5], judge: [0.5, 0, 0.5] };
    const r = (clusters?: { labeled: (string | null)[]; unlabeled: (string | null)[] }) =>
      ppiMean(labeled, [1, 0], { lambda: 1, ...(clusters === undefined ? {} : { clusters }) });
    // shares: labeled (r - mean r) / 3 = [1/9, -1/18, -1/18]; unlabeled (f - 0.5) / 2 = [1/4, -1/4]
    const independent = 1 / 81 + 2 / 324 + 2 / 16;
    expect(r().stderr ** 2).toBeCloseTo(independent, 15);
    const together = (1 / 9 + 1 / 4) ** 2 + 2 / 324 + 1 / 16; // first labeled with first unlabeled
    expect(r({ labeled: ['d', null, null], unlabeled: ['d', null] }).stderr ** 2).toBeCloseTo(together, 15);
    const opposite = (1 / 9 - 1 / 4) ** 2 + 2 / 324 + 1 / 16; // first labeled with the second unlabeled
    expect(r({ labeled: ['d', null, null], unlabeled: [null, 'd'] }).stderr ** 2).toBeCloseTo(opposite, 15);
    expect(r({ labeled: ['d', null, null], unlabeled: [null, 'd'] }).estimate).toBe(r().estimate);
  });

  it('refuses clusters of the wrong shape, naming the field', () => {
    const labeled = { human: [1, 0], judge: [1, 0] };
    expect(() => ppiMean(labeled, [1], { clusters: { labeled: ['a'], unlabeled: ['a'] } })).toThrow(
      new RangeError('Expected `clusters.labeled` to have 2 elements (one per labeled item), got 1'),
    );
    expect(() =>
      ppiMean(labeled, [1], { clusters: { labeled: ['a', null], unlabeled: [{}] } as never }),
    ).toThrow(
      new TypeError(
        'Expected `clusters.unlabeled[0]` to be a string, a finite number or null, got `object` (object)',
      ),
    );
    expect(() => ppiMean(labeled, [1], { clusters: ['a'] as never })).toThrow(TypeError);
  });
});
