import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DatasetError,
  type Example,
  evaluate,
  loadLabels,
  sampleForLabeling,
  withLabels,
} from '../../src/index.js';
import { bleu } from '../../src/metrics/index.js';

const dir = mkdtempSync(join(tmpdir(), 'evalgate-labels-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('loadLabels / withLabels', () => {
  it('reads {id, labels} and inline rows, merges repeated ids, skips blank lines and a BOM', async () => {
    const path = file(
      'ok.jsonl',
      '\uFEFF{"id":"a","labels":{"correct":1}}\n\n{"id":"b","correct":0,"helpful":4}\r\n{"id":"a","labels":{"helpful":5}}\n{"id":7,"labels":{"correct":1}}\n',
    );
    const labels = await loadLabels(path);
    expect(Object.fromEntries(labels)).toEqual({
      a: { correct: 1, helpful: 5 },
      b: { correct: 0, helpful: 4 },
      '7': { correct: 1 },
    });
    const out: Example[] = [];
    for await (const ex of withLabels(
      [
        { id: 'a', input: 1, labels: { correct: 0, other: 2 } },
        { id: 'z', input: 2 },
      ],
      labels,
    ))
      out.push(ex);
    expect(out).toEqual([
      { id: 'a', input: 1, labels: { correct: 1, other: 2, helpful: 5 } },
      { id: 'z', input: 2 },
    ]);
  });
  it.each([
    ['bad.jsonl', '{"id":"a","labels":{"correct":1}}\n{not json}\n', /bad\.jsonl:2: invalid JSON/],
    ['noid.jsonl', '{"labels":{"correct":1}}\n', /noid\.jsonl:1: expected `id` to be a non-empty string/],
    [
      'nan.jsonl',
      '{"id":"a","labels":{"correct":"yes"}}\n',
      /nan\.jsonl:1: expected label `correct` to be a finite number, got `"yes"`/,
    ],
    ['arr.jsonl', '[1,2]\n', /arr\.jsonl:1: expected an object/],
  ])('refuses %s with a DatasetError naming file and line', async (name, text, message) => {
    const err = await loadLabels(file(name, text)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as Error).message).toMatch(message);
  });
  it('a missing file is a DatasetError; a bad path a TypeError', async () => {
    await expect(loadLabels(join(dir, 'none.jsonl'))).rejects.toThrow(/cannot read the labels file/);
    await expect(loadLabels('' as string)).rejects.toThrow(TypeError);
  });
});

describe('labels on a corpus metric', () => {
  it('are not used, and a warning says so', async () => {
    const metric = bleu();
    const examples: Example[] = Array.from({ length: 30 }, (_, i) => ({
      id: `b${i}`,
      input: `the cat sat on mat ${i}`,
      reference: `the cat sat on the mat ${i}`,
      labels: { [metric.name]: 0.5 },
    }));
    const r = await evaluate(examples, async (input) => String(input), [metric], {
      progress: false,
      resamples: 200,
    });
    expect(r.metrics[metric.name]!.calibrated).toBeUndefined();
    expect(r.warnings!.join('\n')).toMatch(/is a corpus metric: its human labels are not used/);
  });
});

describe('sampleForLabeling', () => {
  const model = async (input: unknown) => String(input);
  const metric = { name: 'm', kind: 'binary' as const, score: () => 1 };
  it('is seeded, without replacement, only unlabeled examples with an output, at most k', async () => {
    const examples: Example[] = Array.from({ length: 50 }, (_, i) => ({
      id: `e${i}`,
      input: i,
      ...(i < 10 ? { labels: { m: 1 } } : {}),
    }));
    const r = await evaluate(examples, model, [metric], { progress: false, resamples: 200 });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 60 }), fc.integer(), async (k, seed) => {
        const ids = sampleForLabeling(r, k, { seed });
        expect(ids).toEqual(sampleForLabeling(r, k, { seed }));
        expect(ids.length).toBe(Math.min(k, 40));
        expect(new Set(ids).size).toBe(ids.length);
        for (const id of ids) expect(Number(id.slice(1))).toBeGreaterThanOrEqual(10);
      }),
      { seed: 5, numRuns: 200 },
    );
    expect(sampleForLabeling(r, 5, { seed: 1 })).not.toEqual(sampleForLabeling(r, 5, { seed: 2 }));
    expect(() => sampleForLabeling(r, 0)).toThrow(RangeError);
    expect(() => sampleForLabeling(r, 3, { metric: 'nope' })).toThrow(TypeError);
  });
});
