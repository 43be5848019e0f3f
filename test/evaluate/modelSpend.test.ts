/**
 * A model's own `usage` and `costUsd` (a `ModelOutput`) are counts and amounts, or the row fails saying so.
 *
 * Regression: they were taken as given. `usage.inputTokens: NaN` made the run's `totals.inputTokens` NaN and
 * `costUsd: Infinity` its `totals.costUsd` Infinity, both saved as `null`, so the saved result no longer loaded;
 * a BigInt count failed the row's bookkeeping with `Cannot mix BigInt and other types`, on a row still counted as
 * scored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate, loadResult, saveResult } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';

const dir = mkdtempSync(join(tmpdir(), 'evalgate-spend-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const data = [
  { id: 'bad', input: 'q', reference: 'a' },
  { id: 'good', input: 'r', reference: 'a' },
];

describe("a model's usage and cost", () => {
  it.each<[string, Record<string, unknown>, string]>([
    [
      'NaN input tokens',
      { usage: { inputTokens: Number.NaN, outputTokens: 1 } },
      '`usage.inputTokens` = `NaN` (number)',
    ],
    [
      'Infinity output tokens',
      { usage: { inputTokens: 1, outputTokens: Number.POSITIVE_INFINITY } },
      '`usage.outputTokens` = `Infinity` (number)',
    ],
    [
      'a negative count',
      { usage: { inputTokens: -1, outputTokens: 1 } },
      '`usage.inputTokens` = `-1` (number)',
    ],
    [
      'a BigInt count',
      { usage: { inputTokens: 3n as unknown as number, outputTokens: 1 } },
      '`usage.inputTokens` = `3n` (bigint)',
    ],
    ['a missing count', { usage: { inputTokens: 3 } }, '`usage.outputTokens` = `undefined` (undefined)'],
    ['NaN cost', { costUsd: Number.NaN }, '`costUsd` = `NaN` (number)'],
    ['an infinite cost', { costUsd: Number.POSITIVE_INFINITY }, '`costUsd` = `Infinity` (number)'],
  ])('%s fails its row, naming the field, and the result saves and loads', async (_what, extra, field) => {
    const r = await evaluate(
      data,
      async (_input, ctx) =>
        ctx.example.id === 'bad'
          ? { output: 'a', ...extra }
          : { output: 'a', usage: { inputTokens: 2, outputTokens: 3 }, costUsd: 0.5 },
      [exactMatch()],
      { progress: false, maxFailureRate: 1 },
    );
    const bad = r.examples.find((e) => e.id === 'bad')!;
    expect(r.nFailed).toBe(1);
    expect(bad.error?.message).toMatch(
      new RegExp(`^The model returned ${field.replace(/[()`]/g, '\\$&')} for example "bad": expected `),
    );
    expect([r.totals.inputTokens, r.totals.outputTokens, r.totals.costUsd]).toEqual([2, 3, 0.5]);
    const path = join(dir, `${_what}.json`);
    await saveResult(r, path);
    expect((await loadResult(path)).totals.costUsd).toBe(0.5);
  });

  it('a cost of -0 or 0 and whole counts are taken', async () => {
    const r = await evaluate(
      data,
      async () => ({ output: 'a', usage: { inputTokens: 0, outputTokens: 7 }, costUsd: -0 }),
      [exactMatch()],
      {
        progress: false,
      },
    );
    expect(r.nFailed).toBe(0);
    expect(r.totals.outputTokens).toBe(14);
  });
});
