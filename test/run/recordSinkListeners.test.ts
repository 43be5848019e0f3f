// Regression: opening the JSONL record sink raced the file's `open` against its `error` with two events.once()
// waits; the `error` one never settled once the file opened, so its listener stayed on the stream for the whole
// run, beside the sink's own.
import type { WriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { _RecordSink } from '../../src/run/sinks.js';

const opened = vi.hoisted(() => [] as WriteStream[]);

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return {
    ...fs,
    createWriteStream: (...args: Parameters<typeof fs.createWriteStream>) => {
      const stream = fs.createWriteStream(...args);
      opened.push(stream);
      return stream;
    },
  };
});

describe('_RecordSink.open', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'evalgate-sink-'));
    opened.length = 0;
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it("leaves only the sink's own error listener on the file once it is open", async () => {
    const path = join(dir, 'records.jsonl');
    const sink = await _RecordSink.open({ output: path, onFailure: () => {} });
    expect(opened).toHaveLength(1);
    const file = opened[0]!;
    expect(file.listenerCount('error'), "error listeners on the open file (the sink's own is one)").toBe(1);
    expect(file.listenerCount('open'), 'open listeners on the open file').toBe(0);
    await sink.close();
    expect(await readFile(path, 'utf8')).toBe('');
  });

  it('a path that cannot be opened still rejects naming it, and leaves no listener behind', async () => {
    const path = join(dir, 'missing', 'records.jsonl');
    const err = await _RecordSink.open({ output: path, onFailure: () => {} }).catch((e: unknown) => e);
    expect((err as Error).message).toContain(`Writing records to "${path}" failed`);
    expect(opened).toHaveLength(1);
    expect(opened[0]!.listenerCount('open'), 'open listeners on the failed file').toBe(0);
  });
});
