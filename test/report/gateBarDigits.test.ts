// A bound next to the bar it is judged against is printed with the digits it takes to read on its own side of
// the bar: a lower bound of 0.69996 under a bar of 0.7 must not read `[0.7, …]` beside "the lower bound is not
// above the bar", and a failing gate's upper bound 0.69996 must not read as the bar itself.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { _gateLines } from '../../src/report/_gateAdvice.js';
import { _formatGateLine } from '../../src/report/formatGateLine.js';
import { formatResultTable } from '../../src/report/formatResultTable.js';
import { renderHtmlReport } from '../../src/report/htmlReport.js';
import type { GateResult } from '../../src/result/EvalResult.js';
import { check } from '../properties/_prop.js';
import { makeComparison, makeResult } from '../vitest/_fixtures.js';

const gate = (
  over: Partial<GateResult>,
  bar: { readonly atLeast: number } | { readonly atMost: number } = { atLeast: 0.7 },
): GateResult => ({
  decision: 'fail',
  kind: 'threshold',
  metric: 'exact_match',
  ...bar,
  n: 80,
  rows: 80,
  lower: 0.5,
  upper: 0.69996,
  confidence: 0.95,
  method: 'prpl-eb',
  order: 'seeded',
  rowsSkipped: 20,
  costSavedUsd: 0,
  ...over,
});

/** The numbers of a `[low, high]` in `text`, as the reader reads them. */
const interval = (text: string): [number, number] => {
  const m = /\[(-?[\d.e+-]+), (-?[\d.e+-]+)\]/.exec(text);
  if (m === null) throw new Error(`no interval in ${text}`);
  return [Number(m[1]), Number(m[2])];
};

describe('a bound beside its bar', () => {
  it("the report's 'interval too wide' line shows a lower bound below the bar as below it", () => {
    const r = makeResult({ metrics: { exact_match: { mean: 0.75, low: 0.69996, high: 0.8 } } });
    const html = renderHtmlReport(r, { gates: { exact_match: 0.7 } });
    const line = /<li class="gate-line" data-kind="too-wide">([^<]*)<\/li>/.exec(html)![1]!;
    expect(line).toContain('the bar 0.7 ');
    expect(interval(line)[0]).toBeLessThan(0.7);
    expect(line).toContain('[0.69996, 0.8]');
  });

  it("the report's 'below the bar' line shows an estimate below the bar as below it", () => {
    const r = makeResult({ metrics: { exact_match: { mean: 0.69996, low: 0.6, high: 0.8 } } });
    const [line] = _gateLines(r, { exact_match: 0.7 }, undefined);
    expect(line!.kind).toBe('below-bar');
    expect(line!.text).toContain('estimate 0.69996,');
  });

  it('a margin line shows a lower bound past −margin as past it', () => {
    const c = makeComparison(
      {
        exact_match: {
          baselineMean: 0.7,
          candidateMean: 0.72,
          low: -0.0200004,
          high: 0.06,
          pValue: 0.3,
        },
      },
      { margin: 0.02 },
    );
    const [line] = _gateLines(makeResult(), {}, c);
    expect(line!.kind).toBe('too-wide');
    expect(interval(line!.text)[0]).toBeLessThan(-0.02);
  });

  it('a failed gate whose upper bound is just under the bar does not print the bar as its upper bound', () => {
    const line = _formatGateLine(gate({}), 100);
    expect(line).toContain('exact_match >= 0.7,');
    expect(interval(line)[1]).toBeLessThan(0.7);
    const table = formatResultTable({ ...makeResult(), gate: gate({}) });
    expect(interval(table.split('\n').find((l) => l.startsWith('gate:'))!)[1]).toBeLessThan(0.7);
  });

  it('a bound equal to the bar keeps four digits', () => {
    expect(_formatGateLine(gate({ decision: 'pass', lower: 0.7, upper: 0.9 }), 100)).toContain('[0.7, 0.9]');
  });

  it('an atMost gate whose bounds sit 1e-5 above a bar of 0.099995 does not print them as the bar (shrunk case)', () => {
    const line = _formatGateLine(gate({ lower: 0.100005, upper: 0.100005 }, { atMost: 0.099995 }), 100);
    const shownBar = Number(/<= (-?[\d.e+-]+),/.exec(line)![1]);
    const [lo, hi] = interval(line);
    expect(lo).toBeGreaterThan(shownBar);
    expect(hi).toBeGreaterThan(shownBar);
  });

  it('property: each bound reads on the same side of the bar as its value (500 runs)', () => {
    const value = fc.double({ min: -2, max: 2, noNaN: true });
    check(
      'gate line bounds keep their side of the bar',
      500,
      fc.property(
        value,
        // Off the bar by 1e-8 to 1e-2 of either sign (closer than 1e-12 relative is float residue, printed as the bar).
        fc
          .tuple(fc.integer({ min: 2, max: 8 }), fc.double({ min: 1, max: 9.99, noNaN: true }), fc.boolean())
          .map(([k, mantissa, up]) => (up ? 1 : -1) * mantissa * 10 ** -k),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.boolean(),
        (bar, nudge, width, atLeast) => {
          const near = bar + nudge;
          const lower = Math.min(near, near - width);
          const upper = Math.max(near, near + width);
          const g = atLeast
            ? gate({ lower: near, upper }, { atLeast: bar })
            : gate({ lower, upper: near }, { atMost: bar });
          const line = _formatGateLine(g, 100);
          const shownBar = Number(/[<>]= (-?[\d.e+-]+),/.exec(line)![1]);
          const [lo, hi] = interval(line);
          const side = (x: number, b: number) => Math.sign(x - b);
          return side(lo, shownBar) === side(g.lower, bar) && side(hi, shownBar) === side(g.upper, bar);
        },
      ),
    );
  });
});
