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

/** Precision, recall and F1 of the tools called against the tools expected. */
export interface ToolSelectionScore {
  /** Multiset intersection size: `Σ_t min(calledₜ, expectedₜ)`. */
  readonly matched: number;
  /** `matched / called` (1 when nothing was called). */
  readonly precision: number;
  /** `matched / expected` (1 when nothing was expected). */
  readonly recall: number;
  /** `2·matched / (called + expected)` (1 when both are empty). */
  readonly f1: number;
}

/**
 * Precision, recall and F1 of the tool names an agent called against the names it was expected to call, counted
 * as multisets: a tool expected twice and called once matches once; called three times, it matches twice.
 *
 * With `cₜ` and `eₜ` the number of calls to tool `t` made and expected, `matched = Σₜ min(cₜ, eₜ)`,
 * `precision = matched / Σcₜ`, `recall = matched / Σeₜ`, `F1 = 2·matched / (Σcₜ + Σeₜ)` (the harmonic mean
 * of the two). An empty side makes its ratio 1 (no call was wrong / nothing was missed), so F1 is 1 only when
 * both multisets are equal. Order is ignored: see {@link toolOrderScore}.
 *
 * @param called - Tool names called, in any order.
 * @param expected - Tool names expected, in any order.
 * @returns `{ matched, precision, recall, f1 }`, each ratio in [0, 1].
 * @throws {TypeError} When either argument is not an array of strings.
 * @example
 * ```ts
 * toolSelectionScore(['search', 'search', 'get_weather', 'convert'], ['search', 'get_weather', 'get_time']);
 * // => { matched: 2, precision: 0.5, recall: 0.6666666666666666, f1: 0.5714285714285714 }
 * ```
 */
export function toolSelectionScore(
  called: readonly string[],
  expected: readonly string[],
): ToolSelectionScore {
  _checkNames('called', called);
  _checkNames('expected', expected);
  const left = new Map<string, number>();
  for (const t of expected) left.set(t, (left.get(t) ?? 0) + 1);
  let matched = 0;
  for (const t of called) {
    const n = left.get(t) ?? 0;
    if (n > 0) {
      matched++;
      left.set(t, n - 1);
    }
  }
  const c = called.length;
  const e = expected.length;
  return Object.freeze({
    matched,
    precision: c === 0 ? 1 : matched / c,
    recall: e === 0 ? 1 : matched / e,
    f1: c + e === 0 ? 1 : (2 * matched) / (c + e),
  });
}

/** Options of {@link toolSelection}. */
export interface ToolSelectionOptions extends AgentMetricOptions {
  /** Which ratio is the score (all three are kept in `details`). @default 'f1' */
  readonly average?: 'f1' | 'precision' | 'recall';
}

const TOOL_SELECTION_KEYS = Object.keys({ ..._AGENT_METRIC_KEY_SET, average: true } satisfies Record<
  keyof ToolSelectionOptions,
  true
>);

/**
 * Tool selection of an agent: precision, recall or F1 (default) of the tools it called (every tool call of the
 * row's model calls, from `ctx.trajectory`) against `reference.toolCalls` (names, order and groups ignored),
 * as {@link toolSelectionScore} defines them. A row without a trajectory or without `reference.toolCalls` is
 * missing (counted in `nMissing`), never 0. The metric's `definition` records `average` and whether `expected` is
 * given (a function: present, not compared), so `compare()` refuses a baseline scored with another average.
 *
 * @param options - {@link ToolSelectionOptions}.
 * @returns A continuous {@link Metric} on [0, 1], named `tool_selection` unless renamed; `details` carries
 *   `precision`, `recall`, `f1`, `called` and `expected`.
 * @throws {TypeError} On bad options.
 * @example
 * ```ts
 * const result = await evaluate(dataset, agent, [toolSelection()], { trajectory: true });
 * result.metrics.tool_selection.mean; // => 0.93
 * toolSelection({ average: 'recall' }).definition; // => { average: 'recall', metric: 'toolSelection' }
 * ```
 */
export function toolSelection(options?: ToolSelectionOptions): Metric {
  _checkOptions('toolSelection', options, TOOL_SELECTION_KEYS);
  const { name, expected } = _agentOptions(options, 'tool_selection');
  const average = options?.average ?? 'f1';
  if (average !== 'f1' && average !== 'precision' && average !== 'recall')
    throw new TypeError(
      `Expected \`average\` to be 'f1' | 'precision' | 'recall', got ${_describe(average)}`,
    );
  return Object.freeze({
    name,
    kind: 'continuous' as const,
    bounds: [0, 1] as const,
    // What changes its scores: the ratio, and where the reference is read (a function: present, not compared).
    definition: builtinMetricDefinition('toolSelection', { average, expected: options?.expected }),
    score(ctx: ScoreContext): MetricScore {
      if (ctx.trajectory === undefined) return _missing('no trajectory');
      const ref = expected(ctx.example);
      if (ref?.toolCalls === undefined) return _missing('no expected tool calls');
      const want = _expectedGroups(ref.toolCalls)
        .flat()
        .map((c) => c.name);
      const got = _modelToolCalls(ctx.trajectory).map((c) => c.name);
      const s = toolSelectionScore(got, want);
      return {
        value: s[average],
        details: { precision: s.precision, recall: s.recall, f1: s.f1, called: got, expected: want },
      };
    },
  });
}
