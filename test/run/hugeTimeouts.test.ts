// Node runs a setTimeout whose delay exceeds 2^31-1 ms after 1 ms. Regression: withTimeout and the metric bound
// passed finite timeouts to setTimeout as they were, so a "practically infinite" timeout such as 2**31 ms
// (24.9 days) timed every call / async metric out after ~1 ms.
import { describe, expect, it } from 'vitest';
import { evaluate, type Metric, type Model } from '../../src/index.js';
import { HUNG, within } from '../_within.js';

describe('timeouts above 2^31-1 ms', () => {
  it('metricTimeoutMs: 2**31 does not time out a metric that takes 50 ms', async () => {
    const slow: Metric = {
      name: 'slow',
      kind: 'binary',
      score: () => new Promise((resolve) => setTimeout(() => resolve(1), 50)),
    };
    const r = await within(
      evaluate([{ id: 'q', input: 'x' }], async () => 'x', [slow], {
        progress: false,
        metricTimeoutMs: 2 ** 31,
        maxFailureRate: 1,
      }),
    );
    expect(r).not.toBe(HUNG);
    const { examples } = r as Exclude<typeof r, symbol>;
    expect(examples[0]!.details?.slow).toBeUndefined();
    expect(examples[0]!.scores.slow).toBe(1);
  }, 10_000);

  it('timeoutMs: 2**31 does not time out a call that takes 50 ms', async () => {
    const model: Model = async (_input, ctx) => {
      const r = await ctx.call<string>({ request: undefined }, async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        return { value: 'x' };
      });
      return r.value;
    };
    const r = await within(
      evaluate([{ id: 'q', input: 'x' }], model, [], {
        progress: false,
        timeoutMs: 2 ** 31,
        rowTimeoutMs: 2 ** 31,
        maxFailureRate: 1,
        retry: { maxRetries: 0 },
      }),
    );
    expect(r).not.toBe(HUNG);
    const { examples } = r as Exclude<typeof r, symbol>;
    expect(examples[0]!.error).toBeUndefined();
    expect(examples[0]!.output).toBe('x');
  }, 10_000);
});
