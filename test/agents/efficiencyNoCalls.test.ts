// trajectory_efficiency scored a trajectory without a single model call 1 (nothing used is within any budget). An
// agent whose client evalgate does not see (not wrapped, calling outside ctx.call) leaves exactly such a trajectory,
// so every row of it scored a perfect 1 with no word. Such a row is now missing, saying why; a trajectory with model
// calls scores as before.
import { describe, expect, it } from 'vitest';
import { trajectoryEfficiency } from '../../src/agents/index.js';
import type { Model } from '../../src/core/types.js';
import { evaluate } from '../../src/evaluate.js';

const rows = [{ id: 'a', input: 'q', reference: { steps: 3 } }];

describe('trajectory_efficiency without a model call', () => {
  it('is a missing score, not 1: the agent called its model where evalgate could not see', async () => {
    // An agent using a client of its own: no call goes through the run.
    const unseen: Model = async () => 'an answer from a client evalgate does not see';
    const r = await evaluate(rows, unseen, [trajectoryEfficiency()], { progress: false, trajectory: true });
    expect(r.examples[0]!.scores.trajectory_efficiency).toBeNull();
    expect(JSON.stringify(r.examples[0]!.details?.trajectory_efficiency)).toContain(
      'no model call in the trajectory',
    );
    expect(r.metrics.trajectory_efficiency!.nMissing).toBe(1);
  });

  it('a trajectory with model calls within its budget still scores 1', async () => {
    const seen: Model = async (input, ctx) =>
      (
        await ctx.call({ request: { input }, kind: 'model' }, async () => ({
          value: 'ok',
          usage: { inputTokens: 5, outputTokens: 1 },
        }))
      ).value;
    const r = await evaluate(rows, seen, [trajectoryEfficiency()], { progress: false, trajectory: true });
    expect(r.examples[0]!.scores.trajectory_efficiency).toBe(1);
  });
});
