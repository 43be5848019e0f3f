/**
 * compare() where the answer is known: identical runs (and so identical segments) give difference 0, interval
 * [0, 0], statistic 0, p = 1 and effect size 0, with no NaN anywhere in the comparison or in any surface that
 * formats it; a constant non-zero shift gets the exact sign test (scipy's binomtest, fixtures/sign_test.json)
 * in place of an infinite t.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compare,
  type EvalResult,
  evaluate,
  formatComparisonTable,
  formatSegmentTable,
  type Metric,
  markdownSummary,
  renderHtmlReport,
} from '../../src/index.js';
import { boundedMeanInterval } from '../../src/stats/index.js';
import { NOISE, visibleHtml } from '../report/_noise.js';
import { makeResult } from '../stats/_makeResult.js';
import { expectRel } from '../stats/_rel.js';
import signTest from './fixtures/sign_test.json' with { type: 'json' };

interface Row {
  readonly segment: string;
  readonly em: 0 | 1;
  readonly quality: number;
}

const metrics: Metric[] = [
  {
    name: 'em',
    kind: 'binary',
    score: (c) => (c.example.metadata as unknown as Row).em,
  },
  {
    name: 'quality',
    kind: 'continuous',
    bounds: [0, 1],
    score: (c) => (c.example.metadata as unknown as Row).quality,
  },
];

async function run(rows: readonly Row[], shift = 0): Promise<EvalResult> {
  const shifted: Metric = {
    name: 'quality',
    kind: 'continuous',
    bounds: [-1, 2],
    score: (c) => (c.example.metadata as unknown as Row).quality + shift,
  };
  return evaluate(
    rows.map((r, i) => ({ id: `r${i}`, input: i, metadata: { ...r } })),
    async (input) => String(input),
    shift === 0 ? metrics : [metrics[0]!, shifted],
    { segmentBy: (e) => (e.metadata as unknown as Row).segment, resamples: 50, progress: false },
  );
}

/** Every number reachable in a JSON-like value (arrays and plain objects). */
function numbersIn(value: unknown, path = '$'): [string, number][] {
  if (typeof value === 'number') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => numbersIn(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => numbersIn(v, `${path}.${k}`));
  return [];
}

const rowArb = fc.record({
  segment: fc.constantFrom('billing', 'shipping', 'Ünïcode ✓', 'a|b'),
  em: fc.constantFrom<0 | 1>(0, 1),
  // Values whose sums carry float residue (0.1 + 0.2) as well as plain ones.
  quality: fc.oneof(
    fc.constantFrom(0, 0.1, 0.2, 0.3, 0.7, 0.84, 1),
    fc.double({ min: 0, max: 1, noNaN: true }),
  ),
});

describe('compare() of a run with itself', () => {
  it('every metric and every segment: difference 0, interval [0, 0], p = 1, no NaN anywhere (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { minLength: 1, maxLength: 25 }), async (rows) => {
        const result = await run(rows);
        const cmp = compare(result, result, { resamples: 50, margin: 0.02 });
        for (const m of Object.values(cmp.metrics)) {
          expect([m.difference, m.ci.low, m.ci.high, m.pValue, m.pValueAdjusted]).toEqual([0, 0, 0, 1, 1]);
          expect([m.statistic, m.effectSize, m.significant, m.nonInferior]).toEqual([0, 0, false, true]);
        }
        expect(cmp.segments?.length).toBe(new Set(rows.map((r) => r.segment)).size * 2);
        for (const s of cmp.segments ?? []) {
          expect([s.difference, s.ci.low, s.ci.high, s.pValue, s.pAdjusted, s.regressed]).toEqual([
            0,
            0,
            0,
            1,
            1,
            false,
          ]);
        }
        const nan = numbersIn(cmp).filter(([, v]) => !Number.isFinite(v));
        expect(nan, 'non-finite numbers in the comparison').toEqual([]);
        const surfaces = {
          table: formatComparisonTable(cmp),
          segments: formatSegmentTable(cmp),
          markdown: markdownSummary({ comparisons: [{ name: 'self', comparison: cmp }] }),
          // What the page shows: the embedded JSON data (raw durations) and the script are not printed numbers.
          html: visibleHtml(renderHtmlReport(result, { baseline: result, comparison: cmp })),
        };
        for (const [name, text] of Object.entries(surfaces)) {
          expect(text, name).not.toMatch(/NaN|Infinity/);
          // Float residue: a run of 0s or 9s before a last digit, or a magnitude below 1e-12 (printed as 0).
          expect(text, name).not.toMatch(NOISE);
        }
      }),
      { seed: 20261204, numRuns: 120 },
    );
  });

  it('a fixed example: the segment table says p 1 and [0, 0] for every cell', async () => {
    const rows: Row[] = [
      { segment: 'billing', em: 1, quality: 0.1 },
      { segment: 'billing', em: 0, quality: 0.2 },
      { segment: 'shipping', em: 1, quality: 0.7 },
    ];
    const result = await run(rows);
    const table = formatSegmentTable(compare(result, result, { resamples: 50 }));
    const lines = table.split('\n').slice(2);
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line).toMatch(/ 0 {2}\[0, 0\] +\d+ {2}(mcnemar|paired-t) +1 +1 *$/);
  });
});

describe('compare() of a constant shift', () => {
  const ref = signTest.rows;

  it.each(ref)(
    'n = $n rows all up by 0.1 (or all down): the exact sign test as scipy binomtest',
    ({ n, allPositive, allNegative }) => {
      const base = Array.from({ length: n }, (_, i) => 0.2 + 0.01 * (i % 7));
      const up = base.map((v) => v + 0.1);
      const b = makeResult({ metrics: { q: base }, kinds: { q: 'continuous' } });
      const c = makeResult({ metrics: { q: up }, kinds: { q: 'continuous' } });
      const better = compare(b, c, { resamples: 50 }).metrics.q;
      expect([better.test, better.testMethod, better.statistic]).toEqual(['sign', 'exact', n]);
      expectRel(better.pValue, allPositive, 1e-12, `n=${n} up`);
      expect(better.ci.method).toBe('point');
      expectRel(better.ci.low, 0.1, 1e-9);
      expect(better.note).toMatch(/every paired difference is \+0\.1: the t statistic is infinite/);
      const worse = compare(c, b, { resamples: 50 }).metrics.q;
      expect([worse.test, worse.statistic]).toEqual(['sign', 0]);
      expectRel(worse.pValue, allNegative, 1e-12, `n=${n} down`);
      expect(Number.isNaN(worse.pValue)).toBe(false);
    },
  );

  it('is the same in every segment (one code path), and the text table names the test', async () => {
    const rows: Row[] = Array.from({ length: 12 }, (_, i) => ({
      segment: i % 3 === 0 ? 'a' : 'b',
      em: 1,
      quality: 0.5,
    }));
    const base = await run(rows);
    const shifted = await run(rows, -0.25);
    const cmp = compare(base, shifted, { resamples: 50 });
    const cells = cmp.segments!.filter((s) => s.metric === 'quality');
    expect(cells.map((s) => [s.segment, s.n, s.test, s.testMethod])).toEqual([
      ['a', 4, 'sign', 'exact'],
      ['b', 8, 'sign', 'exact'],
    ]);
    expectRel(cells[0]!.pValue, 2 ** -3, 1e-12);
    expectRel(cells[1]!.pValue, 2 ** -7, 1e-12);
    expect(cmp.metrics.quality!.pValue).toBe(2 ** -11);
    expect(formatComparisonTable(cmp)).toMatch(/quality .* sign \(exact; every paired difference is -0\.25/);
    expect(formatSegmentTable(cmp)).not.toMatch(/NaN/);
  });

  it('on scores of any magnitude (latency in µs, token counts): the sign test, never a t made infinite-ish by rounding (property)', () => {
    // b + shift - b is not exactly `shift` when b is large (1234567.1 + 0.05 - 1234567.1 = 0.05000000004656613),
    // so a constant shift on scores near 1e6 left sd(d) ~ 1e-10 and the paired t gave p ~ 1e-35, `significant`
    // on 5 rows, while the same shift on scores near 1 gave the sign test's p = 2^-4.
    const sizes = ref.filter((r) => r.n >= 2 && r.n <= 20);
    fc.assert(
      fc.property(
        fc.constantFrom(...sizes),
        fc.double({ min: 1e3, max: 1e9, noNaN: true }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 20, maxLength: 20 }),
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        fc.boolean(),
        ({ n, allPositive, allNegative }, scale, jitter, size, up) => {
          const shift = up ? size : -size;
          const base = jitter.slice(0, n).map((u) => scale * (1 + u));
          const moved = base.map((v) => v + shift);
          const b = makeResult({ metrics: { q: base }, kinds: { q: 'continuous' } });
          const c = makeResult({ metrics: { q: moved }, kinds: { q: 'continuous' } });
          const m = compare(b, c, { resamples: 50, margin: 0 }).metrics.q!;
          expect([m.test, m.testMethod, m.statistic]).toEqual(['sign', 'exact', up ? n : 0]);
          expectRel(m.pValue, up ? allPositive : allNegative, 1e-12, `n=${n} shift ${shift} at ${scale}`);
          expect(m.ci.method).toBe('point');
          expect(Number.isNaN(m.effectSize)).toBe(true);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('a latency-scale shift of 0.05 on 5 rows is not significant (it was: paired t p = 1e-35)', () => {
    const base = [1234567.1, 2345678.3, 3456789.7, 987654.3, 1500000.9];
    const b = makeResult({ metrics: { latency: base }, kinds: { latency: 'continuous' } });
    const c = makeResult({
      metrics: { latency: base.map((v) => v + 0.05) },
      kinds: { latency: 'continuous' },
    });
    const m = compare(b, c).metrics.latency!;
    expect([m.test, m.significant]).toEqual(['sign', false]);
    expectRel(m.pValue, 2 ** -4, 1e-12);
  });

  /** A result whose config records the metric's bounds, as evaluate() writes it. */
  const bounded = (values: number[], kind: 'binary' | 'continuous' = 'continuous') => {
    const r = makeResult({ metrics: { q: values }, kinds: { q: kind } });
    return { ...r, config: { metrics: [{ name: 'q', kind, bounds: [0, 1] }] } } as EvalResult;
  };

  it.each([
    ['continuous, down 0.1, margin 0.2', [0.7], [0.6], 'continuous', 0.2],
    ['binary, up 1, margin 0', [0], [1], 'binary', 0],
    ['binary, two rows up 1, margin 0', [0, 0], [1, 1], 'binary', 0],
  ] as const)(
    'one or two rows of a bounded metric never make a candidate non-inferior (%s)',
    (_, b, c, kind, margin) => {
      // Every difference the same gave the point interval [d, d]: non-inferior on one example.
      const m = compare(bounded([...b], kind), bounded([...c], kind), { margin, resamples: 50 }).metrics.q!;
      expect(m.nonInferior).toBe(false);
      expect(m.ci.method).toBe('bounded-mean');
      expect(m.ci.low <= m.difference && m.difference <= m.ci.high).toBe(true);
    },
  );

  it('fewer than 30 rows of a bounded metric: the interval of a constant shift is no narrower than the bounded-mean interval of the differences (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 0.5, noNaN: true }), { minLength: 1, maxLength: 29 }),
        fc.double({ min: 0.001, max: 0.5, noNaN: true }),
        fc.boolean(),
        (base, size, up) => {
          const lo = up ? base : base.map((v) => v + size);
          const hi = up ? base.map((v) => v + size) : base;
          const m = compare(bounded(lo), bounded(hi), { resamples: 50, margin: 0 }).metrics.q!;
          const d = hi.map((v, i) => v - lo[i]!);
          const iv = boundedMeanInterval(d, [-1, 1], 0.95);
          expect(m.ci.low).toBeLessThanOrEqual(iv.low);
          expect(m.ci.high).toBeGreaterThanOrEqual(iv.high);
          expect(m.ci.low <= m.difference && m.difference <= m.ci.high).toBe(true);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('fewer than 30 binary rows: non-inferior at margin 0 only when McNemar’s exact test also finds the candidate better (property)', () => {
    // 5 rows, 3 up and none down: the BCa interval was [0.2, 1] (non-inferior at margin 0, i.e. better at the
    // one-sided 2.5% level) while the exact test of the same rows gives p = 0.25.
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(0, 1), fc.constantFrom(0, 1)), { minLength: 1, maxLength: 29 }),
        (rows) => {
          const b = bounded(
            rows.map(([u]) => u),
            'binary',
          );
          const c = bounded(
            rows.map(([, v]) => v),
            'binary',
          );
          const m = compare(b, c, { margin: 0, resamples: 999 }).metrics.q!;
          if (m.nonInferior && m.difference !== 0) {
            expect(m.test).toBe('mcnemar');
            expect(m.pValue).toBeLessThan(0.05);
          }
          expect(m.ci.low <= m.difference && m.difference <= m.ci.high).toBe(true);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('5 binary rows, 3 up: not non-inferior at margin 0 (the BCa interval was [0.2, 1], McNemar p = 0.25)', () => {
    const m = compare(bounded([0, 0, 0, 0, 0], 'binary'), bounded([1, 1, 1, 0, 0], 'binary'), {
      margin: 0,
    }).metrics.q!;
    expect(m.pValue).toBe(0.25);
    expect(m.nonInferior).toBe(false);
    expect(m.ci.method).toBe('bounded-mean');
  });

  it('few clustered rows: the bounded-mean interval of the cluster means, not of the rows', () => {
    const groups = ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b', 'c', 'c'];
    const withGroups = (values: number[]) => {
      const r = bounded(values, 'binary');
      return { ...r, scores: { ...r.scores, groups } } as EvalResult;
    };
    const b = withGroups([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const c = withGroups([1, 1, 1, 1, 1, 1, 1, 0, 1, 1]);
    const m = compare(b, c, { margin: 0 }).metrics.q!;
    const iv = boundedMeanInterval([1, 0.75, 1], [-1, 1], 0.95);
    expect([m.ci.low, m.ci.high, m.ci.method]).toEqual([iv.low, iv.high, 'bounded-mean']);
  });

  it('a shift under the Wilcoxon test keeps the Wilcoxon result (scipy semantics, finite)', () => {
    const b = makeResult({ metrics: { q: [0.1, 0.2, 0.3, 0.4, 0.5] }, kinds: { q: 'continuous' } });
    const c = makeResult({ metrics: { q: [0.3, 0.4, 0.5, 0.6, 0.7] }, kinds: { q: 'continuous' } });
    const m = compare(b, c, { test: 'wilcoxon', resamples: 50 }).metrics.q;
    expect(m.test).toBe('wilcoxon');
    expect(Number.isFinite(m.pValue)).toBe(true);
  });
});
