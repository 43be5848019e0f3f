/**
 * loadLabels merged several lines for one id with the later value winning per metric, so a second rater's file
 * appended to the first replaced every overlapping label without a word ("a" labelled 1, then 0, read as 0).
 * Two different values for one id and metric are now a DatasetError naming the file, both lines, the id and the
 * metric; the same value twice, and other metrics on a later line, still merge.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError, loadLabels } from '../../src/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evalgate-conflicting-labels-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let files = 0;
const file = async (text: string) => {
  const path = join(dir, `labels-${files++}.jsonl`);
  await writeFile(path, text);
  return path;
};

describe('loadLabels: one id labelled twice', () => {
  it('two different values for one id and metric are a DatasetError naming file, both lines, id and metric', async () => {
    const path = await file(
      '{"id":"a","labels":{"correct":1}}\n{"id":"b","labels":{"correct":1}}\n\n{"id":"a","correct":0}\n',
    );
    const err = await loadLabels(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as DatasetError).message).toBe(
      `${path}: lines 1 and 4 give example "a" two different \`correct\` labels (1, then 0): keep one label per example and metric in a labels file (an adjudicated one, or each rater in a file of their own, compared with judgeAgreement)`,
    );
    expect((err as DatasetError).line).toBe(4);
    expect((err as DatasetError).exampleId).toBe('a');
  });

  it('a numeric id and its text are one id', async () => {
    const path = await file('{"id":7,"labels":{"m":0.5}}\n{"id":"7","labels":{"m":0.25}}\n');
    await expect(loadLabels(path)).rejects.toThrow(/lines 1 and 2 give example "7" two different `m` labels/);
  });

  it('the same value twice, and other metrics of the id, still merge', async () => {
    const path = await file(
      '{"id":"a","labels":{"correct":1}}\n{"id":"a","labels":{"correct":1,"helpful":4}}\n{"id":"a","helpful":4}\n',
    );
    expect(Object.fromEntries(await loadLabels(path))).toEqual({ a: { correct: 1, helpful: 4 } });
  });

  it('names the first line that gave the value, when it was given twice before (fast-check shrank to this)', async () => {
    const path = await file(
      '{"id":"b","labels":{"m":0}}\n{"id":"b","labels":{"m":0}}\n{"id":"b","labels":{"m":0.5}}',
    );
    await expect(loadLabels(path)).rejects.toThrow(
      /: lines 1 and 3 give example "b" two different `m` labels \(0, then 0\.5\)/,
    );
  });

  it('a file refuses exactly when some id and metric get two different values (property)', async () => {
    const line = fc.record({
      id: fc.constantFrom('a', 'b', 'c'),
      metric: fc.constantFrom('m', 'n'),
      value: fc.constantFrom(0, 1, 0.5),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 8 }), async (rows) => {
        const path = await file(
          rows.map((r) => JSON.stringify({ id: r.id, labels: { [r.metric]: r.value } })).join('\n'),
        );
        const seen = new Map<string, number>();
        let conflict: { first: number; second: number } | undefined;
        const firstLine = new Map<string, number>();
        rows.forEach((r, i) => {
          const k = `${r.id}/${r.metric}`;
          if (conflict !== undefined) return;
          if (seen.has(k) && seen.get(k) !== r.value) conflict = { first: firstLine.get(k)!, second: i + 1 };
          if (!seen.has(k)) {
            seen.set(k, r.value);
            firstLine.set(k, i + 1);
          }
        });
        const got = await loadLabels(path).catch((e: unknown) => e);
        if (conflict === undefined) {
          expect(got).toBeInstanceOf(Map);
          for (const [k, v] of seen) {
            const [id, metric] = k.split('/') as [string, string];
            expect((got as Map<string, Record<string, number>>).get(id)?.[metric]).toBe(v);
          }
        } else {
          expect(got).toBeInstanceOf(DatasetError);
          expect((got as Error).message).toContain(`lines ${conflict.first} and ${conflict.second} give`);
        }
      }),
      { seed: 22, numRuns: 200 },
    );
  });

  it('a label in `labels` and another value beside it on one line is refused, not the one beside it dropped', async () => {
    const path = await file('{"id":"a","labels":{"correct":1},"correct":0}\n');
    const err = await loadLabels(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as DatasetError).message).toBe(
      `${path}:1: label \`correct\` is given twice, \`1\` (number) in \`labels\` and \`0\` (number) beside it: keep one`,
    );
    // The same value beside it, and fields that name no label (a rater, a note), still read.
    const same = await file('{"id":"a","labels":{"correct":1},"correct":1,"rater":"ann"}\n');
    expect((await loadLabels(same)).get('a')).toEqual({ correct: 1 });
  });
});
