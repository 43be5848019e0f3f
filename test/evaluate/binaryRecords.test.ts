/**
 * Examples holding bytes (an image or a PDF as a Uint8Array, a Buffer, an ArrayBuffer) and the records written
 * as JSON.
 *
 * Regression: JSON writes a Uint8Array as `{"0":137,"1":80,…}`, a Buffer as `{"type":"Buffer","data":[…]}` and an
 * ArrayBuffer as `{}`. With `output`, each record of such an example was written in that form (a 300 KB image made
 * a 3.7 MB line as a Uint8Array) and read back as another value; `saveResult` wrote it the same way and `loadResult` gave back an
 * object where the run held bytes. Such an example is now refused before its model call when `output` is set, and
 * `saveResult` refuses such a result, each naming the field; without `output` the run keeps the bytes in memory.
 */
import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { _jsonBytesProblem } from '../../src/_internal/jsonBytesProblem.js';
import { DatasetError, type Example, evaluate, saveResult } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';
import { recordFiles, runWithOutput } from './_outputRecords.js';

const out = recordFiles('binary');
const png = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 0]);

const CASES: [string, Example, string][] = [
  ['a Uint8Array input', { id: 'img', input: png }, 'example.input: a Uint8Array of 10 bytes'],
  [
    'a Buffer in an input object',
    { id: 'img', input: { question: 'what?', image: Buffer.from(png) } },
    'example.input.image: a Buffer of 10 bytes',
  ],
  [
    'an ArrayBuffer in a list of parts',
    { id: 'img', input: ['what?', png.buffer.slice(0)] },
    'example.input[1]: an ArrayBuffer of 10 bytes',
  ],
  [
    'a Float32Array reference',
    { id: 'vec', input: 'q', reference: new Float32Array([1, 2]) },
    'example.reference: a Float32Array of 8 bytes',
  ],
  [
    'a DataView in metadata',
    { id: 'pdf', input: 'q', metadata: { file: new DataView(png.buffer) } },
    'example.metadata.file: a DataView of 10 bytes',
  ],
];

describe('output: an example holding bytes is refused before its model call, naming the field', () => {
  it.each(CASES)('%s', async (_what, bad, field) => {
    const output = out();
    const { err, called } = await runWithOutput(bad, output);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as DatasetError).exampleId).toBe(bad.id);
    expect((err as Error).message).toBe(
      `dataset row 0 ("${bad.id}"): \`output\` writes each record to "${output}" as JSON, which would read back ${field} as another value (JSON writes bytes as an object of numbers, or {}). Keep a file path, a URL or a base64 string in the example and read the bytes in the model, or run without \`output\``,
    );
    expect(called).toEqual([]);
  });

  it('a later row is refused before its own call, and the records written are the earlier rows', async () => {
    const output = out();
    const called: string[] = [];
    const err = await evaluate(
      [
        { id: 'a', input: 'q' },
        { id: 'img', input: { image: png } },
        { id: 'c', input: 'q' },
      ],
      async (input) => {
        called.push(JSON.stringify(input));
        return 'a';
      },
      [exactMatch()],
      { output, concurrency: 1, progress: false },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as DatasetError).exampleId).toBe('img');
    expect(called).not.toContain(JSON.stringify({ image: png }));
    if (existsSync(output))
      for (const line of readFileSync(output, 'utf8')
        .split('\n')
        .filter((l) => l !== ''))
        expect(JSON.parse(line).id).not.toBe('img');
  });

  it('without `output`, the run keeps the bytes (its records stay in memory)', async () => {
    const r = await evaluate([{ id: 'img', input: png }], async () => 'a', [exactMatch()], {
      progress: false,
    });
    expect(r.examples[0]?.input).toBe(png);
  });
});

describe('saveResult: a result whose records hold bytes is refused naming the field; nothing is written', () => {
  it.each(CASES)('%s', async (_what, bad, field) => {
    const r = await evaluate([bad], async () => 'a', [exactMatch()], { progress: false });
    const path = out('json');
    await expect(saveResult(r, path)).rejects.toThrow(
      new TypeError(
        `Cannot save \`result\` to "${path}": ${field.replace('example.', 'result.examples[0].')} would read back as another value (JSON writes bytes as an object of numbers, or {}). Keep a file path, a URL or a base64 string in the example instead of the bytes`,
      ),
    );
    expect(existsSync(path)).toBe(false);
  });

  it("a metric's details holding bytes", async () => {
    const r = await evaluate(
      [{ id: 'a', input: 'q' }],
      async () => 'a',
      [{ name: 'm', kind: 'binary', score: () => ({ value: 1, details: { mask: new Uint8Array(3) } }) }],
      { progress: false },
    );
    const path = out('json');
    await expect(saveResult(r, path)).rejects.toThrow(
      /result\.examples\[0\]\.details\.m\.mask: a Uint8Array of 3 bytes/,
    );
  });
});

describe("output: a record a metric's details filled with bytes fails naming the example and the field", () => {
  it('a Uint8Array in details', async () => {
    const output = out();
    const err = await evaluate(
      [{ id: 'q1', input: 'q' }],
      async () => 'a',
      [{ name: 'm', kind: 'binary', score: () => ({ value: 1, details: { mask: new Uint8Array(3) } }) }],
      { output, progress: false },
    ).catch((e: unknown) => e);
    expect((err as { code?: unknown }).code).toBe('E_OUTPUT');
    expect((err as Error).message).toBe(
      `Writing records to "${output}" failed: the record of example "q1" (trial 0) holds record.details.m.mask: a Uint8Array of 3 bytes, which would read back as another value (JSON writes bytes as an object of numbers, or {})`,
    );
  });
});

describe('_jsonBytesProblem', () => {
  it('finds bytes exactly where JSON.stringify meets them (property, seeded)', () => {
    const isBytes = (x: unknown) => ArrayBuffer.isView(x) || x instanceof ArrayBuffer;
    const value = fc.anything({
      maxDepth: 3,
      withTypedArray: true,
      withMap: true,
      withSet: true,
      withDate: true,
      withBoxedValues: true,
      withSparseArray: true,
      withNullPrototype: true,
    });
    fc.assert(
      fc.property(value, fc.boolean(), (v, wrap) => {
        const root = wrap ? { input: [v, { image: new Uint8Array(2) }] } : v;
        let met = false;
        // The replacer sees each value after toJSON; `this[key]` is the value before it (a Buffer, not its JSON).
        JSON.stringify(root, function (this: Record<string, unknown>, key, x) {
          if (isBytes(this[key]) || isBytes(x)) met = true;
          return x;
        });
        const problem = _jsonBytesProblem(root, '$');
        expect(problem !== undefined).toBe(met);
        if (wrap) expect(problem).toMatch(/^\$\.input\[(0|1)\]/);
      }),
      { seed: 28, numRuns: 300 },
    );
  });
});
