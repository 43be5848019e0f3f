/**
 * Examples and metric details holding a `Blob` or a `File` (what a browser-style upload or `fs.openAsBlob` gives),
 * and the records written as JSON.
 *
 * Regression: JSON writes a Blob as `{}`. The record writers refused bytes (typed arrays, Buffers, ArrayBuffers) but
 * not a Blob, so with `output` an example whose input held a File was written as `{"file":{}}`, `saveResult` wrote
 * it the same way, and `loadResult` gave back `{}` where the run held the file: silently another value. A Blob is
 * now refused where bytes are, naming the field.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DatasetError, evaluate, saveResult } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';
import { recordFiles, runWithOutput } from './_outputRecords.js';

const out = recordFiles('blob');

describe('a Blob or a File is refused where bytes are, naming the field', () => {
  it('output: an example holding a File is refused before its model call', async () => {
    const output = out();
    const file = new File(['%PDF-1.7'], 'a.pdf', { type: 'application/pdf' });
    const { err, called } = await runWithOutput({ id: 'doc', input: { question: 'q', file } }, output);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as Error).message).toBe(
      `dataset row 0 ("doc"): \`output\` writes each record to "${output}" as JSON, which would read back example.input.file: a File of 8 bytes as another value (JSON writes bytes as an object of numbers, or {}). Keep a file path, a URL or a base64 string in the example and read the bytes in the model, or run without \`output\``,
    );
    expect(called).toEqual([]);
    if (existsSync(output)) expect(readFileSync(output, 'utf8')).not.toContain('"doc"');
  });

  it('saveResult: a result whose records hold a Blob is refused; nothing is written', async () => {
    const r = await evaluate(
      [{ id: 'b', input: 'q', metadata: { blob: new Blob(['abc']) } }],
      async () => 'a',
      [exactMatch()],
      { progress: false },
    );
    const path = out('json');
    await expect(saveResult(r, path)).rejects.toThrow(
      /result\.examples\[0\]\.metadata\.blob: a Blob of 3 bytes would read back as another value/,
    );
    expect(existsSync(path)).toBe(false);
  });

  it("output: a metric's details holding a Blob fail the record write", async () => {
    const output = out();
    const err = await evaluate(
      [{ id: 'q1', input: 'q' }],
      async () => 'a',
      [{ name: 'm', kind: 'binary', score: () => ({ value: 1, details: { mask: new Blob(['xy']) } }) }],
      { output, progress: false },
    ).catch((e: unknown) => e);
    expect((err as { code?: unknown }).code).toBe('E_OUTPUT');
    expect((err as Error).message).toBe(
      `Writing records to "${output}" failed: the record of example "q1" (trial 0) holds record.details.m.mask: a Blob of 2 bytes, which would read back as another value (JSON writes bytes as an object of numbers, or {})`,
    );
  });

  it('without `output`, the run keeps the File (its records stay in memory)', async () => {
    const file = new File(['x'], 'x.txt');
    const r = await evaluate([{ id: 'f', input: file }], async () => 'a', [exactMatch()], {
      progress: false,
    });
    expect(r.examples[0]?.input).toBe(file);
  });
});
