// A model that calls its provider itself (no call through evalgate) reports its spending in its output; the run's
// budget sees it: once a limit is reached no new row starts, as no new call would be sent. Regression: the budget
// was checked only as a call went through the runtime, which such a model never does, so a run with
// `budget: { maxCostUsd: 0.05 }` of a model costing $0.01 a row ran all 20 rows and spent $0.20.
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/index.js';
import { echoDataset, echoMatch } from '../cache/_fixtures.js';

const opts = { progress: false, resamples: 100, concurrency: 2 } as const;
const model = async (input: unknown) => {
  await new Promise((r) => setTimeout(r, 2));
  return { output: String(input), costUsd: 0.01, usage: { inputTokens: 100, outputTokens: 10 } };
};

describe("a budget reached by a model's own reported spending", () => {
  it.each([
    ['maxCostUsd', { maxCostUsd: 0.05 }, 5],
    ['maxTokens', { maxTokens: 330 }, 3],
  ] as const)(
    '%s stops the run: rows in flight finish, no new row starts',
    async (_name, budget, atLimit) => {
      const r = await evaluate(echoDataset(20), model, [echoMatch], { ...opts, budget });
      expect(r.run.stoppedBy).toBe('budget');
      // The row that reaches the limit and the rows already in flight with it finish and are recorded.
      expect(r.n).toBeGreaterThanOrEqual(atLimit);
      expect(r.n).toBeLessThanOrEqual(atLimit + opts.concurrency - 1);
      expect(r.examples).toHaveLength(r.n);
      // Every cent spent is on a record.
      const recorded = r.examples.reduce((s, e) => s + (e.costUsd ?? 0), 0);
      expect(Math.abs(r.totals.costUsd - recorded)).toBeLessThanOrEqual(1e-12);
      expect(r.totals.inputTokens).toBe(100 * r.n);
    },
  );

  it('a budget the run never reaches changes nothing', async () => {
    const r = await evaluate(echoDataset(20), model, [echoMatch], { ...opts, budget: { maxCostUsd: 1 } });
    expect(r.run.stoppedBy).toBeNull();
    expect(r.n).toBe(20);
  });
});
