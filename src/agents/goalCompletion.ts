import { _describe } from '../_internal/describe.js';
import { _checkKnownKeys, _checkOptions } from '../_internal/validate.js';
import { builtinMetricDefinition } from '../core/metricDefinition.js';
import type { Trajectory } from '../core/trajectory.js';
import type { Example, Metric, MetricScore, ScoreContext } from '../core/types.js';
import { type JudgeModelOptions, llmJudge } from '../judge/index.js';
import { _AGENT_METRIC_KEY_SET, _agentOptions, _isRecord } from './_internal/common.js';
import type { AgentMetricOptions } from './types.js';

/** Options of {@link goalCompletion}. */
export interface GoalCompletionOptions extends AgentMetricOptions {
  /** The judge: its model and client, as every evalgate judge takes them. Required. */
  readonly judge: JudgeModelOptions;
  /** What "the goal is achieved" means for these tasks. @default {@link GOAL_COMPLETION_RUBRIC} */
  readonly rubric?: string;
  /** Characters of each tool argument list and result shown to the judge. Range: integer >= 20. @default 400 */
  readonly maxContentChars?: number;
}

const JUDGE_KEYS = Object.keys({ model: true, client: true, name: true } satisfies Record<
  keyof JudgeModelOptions,
  true
>);
const GOAL_COMPLETION_KEYS = Object.keys({
  ..._AGENT_METRIC_KEY_SET,
  judge: true,
  rubric: true,
  maxContentChars: true,
} satisfies Record<keyof GoalCompletionOptions, true>);

/**
 * The default rubric of {@link goalCompletion}.
 * @example
 * ```ts
 * goalCompletion({ judge, rubric: `${GOAL_COMPLETION_RUBRIC}\nA refund is achieved only when the tool confirmed it.` });
 * ```
 */
export const GOAL_COMPLETION_RUBRIC = [
  "Did the agent achieve the user's goal? Score 1 when the final answer completes the task the user asked for,",
  'correctly and fully, and is supported by what the tools returned in the trajectory (not contradicted by it,',
  'not invented beyond it). Score 0 when the task is not done, done only in part, wrong, or the answer claims',
  'results no tool produced. Extra or repeated tool calls do not matter here, only the outcome.',
].join('\n');

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…[truncated ${text.length - max} chars]`;
}

/**
 * The trajectory as the judge reads it: one line per tool call with its arguments, and its result.
 *
 * @example
 * ```ts
 * renderTrajectory(trajectory);
 * // => '1. get_weather({"city":"Paris"}) -> {"celsius":18}\n2. convert({"celsius":18,"to":"F"}) -> 64'
 * ```
 */
export function renderTrajectory(trajectory: Trajectory, maxContentChars = 400): string {
  const lines: string[] = [];
  for (const step of trajectory.steps) {
    if (step.kind !== 'model') continue;
    for (const call of step.toolCalls) {
      const result = step.toolResults.find((r) => r.id === call.id);
      const args = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
      const shown =
        result === undefined
          ? '(no result)'
          : `${result.isError ? 'ERROR ' : ''}${cut(result.content, maxContentChars)}`;
      lines.push(`${lines.length + 1}. ${call.name}(${cut(args ?? '', maxContentChars)}) -> ${shown}`);
    }
  }
  return lines.length === 0 ? '(no tool calls)' : lines.join('\n');
}

function material(example: Example, rendered: string, answer: string | undefined): string {
  const task = typeof example.input === 'string' ? example.input : JSON.stringify(example.input);
  return [
    `<task>\n${task}\n</task>`,
    ...(answer === undefined ? [] : [`<expected_answer>\n${answer}\n</expected_answer>`]),
    rendered,
  ].join('\n\n');
}

/**
 * Goal completion of an agent, judged by an LLM: did the final answer achieve the task, given what the tools
 * returned? The judge (an {@link llmJudge} on a 0–1 scale, so its verdicts are parsed strictly, cached, counted,
 * bias-reported and calibrated against human labels like every judge) reads the task (`example.input`), the
 * expected answer when the reference has one (`reference.answer`), the trajectory's tool calls with arguments and
 * results ({@link renderTrajectory}, contents cut at `maxContentChars`) and the final answer, and scores 1 or 0
 * against the rubric. A row without a trajectory is judged on its answer alone (the judge is told there were no
 * tool calls). An unparseable verdict is a missing score. The metric's `definition` records the judge's model
 * (never its client or key), the rubric, `maxContentChars` and whether `expected` is given (a function: present,
 * not compared), so `compare()` refuses a baseline judged by another model or rubric.
 *
 * @param options - {@link GoalCompletionOptions}; `judge` is required.
 * @returns A binary {@link Metric} named `goal_completion` unless renamed, carrying `judgeModel`.
 * @throws {TypeError | RangeError} On bad options.
 * @example
 * ```ts
 * const goal = goalCompletion({ judge: { model: 'gpt-4o', client: wrapOpenAI(new OpenAI()) } });
 * const result = await evaluate(dataset, agent, [goal], { trajectory: true });
 * result.metrics.goal_completion.mean; // => 0.82, with a Wilson-type interval like any binary metric
 * goal.definition; // => { maxContentChars: 400, metric: 'goalCompletion', model: 'gpt-4o', rubric: GOAL_COMPLETION_RUBRIC }
 * ```
 */
export function goalCompletion(options: GoalCompletionOptions): Metric & { readonly judgeModel: string } {
  _checkOptions('goalCompletion', options, GOAL_COMPLETION_KEYS);
  if (!_isRecord(options) || !_isRecord(options.judge))
    throw new TypeError(
      `Expected \`options.judge\` to be judge options ({ model, client? }), got ${_describe(options?.judge)}`,
    );
  _checkKnownKeys('goalCompletion.judge', options.judge, JUDGE_KEYS);
  const { name, expected } = _agentOptions(options, 'goal_completion');
  const max = options.maxContentChars ?? 400;
  if (!Number.isInteger(max) || max < 20)
    throw new RangeError(`Expected \`maxContentChars\` to be an integer >= 20, got ${_describe(max)}`);
  const rubric = options.rubric ?? GOAL_COMPLETION_RUBRIC;
  const judge = llmJudge({
    ...options.judge,
    name,
    rubric,
    scale: { min: 0, max: 1 },
    // The output handed to the judge below is already the whole material (task, trajectory, answer).
    prompt: (_example, output) => output,
  });
  return Object.freeze({
    name,
    kind: 'binary' as const,
    bounds: [0, 1] as const,
    judgeModel: judge.judgeModel,
    // The judge's model (never its client or key), the rubric, what the judge is shown, and where the reference
    // is read (a function: present, not compared). The judge's prompt, scale and temperature are fixed here.
    definition: builtinMetricDefinition('goalCompletion', {
      model: options.judge.model,
      rubric,
      maxContentChars: max,
      expected: options.expected,
    }),
    ...(judge.summarize === undefined ? {} : { summarize: judge.summarize }),
    async score(ctx: ScoreContext): Promise<MetricScore> {
      const rendered = `<trajectory>\n${
        ctx.trajectory === undefined ? '(no tool calls)' : renderTrajectory(ctx.trajectory, max)
      }\n</trajectory>\n\n<final_answer>\n${ctx.output}\n</final_answer>`;
      const r = await judge.score({
        ...ctx,
        output: material(ctx.example, rendered, expected(ctx.example)?.answer),
      });
      return typeof r === 'number' ? { value: r } : r;
    },
  });
}
