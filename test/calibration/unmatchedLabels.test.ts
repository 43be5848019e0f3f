// Labels whose ids match no example of the dataset (ids from another dataset, `1` written for `q1`, a dataset
// without ids) attach to nothing, and the run looked like a run without labels: no `calibrated`, no warning.
// withLabels refuses that at the end of the dataset with a DatasetError naming both sides' ids. Some labels
// matching is the normal case (labels on a random subset): the run's `calibrated.nLabeled` counts them.
import { describe, expect, it } from 'vitest';
import {
  DatasetError,
  type EvalResult,
  type Example,
  evaluate,
  type Metric,
  withLabels,
} from '../../src/index.js';

const judge: Metric = { name: 'judge', kind: 'binary', score: (c) => Number(c.example.input) % 2 };
const rows = (n: number, id: (i: number) => string | undefined = (i) => `e${i}`): Example[] =>
  Array.from({ length: n }, (_, i) => {
    const at = id(i);
    return at === undefined ? { input: i } : { id: at, input: i };
  });
const labelsFor = (ids: readonly string[]) => new Map(ids.map((id, i) => [id, { judge: i % 2 }] as const));
const run = (dataset: Example[], labels: ReturnType<typeof labelsFor>) =>
  evaluate(withLabels(dataset, labels), async (x) => String(x), [judge], { progress: false });

describe('withLabels: labels that match no example', () => {
  it('refuses a run where no label id is an example id', async () => {
    const err = await run(rows(30), labelsFor(Array.from({ length: 10 }, (_, i) => String(i)))).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as Error).message).toBe(
      'withLabels: none of the 10 labeled ids ("0", "1", "2", …) is the id of one of the 30 examples ("e0", "e1", "e2", …): no example got its labels',
    );
  });

  it("the refused run keeps what it paid for: its rows, unlabeled, as the error's partial result", async () => {
    const err = (await run(rows(30), labelsFor(['x'])).catch((e: unknown) => e)) as DatasetError;
    const result = err.result as EvalResult;
    expect(result.n).toBe(30);
    expect(result.metrics.judge!.calibrated).toBeUndefined();
    expect(result.run.stoppedBy).toBe('abort');
    expect(result.warnings?.[0]).toMatch(
      /^the run stopped when its dataset failed \(withLabels: none of the 1 labeled ids/,
    );
  });

  it('says so when the examples have no ids', async () => {
    const err = await run(
      rows(4, () => undefined),
      labelsFor(['e0']),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as Error).message).toBe(
      'withLabels: none of the 1 labeled ids ("e0") is the id of one of the 4 examples (none has an id): no example got its labels',
    );
  });

  it('refuses it when the dataset is walked directly, at its end', async () => {
    const seen: Example[] = [];
    const walk = async () => {
      for await (const ex of withLabels(rows(3), labelsFor(['x']))) seen.push(ex);
    };
    await expect(walk()).rejects.toThrow(DatasetError);
    expect(seen).toHaveLength(3);
  });

  it('accepts some labels matching: nLabeled counts the rows that got one', async () => {
    const ids = [...Array.from({ length: 12 }, (_, i) => `e${2 * i}`), 'zz'];
    const r = await run(rows(30), labelsFor(ids));
    expect(r.metrics.judge!.calibrated?.nLabeled).toBe(12);
  });

  it('accepts an empty label set (nothing to attach) and an empty dataset is the run’s own error', async () => {
    const r = await run(rows(3), labelsFor([]));
    expect(r.metrics.judge!.calibrated).toBeUndefined();
    const err = await run([], labelsFor(['e0'])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as Error).message).not.toMatch(/withLabels/);
  });
});
