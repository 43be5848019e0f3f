/**
 * `evalgate/agents`: trajectory metrics for agents (tool selection, order, arguments, efficiency, error recovery,
 * goal completion), each a `Metric` with intervals, segments and paired comparisons like every other, reading the
 * trajectory `evaluate()` records with its `trajectory` option.
 * @module
 */
export type {
  ObservedCall,
  Trajectory,
  TrajectoryInput,
  TrajectoryStep,
  TrajectoryToolCall,
  TrajectoryToolResult,
} from '../core/trajectory.js';
export {
  GOAL_COMPLETION_RUBRIC,
  type GoalCompletionOptions,
  goalCompletion,
  renderTrajectory,
} from './goalCompletion.js';
export {
  type ArgumentMatch,
  type ArgumentMatchOptions,
  matchToolArguments,
  type ToolArgumentsOptions,
  type ToolArgumentsScore,
  toolArguments,
  toolArgumentsScore,
} from './toolArguments.js';
export {
  type ToolErrorRecoveryScore,
  toolErrorRecovery,
  toolErrorRecoveryScore,
} from './toolErrorRecovery.js';
export { type ToolOrderScore, toolOrder, toolOrderScore } from './toolOrder.js';
export {
  type ToolSelectionOptions,
  type ToolSelectionScore,
  toolSelection,
  toolSelectionScore,
} from './toolSelection.js';
export { type ToolUseCount, type ToolUseSummary, toolUseSummary } from './toolUseSummary.js';
export {
  type EfficiencyTarget,
  type TrajectoryCost,
  type TrajectoryEfficiencyOptions,
  trajectoryEfficiency,
  trajectoryEfficiencyScore,
} from './trajectoryEfficiency.js';
export {
  type TrajectoryForm,
  type TrajectoryLimits,
  TrajectoryRecorder,
  trajectoryFromModel,
} from './trajectoryRecorder.js';
export type {
  AgentMetricOptions,
  AgentReference,
  AgentReferenceAccessor,
  ExpectedToolCall,
  ExpectedToolStep,
} from './types.js';
