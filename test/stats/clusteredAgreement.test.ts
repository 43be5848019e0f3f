// judgeAgreement with `clusters`: accuracy, TPR and TNR against an independent Python implementation of the
// documented Korn–Graubard effective-sample-size interval (test/stats/fixtures/gen_clustered_agreement.py, floats
// and scipy.stats.beta.ppf, where the TypeScript uses integer arithmetic and its own beta quantile).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { judgeAgreement } from '../../src/stats/index.js';
import { expectRel } from './_rel.js';

interface Prop {
  estimate: number;
  low: number;
  high: number;
  method: 'clopper-pearson' | 'korn-graubard';
}
interface Case {
  name: string;
  judge: (number | null)[];
  human: (number | null | (number | null)[])[];
  clusters: (string | number | null)[];
  confidence: number;
  n: number;
  /** Clusters counted (null: no cluster holds two kept items, so the items are the units). */
  units: number | null;
  accuracy: Prop;
  tpr?: Prop;
  tnr?: Prop;
}
const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/clusteredAgreement.json', import.meta.url), 'utf8'),
) as { meta: Record<string, string | number>; cases: Case[] };

/** Relative 1e-9, or absolute 1e-12 where the reference is 0. */
function close(got: number, want: number, label: string): void {
  if (want === 0) {
    expect(Math.abs(got), label).toBeLessThanOrEqual(1e-12);
    return;
  }
  expectRel(got, want, 1e-9, label);
}

describe('judgeAgreement clustered proportions against gen_clustered_agreement.py', () => {
  it('has the cases the generator promises', () => {
    expect(fixture.meta.scipy).toBe('1.17.1');
    expect(fixture.cases.length).toBeGreaterThanOrEqual(15);
  });

  for (const c of fixture.cases) {
    it(c.name, () => {
      const r = judgeAgreement(c.judge, c.human, {
        kind: 'binary',
        confidence: c.confidence,
        clusters: c.clusters,
        resamples: 100,
      });
      expect(r.n).toBe(c.n);
      expect(r.clusters).toBe(c.units ?? undefined);
      for (const key of ['accuracy', 'tpr', 'tnr'] as const) {
        const want = c[key];
        const got = r[key];
        if (want === undefined) {
          // No item in this class: NaN with a warning, not an interval.
          expect(got?.estimate).toBeNaN();
          continue;
        }
        expect(got?.method, `${key} method`).toBe(want.method);
        close(got?.estimate ?? Number.NaN, want.estimate, `${key} estimate`);
        close(got?.low ?? Number.NaN, want.low, `${key} low`);
        close(got?.high ?? Number.NaN, want.high, `${key} high`);
        expect(got?.level).toBe(c.confidence);
      }
    });
  }
});
