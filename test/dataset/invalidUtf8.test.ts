/**
 * Files that are not UTF-8 (a Latin-1 export, a file cut inside a multi-byte character): decoding them leniently
 * turns every bad byte into U+FFFD, so `"café"` in Latin-1 became the input `"caf\uFFFD"` and two ids differing
 * only there became one. A byte sequence that is not UTF-8 is a DatasetError naming the file and the line.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError, loadJsonl, loadLabels } from '../../src/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evalgate-utf8-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const file = async (name: string, bytes: Buffer) => {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
};
const read = async (path: string) => {
  const rows: unknown[] = [];
  for await (const ex of loadJsonl(path)) rows.push(ex);
  return rows;
};
// "café" in Latin-1 (0xE9 alone is not UTF-8), and a 4-byte emoji cut after its second byte.
const latin1 = Buffer.from([...Buffer.from('{"id":"b","input":"caf'), 0xe9, ...Buffer.from('"}')]);
const cutEmoji = Buffer.from([...Buffer.from('{"id":"c","input":"'), 0xf0, 0x9f, ...Buffer.from('"}')]);
const ok = Buffer.from('{"id":"a","input":"café 🙂"}\n');

describe('loadJsonl on bytes that are not UTF-8', () => {
  it.each([
    ['latin1.jsonl', latin1],
    ['cut-emoji.jsonl', cutEmoji],
  ])('%s: a DatasetError naming the file and line 2, not a U+FFFD in the input', async (name, bad) => {
    const path = await file(name, Buffer.concat([ok, bad, Buffer.from('\n')]));
    const err = await read(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as DatasetError).message).toBe(
      `${path}:2: not valid UTF-8 (save the file as UTF-8; a byte sequence here is not UTF-8 text)`,
    );
    expect((err as DatasetError).line).toBe(2);
  });

  it('valid UTF-8 keeps every character, a U+FFFD written in the file included, on CRLF and CR-only files', async () => {
    const text =
      '\uFEFF{"id":"a","input":"café 🙂 \uFFFD"}\r\n{"id":"b","input":"猫"}\r{"id":"c","input":"\u2028"}';
    const path = await file('good.jsonl', Buffer.from(text));
    expect(await read(path)).toEqual([
      { id: 'a', input: 'café 🙂 \uFFFD' },
      { id: 'b', input: '猫' },
      { id: 'c', input: '\u2028' },
    ]);
  });

  it('a byte order mark on a later line is not dropped (it is not JSON)', async () => {
    const path = await file('bom2.jsonl', Buffer.from('{"id":"a","input":1}\n\uFEFF{"id":"b","input":2}\n'));
    const err = await read(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as DatasetError).line).toBe(2);
  });
});

describe('loadLabels on bytes that are not UTF-8', () => {
  it('is a DatasetError naming the file and the line, not ids merged through U+FFFD', async () => {
    // Two ids that differ only in a Latin-1 byte both decoded to "caf\uFFFD" and merged.
    const path = await file(
      'labels.jsonl',
      Buffer.concat([
        Buffer.from('{"id":"ok","labels":{"m":1}}\n'),
        Buffer.from([...Buffer.from('{"id":"caf'), 0xe9, ...Buffer.from('","labels":{"m":1}}\n')]),
        Buffer.from([...Buffer.from('{"id":"caf'), 0xe8, ...Buffer.from('","labels":{"m":0}}\n')]),
      ]),
    );
    const err = await loadLabels(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as DatasetError).message).toBe(
      `${path}:2: not valid UTF-8 (save the file as UTF-8; a byte sequence here is not UTF-8 text)`,
    );
    expect((err as DatasetError).line).toBe(2);
  });
});
