// Tool-error recovery on a trajectory cut at the step limit: the errors of the last kept turn may have been
// recovered from in the steps dropped after it, so they are unknown, not failures to recover.
import { describe, expect, it } from 'vitest';
import { toolErrorRecoveryScore, trajectoryFromModel } from '../../src/agents/index.js';

const steps = [
  { toolCalls: [{ name: 'search' }], toolResults: [{ content: 'Error: rate limited', isError: true }] },
  { toolCalls: [{ name: 'get_weather' }], toolResults: [{ content: 'Error: timeout', isError: true }] },
  { toolCalls: [{ name: 'get_weather' }], toolResults: [{ content: '18C', isError: false }] },
  { text: 'It is 18C.' },
];

describe('toolErrorRecoveryScore on a trajectory with dropped steps', () => {
  it("whole: the first turn's error is not recovered (the next turn fails again), the second's is", () => {
    expect(toolErrorRecoveryScore(trajectoryFromModel({ steps }, 'full'))).toEqual({
      errors: 2,
      recovered: 1,
      score: 0.5,
    });
  });

  it('cut after the second turn: its error is not counted as unrecovered', () => {
    const t = trajectoryFromModel({ steps }, 'full', { maxSteps: 2 });
    expect(t.droppedSteps).toBe(2);
    expect(toolErrorRecoveryScore(t)).toEqual({ errors: 1, recovered: 0, score: 0 });
  });

  it('cut after the first turn: nothing is known, the score is missing rather than 0', () => {
    const t = trajectoryFromModel({ steps }, 'full', { maxSteps: 1 });
    expect(toolErrorRecoveryScore(t)).toEqual({ errors: 0, recovered: 0, score: null });
  });
});
