// Invariants of evaluate() and compare() as properties (issue 19), on tiny seeded datasets: the summary is
// the metric's own function of the rows, row order does not move it, compare(a, a) is exact, compare(a, b)
// mirrors compare(b, a), every interval contains its estimate, a 99% interval contains the 95% one, segments
// partition the rows, save -> load -> compare is exact, and a gate's decision is its sequence's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { compare, type EvalResult, type Example, evaluate, type Metric } from '../../src/index.js';
import { chrf, corpusChrf } from '../../src/metrics/index.js';
import { loadResult } from '../../src/result/loadResult.js';
import { saveResult } from '../../src/result/saveResult.js';
import { confidenceSequence } from '../../src/stats/index.js';
import { check } from './_prop.js';

const dir = mkdtempSync(join(tmpdir(), 'evalgate-props-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RUNS = 100;
const opts = { progress: false, resamples: 199 } as const;
const echo = async (input: unknown) => String(input);
/** Scores in [0, 1] carried by the example's input: continuous (a grid with ties) or binary. */
const cont: Metric = {
  name: 'c',
  kind: 'continuous',
  bounds: [0, 1],
  score: ({ example }) => Number(example.input),
};
const bin: Metric = {
  name: 'b',
  kind: 'binary',
  score: ({ example }) => (Number(example.input) >= 0.5 ? 1 : 0),
};
const grid = fc.integer({ min: 0, max: 8 }).map((k) => k / 8);
const scoresArb = fc.array(grid, { minLength: 1, maxLength: 40 });
const dsOf = (xs: readonly number[], tag = 'e'): Example[] =>
  xs.map((x, i) => ({ id: `${tag}${i}`, input: x, metadata: { seg: i % 3 === 0 ? 'a' : 'b' } }));
const near = (a: number, b: number) => a === b || Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));
function fail(msg: string): never {
  throw new Error(msg);
}

describe('evaluate() / compare() properties', () => {
  it('the summary is the mean of the rows; row order does not change it; the interval contains it', async () => {
    await check(
      'summary = mean, order-invariant, contains estimate',
      RUNS,
      fc.asyncProperty(scoresArb, fc.integer(), async (xs, s) => {
        const r = await evaluate(dsOf(xs), echo, [cont, bin], opts);
        const perm = [...xs].map((x, i) => [x, (i * 7919 + s) % 1009] as const).sort((p, q) => p[1] - q[1]);
        const q = await evaluate(dsOf(perm.map((p) => p[0])), echo, [cont, bin], opts);
        const mean = xs.reduce((a, v) => a + v, 0) / xs.length;
        const bmean = xs.filter((v) => v >= 0.5).length / xs.length;
        for (const [name, want] of [
          ['c', mean],
          ['b', bmean],
        ] as const) {
          const m = r.metrics[name]!;
          if (!near(m.mean, want)) fail(`${name}: mean ${m.mean} != ${want}`);
          if (!near(q.metrics[name]!.mean, m.mean)) fail(`${name}: order changed the mean`);
          if (!(m.ci.low <= m.mean && m.mean <= m.ci.high))
            fail(`${name}: [${m.ci.low}, ${m.ci.high}] excludes ${m.mean} (${m.ci.method})`);
          if (!(m.ci.low >= 0 && m.ci.high <= 1)) fail(`${name}: interval outside bounds`);
        }
      }),
    );
  });

  it('a 99% interval contains the 95% one (same seed)', async () => {
    await check(
      '99% interval contains 95%',
      RUNS,
      fc.asyncProperty(scoresArb, async (xs) => {
        const a = await evaluate(dsOf(xs), echo, [cont, bin], { ...opts, confidence: 0.95 });
        const b = await evaluate(dsOf(xs), echo, [cont, bin], { ...opts, confidence: 0.99 });
        for (const name of ['c', 'b']) {
          const x = a.metrics[name]!.ci;
          const y = b.metrics[name]!.ci;
          if (!(y.low <= x.low + 1e-12 && y.high >= x.high - 1e-12))
            fail(
              `${name}: 99% [${y.low}, ${y.high}] (${y.method}) does not contain 95% [${x.low}, ${x.high}] (${x.method})`,
            );
        }
      }),
    );
  });

  it('a corpus summary is the corpus aggregation of the rows (chrF = corpusChrf)', async () => {
    const word = fc.constantFrom('the', 'cat', 'sat', 'mat', 'dog', '猫', 'café');
    const sent = fc.array(word, { minLength: 1, maxLength: 8 }).map((w) => w.join(' '));
    await check(
      'corpus summary = corpus function',
      RUNS,
      fc.asyncProperty(fc.array(fc.tuple(sent, sent), { minLength: 1, maxLength: 12 }), async (pairs) => {
        const ds = pairs.map(([o, ref], i) => ({ id: `p${i}`, input: o, reference: ref }));
        const r = await evaluate(ds, echo, [chrf()], opts);
        const want = corpusChrf(
          pairs.map((p) => p[0]),
          pairs.map((p) => p[1]),
        ).score;
        const got = r.metrics.chrf!;
        if (!near(got.mean, Math.min(100, want))) fail(`chrF ${got.mean} != ${want}`);
        if (!(Number.isFinite(got.ci.low) && got.ci.low <= got.mean && got.mean <= got.ci.high))
          fail(`chrF interval [${got.ci.low}, ${got.ci.high}] (${got.ci.method}) vs ${got.mean}`);
      }),
    );
  });

  it('compare(a, a) is exact; compare(a, b) mirrors compare(b, a); save -> load -> compare is exact', async () => {
    let k = 0;
    await check(
      'self-comparison exact, mirror, save/load round trip',
      RUNS,
      fc.asyncProperty(
        scoresArb.chain((xs) =>
          fc.tuple(fc.constant(xs), fc.array(grid, { minLength: xs.length, maxLength: xs.length })),
        ),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async ([xs, ys], margin) => {
          const a = await evaluate(dsOf(xs), echo, [cont, bin], opts);
          const b = await evaluate(dsOf(ys), echo, [cont, bin], opts);
          const self = compare(a, a, { margin, resamples: 199 });
          for (const m of Object.values(self.metrics)) {
            if (
              m.difference !== 0 ||
              m.ci.low !== 0 ||
              m.ci.high !== 0 ||
              m.pValue !== 1 ||
              m.nonInferior !== true
            )
              fail(`compare(a, a) on ${m.metric}: ${JSON.stringify(m)}`);
          }
          const ab = compare(a, b, { resamples: 199 });
          const ba = compare(b, a, { resamples: 199 });
          for (const name of ['c', 'b']) {
            const x = ab.metrics[name]!;
            const y = ba.metrics[name]!;
            if (!near(x.difference, -y.difference))
              fail(`${name}: difference ${x.difference} vs ${y.difference}`);
            if (!(Number.isNaN(x.pValue) && Number.isNaN(y.pValue)) && !near(x.pValue, y.pValue))
              fail(`${name}: p ${x.pValue} vs ${y.pValue}`);
          }
          const pa = join(dir, `a${k}.json`);
          const pb = join(dir, `b${k++}.json`);
          await saveResult(a, pa);
          await saveResult(b, pb);
          const again = compare(await loadResult(pa), await loadResult(pb), { resamples: 199 });
          if (JSON.stringify(again.metrics) !== JSON.stringify(ab.metrics))
            fail('save -> load changed the comparison');
        },
      ),
    );
  });

  it('segments partition the rows', async () => {
    await check(
      'segments partition rows',
      RUNS,
      fc.asyncProperty(scoresArb, async (xs) => {
        const r: EvalResult = await evaluate(dsOf(xs), echo, [cont], {
          ...opts,
          segmentBy: (e) => String(e.metadata!.seg),
        });
        const segs = r.segments ?? {};
        const total = Object.values(segs).reduce((a, s) => a + s.c!.n, 0);
        if (total !== r.metrics.c!.n) fail(`segments hold ${total} rows of ${r.metrics.c!.n}`);
      }),
    );
  });

  it("a gate's decision agrees with its confidence sequence", async () => {
    await check(
      'gate decision = sequence',
      RUNS,
      fc.asyncProperty(
        fc.array(grid, { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 1, max: 7 }).map((k) => k / 8),
        async (xs, bar) => {
          const r = await evaluate(dsOf(xs), echo, [cont], {
            ...opts,
            shuffled: true,
            gate: { metric: 'c', atLeast: bar },
          });
          const g = r.gate!;
          const cs = confidenceSequence(xs, {
            confidence: 0.95,
            ...(g.population === undefined ? {} : { population: g.population }),
          });
          let want: 'pass' | 'fail' | 'undecided' = 'undecided';
          let at = xs.length;
          for (let t = 0; t < xs.length; t++) {
            if (cs.lower[t]! >= bar) want = 'pass';
            else if (cs.upper[t]! < bar) want = 'fail';
            if (want !== 'undecided') {
              at = t + 1;
              break;
            }
          }
          if (g.decision !== want || g.n !== at)
            fail(`gate ${g.decision} at ${g.n}, sequence ${want} at ${at}`);
        },
      ),
    );
  });
});
