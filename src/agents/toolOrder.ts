import { _describe } from '../_internal/describe.js';
import { _checkOptions } from '../_internal/validate.js';
import { builtinMetricDefinition } from '../core/metricDefinition.js';
import type { Metric, MetricScore, ScoreContext } from '../core/types.js';
import {
  _AGENT_METRIC_KEY_SET,
  _agentOptions,
  _checkNames,
  _expectedGroups,
  _missing,
  _modelToolCalls,
} from './_internal/common.js';
import type { AgentMetricOptions } from './types.js';

const AGENT_METRIC_KEYS = Object.keys(_AGENT_METRIC_KEY_SET);
/** How well a call sequence follows an expected order. */
export interface ToolOrderScore {
  /** Length of the longest common subsequence, groups taken in any order (see {@link toolOrderScore}). */
  readonly lcs: number;
  /** `2·lcs / (called + expected)`, 1 when both are empty. */
  readonly score: number;
}

/**
 * Agreement of the order of an agent's tool calls with an expected order: a normalized longest common
 * subsequence in which order-free groups may match in any order.
 *
 * The expected sequence is a list of groups `G₁ … Gₘ` (a plain name is a group of one). A common subsequence
 * takes calls from `called` in order and assigns each to a group holding its name, with group indices never
 * decreasing and each expected name used at most once; inside one group the order is free. Its longest length
 * is `lcs = max over cut points 0 = s₀ ≤ s₁ ≤ … ≤ sₘ = n of Σⱼ |bag(called[sⱼ₋₁ : sⱼ]) ∩ Gⱼ|` (a dynamic
 * programme in O(m·n²)). With groups of one this is the classic LCS; with one group holding everything it is the
 * multiset overlap of {@link toolSelectionScore}. The score is the F1 form of ROUGE-L (β = 1):
 * `2·lcs / (n + |E|)`, where `|E|` counts the expected names; 1 only for an exact match up to the free groups.
 *
 * @param called - Tool names in the order they were called.
 * @param expected - The expected order; an inner array is an order-free group.
 * @returns `{ lcs, score }`, `score` in [0, 1].
 * @throws {TypeError} When `called` is not an array of strings or `expected` not an array of names and arrays
 *   of names.
 * @example
 * ```ts
 * toolOrderScore(['search', 'get_time', 'get_weather', 'convert'], ['search', ['get_weather', 'get_time'], 'convert', 'reply']);
 * // => { lcs: 4, score: 0.8888888888888888 }   (8 / 9)
 * toolOrderScore(['search', 'get_time', 'get_weather', 'convert'], ['search', 'get_weather', 'get_time', 'convert', 'reply']);
 * // => { lcs: 3, score: 0.6666666666666666 }   (6 / 9)
 * ```
 */
export function toolOrderScore(
  called: readonly string[],
  expected: readonly (string | readonly string[])[],
): ToolOrderScore {
  _checkNames('called', called);
  if (!Array.isArray(expected))
    throw new TypeError(`Expected \`expected\` to be an array, got ${_describe(expected)}`);
  const groups = expected.map((g, i) => _checkNames(`expected[${i}]`, typeof g === 'string' ? [g] : g));
  const n = called.length;
  let prev = new Array<number>(n + 1).fill(0);
  for (const group of groups) {
    const next = new Array<number>(n + 1).fill(0);
    const bag = new Map<string, number>();
    for (const t of group) bag.set(t, (bag.get(t) ?? 0) + 1);
    for (let t = 0; t <= n; t++) {
      const left = new Map(bag);
      let inter = 0;
      next[t] = Math.max(next[t]!, prev[t]!);
      for (let s = t + 1; s <= n; s++) {
        const k = left.get(called[s - 1]!) ?? 0;
        if (k > 0) {
          inter++;
          left.set(called[s - 1]!, k - 1);
        }
        if (prev[t]! + inter > next[s]!) next[s] = prev[t]! + inter;
      }
    }
    prev = next;
  }
  const lcs = prev[n]!;
  const total = n + groups.reduce((a, g) => a + g.length, 0);
  return Object.freeze({ lcs, score: total === 0 ? 1 : (2 * lcs) / total });
}

/**
 * Tool order of an agent: {@link toolOrderScore} of the tool names its model calls asked for (from
 * `ctx.trajectory`, in order) against `reference.toolCalls` (inner arrays are order-free groups). A row without
 * a trajectory or without `reference.toolCalls` is missing. The metric's `definition` records whether `expected`
 * is given (a function: present, not compared): another reference accessor is another yardstick.
 *
 * @param options - {@link AgentMetricOptions}.
 * @returns A continuous {@link Metric} on [0, 1], named `tool_order` unless renamed; `details` carries `lcs`.
 * @throws {TypeError} On bad options.
 * @example
 * ```ts
 * const result = await evaluate(dataset, agent, [toolOrder()], { trajectory: true });
 * result.metrics.tool_order.mean; // => 0.91
 * ```
 */
export function toolOrder(options?: AgentMetricOptions): Metric {
  _checkOptions('toolOrder', options, AGENT_METRIC_KEYS);
  const { name, expected } = _agentOptions(options, 'tool_order');
  return Object.freeze({
    name,
    kind: 'continuous' as const,
    bounds: [0, 1] as const,
    // Where the reference is read (a function: present, not compared); the order rule itself has no option.
    definition: builtinMetricDefinition('toolOrder', { expected: options?.expected }),
    score(ctx: ScoreContext): MetricScore {
      if (ctx.trajectory === undefined) return _missing('no trajectory');
      const ref = expected(ctx.example);
      if (ref?.toolCalls === undefined) return _missing('no expected tool calls');
      const want = _expectedGroups(ref.toolCalls).map((g) => g.map((c) => c.name));
      const s = toolOrderScore(
        _modelToolCalls(ctx.trajectory).map((c) => c.name),
        want,
      );
      return { value: s.score, details: { lcs: s.lcs } };
    },
  });
}
