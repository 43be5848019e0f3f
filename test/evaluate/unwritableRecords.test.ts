/**
 * Records `output` cannot write as JSON (a BigInt, a cycle).
 *
 * Regression: an example holding a BigInt or a cycle ran its model call, then failed the run while its record was
 * written, with JSON.stringify's own message (`Do not know how to serialize a BigInt`, `Converting circular
 * structure to JSON`), naming neither the example nor the field. A metric's details did the same.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { _jsonWriteProblem } from '../../src/_internal/jsonWriteProblem.js';
import { DatasetError, EvalgateError, type Example, evaluate, type Metric } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';
import { recordFiles, runWithOutput } from './_outputRecords.js';

const out = recordFiles('unwritable');

function cyclic(): Record<string, unknown> {
  const o: Record<string, unknown> = { a: 1 };
  o.self = o;
  return o;
}

describe('output: an example JSON cannot write is refused before its model call', () => {
  it.each<[string, Example, string]>([
    ['a BigInt input', { id: 'big', input: { n: 10n } }, 'example.input.n: a BigInt'],
    ['a BigInt reference', { id: 'big', input: 'q', reference: 10n }, 'example.reference: a BigInt'],
    [
      'a boxed BigInt in metadata',
      { id: 'big', input: 'q', metadata: { n: Object(1n) } },
      'example.metadata.n: a BigInt',
    ],
    [
      'a cycle in metadata',
      { id: 'cyc', input: 'q', metadata: { c: cyclic() } },
      'example.metadata.c.self: a cyclic reference',
    ],
    ['a BigInt in an array', { id: 'big', input: ['a', [2n]] }, 'example.input[1][0]: a BigInt'],
  ])('%s', async (_what, bad, field) => {
    const output = out();
    const { err, called } = await runWithOutput(bad, output);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as DatasetError).exampleId).toBe(bad.id);
    expect((err as Error).message).toBe(
      `dataset row 0 ("${bad.id}"): \`output\` writes each record to "${output}" as JSON, which cannot write ${field} (JSON cannot write it). Convert the field (a BigInt to a string or a number, a cycle to plain data), or run without \`output\``,
    );
    expect(called).toEqual([]);
  });

  it('lets through what JSON writes, changed or not (a toJSON BigInt, a Date, NaN, a Map, a function)', async () => {
    const output = out();
    const withToJSON = Object.assign(Object(5n), { toJSON: () => '5' });
    const r = await evaluate(
      [{ id: 'ok', input: { d: new Date(0), x: Number.NaN, m: new Map(), f: () => 1, b: withToJSON } }],
      async () => 'a',
      [exactMatch()],
      { output, progress: false },
    );
    expect(r.n).toBe(1);
  });

  it('without `output`, such an example runs (its record stays in memory)', async () => {
    const r = await evaluate([{ id: 'big', input: { n: 10n } }], async () => 'a', [exactMatch()], {
      progress: false,
    });
    expect(r.examples[0]?.input).toEqual({ n: 10n });
  });
});

describe('output: a record a metric made unwritable fails naming the example and the field', () => {
  it('a BigInt in a metric’s details', async () => {
    const detailed: Metric = { name: 'm', kind: 'binary', score: () => ({ value: 1, details: { n: 3n } }) };
    const output = out();
    const err = await evaluate([{ id: 'q1', input: 'q' }], async () => 'a', [detailed], {
      output,
      progress: false,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EvalgateError);
    expect((err as EvalgateError).code).toBe('E_OUTPUT');
    expect((err as Error).message).toBe(
      `Writing records to "${output}" failed: the record of example "q1" (trial 0) holds record.details.m.n: a BigInt (JSON cannot write it)`,
    );
  });
});

describe('_jsonWriteProblem', () => {
  it('finds a problem exactly when JSON.stringify throws (property, seeded)', () => {
    const leaf = fc.oneof(
      fc.anything({ maxDepth: 2 }),
      fc.bigInt(),
      fc.constantFrom(Object(1n), new Date(0), Number.NaN, () => 1, Symbol('s'), undefined),
    );
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('v'), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie('v'), { maxKeys: 4 }),
      ),
    })).v;
    fc.assert(
      fc.property(value, fc.boolean(), (v, loop) => {
        const root: unknown =
          loop && v !== null && typeof v === 'object' ? [v, { back: undefined as unknown }] : v;
        if (loop && Array.isArray(root)) (root[1] as { back: unknown }).back = root;
        let throws = false;
        try {
          JSON.stringify(root);
        } catch {
          throws = true;
        }
        expect(_jsonWriteProblem(root, '$') !== undefined).toBe(throws);
      }),
      { seed: 41, numRuns: 400 },
    );
  });
});
