/**
 * What a `ctx.call` sender reports it spent is a count and an amount, or the call fails saying so.
 *
 * Regression: a sender's `usage.inputTokens: NaN` made the run's `totals.inputTokens` NaN and `costUsd: Infinity`
 * its `totals.costUsd` Infinity, both saved as `null`, so the saved result no longer loaded; a BigInt count failed
 * the call with `Cannot mix BigInt and other types`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate, loadResult, saveResult } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'evalgate-sender-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ctx.call: the spend a sender reports', () => {
  it.each<[string, Record<string, unknown>, string, string]>([
    [
      'NaN input tokens',
      { usage: { inputTokens: Number.NaN, outputTokens: 1 } },
      '`usage.inputTokens`',
      '`NaN` (number)',
    ],
    [
      'negative output tokens',
      { usage: { inputTokens: 1, outputTokens: -2 } },
      '`usage.outputTokens`',
      '`-2` (number)',
    ],
    [
      'a BigInt count',
      { usage: { inputTokens: 2n, outputTokens: 1 } },
      '`usage.inputTokens`',
      '`2n` (bigint)',
    ],
    ['an infinite cost', { costUsd: Number.POSITIVE_INFINITY }, '`costUsd`', '`Infinity` (number)'],
    ['a NaN cost', { costUsd: Number.NaN }, '`costUsd`', '`NaN` (number)'],
  ])(
    '%s fails the call once, naming the field, and the result saves and loads',
    async (what, spend, field, value) => {
      let sent = 0;
      const r = await evaluate(
        [
          { id: 'bad', input: 'q' },
          { id: 'good', input: 'r' },
        ],
        async (input, ctx) =>
          (
            await ctx.call({ request: { input } }, async () => {
              sent++;
              return input === 'q'
                ? { value: 'a', ...spend }
                : { value: 'a', usage: { inputTokens: 2, outputTokens: 3 }, costUsd: 0.25 };
            })
          ).value,
        [],
        { progress: false, maxFailureRate: 1 },
      );
      expect(sent).toBe(2);
      expect(r.nFailed).toBe(1);
      expect(r.examples.find((e) => e.id === 'bad')?.error?.message).toBe(
        `Expected ${field} of what a \`ctx.call\` sender returned to be a finite number >= 0${field === '`costUsd`' ? ' (USD)' : ''}, got ${value}`,
      );
      expect([r.totals.inputTokens, r.totals.outputTokens, r.totals.costUsd]).toEqual([2, 3, 0.25]);
      const path = join(dir, `${what}.json`);
      await saveResult(r, path);
      expect((await loadResult(path)).totals.inputTokens).toBe(2);
    },
  );
});
