import { _checkOptions } from '../_internal/validate.js';
import { builtinMetricDefinition } from '../core/metricDefinition.js';
import type { Trajectory } from '../core/trajectory.js';
import type { Metric, MetricScore, ScoreContext } from '../core/types.js';
import { _AGENT_METRIC_KEY_SET, _agentOptions, _missing } from './_internal/common.js';
import type { AgentMetricOptions } from './types.js';

const AGENT_METRIC_KEYS = Object.keys(_AGENT_METRIC_KEY_SET);
/** How an agent handled its failed tool calls. */
export interface ToolErrorRecoveryScore {
  /** Tool results that were errors. */
  readonly errors: number;
  /** Of those, followed by a successful retry or alternative. */
  readonly recovered: number;
  /** `recovered / errors`, or `null` when there was no error (nothing to recover from). */
  readonly score: number | null;
}

/**
 * Error recovery of a trajectory: the share of failed tool calls the agent recovered from.
 *
 * Each tool result with `isError` belongs to the model step whose call it answers. It counts as recovered when
 * the next model step that asks for tool calls has at least one call whose result is not an error — a retry of
 * the same tool or an alternative. Giving up (answering without another tool call), or a next turn whose calls all
 * fail again, is not a recovery; a later success only credits the errors of the turn just before it. When the
 * trajectory was cut at the step limit (`droppedSteps`), the errors of its last kept turn are left out: whether
 * they were recovered from is not known. The score
 * is `recovered / errors`; with no error it is undefined (`null`, a missing score), never 1.
 *
 * @param trajectory - The row's trajectory.
 * @returns `{ errors, recovered, score }`.
 * @example
 * ```ts
 * // turns: 1 get_weather → error; 2 get_weather → error, search → ok; 3 convert → error; 4 convert → ok; answer
 * toolErrorRecoveryScore(trajectory); // => { errors: 3, recovered: 2, score: 0.6666666666666666 }
 * ```
 */
export function toolErrorRecoveryScore(trajectory: Trajectory): ToolErrorRecoveryScore {
  const turns = trajectory.steps.filter((s) => s.kind === 'model' && s.toolCalls.length > 0);
  let errors = 0;
  let recovered = 0;
  turns.forEach((turn, i) => {
    const failed = turn.toolResults.filter((r) => r.isError).length;
    if (failed === 0) return;
    const next = turns[i + 1];
    // The last kept turn of a trajectory cut at the step limit may have been recovered from in a dropped step.
    if (next === undefined && (trajectory.droppedSteps ?? 0) > 0) return;
    errors += failed;
    if (next === undefined) return;
    const ids = new Set(next.toolResults.filter((r) => !r.isError).map((r) => r.id));
    if (next.toolCalls.some((c) => ids.has(c.id))) recovered += failed;
  });
  return Object.freeze({ errors, recovered, score: errors === 0 ? null : recovered / errors });
}

/**
 * Tool-error recovery of an agent: {@link toolErrorRecoveryScore} of the row's trajectory. Rows without a tool
 * error are missing (there was nothing to recover from), so the mean is over rows that had one; `nMissing` says
 * how many did not. Needs no reference. Its `definition` is `{ metric: 'toolErrorRecovery' }`: no option changes
 * its scores.
 *
 * @param options - {@link AgentMetricOptions} (`expected` is not read).
 * @returns A continuous {@link Metric} on [0, 1], named `tool_error_recovery` unless renamed; `details` carries
 *   `errors` and `recovered`.
 * @throws {TypeError} On bad options.
 * @example
 * ```ts
 * const result = await evaluate(dataset, agent, [toolErrorRecovery()], { trajectory: true });
 * result.metrics.tool_error_recovery.mean; // => 0.75 (over the rows where a tool failed)
 * ```
 */
export function toolErrorRecovery(options?: AgentMetricOptions): Metric {
  _checkOptions('toolErrorRecovery', options, AGENT_METRIC_KEYS);
  const { name } = _agentOptions(options, 'tool_error_recovery');
  return Object.freeze({
    name,
    kind: 'continuous' as const,
    bounds: [0, 1] as const,
    // No option changes its scores (it reads no reference, so not even `expected`).
    definition: builtinMetricDefinition('toolErrorRecovery'),
    score(ctx: ScoreContext): MetricScore {
      if (ctx.trajectory === undefined) return _missing('no trajectory');
      const s = toolErrorRecoveryScore(ctx.trajectory);
      if (s.score === null)
        return { value: null, details: { reason: 'no tool error', errors: 0, recovered: 0 } };
      return { value: s.score, details: { errors: s.errors, recovered: s.recovered } };
    },
  });
}
