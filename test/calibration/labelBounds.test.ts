// Human labels outside the labeled metric's bounds (a 1-5 judge labeled on a 0-10 scale, a binary metric labeled
// 2): the calibrated estimate of the human mean would mix scales, so it is not computed, and a warning names the
// metric, the example, the label and the bounds.
import { describe, expect, it } from 'vitest';
import type { Metric } from '../../src/core/types.js';
import { type Example, evaluate } from '../../src/index.js';

const judge: Metric = {
  name: 'quality',
  kind: 'continuous',
  bounds: [1, 5],
  score: (c) => 1 + (Number(c.example.input) % 5),
};
const binary: Metric = { name: 'correct', kind: 'binary', score: (c) => Number(c.example.input) % 2 };

function examples(name: string, label: (i: number) => number): Example[] {
  return Array.from({ length: 60 }, (_, i) => ({
    id: `e${i}`,
    input: i,
    ...(i % 3 === 0 ? { labels: { [name]: label(i) } } : {}),
  }));
}

describe('labels outside the metric bounds', () => {
  it.each([
    ['a 1-5 judge labeled 10', judge, (i: number) => (i === 9 ? 10 : 1 + (i % 5)), 'e9', '10', '[1, 5]'],
    ['a binary metric labeled 2', binary, (i: number) => (i === 12 ? 2 : i % 2), 'e12', '2', '[0, 1]'],
  ])('%s', async (_, metric, label, id, value, bounds) => {
    const r = await evaluate(examples(metric.name, label), async (x) => String(x), [metric], {
      progress: false,
      resamples: 200,
    });
    expect(r.metrics[metric.name]!.calibrated).toBeUndefined();
    expect(r.warnings).toContain(
      `metric \`${metric.name}\` has a human label outside its bounds ${bounds} (${value} on example "${id}"): no calibrated estimate is computed`,
    );
  });

  it('labels inside the bounds still calibrate', async () => {
    const r = await evaluate(
      examples('quality', (i) => 1 + (i % 5)),
      async (x) => String(x),
      [judge],
      {
        progress: false,
        resamples: 200,
      },
    );
    expect(r.metrics.quality!.calibrated?.nLabeled).toBe(20);
  });
});
