// Token counts that are not numbers must not reach trajectory_efficiency as a NaN score (outside its [0, 1]).
import { describe, expect, it } from 'vitest';
import {
  trajectoryEfficiency,
  trajectoryEfficiencyScore,
  trajectoryFromModel,
} from '../../src/agents/index.js';
import type { MetricScore, ScoreContext } from '../../src/core/types.js';

describe('trajectory usage that is not a pair of counts', () => {
  it.each([
    { inputTokens: 10 },
    { inputTokens: 10, outputTokens: '5' },
    { inputTokens: Number.NaN, outputTokens: 5 },
    { inputTokens: -1, outputTokens: 5 },
  ])("a model's own trajectory with usage %o is refused", (usage) => {
    expect(() => trajectoryFromModel({ steps: [{ usage: usage as never }] }, 'full')).toThrow(TypeError);
    expect(() => trajectoryFromModel({ steps: [{ usage: usage as never }] }, 'full')).toThrow(
      /^Expected the model's `trajectory\.steps\[0\]\.usage` to be \{ inputTokens, outputTokens \} with counts >= 0, got .*inputTokens/,
    );
  });

  it('a valid one scores in [0, 1]', () => {
    const trajectory = trajectoryFromModel(
      { steps: [{ usage: { inputTokens: 150, outputTokens: 50 } }] },
      'full',
    );
    const s = trajectoryEfficiency().score({
      trajectory,
      example: { id: 'a', input: 'q', reference: { tokens: 100 } },
    } as unknown as ScoreContext);
    expect((s as MetricScore).value).toBe(0.5);
  });

  it.each([
    [{ steps: Number.NaN, tokens: 0 }, 'steps'],
    [{ steps: 1, tokens: -5 }, 'tokens'],
    [{ steps: 1, tokens: Number.POSITIVE_INFINITY }, 'tokens'],
  ])('trajectoryEfficiencyScore refuses used %o', (used, field) => {
    expect(() => trajectoryEfficiencyScore(used, { steps: 2, tokens: 100 })).toThrow(
      new RegExp(`^Expected \`used\\.${field}\` to be a finite number >= 0, got `),
    );
  });
});
