/**
 * A dataset source that fails midway (a generator reading a database, a stream over a network): the run surfaced
 * the source's own error, untyped and without saying where the dataset stopped, so a caller branching on
 * DatasetError missed it. It is a DatasetError naming the row the source failed to give, with the source's error
 * as its `cause`; a DatasetError the source throws itself (loadJsonl's) is passed through as it is.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError, evaluate, loadJsonl } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evalgate-source-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cause = new Error('connection reset');
function* syncSource() {
  yield { id: 'a', input: 'a', reference: 'a' };
  yield { id: 'b', input: 'b', reference: 'b' };
  throw cause;
}
async function* asyncSource() {
  yield { id: 'a', input: 'a', reference: 'a' };
  yield { id: 'b', input: 'b', reference: 'b' };
  throw cause;
}
const run = (dataset: Parameters<typeof evaluate>[0], options: Parameters<typeof evaluate>[3] = {}) =>
  evaluate(dataset, async (x) => String(x), [exactMatch()], { progress: false, resamples: 99, ...options });

describe('a dataset source that throws after two rows', () => {
  it.each([
    ['a sync generator', syncSource],
    ['an async generator', asyncSource],
  ])('%s: a DatasetError at row 2 with the source error as cause', async (_, source) => {
    for (const options of [{}, { gate: { metric: 'exact_match', atLeast: 0.5 } }] as const) {
      const err = await run(source(), options).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DatasetError);
      expect((err as DatasetError).message).toBe(
        'dataset row 2: reading the dataset failed after 2 rows: Error: connection reset',
      );
      expect((err as DatasetError).position).toBe(2);
      expect((err as DatasetError).cause).toBe(cause);
    }
  });

  it('an iterable whose iterator cannot be made: a DatasetError at row 0', async () => {
    const broken = {
      [Symbol.iterator]() {
        throw cause;
      },
    } as unknown as Iterable<{ input: string }>;
    const err = await run(broken).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as DatasetError).message).toBe(
      'dataset row 0: reading the dataset failed after 0 rows: Error: connection reset',
    );
  });

  it("loadJsonl's own DatasetError is passed through, naming the line", async () => {
    const path = join(dir, 'cut.jsonl');
    await writeFile(path, '{"id":"a","input":"a"}\n{"id":"b","inp');
    const err = await run(loadJsonl(path)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as DatasetError).message).toMatch(/cut\.jsonl:2: invalid JSON/);
    expect((err as DatasetError).line).toBe(2);
  });
});
