import type { ObservedCall, Trajectory, TrajectoryStep } from '../../src/core/trajectory.js';

/**
 * A model call as a TrajectoryRecorder observes it (no latency, not cached), for feeding `rec.observe`.
 *
 * @example
 * rec.observe(observed('openai.chat', { messages }, { choices: [{ message: { content: 'done' } }] }));
 */
export const observed = (api: string, request: unknown, response: unknown): ObservedCall => ({
  kind: 'model',
  api,
  request,
  response,
  latencyMs: 0,
  cached: false,
});

/** One model turn: the tool calls it asked for, with their results (`!` before a result marks an error). */
export interface Turn {
  readonly calls?: readonly (readonly [name: string, args?: Record<string, unknown>, result?: string])[];
  readonly tokens?: readonly [number, number];
}

/** A trajectory from turns (ids `t<turn>_<k>`), every step a model call. */
export function trajectoryOf(turns: readonly Turn[]): Trajectory {
  const steps: TrajectoryStep[] = turns.map((turn, i) => {
    const calls = turn.calls ?? [];
    return {
      kind: 'model',
      api: 'openai.chat',
      toolCalls: calls.map(([name, args], k) => ({ id: `t${i}_${k}`, name, arguments: args ?? {} })),
      toolResults: calls.flatMap(([name, , result], k) =>
        result === undefined
          ? []
          : [
              {
                id: `t${i}_${k}`,
                name,
                content: result.replace(/^!/, ''),
                isError: result.startsWith('!'),
              },
            ],
      ),
      ...(turn.tokens === undefined
        ? {}
        : { usage: { inputTokens: turn.tokens[0], outputTokens: turn.tokens[1] } }),
      latencyMs: 1,
      cached: false,
    };
  });
  return { steps, source: 'calls', form: 'full', truncated: false };
}

/** Tool names of a trajectory, in order. */
export function namesOf(t: Trajectory): string[] {
  return t.steps.flatMap((s) => s.toolCalls.map((c) => c.name));
}
