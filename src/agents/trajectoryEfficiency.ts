import { _describe } from '../_internal/describe.js';
import { _checkOptions } from '../_internal/validate.js';
import { builtinMetricDefinition } from '../core/metricDefinition.js';
import type { Trajectory } from '../core/trajectory.js';
import type { Metric, MetricScore, ScoreContext } from '../core/types.js';
import { _AGENT_METRIC_KEY_SET, _agentOptions, _isRecord, _missing } from './_internal/common.js';
import type { AgentMetricOptions } from './types.js';

/** What a trajectory used: its model calls and their tokens. */
export interface TrajectoryCost {
  /** Model calls (judge and embedding calls are not the agent's steps). */
  readonly steps: number;
  /** Input + output tokens over the model calls that reported usage. */
  readonly tokens: number;
}

/** The cost of a trajectory (see {@link TrajectoryCost}). */
export function _trajectoryCost(trajectory: Trajectory): TrajectoryCost {
  let steps = 0;
  let tokens = 0;
  for (const s of trajectory.steps) {
    if (s.kind !== 'model') continue;
    steps++;
    if (s.usage !== undefined) tokens += s.usage.inputTokens + s.usage.outputTokens;
  }
  return { steps, tokens };
}

/** A target for {@link trajectoryEfficiencyScore}: steps and / or tokens a good trajectory needs. */
export interface EfficiencyTarget {
  readonly steps?: number;
  readonly tokens?: number;
}

/**
 * Efficiency of a trajectory against a target: for each of steps and tokens that the target names, the ratio
 * `min(1, target / used)` (1 when nothing was used), and the score is the mean of the ratios present. A
 * trajectory that stays within the target scores 1; one that takes twice the steps scores 0.5 on steps.
 *
 * @param used - Steps and tokens the trajectory used.
 * @param target - Steps and / or tokens it should need (each > 0).
 * @returns `{ score, steps?, tokens? }` where `steps` and `tokens` are the ratios; `score` in [0, 1].
 * @throws {TypeError | RangeError} When `target` names neither, a target is not a number > 0, or a used count is
 *   not a finite number >= 0.
 * @example
 * ```ts
 * trajectoryEfficiencyScore({ steps: 4, tokens: 1200 }, { steps: 3, tokens: 1500 });
 * // => { score: 0.875, steps: 0.75, tokens: 1 }
 * ```
 */
export function trajectoryEfficiencyScore(
  used: TrajectoryCost,
  target: EfficiencyTarget,
): { readonly score: number; readonly steps?: number; readonly tokens?: number } {
  if (!_isRecord(used) || typeof used.steps !== 'number' || typeof used.tokens !== 'number')
    throw new TypeError(`Expected \`used\` to be { steps, tokens }, got ${_describe(used)}`);
  for (const field of ['steps', 'tokens'] as const)
    if (!Number.isFinite(used[field]) || used[field] < 0)
      throw new RangeError(
        `Expected \`used.${field}\` to be a finite number >= 0, got ${_describe(used[field])}`,
      );
  if (!_isRecord(target) || (target.steps === undefined && target.tokens === undefined))
    throw new TypeError(`Expected \`target\` to name steps or tokens, got ${_describe(target)}`);
  const ratio = (name: string, want: unknown, got: number): number => {
    if (typeof want !== 'number' || !(want > 0) || !Number.isFinite(want))
      throw new RangeError(`Expected \`target.${name}\` to be a finite number > 0, got ${_describe(want)}`);
    return got <= want ? 1 : want / got;
  };
  const out: { score: number; steps?: number; tokens?: number } = { score: 0 };
  const parts: number[] = [];
  if (target.steps !== undefined) {
    out.steps = ratio('steps', target.steps, used.steps);
    parts.push(out.steps);
  }
  if (target.tokens !== undefined) {
    out.tokens = ratio('tokens', target.tokens, used.tokens);
    parts.push(out.tokens);
  }
  out.score = parts.reduce((a, b) => a + b, 0) / parts.length;
  return Object.freeze(out);
}

/** Options of {@link trajectoryEfficiency}. */
export interface TrajectoryEfficiencyOptions extends AgentMetricOptions {
  /**
   * The target when a row's reference names none (`reference.steps` / `reference.tokens` win field by field).
   * @default none: a row without a target is missing
   */
  readonly budget?: EfficiencyTarget;
}

const TRAJECTORY_EFFICIENCY_KEYS = Object.keys({ ..._AGENT_METRIC_KEY_SET, budget: true } satisfies Record<
  keyof TrajectoryEfficiencyOptions,
  true
>);

/**
 * Efficiency of an agent's trajectory: {@link trajectoryEfficiencyScore} of its model calls and their tokens (from
 * `ctx.trajectory`) against `reference.steps` / `reference.tokens`, or the `budget` option where the reference
 * is silent. A row without a trajectory, without a model call in it, or without a target is missing. The metric's `definition` records `budget` (its
 * `steps` and `tokens`) and whether `expected` is given (a function: present, not compared), so `compare()`
 * refuses a baseline scored against another budget.
 *
 * @param options - {@link TrajectoryEfficiencyOptions}.
 * @returns A continuous {@link Metric} on [0, 1], named `trajectory_efficiency` unless renamed; `details` carries
 *   the steps and tokens used and the ratios.
 * @throws {TypeError | RangeError} On bad options.
 * @example
 * ```ts
 * const efficiency = trajectoryEfficiency({ budget: { steps: 4 } });
 * const result = await evaluate(dataset, agent, [efficiency], { trajectory: 'tool-calls' });
 * result.metrics.trajectory_efficiency.mean; // => 0.9
 * ```
 */
export function trajectoryEfficiency(options?: TrajectoryEfficiencyOptions): Metric {
  _checkOptions('trajectoryEfficiency', options, TRAJECTORY_EFFICIENCY_KEYS);
  const { name, expected } = _agentOptions(options, 'trajectory_efficiency');
  const budget = options?.budget;
  if (budget !== undefined) trajectoryEfficiencyScore({ steps: 0, tokens: 0 }, budget);
  return Object.freeze({
    name,
    kind: 'continuous' as const,
    bounds: [0, 1] as const,
    // The budget's targets (nothing else the bag may hold), and where the reference is read (a function: present).
    definition: builtinMetricDefinition('trajectoryEfficiency', {
      budget: budget === undefined ? undefined : { steps: budget.steps, tokens: budget.tokens },
      expected: options?.expected,
    }),
    score(ctx: ScoreContext): MetricScore {
      if (ctx.trajectory === undefined) return _missing('no trajectory');
      const ref = expected(ctx.example);
      const steps = ref?.steps ?? budget?.steps;
      const tokens = ref?.tokens ?? budget?.tokens;
      if (steps === undefined && tokens === undefined) return _missing('no target steps or tokens');
      const used = _trajectoryCost(ctx.trajectory);
      // No model call at all is no evidence of efficiency: an agent whose client evalgate does not see (not wrapped,
      // not through ctx.call) leaves an empty trajectory, which scored a perfect 1 on every row.
      if (used.steps === 0)
        return _missing(
          'no model call in the trajectory (an agent whose client is not wrapped, or that calls outside ctx.call, leaves none)',
        );
      const s = trajectoryEfficiencyScore(used, {
        ...(steps === undefined ? {} : { steps }),
        ...(tokens === undefined ? {} : { tokens }),
      });
      return {
        value: s.score,
        details: {
          steps: used.steps,
          tokens: used.tokens,
          ...(s.steps === undefined ? {} : { stepsRatio: s.steps }),
          ...(s.tokens === undefined ? {} : { tokensRatio: s.tokens }),
        },
      };
    },
  });
}
