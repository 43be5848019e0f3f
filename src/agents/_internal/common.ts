/** What the agent metrics share: reading a row's reference and trajectory, validating options. */
import { _describe } from '../../_internal/describe.js';
import type { Trajectory, TrajectoryToolCall } from '../../core/trajectory.js';
import type { Example, MetricScore } from '../../core/types.js';
import type { AgentMetricOptions, AgentReference, ExpectedToolCall, ExpectedToolStep } from '../types.js';

export const _isRecord = (v: unknown): v is Readonly<Record<string, unknown>> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Whether an options bag is an object (no narrowing: the caller keeps its declared type). */
export const _isOptionsObject = (v: unknown): boolean => _isRecord(v);

/** Validates the shared options and returns the metric name and the reference accessor. */
export function _agentOptions(
  options: AgentMetricOptions | undefined,
  defaultName: string,
): { name: string; expected: (example: Example) => AgentReference | undefined } {
  if (options !== undefined && !_isOptionsObject(options))
    throw new TypeError(`Expected \`options\` to be an options object, got ${_describe(options)}`);
  const name = options?.name ?? defaultName;
  if (typeof name !== 'string' || name.length === 0)
    throw new TypeError(`Expected \`name\` to be a non-empty string, got ${_describe(name)}`);
  const accessor = options?.expected;
  if (accessor !== undefined && typeof accessor !== 'function')
    throw new TypeError(`Expected \`expected\` to be a function, got ${_describe(accessor)}`);
  return {
    name,
    expected: accessor ?? ((ex) => (_isRecord(ex.reference) ? (ex.reference as AgentReference) : undefined)),
  };
}

/** A missing score with the reason kept. */
export function _missing(reason: string): MetricScore {
  return { value: null, details: { reason } };
}

/** The tool calls of the model's calls (judge and embedding calls are not the agent's), in order. */
export function _modelToolCalls(trajectory: Trajectory): TrajectoryToolCall[] {
  return trajectory.steps.filter((s) => s.kind === 'model').flatMap((s) => s.toolCalls);
}

/** An expected call in its object form. */
export function _asCall(item: string | ExpectedToolCall, where: string): ExpectedToolCall {
  if (typeof item === 'string') return { name: item };
  if (!_isRecord(item) || typeof item.name !== 'string')
    throw new TypeError(
      `Expected \`${where}\` to be a tool name or { name, arguments }, got ${_describe(item)}`,
    );
  if (item.arguments !== undefined && !_isRecord(item.arguments))
    throw new TypeError(`Expected \`${where}.arguments\` to be an object, got ${_describe(item.arguments)}`);
  return item;
}

/** The expected sequence as groups of calls (a plain item is a group of one). */
export function _expectedGroups(toolCalls: readonly ExpectedToolStep[] | undefined): ExpectedToolCall[][] {
  if (toolCalls === undefined) return [];
  if (!Array.isArray(toolCalls))
    throw new TypeError(`Expected \`reference.toolCalls\` to be an array, got ${_describe(toolCalls)}`);
  return toolCalls.map((step, i) =>
    Array.isArray(step)
      ? step.map((c, j) => _asCall(c as string | ExpectedToolCall, `reference.toolCalls[${i}][${j}]`))
      : [_asCall(step as string | ExpectedToolCall, `reference.toolCalls[${i}]`)],
  );
}

/** Checks a string array argument of a pure scoring function. */
export function _checkNames(name: string, value: unknown): readonly string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw new TypeError(`Expected \`${name}\` to be an array of strings, got ${_describe(value)}`);
  return value;
}

/** The keys of {@link AgentMetricOptions}, which every agent metric's own key list spreads. */
export const _AGENT_METRIC_KEY_SET = { name: true, expected: true } satisfies Record<
  keyof AgentMetricOptions,
  true
>;
