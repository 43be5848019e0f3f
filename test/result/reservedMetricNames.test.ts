/**
 * evaluate() refuses metric names every object inherits (`constructor`, `toString`, `__proto__`): looked up by
 * name they find Object.prototype's members. A result file holding one (written by hand or another tool) is
 * refused the same way by loadResult, naming the file and the metric, instead of loading and then crashing the
 * HTML and history reports deep inside ("Cannot read properties of undefined (reading 'low')") when a baseline
 * or another run lacks the metric.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, loadResult, ResultFormatError, saveResult } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evalgate-reserved-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fileWithMetric(name: string): Promise<string> {
  const r = await evaluate(
    Array.from({ length: 20 }, (_, i) => ({ id: `q${i}`, input: i, reference: 'yes' })),
    async (x) => ((x as number) % 3 === 0 ? 'no' : 'yes'),
    [exactMatch()],
    { progress: false, resamples: 200 },
  );
  const path = join(dir, `${name}.json`);
  await saveResult(r, path);
  await writeFile(path, (await readFile(path, 'utf8')).replaceAll('"exact_match"', JSON.stringify(name)));
  return path;
}

describe('loadResult: metric names evaluate() refuses', () => {
  it.each(['constructor', 'toString', 'hasOwnProperty', '__proto__', 'prototype'])(
    'a metric named "%s" is a ResultFormatError naming the file',
    async (name) => {
      const path = await fileWithMetric(name);
      const err = await loadResult(path).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ResultFormatError);
      expect((err as Error).message).toBe(
        `${path} is not a valid evalgate result: expected \`metrics\` to name metrics by names evaluate() accepts, got the reserved name "${name}" (a property of every object)`,
      );
    },
  );

  it('a name that only looks like one loads', async () => {
    const r = await loadResult(await fileWithMetric('constructor_score'));
    expect(Object.keys(r.metrics)).toEqual(['constructor_score']);
  });
});
