// An unbounded metric (no `bounds`) has no finite-sample interval, so on fewer than 30 examples its summary says the
// bootstrap interval is unreliable. With trials it counted rows: 5 examples × 8 trials (40 rows) carried no warning,
// though its interval is a bootstrap of 5 clusters (the lower-bound matcher already refuses it, counting examples).
import { describe, expect, it } from 'vitest';
import type { Example, Metric } from '../../src/core/types.js';
import { evaluate } from '../../src/index.js';

const latency: Metric = {
  name: 'latency_ms',
  kind: 'continuous',
  score: ({ example, output }) => Number(output) + (example.input as number) * 7,
};
let calls = 0;
const model = async () => String(10 + (calls++ % 5));

describe('an unbounded metric with trials counts examples for its few-rows warning', () => {
  it('5 examples × 8 trials: warned, naming 5 examples and their 40 rows', async () => {
    const data: Example[] = Array.from({ length: 5 }, (_, i) => ({ id: `e${i}`, input: i }));
    const r = await evaluate(data, model, [latency], { trials: 8, resamples: 199, progress: false });
    expect(r.metrics.latency_ms!.n).toBe(40);
    expect(r.metrics.latency_ms!.warning).toContain(
      'only 5 scored examples (< 30; their 40 rows over trials count once per example) and the metric declares no `bounds`',
    );
  });

  it('30 examples × 2 trials: no few-rows warning', async () => {
    const data: Example[] = Array.from({ length: 30 }, (_, i) => ({ id: `e${i}`, input: i }));
    const r = await evaluate(data, model, [latency], { trials: 2, resamples: 199, progress: false });
    expect(r.metrics.latency_ms!.warning ?? '').not.toContain('scored examples');
  });

  it('groups keep their own rule (20 groups of 2: rows counted, no few-rows warning)', async () => {
    const data: Example[] = Array.from({ length: 40 }, (_, i) => ({
      id: `e${i}`,
      input: i,
      group: `g${i % 20}`,
    }));
    const r = await evaluate(data, model, [latency], { resamples: 199, progress: false });
    expect(r.metrics.latency_ms!.warning ?? '').not.toContain('scored examples');
  });
});
