/**
 * A result whose metric is named `__proto__` (evaluate() refuses the name, but JSON.parse of a file from anywhere
 * makes it an own property like any other): compare() must compare it, never drop it by assigning it as the
 * prototype of its metrics record (which left `evalgate compare` reporting "no regression on 0 metric(s)" and
 * exiting 0 on a 0.9 -> 0.5 drop). loadResult refuses such a file (test/result/reservedMetricNames.test.ts), so
 * the CLI exits 2 on it.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compare, type EvalResult, evaluate, saveResult } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';
import { evalgate } from '../cli/_runCli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evalgate-proto-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A result file of 200 rows, wrong on every `wrongEvery`-th, with its metric renamed to `name`. */
async function resultFile(wrongEvery: number, name: string, file: string): Promise<string> {
  const r = await evaluate(
    Array.from({ length: 200 }, (_, i) => ({ id: `q${i}`, input: i, reference: 'yes' })),
    async (x) => ((x as number) % wrongEvery === 0 ? 'no' : 'yes'),
    [exactMatch()],
    { progress: false, resamples: 200, seed: 1 },
  );
  const path = join(dir, file);
  await saveResult(r, path);
  await writeFile(path, (await readFile(path, 'utf8')).replaceAll('"exact_match"', JSON.stringify(name)));
  return path;
}

describe('a metric named __proto__ in result files', () => {
  it('compare() compares it as an own metric', async () => {
    const parsed = async (path: string) => JSON.parse(await readFile(path, 'utf8')) as EvalResult;
    const base = await parsed(await resultFile(10, '__proto__', 'b.json'));
    const cand = await parsed(await resultFile(2, '__proto__', 'c.json'));
    const c = compare(base, cand, { resamples: 200 });
    expect(Object.keys(c.metrics)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(c.metrics)).toBe(Object.prototype);
    const m = Object.getOwnPropertyDescriptor(c.metrics, '__proto__')?.value;
    expect(m.difference).toBeCloseTo(-0.4, 12);
    expect(m.significant).toBe(true);
  });

  it('evalgate compare never passes it (exit 2: the file is refused)', async () => {
    const b = await resultFile(10, '__proto__', 'cli-b.json');
    const c = await resultFile(2, '__proto__', 'cli-c.json');
    const { code, stderr } = await evalgate(['compare', b, c]);
    expect(stderr).toContain('the reserved name "__proto__"');
    expect(code).toBe(2);
  }, 30_000);
});
