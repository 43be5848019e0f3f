/**
 * loadResult checked the score table's columns for their length only. compare() pairs rows by trial and id and reads
 * `failed` as a truth value, so a hand-edited or converted file changed the comparison without a word: a `failed`
 * cell "false" (a string, so true) dropped its row, a trial "0" clustered every row by example, a labels or stats
 * column shorter than the table left its last rows unlabeled or out of the corpus score. Every cell is now checked,
 * and a cell of the wrong type is a ResultFormatError naming the file and the cell.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compare,
  evaluate,
  loadResult,
  type Metric,
  ResultFormatError,
  saveResult,
} from '../../src/index.js';
import { bleu } from '../../src/metrics/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evalgate-score-cells-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const graded: Metric = { name: 'graded', kind: 'continuous', bounds: [0, 1], score: (c) => Number(c.output) };

/** The score table's columns, as a test edits them. */
interface Cells {
  ids: unknown[];
  trials: unknown[];
  groups: unknown[];
  failed: unknown[];
  labels: Record<string, unknown[]>;
  stats: Record<string, unknown[][]>;
}

async function savedRun(): Promise<{ scores: Cells }> {
  const data = Array.from({ length: 12 }, (_, i) => ({
    id: `e${i}`,
    input: (i % 4) / 4,
    reference: String((i % 4) / 4),
    ...(i < 10 ? { labels: { graded: (i % 4) / 4 } } : {}),
  }));
  const r = await evaluate(data, async (x) => String(x), [graded, bleu()], {
    progress: false,
    resamples: 50,
  });
  return JSON.parse(JSON.stringify(r));
}

let files = 0;
async function load(doc: unknown) {
  const path = join(dir, `r${files++}.json`);
  await writeFile(path, JSON.stringify(doc));
  return { path, got: await loadResult(path).catch((e: unknown) => e) };
}

describe('loadResult: every cell of the score table', () => {
  it.each<[string, (s: Cells) => unknown, string, string]>([
    [
      'an id that is a number',
      (s) => (s.ids[3] = 3),
      'scores.ids[3]',
      'a non-empty string, got `3` (number)',
    ],
    ['an empty id', (s) => (s.ids[0] = ''), 'scores.ids[0]', 'a non-empty string, got `""` (string)'],
    ['a trial "0"', (s) => (s.trials[1] = '0'), 'scores.trials[1]', 'an integer >= 0, got `"0"` (string)'],
    ['a trial 0.5', (s) => (s.trials[1] = 0.5), 'scores.trials[1]', 'an integer >= 0, got `0.5` (number)'],
    ['a group 7', (s) => (s.groups[2] = 7), 'scores.groups[2]', 'a string or null, got `7` (number)'],
    [
      'a failed "false"',
      (s) => (s.failed[4] = 'false'),
      'scores.failed[4]',
      'a boolean, got `"false"` (string)',
    ],
    [
      'a labels column one row short',
      (s) => s.labels.graded!.pop(),
      'scores.labels.graded',
      'an array of length 12, got `array(11)` (array)',
    ],
    [
      'a label "1"',
      (s) => (s.labels.graded![0] = '1'),
      'scores.labels.graded[0]',
      'a number or null, got `"1"` (string)',
    ],
    [
      'a stats column one row short',
      (s) => s.stats.bleu!.pop(),
      'scores.stats.bleu',
      'an array of length 12, got `array(11)` (array)',
    ],
    [
      'a statistic "4"',
      (s) => (s.stats.bleu![2]![0] = '4'),
      'scores.stats.bleu[2][]',
      'a number, got `"4"` (string)',
    ],
  ])('%s is a ResultFormatError naming the cell', async (_, edit, cell, want) => {
    const doc = await savedRun();
    edit(doc.scores);
    const { path, got } = await load(doc);
    expect(got).toBeInstanceOf(ResultFormatError);
    expect((got as Error).message).toBe(
      `${path} is not a valid evalgate result: expected \`${cell}\` to be ${want}`,
    );
  });

  it('a saved run loads, and compares with itself as in memory', async () => {
    const doc = await savedRun();
    const { got } = await load(doc);
    expect(got).not.toBeInstanceOf(Error);
    const path = join(dir, 'saved.json');
    const r = await loadResult((await load(doc)).path);
    await saveResult(r, path);
    const again = await loadResult(path);
    expect(compare(again, again, { resamples: 50 }).metrics).toEqual(
      compare(r, r, { resamples: 50 }).metrics,
    );
  });
});
