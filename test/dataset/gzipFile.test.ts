/**
 * A gzip-compressed dataset (`qa.jsonl.gz` passed as is): the error said "not valid UTF-8 (save the file as
 * UTF-8 …)" at line 1, advice that does not fit a compressed file. It now says the file is gzip-compressed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError, loadJsonl } from '../../src/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evalgate-gzip-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadJsonl on a gzip file', () => {
  it('is a DatasetError saying the file is gzip-compressed, with no row read', async () => {
    const path = join(dir, 'qa.jsonl.gz');
    await writeFile(path, gzipSync('{"id":"a","input":"x"}\n{"id":"b","input":"y"}\n'));
    const rows: unknown[] = [];
    const err = await (async () => {
      for await (const ex of loadJsonl(path)) rows.push(ex);
    })().catch((e: unknown) => e);
    expect(rows).toEqual([]);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as DatasetError).message).toBe(
      `${path}:1: the file is gzip-compressed (it starts with the gzip bytes 1f 8b): decompress it first (gunzip), loadJsonl reads JSON Lines text`,
    );
    expect((err as DatasetError).line).toBe(1);
  });
});
