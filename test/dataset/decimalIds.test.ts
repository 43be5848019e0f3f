/**
 * Example ids written as JSON numbers with more than 15 significant digits: a double gives back the text of every
 * decimal of up to 15 digits, but two longer decimals can parse as one number (`0.12345678901234566` and
 * `0.12345678901234567` are both 0.12345678901234566), so a labels file paired its label with another example of the
 * dataset, as two ids past 2^53 once did. Such an id is refused, naming the row or the line and asking for a string;
 * integers within 2^53 and decimals of up to 15 digits keep their text (property-tested).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleIdText } from '../../src/dataset/examples.js';
import { DatasetError, evaluate, loadJsonl, loadLabels, withLabels } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evalgate-decimal-ids-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const file = async (name: string, text: string) => {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
};
const problem = (got: string) =>
  `expected \`id\` to be a non-empty string, an integer, or a number of at most 15 significant digits, got \`${got}\` (number): past 15 digits a number may not be the id the file wrote (two ids can parse as one number); write it as a string`;

describe('numeric example ids of more than 15 significant digits', () => {
  it('a label for 0.12345678901234567 is not paired with the example 0.12345678901234566: the labels file is refused', async () => {
    const data = await file('data.jsonl', '{"id":0.12345678901234566,"input":"x","reference":"x"}\n');
    const labels = await file('labels.jsonl', '{"id":0.12345678901234567,"labels":{"exact_match":0}}\n');
    const err = await loadLabels(labels).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as Error).message).toBe(`${labels}:1: ${problem('0.12345678901234566')}`);
    const run = await evaluate(
      withLabels(loadJsonl(data), new Map()),
      async (x) => String(x),
      [exactMatch()],
      {
        progress: false,
      },
    ).catch((e: unknown) => e);
    expect((run as Error).message).toBe(`dataset row 0: ${problem('0.12345678901234566')}`);
  });

  it('integers within 2^53 and decimals of up to 15 significant digits keep their text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
          fc
            .tuple(
              fc.integer({ min: 1, max: 15 }),
              fc.bigInt({ min: 1n, max: 10n ** 15n - 1n }),
              fc.integer({ min: -20, max: 10 }),
            )
            .map(([digits, m, e]) => `${String(m).slice(0, digits)}e${e}`),
        ),
        (v) => {
          const text = typeof v === 'number' ? String(v) : v;
          const n = Number(text);
          if (Math.abs(n) > Number.MAX_SAFE_INTEGER) return;
          expect(exampleIdText(n)).toBe(String(n));
          // The id's text reads back as the same number: no other decimal of <= 15 digits parses to it.
          expect(Number(exampleIdText(n))).toBe(n);
        },
      ),
      { seed: 48, numRuns: 500 },
    );
  });

  it.each([0.1, 1.5, -7.25, 1e-7])('%s keeps its text', (id) => {
    expect(exampleIdText(id)).toBe(String(id));
  });

  it('0.1 + 0.2 (0.30000000000000004, 17 digits) is no id', () => {
    expect(exampleIdText(0.1 + 0.2)).toBeUndefined();
  });
});
