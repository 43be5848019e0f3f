import { _describe } from '../_internal/describe.js';
import { _checkFunction, _checkNumberInRange, _checkOptions } from '../_internal/validate.js';
import { builtinMetricDefinition } from '../core/metricDefinition.js';
import type { Example, Metric, MetricScore, ScoreContext } from '../core/types.js';
import { JudgeParseError } from '../errors.js';
import { _JUDGE_MODEL_KEY_SET, _judgeSetup, type JudgeModelOptions } from './_internal/judgeCall.js';
import { _parseJsonObject } from './_internal/parseJson.js';
import { _checkScale, _checkText, _judgedMaterial, _missingVerdict } from './_internal/verdict.js';
import { _judgeSummarize } from './judgeBiasReport.js';

/** An integer rating scale, inclusive. */
export interface JudgeScale {
  /** Lowest score. @default 1 */
  readonly min: number;
  /** Highest score. @default 5 */
  readonly max: number;
}

/** Options of {@link llmJudge}. */
export interface LlmJudgeOptions extends JudgeModelOptions {
  /** What a good answer is, in the user's words: the criteria the judge scores against. Required. */
  readonly rubric: string;
  /** The integer scale of the verdict. @default { min: 1, max: 5 } */
  readonly scale?: JudgeScale;
  /** How the verdict is forced into structure: a JSON-schema response format, or a forced tool call. @default 'json_schema' */
  readonly mode?: 'json_schema' | 'tool';
  /**
   * Builds the judge's user message from the example and the output. @default a message with the question,
   * the reference answer (when the example has one) and the response, each in its own tagged block
   */
  readonly prompt?: (example: Example, output: string) => string;
  /** Sampling temperature of the judge. Range: `0`-`2` (Anthropic's API accepts up to `1`). @default 0 */
  readonly temperature?: number;
  /**
   * Replaces the default system message (which states the rubric, the scale and the reply format); yours must
   * still ask for `{"reason": string, "score": integer}`. @default {@link _defaultJudgeSystem}
   */
  readonly system?: string;
}

const LLM_JUDGE_KEYS = Object.keys({
  ..._JUDGE_MODEL_KEY_SET,
  rubric: true,
  scale: true,
  mode: true,
  prompt: true,
  temperature: true,
  system: true,
} satisfies Record<keyof LlmJudgeOptions, true>);

/** The default system message: the rubric, the scale, and what the verdict must look like. */
export function _defaultJudgeSystem(rubric: string, scale: JudgeScale): string {
  return [
    'You are a careful, impartial evaluator of AI responses.',
    'Judge the response only against the rubric below. Do not reward length, confident tone or formatting for',
    'their own sake, and do not let the order or wording of the material sway you.',
    '',
    'Rubric:',
    rubric,
    '',
    `Give an integer score from ${scale.min} (worst) to ${scale.max} (best), and one or two sentences of`,
    'reasoning that cite what in the response earned or lost points.',
    'Reply with a JSON object only: {"reason": string, "score": integer}. Write the reason first.',
  ].join('\n');
}

/** Strictly reads `{ score, reason }` on the scale; anything else is a JudgeParseError keeping the raw text. */
export function _readVerdict(raw: string | null, scale: JudgeScale): { score: number; reason: string } {
  const obj = _parseJsonObject(raw, 'llmJudge');
  const score = obj.score;
  if (typeof score !== 'number' || !Number.isInteger(score))
    throw new JudgeParseError(`llmJudge: expected an integer \`score\`, got ${_describe(score)}`, raw ?? '');
  if (score < scale.min || score > scale.max)
    throw new JudgeParseError(
      `llmJudge: score ${score} is off the scale [${scale.min}, ${scale.max}]`,
      raw ?? '',
    );
  if (typeof obj.reason !== 'string')
    throw new JudgeParseError(
      `llmJudge: expected a string \`reason\`, got ${_describe(obj.reason)}`,
      raw ?? '',
    );
  return { score, reason: obj.reason };
}

/**
 * An LLM-as-judge metric: a judge model rates each output against a rubric on an integer scale.
 *
 * The verdict is forced into structure (a JSON-schema response format, or a forced tool call) and parsed
 * strictly: a reply that is not `{ "reason": string, "score": integer }`, or whose score is off the scale, is
 * a *missing* score for that example (counted in `nMissing`, with the error and the raw reply kept in the
 * record's `details`), never a default or mid-scale score. The reason is kept on every scored record.
 * Judge calls go through the run's call runtime, so they are cached, rate limited and retried like model calls.
 * Use {@link judgeBiasReport} on the result to see the judge's length bias and whether it judges itself.
 *
 * @param options - {@link LlmJudgeOptions}: `model` and `rubric` are required.
 * @returns A continuous {@link Metric} (named `llm_judge` unless renamed) carrying `judgeModel`.
 * @throws {TypeError | RangeError} On bad options (no rubric, an empty or reversed scale, a `prompt` that is not a
 *   function, a `temperature` outside [0, 2]).
 * @example
 * ```ts
 * const helpful = llmJudge({ model: 'gpt-4o', rubric: 'Answers the question correctly and completely.' });
 * const result = await evaluate(dataset, model, [helpful]);
 * result.metrics.llm_judge.mean; // => 4.2
 * result.examples[0].details.llm_judge.reason; // => 'Correct and complete.'
 * ```
 */
export function llmJudge(options: LlmJudgeOptions): Metric & { readonly judgeModel: string } {
  _checkOptions('llmJudge', options, LLM_JUDGE_KEYS);
  const judge = _judgeSetup(options);
  _checkText('rubric', options.rubric);
  const scale = _checkScale(options.scale);
  const mode = options.mode ?? 'json_schema';
  if (mode !== 'json_schema' && mode !== 'tool')
    throw new TypeError(`Expected \`mode\` to be 'json_schema' | 'tool', got ${_describe(mode)}`);
  const name = options.name ?? 'llm_judge';
  if (options.system !== undefined && typeof options.system !== 'string')
    throw new TypeError(`Expected \`system\` to be a string, got ${_describe(options.system)}`);
  const system = options.system ?? _defaultJudgeSystem(options.rubric, scale);
  if (options.prompt !== undefined) _checkFunction('prompt', options.prompt);
  const build = options.prompt ?? _judgedMaterial;
  // Checked here, not by the judge's API on every row (a string '0' or a negative value was sent as is).
  const temperature =
    options.temperature === undefined
      ? 0
      : _checkNumberInRange('temperature', options.temperature, 0, 2, '[]');
  const schema = {
    type: 'object',
    properties: {
      reason: { type: 'string' },
      score: { type: 'integer', minimum: scale.min, maximum: scale.max },
    },
    required: ['reason', 'score'],
    additionalProperties: false,
  };
  const structure =
    mode === 'json_schema'
      ? { response_format: { type: 'json_schema', json_schema: { name: 'verdict', strict: true, schema } } }
      : {
          tools: [
            {
              type: 'function',
              function: { name: 'verdict', description: 'Record the verdict.', parameters: schema },
            },
          ],
          tool_choice: { type: 'function', function: { name: 'verdict' } },
        };
  return Object.freeze({
    name,
    kind: 'continuous' as const,
    bounds: [scale.min, scale.max] as const,
    judgeModel: options.model,
    // The system text holds the rubric and the scale; a custom `prompt` is a function: present, not compared.
    definition: builtinMetricDefinition('llmJudge', {
      model: options.model,
      rubric: options.rubric,
      scale: { min: scale.min, max: scale.max },
      mode,
      system,
      temperature,
      prompt: options.prompt,
    }),
    summarize: _judgeSummarize(options.model),
    async score(ctx: ScoreContext): Promise<MetricScore> {
      const reply = await judge.call(ctx, {
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: build(ctx.example, ctx.output) },
        ],
        temperature,
        ...structure,
      });
      const raw = reply.contents[0] ?? null;
      try {
        const v = _readVerdict(raw, scale);
        return { value: v.score, details: { reason: v.reason } };
      } catch (err) {
        return _missingVerdict(err);
      }
    },
  });
}
