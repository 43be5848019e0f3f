import { _describe } from '../_internal/describe.js';
import { _checkOptions } from '../_internal/validate.js';
import { builtinMetricDefinition } from '../core/metricDefinition.js';
import type { Example, Metric, MetricScore, ScoreContext } from '../core/types.js';
import { JudgeParseError } from '../errors.js';
import { _JUDGE_MODEL_KEY_SET, _judgeSetup, type JudgeModelOptions } from './_internal/judgeCall.js';
import { _parseJsonObject } from './_internal/parseJson.js';
import { _checkText, _missingVerdict, _questionOf } from './_internal/verdict.js';
import { _judgeSummarize } from './judgeBiasReport.js';

/** Who won one judged order, in terms of the two systems (not the positions). */
export type PairVerdict = 'candidate' | 'baseline' | 'tie';

/** Options of {@link pairwiseJudge}. */
export interface PairwiseJudgeOptions extends JudgeModelOptions {
  /** What makes one response better than the other. Required. */
  readonly criteria: string;
  /** The baseline system's answer for an example (e.g. `(ex) => ex.metadata.baselineOutput`). Required. */
  readonly baseline: (example: Example) => string;
  /**
   * What a pair whose verdict flips when the positions are swapped counts as: a tie (0.5), or a missing
   * score. @default 'tie'
   */
  readonly inconsistent?: 'tie' | 'missing';
}

const PAIRWISE_JUDGE_KEYS = Object.keys({
  ..._JUDGE_MODEL_KEY_SET,
  criteria: true,
  baseline: true,
  inconsistent: true,
} satisfies Record<keyof PairwiseJudgeOptions, true>);

const SCHEMA = {
  type: 'object',
  properties: { reason: { type: 'string' }, winner: { type: 'string', enum: ['1', '2', 'tie'] } },
  required: ['reason', 'winner'],
  additionalProperties: false,
};

function readWinner(raw: string | null): { winner: '1' | '2' | 'tie'; reason: string } {
  const obj = _parseJsonObject(raw, 'pairwiseJudge');
  const w = obj.winner;
  if (w !== '1' && w !== '2' && w !== 'tie')
    throw new JudgeParseError(
      `pairwiseJudge: expected \`winner\` to be "1", "2" or "tie", got ${_describe(w)}`,
      raw ?? '',
    );
  return { winner: w, reason: typeof obj.reason === 'string' ? obj.reason : '' };
}

/**
 * A pairwise LLM judge: for each example the judge compares the output under test (the candidate) with a
 * baseline answer, **twice, with the positions swapped**, because judges favour a position.
 *
 * Score: 1 when the candidate wins in both orders, 0 when it loses in both, 0.5 for a tie in both; a pair
 * whose verdict does not survive the swap is inconsistent and counts as a tie by default (or as missing). So
 * the metric's mean is the candidate's win rate (ties half), with the run's bootstrap CI. `details` keeps both
 * verdicts, both reasons and `consistent`; {@link judgeBiasReport} turns them into the position-consistency
 * rate and the first-position preference.
 *
 * References: Zheng et al. (2023), Judging LLM-as-a-Judge with MT-Bench and Chatbot Arena, arXiv:2306.05685.
 *
 * @param options - {@link PairwiseJudgeOptions}: `model`, `criteria` and `baseline` are required.
 * @returns A continuous {@link Metric} (named `pairwise` unless renamed) carrying `judgeModel`.
 * @throws {TypeError} On bad options.
 * @example
 * ```ts
 * const vsOld = pairwiseJudge({ model: 'gpt-4o', criteria: 'More helpful and accurate.', baseline: (ex) => oldAnswers[ex.id] });
 * const result = await evaluate(dataset, newModel, [vsOld]);
 * result.metrics.pairwise.mean; // => 0.62 (win rate of the new model, ties half)
 * ```
 */
export function pairwiseJudge(options: PairwiseJudgeOptions): Metric & { readonly judgeModel: string } {
  _checkOptions('pairwiseJudge', options, PAIRWISE_JUDGE_KEYS);
  const judge = _judgeSetup(options);
  _checkText('criteria', options.criteria);
  if (typeof options.baseline !== 'function')
    throw new TypeError(`Expected \`baseline\` to be a function, got ${_describe(options.baseline)}`);
  const inconsistent = options.inconsistent ?? 'tie';
  if (inconsistent !== 'tie' && inconsistent !== 'missing')
    throw new TypeError(`Expected \`inconsistent\` to be 'tie' | 'missing', got ${_describe(inconsistent)}`);
  const system = [
    'You compare two AI responses to the same question and decide which is better.',
    `Criteria: ${options.criteria}`,
    'Ignore the order in which the responses are shown and their length; judge only the criteria.',
    'Reply with a JSON object only: {"reason": string, "winner": "1" | "2" | "tie"}.',
  ].join('\n');
  const ask = (ctx: ScoreContext, first: string, second: string) =>
    judge.call(ctx, {
      messages: [
        { role: 'system', content: system },
        {
          role: 'user',
          content: `<question>\n${_questionOf(ctx.example.input)}\n</question>\n\n<response_1>\n${first}\n</response_1>\n\n<response_2>\n${second}\n</response_2>`,
        },
      ],
      temperature: 0,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'pairwise_verdict', strict: true, schema: SCHEMA },
      },
    });
  return Object.freeze({
    name: options.name ?? 'pairwise',
    kind: 'continuous' as const,
    bounds: [0, 1] as const,
    judgeModel: options.model,
    definition: builtinMetricDefinition('pairwiseJudge', {
      model: options.model,
      criteria: options.criteria,
      inconsistent,
      baseline: options.baseline,
    }),
    summarize: _judgeSummarize(options.model),
    async score(ctx: ScoreContext): Promise<MetricScore> {
      const base = options.baseline(ctx.example);
      if (typeof base !== 'string')
        throw new TypeError(
          `pairwiseJudge: \`baseline\` returned ${_describe(base)} for example "${ctx.example.id}"`,
        );
      // Order 1: candidate first. Order 2: baseline first. Both go through the cache under their own keys.
      const [r1, r2] = await Promise.all([ask(ctx, ctx.output, base), ask(ctx, base, ctx.output)]);
      let v1: ReturnType<typeof readWinner>;
      let v2: ReturnType<typeof readWinner>;
      try {
        v1 = readWinner(r1.contents[0] ?? null);
        v2 = readWinner(r2.contents[0] ?? null);
      } catch (err) {
        return _missingVerdict(err);
      }
      const asSystem = (w: '1' | '2' | 'tie', candidateFirst: boolean): PairVerdict =>
        w === 'tie' ? 'tie' : (w === '1') === candidateFirst ? 'candidate' : 'baseline';
      const verdicts: [PairVerdict, PairVerdict] = [asSystem(v1.winner, true), asSystem(v2.winner, false)];
      const consistent = verdicts[0] === verdicts[1];
      const details = {
        verdicts,
        positions: [v1.winner, v2.winner],
        consistent,
        reasons: [v1.reason, v2.reason],
      };
      if (!consistent) return inconsistent === 'tie' ? { value: 0.5, details } : { value: null, details };
      return { value: verdicts[0] === 'candidate' ? 1 : verdicts[0] === 'baseline' ? 0 : 0.5, details };
    },
  });
}
