// Label ids that match no example while other ids do (a typo'd id: "e7x" for "e7") lost their labels without a
// word: the calibrated estimate used one label fewer. withLabels now declares a note (under `datasetNotes`) that the
// run adds to `result.warnings`: how many label ids matched no example, and the first few. Arrays, iterables and
// async iterables alike.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  datasetNotes,
  type Example,
  evaluate,
  type LabelSet,
  type Metric,
  withLabels,
} from '../../src/index.js';

const judge: Metric = { name: 'judge', kind: 'binary', score: (c) => Number(c.example.input) % 2 };
const rows = (n: number): Example[] => Array.from({ length: n }, (_, i) => ({ id: `e${i}`, input: i }));
const labelsFor = (ids: readonly string[]): LabelSet =>
  new Map(ids.map((id, i) => [id, { judge: i % 2 }] as const));
const run = (dataset: Iterable<Example> | AsyncIterable<Example>, labels: LabelSet) =>
  evaluate(withLabels(dataset, labels), async (x) => String(x), [judge], { progress: false });
const noteOf = (warnings: readonly string[] | undefined) =>
  (warnings ?? []).filter((w) => w.startsWith('withLabels:'));

function* iterable(n: number): Iterable<Example> {
  yield* rows(n);
}
async function* asyncIterable(n: number): AsyncIterable<Example> {
  for (const ex of rows(n)) yield ex;
}

describe('withLabels: some label ids match no example', () => {
  const ids = [...Array.from({ length: 12 }, (_, i) => `e${2 * i}`), 'e7x'];

  it.each([
    ['an array', () => rows(30)],
    ['an iterable', () => iterable(30)],
    ['an async iterable', () => asyncIterable(30)],
  ])('a typo in one id is a warning naming it (%s)', async (_, dataset) => {
    const r = await run(dataset(), labelsFor(ids));
    expect(r.metrics.judge!.calibrated?.nLabeled).toBe(12);
    expect(noteOf(r.warnings)).toEqual([
      'withLabels: 1 of 13 labeled ids is the id of no example of the dataset ("e7x"): its labels are not used',
    ]);
  });

  it('shows the first three ids of many, and the count', async () => {
    const r = await run(rows(30), labelsFor([...ids, 'a', 'b', 'c']));
    expect(noteOf(r.warnings)).toEqual([
      'withLabels: 4 of 16 labeled ids are the id of no example of the dataset ("e7x", "a", "b", …): their labels are not used',
    ]);
  });

  it('says nothing when every label id matches', async () => {
    const r = await run(rows(30), labelsFor(ids.slice(0, 12)));
    expect(r.metrics.judge!.calibrated?.nLabeled).toBe(12);
    expect(noteOf(r.warnings)).toEqual([]);
  });

  it('the note counts exactly the label ids that are no example id (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }),
        fc.uniqueArray(
          fc.oneof(
            fc.integer({ min: 0, max: 60 }).map((i) => `e${i}`),
            fc.string(),
          ),
          {
            minLength: 1,
            maxLength: 30,
          },
        ),
        async (n, labelIds) => {
          const walked = withLabels(rows(n), labelsFor(labelIds));
          const walk = async () => {
            for await (const _ of walked) {
              // reading to the end is what settles the note
            }
          };
          const exampleIds = new Set(rows(n).map((ex) => ex.id));
          const missing = labelIds.filter((id) => !exampleIds.has(id));
          if (missing.length === labelIds.length) {
            // none matches: the DatasetError of unmatchedLabels.test.ts, and no note
            await expect(walk()).rejects.toThrow(/^withLabels: none of the/);
            expect(walked[datasetNotes]()).toEqual([]);
            return;
          }
          await walk();
          const notes = walked[datasetNotes]();
          if (missing.length === 0) expect(notes).toEqual([]);
          else {
            expect(notes).toHaveLength(1);
            expect(
              notes[0]!.startsWith(`withLabels: ${missing.length} of ${labelIds.length} labeled ids `),
            ).toBe(true);
          }
        },
      ),
      { seed: 21, numRuns: 200 },
    );
  });

  it('a dataset of its own declaring notes has them in the warnings', async () => {
    const dataset = Object.assign(rows(3), { [datasetNotes]: () => ['2 rows were skipped upstream'] });
    const r = await evaluate(dataset, async (x) => String(x), [judge], { progress: false });
    expect(r.warnings).toContain('2 rows were skipped upstream');
  });
});
