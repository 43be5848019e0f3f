import { _describe } from '../_internal/describe.js';
import { _checkInteger, _checkOptions } from '../_internal/validate.js';
import { builtinMetricDefinition } from '../core/metricDefinition.js';
import type { Metric, MetricScore, ScoreContext } from '../core/types.js';
import { cosineUnchecked } from '../metrics/cosineSimilarity.js';
import { type EmbedFunction, embedChecked, embedderDefinition } from '../metrics/embeddingSimilarity.js';
import { _JUDGE_MODEL_KEY_SET, _judgeSetup, type JudgeModelOptions } from './_internal/judgeCall.js';
import { _parseJsonObject, _stringArray } from './_internal/parseJson.js';
import { _askJson } from './_internal/rag.js';
import { _missingVerdict, _questionOf } from './_internal/verdict.js';
import { _judgeSummarize } from './judgeBiasReport.js';

/** Options of {@link answerRelevance}. */
export interface AnswerRelevanceOptions extends JudgeModelOptions {
  /** Embeds texts (e.g. `openaiEmbedder({ model: 'text-embedding-3-small' })` from `evalgate/metrics`). Required. */
  readonly embed: EmbedFunction;
  /** Questions generated per answer. Minimum: `1`. @default 3 */
  readonly questions?: number;
}

const ANSWER_RELEVANCE_KEYS = Object.keys({
  ..._JUDGE_MODEL_KEY_SET,
  embed: true,
  questions: true,
} satisfies Record<keyof AnswerRelevanceOptions, true>);

/**
 * Ragas answer relevancy: the judge writes `questions` questions that the answer would answer, and the score
 * is the mean cosine similarity between their embeddings and the embedding of the real question. An evasive
 * or off-topic answer yields questions unlike the real one. Embeddings go through the same call runtime (cached)
 * when the embedder uses a wrapped client, as `openaiEmbedder()` does.
 *
 * @param options - {@link AnswerRelevanceOptions}: `model` and `embed` are required.
 * @returns A continuous {@link Metric} (named `answer_relevance` unless renamed) carrying `judgeModel`.
 * @throws {TypeError} On bad options; at score time for an embedder returning the wrong number of vectors or a
 *   non-finite entry; {@link RangeError} at score time for vectors of different lengths (naming the example).
 * @example
 * ```ts
 * const rel = answerRelevance({ model: 'gpt-4o-mini', embed: openaiEmbedder({ model: 'text-embedding-3-small' }) });
 * ```
 */
export function answerRelevance(options: AnswerRelevanceOptions): Metric & { readonly judgeModel: string } {
  _checkOptions('answerRelevance', options, ANSWER_RELEVANCE_KEYS);
  const judge = _judgeSetup(options);
  if (typeof options.embed !== 'function')
    throw new TypeError(`Expected \`embed\` to be a function, got ${_describe(options.embed)}`);
  const k = _checkInteger('questions', options.questions ?? 3, 1);
  const name = options.name ?? 'answer_relevance';
  const system = [
    `Write ${k} different questions that the answer below would be a direct answer to.`,
    'Write them as a user would ask them, without referring to "the answer".',
    'Reply with a JSON object only: {"questions": [string, ...]}.',
  ].join('\n');
  return Object.freeze({
    name,
    kind: 'continuous' as const,
    bounds: [-1, 1] as const,
    judgeModel: options.model,
    definition: builtinMetricDefinition('answerRelevance', {
      model: options.model,
      questions: k,
      embed: embedderDefinition(options.embed),
    }),
    summarize: _judgeSummarize(options.model),
    async score(ctx: ScoreContext): Promise<MetricScore> {
      const raw = await _askJson(judge, ctx, system, `<answer>\n${ctx.output}\n</answer>`);
      let generated: string[];
      try {
        generated = _stringArray(_parseJsonObject(raw, name), 'questions', raw ?? '');
      } catch (err) {
        return _missingVerdict(err);
      }
      if (generated.length === 0)
        return { value: null, details: { reason: 'the judge generated no question', raw } };
      const question = _questionOf(ctx.example.input);
      const vectors = await embedChecked(options.embed, [question, ...generated], ctx, name);
      const q = vectors[0]!;
      const sims = generated.map((_, i) => cosineUnchecked(q, vectors[i + 1]!));
      if (sims.some((s) => Number.isNaN(s)))
        return { value: null, details: { reason: 'a zero embedding vector', questions: generated } };
      return {
        // A mean of cosines is in [-1, 1]; rounding can carry it a hair past 1.
        value: Math.min(1, Math.max(-1, sims.reduce((a, b) => a + b, 0) / sims.length)),
        details: { questions: generated, similarities: sims },
      };
    },
  });
}
