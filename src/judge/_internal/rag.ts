import { _describe } from '../../_internal/describe.js';
import { builtinMetricDefinition } from '../../core/metricDefinition.js';
import type { Metric, MetricScore, ScoreContext } from '../../core/types.js';
import { _judgeSummarize } from '../judgeBiasReport.js';
import { _judgeSetup, type JudgeModelOptions } from './judgeCall.js';
import { _referenceText } from './verdict.js';

type Judge = ReturnType<typeof _judgeSetup>;

/** One JSON-mode judge call with a system and a user message; returns the raw reply text. */
export async function _askJson(
  judge: Judge,
  ctx: ScoreContext,
  system: string,
  user: string,
): Promise<string | null> {
  const reply = await judge.call(ctx, {
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: user },
    ],
    temperature: 0,
    response_format: { type: 'json_object' },
  });
  return reply.contents[0] ?? null;
}

/** The example's retrieved passages, or a TypeError naming the example when it has none. */
export function _contextOf(ctx: ScoreContext, metric: string): readonly string[] {
  const c = ctx.example.context;
  if (!Array.isArray(c) || c.length === 0)
    throw new TypeError(
      `Metric \`${metric}\` needs \`example.context\` (retrieved passages) on example "${ctx.example.id}", got ${_describe(c)}`,
    );
  return c;
}

/** Passages as numbered, tagged blocks. */
export function _passages(context: readonly string[]): string {
  return context.map((p, i) => `<passage id="${i + 1}">\n${p}\n</passage>`).join('\n');
}

/**
 * The shape every judged metric shares: the judge set up once, the name defaulted, `judgeModel` exposed for
 * the bias report, and the result frozen. `score` receives the judge and the resolved name.
 */
export function _judgedMetric(
  options: JudgeModelOptions,
  defaultName: string,
  metric: string,
  score: (judge: Judge, ctx: ScoreContext, name: string) => Promise<MetricScore>,
): Metric & { readonly judgeModel: string } {
  const judge = _judgeSetup(options);
  const name = options.name ?? defaultName;
  return Object.freeze({
    name,
    kind: 'continuous' as const,
    // Every RAG metric built here is a share of claims, statements or passages (or an average precision).
    bounds: [0, 1] as const,
    judgeModel: options.model,
    // The prompts are the factory's own (fixed per evalgate version): the judge model is what a caller changes.
    definition: builtinMetricDefinition(metric, { model: options.model }),
    summarize: _judgeSummarize(options.model),
    score: (ctx: ScoreContext) => score(judge, ctx, name),
  });
}

/** The example's reference as text, or a TypeError naming the metric and the example. */
export function _referenceOf(ctx: ScoreContext, metric: string): string {
  const reference = _referenceText(ctx.example.reference);
  if (reference === undefined)
    throw new TypeError(
      `Metric \`${metric}\` needs a string \`example.reference\` on example "${ctx.example.id}"`,
    );
  return reference;
}
