// compare() of a metric with no recorded bounds on fewer than 30 paired rows has no finite-sample interval of the
// difference: its bootstrap interval (or the point of a constant shift) is the spread of those rows. It says so
// (`noInterval`), and toBeNonInferior fails either way. Regression: one row 3 -> 3.5
// gave the interval [0.5, 0.5], nonInferior true, and `toBeNonInferior({ margin: 0.02 })` passed on it.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../src/vitest/index.js';
import { compare, evaluate, type Metric, saveResult } from '../../src/index.js';
import { evalgate } from '../cli/_runCli.js';

const opts = { progress: false, resamples: 999 } as const;
const echo = async (input: unknown) => String(input);
/** 3 or 4 by the input's parity, plus `add`; unbounded unless `bounds` is given. */
const len = (add: number, bounds?: [number, number]): Metric => ({
  name: 'len',
  kind: 'continuous',
  ...(bounds === undefined ? {} : { bounds }),
  score: ({ output }) => 3 + (Number(output) % 2) + add + (Number(output) % 3) * 0.1,
});
const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `r${i}`, input: i }));
const pair = async (n: number, add: number, bounds?: [number, number]) =>
  compare(
    await evaluate(rows(n), echo, [len(0, bounds)], opts),
    await evaluate(rows(n), echo, [len(add, bounds)], opts),
    { margin: 0.02 },
  );

describe('compare() of an unbounded metric on few paired rows', () => {
  it.each([1, 2, 12, 29])('%i rows moved up by 0.5: no interval, not non-inferior, either way', async (n) => {
    const c = await pair(n, 0.5);
    const m = c.metrics.len!;
    expect(m.ci.low).toBeGreaterThan(0);
    expect(m.noInterval).toMatch(new RegExp(`only ${n} paired rows? \\(< 30\\)`));
    expect(() => expect(c).toBeNonInferior({ margin: 0.02 })).toThrow(/no finite-sample interval/);
    expect(() => expect(c).not.toBeNonInferior({ margin: 0.02 })).toThrow(/no finite-sample interval/);
  });

  it('a run against itself is still non-inferior (the difference is exactly 0)', async () => {
    const r = await evaluate(rows(3), echo, [len(0)], opts);
    const c = compare(r, r, { margin: 0.02 });
    expect(c.metrics.len!.noInterval).toBeUndefined();
    expect(c.metrics.len!.nonInferior).toBe(true);
    expect(c).toBeNonInferior({ margin: 0.02 });
  });

  it('with bounds recorded, the finite-sample interval decides', async () => {
    const c = await pair(3, 0.5, [0, 10]);
    expect(c.metrics.len!.noInterval).toBeUndefined();
    expect(c.metrics.len!.ci.method).toBe('bounded-mean');
  });

  it('30 paired rows: the bootstrap is used as before', async () => {
    const c = await pair(30, 0.5);
    expect(c.metrics.len!.noInterval).toBeUndefined();
    expect(c.metrics.len!.nonInferior).toBe(true);
    expect(c).toBeNonInferior({ margin: 0.02 });
  });
});

describe('evalgate compare with a margin', () => {
  it('does not pass an unbounded metric on 3 paired rows (exit 1, CANNOT PASS); 30 rows pass', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evalgate-unbounded-'));
    const codes: number[] = [];
    for (const n of [3, 30]) {
      const [b, c] = [join(dir, `b${n}.json`), join(dir, `c${n}.json`)];
      await saveResult(await evaluate(rows(n), echo, [len(0)], opts), b);
      await saveResult(await evaluate(rows(n), echo, [len(0.5)], opts), c);
      const out = await evalgate(['compare', b, c, '--margin', 'len=0.02'], 60_000);
      if (n === 3) expect(out.stdout).toMatch(/CANNOT PASS[\s\S]*only 3 paired rows/);
      codes.push(out.code);
    }
    expect(codes).toEqual([1, 0]);
  }, 120_000);
});
