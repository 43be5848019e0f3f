// judgeBiasReport's position rates came without an interval: a consistency of 1 over 5 pairs read as a judge with
// no position bias. The consistency rate (one binary per pair, pairs independent) gets a Clopper-Pearson interval;
// the first-position rate (up to two dependent verdicts per pair) a clustered one, each pair a cluster (Korn and
// Graubard's effective counts, as judgeAgreement). Checked against scipy 1.17 (fixtures/gen_judge_bias_intervals.py)
// to 1e-9 relative, by properties, and on every surface that prints the bias line.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { _judgeBias } from '../../src/judge/judgeBiasReport.js';
import { formatJudgeBias } from '../../src/report/format.js';

interface Pair {
  readonly consistent: boolean;
  readonly positions: readonly string[];
}
interface Case {
  readonly pairs: readonly Pair[];
  readonly confidence: number;
  readonly consistency: { readonly low: number; readonly high: number };
  readonly firstPosition: {
    readonly low: number | null;
    readonly high: number | null;
    readonly method: string;
  };
}
const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/judgeBiasIntervals.json', import.meta.url), 'utf8'),
) as { readonly scipy: string; readonly cases: readonly Case[] };

const rel = (got: number, want: number, what: string) =>
  expect(Math.abs(got - want), `${what}: got ${got}, want ${want}`).toBeLessThanOrEqual(
    1e-9 * Math.abs(want),
  );

const bias = (pairs: readonly Pair[], confidence = 0.95) =>
  _judgeBias({ scores: [], lengths: [], pairs, confidence });

describe('judgeBiasReport: intervals of the position rates', () => {
  it(`the fixture is scipy ${fixture.scipy}`, () => expect(fixture.scipy).toBe('1.17.1'));

  it.each(fixture.cases.map((c, i) => [i, c.pairs.length, c] as const))(
    'case %d (%d pairs) matches scipy',
    (_i, _n, c) => {
      const b = bias(c.pairs, c.confidence);
      const pi = b.positionIntervals!;
      expect(pi.consistency).toMatchObject({ level: c.confidence, method: 'clopper-pearson' });
      rel(pi.consistency.low, c.consistency.low, 'consistency low');
      rel(pi.consistency.high, c.consistency.high, 'consistency high');
      expect(pi.firstPosition).toMatchObject({ level: c.confidence, method: c.firstPosition.method });
      if (c.firstPosition.low === null) {
        expect(pi.firstPosition.low).toBeNaN();
        expect(pi.firstPosition.high).toBeNaN();
      } else {
        rel(pi.firstPosition.low, c.firstPosition.low, 'first position low');
        rel(pi.firstPosition.high, c.firstPosition.high!, 'first position high');
      }
    },
  );

  const position = fc.constantFrom('1', '2', 'tie');
  const pairs = fc.array(fc.record({ consistent: fc.boolean(), positions: fc.tuple(position, position) }), {
    minLength: 1,
    maxLength: 60,
  });

  it('property: each interval holds its rate and lies in [0, 1] (seeded)', () => {
    fc.assert(
      fc.property(pairs, fc.constantFrom(0.8, 0.9, 0.95, 0.99), (ps, confidence) => {
        const b = bias(ps, confidence);
        const pc = b.positionConsistency!;
        const { consistency, firstPosition } = b.positionIntervals!;
        expect(0 <= consistency.low && consistency.low <= pc.rate && pc.rate <= consistency.high).toBe(true);
        expect(consistency.high).toBeLessThanOrEqual(1);
        if (Number.isNaN(pc.firstPositionRate)) {
          expect([firstPosition.low, firstPosition.high, firstPosition.method]).toEqual([NaN, NaN, 'none']);
        } else {
          const r = pc.firstPositionRate;
          expect(0 <= firstPosition.low && firstPosition.low <= r && r <= firstPosition.high).toBe(true);
          expect(firstPosition.high).toBeLessThanOrEqual(1);
        }
      }),
      { seed: 4646, numRuns: 300 },
    );
  });

  it('property: one pair is wide (at 90% and above, neither interval is shorter than 0.8) (seeded)', () => {
    fc.assert(
      fc.property(
        pairs.map((p) => p.slice(0, 1)),
        fc.constantFrom(0.9, 0.95, 0.99),
        (ps, confidence) => {
          const { consistency, firstPosition } = bias(ps, confidence).positionIntervals!;
          expect(consistency.high - consistency.low).toBeGreaterThanOrEqual(0.8);
          if (!Number.isNaN(firstPosition.low))
            expect(firstPosition.high - firstPosition.low).toBeGreaterThanOrEqual(0.8);
        },
      ),
      { seed: 4647, numRuns: 200 },
    );
  });

  it('property: a judge consistent on every pair has rate 1 and a lower bound (alpha/2)^(1/n) < 1 (seeded)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.constantFrom(0.9, 0.95, 0.99), (n, confidence) => {
        const b = bias(
          Array.from({ length: n }, () => ({ consistent: true, positions: ['1', '2'] })),
          confidence,
        );
        expect(b.positionConsistency!.rate).toBe(1);
        const { low, high } = b.positionIntervals!.consistency;
        expect(high).toBe(1);
        rel(low, ((1 - confidence) / 2) ** (1 / n), 'lower bound');
        expect(low).toBeLessThan(1);
        // Below 0.95 until n is large: 72 pairs at 95%, 90 at 99%.
        if (n < 50) expect(low).toBeLessThan(0.95);
      }),
      { seed: 4648, numRuns: 200 },
    );
  });

  it('the first-position interval counts pairs, not verdicts: 30 pairs voting "1" twice are 30 units', () => {
    const b = bias(Array.from({ length: 30 }, () => ({ consistent: false, positions: ['1', '1'] })));
    // Clopper-Pearson of 30 in 30 at 95%: (0.025)^(1/30); counting 60 verdicts gave (0.025)^(1/60).
    rel(b.positionIntervals!.firstPosition.low, 0.025 ** (1 / 30), 'low');
    expect(b.positionIntervals!.firstPosition.method).toBe('clopper-pearson');
  });

  it('the bias line prints both intervals after the rates (and only when measured)', () => {
    const b = bias(Array.from({ length: 30 }, () => ({ consistent: false, positions: ['1', '1'] })));
    expect(formatJudgeBias({ ...b, judgeModel: 'j' })).toBe(
      'judge j · length r: too few rows · position consistency 0 (n=30; first position won 1) · 95% intervals: consistency [0, 0.116], first position [0.884, 1] (clopper-pearson)',
    );
    const ties = bias([{ consistent: true, positions: ['tie', 'tie'] }]);
    expect(formatJudgeBias(ties)).toBe(
      'length r: too few rows · position consistency 1 (n=1; every verdict a tie) · 95% intervals: consistency [0.025, 1]',
    );
  });
});
