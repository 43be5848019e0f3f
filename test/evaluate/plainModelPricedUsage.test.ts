// A model that calls its provider itself and reports its tokens but no cost is priced by the name it declares
// (`modelName`, the run's `pricing` then the default table), as a call through evalgate to that model would be:
// the record, the totals and the budget all see the cost. Regression: such rows had no cost at all, so
// `{ modelName: 'gpt-4o' }` reporting 100k + 100k tokens a row ($1.25 a row at the default price) ran all 20 rows
// under `budget: { maxCostUsd: 1 }`, and the result said costUsd 0 with 20 unpriced calls.
import { describe, expect, it } from 'vitest';
import { evaluate, type Model } from '../../src/index.js';
import { echoDataset, echoMatch } from '../cache/_fixtures.js';

const opts = { progress: false, resamples: 100, concurrency: 2 } as const;
const usage = { inputTokens: 100_000, outputTokens: 100_000 };

/** A self-calling model reporting `usage` (and no cost), declared as `modelName` when one is given. */
function reporting(modelName?: string): Model {
  const run = async (input: unknown) => {
    await new Promise((r) => setTimeout(r, 2));
    return { output: String(input), usage };
  };
  return modelName === undefined ? run : Object.assign(run, { modelName });
}

describe('tokens reported by a named model without a cost', () => {
  it('are priced by its name: on each record and in the totals', async () => {
    const r = await evaluate(echoDataset(4), reporting('gpt-4o'), [echoMatch], opts);
    // gpt-4o's default price: $2.50 / M input, $10 / M output -> $0.25 + $1.00 a row.
    for (const e of r.examples) expect(e.costUsd).toBe(1.25);
    expect(r.totals.costUsd).toBe(5);
    expect(r.totals.unpricedCalls).toBeUndefined();
  });

  it("a price in the run's pricing table is the one used", async () => {
    const r = await evaluate(echoDataset(3), reporting('my-finetune'), [echoMatch], {
      ...opts,
      pricing: { 'my-finetune': { inputPerMillion: 1, outputPerMillion: 2 } },
    });
    for (const e of r.examples) expect(e.costUsd).toBe(0.3);
    expect(r.totals.costUsd).toBeCloseTo(0.9, 12);
  });

  it('the cost budget stops the run once it is reached', async () => {
    const r = await evaluate(echoDataset(20), reporting('gpt-4o'), [echoMatch], {
      ...opts,
      budget: { maxCostUsd: 1 },
    });
    expect(r.run.stoppedBy).toBe('budget');
    // The first row reaches the limit; the row in flight with it finishes.
    expect(r.n).toBeLessThanOrEqual(opts.concurrency);
    const recorded = r.examples.reduce((s, e) => s + (e.costUsd ?? 0), 0);
    expect(r.totals.costUsd).toBe(recorded);
  });

  it('an unnamed model stays unpriced (counted, with no cost invented)', async () => {
    const r = await evaluate(echoDataset(3), reporting(), [echoMatch], opts);
    for (const e of r.examples) expect(e.costUsd).toBeUndefined();
    expect(r.totals.costUsd).toBe(0);
    expect(r.totals.unpricedCalls).toBe(3);
  });
});
