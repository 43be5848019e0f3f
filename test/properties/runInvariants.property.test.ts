// Invariants across the seams of a run, as properties on small seeded datasets: the concurrency and the order
// in which rows finish do not change any number; a rerun from the cache and replay reproduce the live run
// exactly, for rows asking the same thing twice and asking again after a failed call; a segment's summary is
// the summary of a run of that segment's rows alone; a segment's cell of compare() is compare() of that
// segment's rows alone (before the multiplicity adjustment).
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { memoryCache } from '../../src/cache/index.js';
import {
  compare,
  type EvalResult,
  type Example,
  evaluate,
  type Metric,
  type ModelContext,
} from '../../src/index.js';
import { check } from './_prop.js';

const RUNS = 60;
const opts = { progress: false, resamples: 99 } as const;
const grid = fc.integer({ min: 0, max: 4 }).map((k) => k / 4);
const rowArb = fc.record({ x: grid, y: grid, seg: fc.constantFrom('a', 'b', 'c'), delay: fc.nat(3) });
const rowsArb = fc.array(rowArb, { minLength: 1, maxLength: 30 });
type Row = { x: number; y: number; seg: string; delay: number };

const ds = (rows: readonly Row[]): Example[] =>
  rows.map((r, i) => ({ id: `e${i}`, input: r, metadata: { seg: r.seg } }));
const cont: Metric = {
  name: 'c',
  kind: 'continuous',
  bounds: [0, 1],
  score: ({ output }) => Number(JSON.parse(output).v),
};
const bin: Metric = {
  name: 'b',
  kind: 'binary',
  score: ({ output }) => (Number(JSON.parse(output).v) >= 0.5 ? 1 : 0),
};
/** A model answering field `field` of its input after a few ms (rows finish out of order). */
const modelOf =
  (field: 'x' | 'y') =>
  async (input: unknown): Promise<string> => {
    const r = input as Row;
    await new Promise((done) => setTimeout(done, r.delay));
    return JSON.stringify({ v: r[field] });
  };

/** The numbers of a result that must not move: every summary and segment summary, the records' ids and outputs. */
const numbersOf = (r: EvalResult) =>
  JSON.stringify({
    metrics: r.metrics,
    segments: r.segments,
    rows: r.examples.map((e) => [e.id, e.output, e.scores]),
  });

function fail(msg: string): never {
  throw new Error(msg);
}

describe('run invariants', () => {
  it('concurrency and the order rows finish in change no number', async () => {
    await check(
      'concurrency invariance',
      RUNS,
      fc.asyncProperty(rowsArb, fc.integer({ min: 2, max: 9 }), async (rows, c) => {
        const one = await evaluate(ds(rows), modelOf('x'), [cont, bin], {
          ...opts,
          concurrency: 1,
          segmentBy: 'seg',
        });
        const many = await evaluate(ds(rows), modelOf('x'), [cont, bin], {
          ...opts,
          concurrency: c,
          segmentBy: 'seg',
        });
        if (numbersOf(one) !== numbersOf(many)) fail(`concurrency ${c} changed the result`);
      }),
    );
  });

  it('a rerun from the cache and replay reproduce the live run', async () => {
    await check(
      'cache and replay reproduce',
      RUNS,
      fc.asyncProperty(rowsArb, async (rows) => {
        let n = 0;
        // Each row asks twice the same thing through ctx.call (two samples); one call in seven fails, and the
        // row asks again.
        const ask = async (ctx: ModelContext, q: number): Promise<number> => {
          const sample = async () => {
            const k = n++;
            if (k % 7 === 3) throw new Error('a failed call');
            return { value: (k % 5) / 4 };
          };
          try {
            return (await ctx.call({ request: { q } }, sample)).value;
          } catch {
            return (await ctx.call({ request: { q } }, sample)).value;
          }
        };
        const model = async (input: unknown, ctx: ModelContext) => {
          const r = input as Row;
          const a = await ask(ctx, r.x);
          const b = await ask(ctx, r.x);
          return JSON.stringify({ v: Math.min(1, (a + b) / 2) });
        };
        const cache = memoryCache();
        const live = await evaluate(ds(rows), model, [cont, bin], {
          ...opts,
          cache,
          concurrency: 4,
          segmentBy: 'seg',
        });
        const sent = n;
        for (const mode of ['read-write', 'replay'] as const) {
          const again = await evaluate(ds(rows), model, [cont, bin], {
            ...opts,
            cache: { store: cache, mode },
            concurrency: 4,
            segmentBy: 'seg',
          });
          if (n !== sent) fail(`${mode}: ${n - sent} calls sent again`);
          if (numbersOf(again) !== numbersOf(live)) fail(`${mode}: the numbers changed`);
        }
      }),
    );
  });

  it("a segment's summary is the summary of its rows alone", async () => {
    await check(
      'segment = run of its rows',
      RUNS,
      fc.asyncProperty(rowsArb, async (rows) => {
        const whole = await evaluate(ds(rows), modelOf('x'), [cont, bin], { ...opts, segmentBy: 'seg' });
        for (const seg of ['a', 'b', 'c']) {
          const mine = ds(rows).filter((e) => (e.metadata as { seg: string }).seg === seg);
          const cell = whole.segments?.[seg];
          if (mine.length === 0) {
            if (cell !== undefined) fail(`segment ${seg} with no rows`);
            continue;
          }
          const alone = await evaluate(mine, modelOf('x'), [cont, bin], opts);
          // The numbers, not the warning (a segment's names its segment).
          const numbers = (x: object | undefined) => JSON.stringify({ ...x, warning: undefined });
          for (const m of ['c', 'b'])
            if (numbers(cell?.[m]) !== numbers(alone.metrics[m]))
              fail(`segment ${seg}, ${m}: ${numbers(cell?.[m])} vs ${numbers(alone.metrics[m])}`);
        }
      }),
    );
  });

  it("a segment's cell of compare() is compare() of its rows alone", async () => {
    await check(
      'segment cell = compare of its rows',
      RUNS,
      fc.asyncProperty(rowsArb, async (rows) => {
        const base = await evaluate(ds(rows), modelOf('x'), [cont, bin], { ...opts, segmentBy: 'seg' });
        const cand = await evaluate(ds(rows), modelOf('y'), [cont, bin], { ...opts, segmentBy: 'seg' });
        const cmp = compare(base, cand);
        for (const seg of ['a', 'b', 'c']) {
          const mine = ds(rows).filter((e) => (e.metadata as { seg: string }).seg === seg);
          if (mine.length === 0) continue;
          const alone = compare(
            await evaluate(mine, modelOf('x'), [cont, bin], opts),
            await evaluate(mine, modelOf('y'), [cont, bin], opts),
          );
          for (const m of ['c', 'b']) {
            const cell = cmp.segments?.find((s) => s.segment === seg && s.metric === m);
            const whole = alone.metrics[m];
            if (cell === undefined || whole === undefined) fail(`segment ${seg}, ${m}: no cell`);
            const pick = (x: object) => {
              const { n, difference, ci, test, pValue } = x as Record<string, unknown>;
              return JSON.stringify({ n, difference, ci, test, pValue });
            };
            if (pick(cell) !== pick(whole)) fail(`segment ${seg}, ${m}: ${pick(cell)} vs ${pick(whole)}`);
          }
        }
      }),
    );
  });
});
