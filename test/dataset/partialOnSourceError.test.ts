/**
 * A dataset that fails midway (a cut JSONL's last line, a generator whose database connection drops) ended the run
 * with a DatasetError and nothing else: the rows already scored and paid for were lost unless `output` or a cache
 * was set, and the rows in flight were cancelled after their calls had been sent (DESIGN: nothing paid for is
 * discarded). The run now stops taking rows (rows read ahead are not started), lets those in flight finish, and attaches the partial result to the
 * error as `error.result` (`run.stoppedBy: 'abort'`, the first warning naming the dataset's error), as
 * FailureRateExceededError does; a partial result never passes a gate. A dataset that fails before any row ran has nothing to attach.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/vitest/index.js';
import {
  compare,
  DatasetError,
  type EvalResult,
  evaluate,
  formatResultTable,
  loadJsonl,
  loadResult,
  saveResult,
} from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';
import { check } from '../properties/_prop.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evalgate-partial-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const rows = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `q${i}`, input: `a${i}`, reference: `a${i}` }));

async function* failingAfter(n: number, cause: Error) {
  for (const row of rows(n)) yield row;
  throw cause;
}

/** A model that counts its calls and the calls that finished (an in-flight call is one sent and paid for). */
function countingModel(delayMs: number) {
  const counts = { started: 0, finished: 0 };
  const model = async (input: unknown) => {
    counts.started++;
    await new Promise((r) => setTimeout(r, delayMs));
    counts.finished++;
    return String(input);
  };
  return { counts, model };
}

const opts = { progress: false, resamples: 99, concurrency: 4 } as const;

describe('a dataset that fails after some rows have run', () => {
  it('the DatasetError carries the partial result: every row read is scored, none cancelled', async () => {
    const cause = new Error('connection reset');
    const { counts, model } = countingModel(20);
    const err = await evaluate(failingAfter(10, cause), model, [exactMatch()], opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    const e = err as DatasetError;
    expect(e.message).toBe(
      'dataset row 10: reading the dataset failed after 10 rows: Error: connection reset',
    );
    expect(e.cause).toBe(cause);
    const result = e.result as EvalResult;
    expect(result).toBeDefined();
    // The rows in flight when the source failed (4, the concurrency) finished and are scored; the rows read
    // ahead but not started are not started (the run has stopped: nothing more is spent).
    expect(result.n).toBe(4);
    expect(result.nFailed).toBe(0);
    expect(result.examples.map((r) => r.id)).toEqual(['q0', 'q1', 'q2', 'q3']);
    expect(result.metrics.exact_match?.mean).toBe(1);
    expect(result.run.stoppedBy).toBe('abort');
    expect(result.warnings?.[0]).toBe(
      'the run stopped when its dataset failed (dataset row 10: reading the dataset failed after 10 rows: Error: connection reset): this result holds the 4 rows that ran, not the whole dataset',
    );
    // Every call sent finished: none was cancelled after it was paid for.
    expect(counts).toEqual({ started: 4, finished: 4 });
  });

  it("a cut JSONL file: loadJsonl's error (naming the line) carries the rows before it", async () => {
    const path = join(dir, 'cut.jsonl');
    const lines = rows(5).map((r) => JSON.stringify(r));
    await writeFile(path, `${lines.join('\n')}\n{"id":"q5","inp`);
    const err = (await evaluate(loadJsonl(path), async (x) => String(x), [exactMatch()], opts).catch(
      (e: unknown) => e,
    )) as DatasetError;
    expect(err).toBeInstanceOf(DatasetError);
    expect(err.line).toBe(6);
    const result = err.result as EvalResult;
    expect(result.n).toBe(5);
    expect(result.run.stoppedBy).toBe('abort');
  });

  it('a duplicate id midway: the rows before it are kept', async () => {
    const dataset = [...rows(3), { id: 'q1', input: 'x' }];
    const err = (await evaluate(dataset, async (x) => String(x), [exactMatch()], opts).catch(
      (e: unknown) => e,
    )) as DatasetError;
    expect(err.message).toBe('dataset row 3: duplicate example id "q1"');
    const result = err.result as EvalResult;
    expect(result.n).toBe(3);
    expect(result.run.rowsPlanned).toBe(4);
  });

  it('the partial result saves, loads, reads as stopped in the table, and never passes a gate', async () => {
    const err = (await evaluate(
      failingAfter(40, new Error('gone')),
      async (x) => String(x),
      [exactMatch()],
      opts,
    ).catch((e: unknown) => e)) as DatasetError;
    const result = err.result as EvalResult;
    const path = join(dir, 'partial.json');
    await saveResult(result, path);
    const loaded = await loadResult(path);
    expect(loaded.run.stoppedBy).toBe('abort');
    expect(formatResultTable(loaded)).toContain('stopped by abort after 40 rows');
    expect(() => expect(loaded).toHaveLowerBoundAtLeast('exact_match', 0.5)).toThrow(
      /stopped by abort after 40 rows/,
    );
    const full = await evaluate(rows(40), async (x) => String(x), [exactMatch()], opts);
    expect(compare(full, loaded).partial).toBe('the candidate run was stopped by abort after 40 rows');
  });

  it("the warning the saved result carries hides a credential in the source's error, as a record's error does", async () => {
    const cause = new Error('connect ECONNREFUSED postgres://bob:hunter2@db.internal:5432/evals');
    const err = (await evaluate(failingAfter(3, cause), async (x) => String(x), [exactMatch()], opts).catch(
      (e: unknown) => e,
    )) as DatasetError;
    const warning = (err.result as EvalResult).warnings?.[0] ?? '';
    expect(warning).toMatch(/^the run stopped when its dataset failed/);
    expect(warning).not.toContain('hunter2');
  });

  it('a dataset that fails before any row ran has no result to attach', async () => {
    const err = (await evaluate(failingAfter(0, new Error('no rows')), async (x) => String(x), [
      exactMatch(),
    ]).catch((e: unknown) => e)) as DatasetError;
    expect(err).toBeInstanceOf(DatasetError);
    expect(err.result).toBeUndefined();
  });
});

describe('property: a source failing after k rows, at any concurrency', () => {
  it('every call started finished, and the attached result holds exactly those rows, from the first k', async () => {
    await check(
      'partial result on a dataset error',
      150,
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 16 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 8 }),
        async (k, concurrency, delays) => {
          const started: string[] = [];
          let finished = 0;
          const model = async (input: unknown) => {
            started.push(String(input));
            const ms = delays[started.length % delays.length] as number;
            await new Promise((r) => (ms === 0 ? setImmediate(r) : setTimeout(r, ms)));
            finished++;
            return String(input);
          };
          const err = (await evaluate(failingAfter(k, new Error('cut')), model, [exactMatch()], {
            progress: false,
            resamples: 20,
            concurrency,
          }).catch((e: unknown) => e)) as DatasetError;
          expect(err).toBeInstanceOf(DatasetError);
          expect(finished).toBe(started.length);
          const result = err.result as EvalResult;
          expect(result.n).toBe(started.length);
          expect(result.n).toBeGreaterThanOrEqual(1);
          const ids = result.examples.map((r) => r.id);
          expect(new Set(ids).size).toBe(ids.length);
          const firstK = new Set(rows(k).map((r) => r.id));
          for (const id of ids) expect(firstK.has(id)).toBe(true);
          expect(result.metrics.exact_match?.mean).toBe(1);
        },
      ),
    );
  }, 120_000);
});
