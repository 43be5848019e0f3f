/**
 * loadJsonl's `map` is the caller's code: when it throws on a row, the error names the file, the line and the map,
 * not "cannot read the dataset" (the file was read fine), and keeps the caller's error as its cause.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError, loadJsonl } from '../../src/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evalgate-map-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadJsonl: a map that throws', () => {
  it('is a DatasetError naming the file, the line and the map, with the error as its cause', async () => {
    const path = join(dir, 'rows.jsonl');
    await writeFile(path, '{"q":"a"}\n\n{"q":"b"}\n{"x":1}\n');
    const boom = new TypeError('row has no q');
    const rows = loadJsonl(path, {
      map: (row) => {
        if (typeof row.q !== 'string') throw boom;
        return { input: row.q };
      },
    });
    const seen: unknown[] = [];
    const err = await (async () => {
      for await (const ex of rows) seen.push(ex.input);
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['a', 'b']);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as DatasetError).message).toBe(`${path}:4: \`options.map\` threw: row has no q`);
    expect((err as DatasetError).cause).toBe(boom);
  });
});
