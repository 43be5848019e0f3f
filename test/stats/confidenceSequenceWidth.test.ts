// Bounds whose ends are finite but whose width high - low overflows to Infinity: the rescaling (x - low) / width
// is 0 or NaN, and the bounds came out NaN / Infinity. They are refused, here and in a gate on such a metric.
import { describe, expect, it } from 'vitest';
import type { Metric } from '../../src/core/types.js';
import { evaluate } from '../../src/index.js';
import { confidenceSequence, createConfidenceSequence } from '../../src/stats/index.js';

const M = Number.MAX_VALUE;

describe('confidence sequence bounds of overflowing width', () => {
  it.each([[[-M, M]], [[-1e308, 1e308]]])('%o is a RangeError, in both forms', (bounds) => {
    const b = bounds as [number, number];
    const message = `Expected \`bounds\` to be [low, high] with a finite width high - low, got \`[${b.join(', ')}]\` (array)`;
    expect(() => confidenceSequence([0, 1, 2], { bounds: b })).toThrow(new RangeError(message));
    expect(() => createConfidenceSequence({ bounds: b })).toThrow(new RangeError(message));
  });

  it('the widest accepted bounds give finite bounds', () => {
    const cs = confidenceSequence([0, 1, -1, 0], { bounds: [-M / 2, M / 2] });
    for (const v of [...cs.lower, ...cs.upper]) expect(Number.isFinite(v)).toBe(true);
  });
});

describe('a gate on a metric whose range is too wide for a sequence', () => {
  const wide = (bounds: readonly [number, number]): Metric => ({
    name: 'score',
    kind: 'continuous',
    bounds,
    score: () => 0,
  });
  const data = [{ id: 'a', input: 'q' }];

  it.each([
    [[-M, M], 'atLeast'],
    [[0, 1e308], 'baseline'],
  ])('bounds %o (%s gate) are refused before the run', async (bounds, form) => {
    const metric = wide(bounds as [number, number]);
    const opts = { progress: false } as const;
    const baseline = form === 'baseline' ? await evaluate(data, async () => 'x', [metric], opts) : undefined;
    const gate =
      baseline === undefined ? { metric: 'score', atLeast: 0 } : { metric: 'score', baseline, margin: 1 };
    await expect(evaluate(data, async () => 'x', [metric], { ...opts, gate })).rejects.toThrow(
      /`gate\.metric` "score" has bounds .* too wide for a confidence sequence/,
    );
  });
});
