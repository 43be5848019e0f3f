import type { Trajectory } from '../core/trajectory.js';

/** One tool's use over a run. */
export interface ToolUseCount {
  readonly name: string;
  readonly calls: number;
  /** Results of its calls that were errors. */
  readonly errors: number;
}

/** How a run's agents used their tools (see {@link toolUseSummary}). */
export interface ToolUseSummary {
  /** Rows with a trajectory. */
  readonly rows: number;
  /** Model calls over those rows. */
  readonly modelCalls: number;
  /** Tool calls the model calls asked for. */
  readonly toolCalls: number;
  /** `toolCalls / rows`. */
  readonly callsPerRow: number;
  /** `modelCalls / rows`. */
  readonly stepsPerRow: number;
  /** Tool results recorded, and those that were errors. */
  readonly toolResults: number;
  readonly toolErrors: number;
  /** `toolErrors / toolResults`, `null` when no result was recorded. */
  readonly errorRate: number | null;
  /** Rows whose trajectory was cut to stay bounded. */
  readonly truncatedRows: number;
  /** Every tool, most called first (ties by name). */
  readonly tools: readonly ToolUseCount[];
}

/**
 * The tool-use summary of a run: over the records that carry a trajectory, the model calls and tool calls per
 * row, the share of tool results that were errors, and the calls and errors of each tool, most used first. What
 * the HTML report, the Markdown summary and the notebook view show under "Tool use".
 *
 * @param records - Example records (`result.examples`); those without a trajectory are skipped.
 * @returns The summary, or `undefined` when no record has a trajectory.
 * @example
 * ```ts
 * const s = toolUseSummary(result.examples);
 * s?.callsPerRow; // => 2.1
 * s?.tools[0]; // => { name: 'get_weather', calls: 230, errors: 12 }
 * ```
 */
export function toolUseSummary(
  records: readonly { readonly trajectory?: Trajectory | undefined }[],
): ToolUseSummary | undefined {
  let rows = 0;
  let modelCalls = 0;
  let toolCalls = 0;
  let toolResults = 0;
  let toolErrors = 0;
  let truncatedRows = 0;
  const tools = new Map<string, { calls: number; errors: number }>();
  const tool = (name: string) => {
    let t = tools.get(name);
    if (t === undefined) {
      t = { calls: 0, errors: 0 };
      tools.set(name, t);
    }
    return t;
  };
  for (const r of records) {
    const t = r.trajectory;
    if (t === undefined || !Array.isArray(t.steps)) continue;
    rows++;
    if (t.truncated) truncatedRows++;
    for (const s of t.steps) {
      if (s.kind !== 'model') continue;
      modelCalls++;
      for (const c of s.toolCalls) {
        toolCalls++;
        tool(c.name).calls++;
      }
      for (const res of s.toolResults) {
        toolResults++;
        if (res.isError) {
          toolErrors++;
          tool(res.name ?? s.toolCalls.find((c: { id: string }) => c.id === res.id)?.name ?? '(unknown)')
            .errors++;
        }
      }
    }
  }
  if (rows === 0) return undefined;
  return Object.freeze({
    rows,
    modelCalls,
    toolCalls,
    callsPerRow: toolCalls / rows,
    stepsPerRow: modelCalls / rows,
    toolResults,
    toolErrors,
    errorRate: toolResults === 0 ? null : toolErrors / toolResults,
    truncatedRows,
    tools: Object.freeze(
      [...tools.entries()]
        .map(([name, c]) => ({ name, ...c }))
        .sort((a, b) => b.calls - a.calls || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    ),
  });
}
