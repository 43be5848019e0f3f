/**
 * Example ids written as JSON numbers: past 2^53 a double cannot hold every integer, so `9007199254740993` parses
 * as 9007199254740992 and the result (and the labels) would name an example the file does not have. Such an id is
 * refused, naming the row and asking for a string; ids within the safe range stay as they were.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError, evaluate, loadJsonl, loadLabels } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evalgate-ids-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const file = async (name: string, text: string) => {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
};
const run = (dataset: Parameters<typeof evaluate>[0]) =>
  evaluate(dataset, async (x) => String(x), [exactMatch()], { progress: false });

describe('numeric example ids', () => {
  it('a JSONL id past 2^53 is refused, not renamed', async () => {
    const path = await file('big.jsonl', '{"id":9007199254740993,"input":"x","reference":"x"}\n');
    const err = await run(loadJsonl(path)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as Error).message).toBe(
      'dataset row 0: expected `id` to be a non-empty string or an integer within ±(2^53 - 1), got `9007199254740992` (number): past 2^53 a number may not be the id the file wrote; write it as a string',
    );
  });

  it.each([Number.MAX_SAFE_INTEGER + 1, -(2 ** 60), 1e21])('an in-memory id %s is refused', async (id) => {
    await expect(run([{ id: id as unknown as string, input: 'x' }])).rejects.toThrow(DatasetError);
  });

  it('ids within the safe range keep their text', async () => {
    const r = await run([
      { id: Number.MAX_SAFE_INTEGER as unknown as string, input: 'a' },
      { id: -7 as unknown as string, input: 'b' },
      { id: 1.5 as unknown as string, input: 'c' },
    ]);
    expect(r.scores.ids).toEqual(['9007199254740991', '-7', '1.5']);
  });

  it('a labels file with an id past 2^53 is refused, not merged into its neighbour', async () => {
    const path = await file(
      'labels.jsonl',
      '{"id":9007199254740993,"labels":{"exact_match":1}}\n{"id":9007199254740992,"labels":{"exact_match":0}}\n',
    );
    const err = await loadLabels(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as Error).message).toBe(
      `${path}:1: expected \`id\` to be a non-empty string or an integer within ±(2^53 - 1), got \`9007199254740992\` (number): past 2^53 a number may not be the id the file wrote; write it as a string`,
    );
  });
});
