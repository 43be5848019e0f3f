import { _checkOptions } from '../_internal/validate.js';
import type { Metric } from '../core/types.js';
import { JUDGE_MODEL_KEYS, type JudgeModelOptions } from './_internal/judgeCall.js';
import { _booleanArray, _parseJsonObject } from './_internal/parseJson.js';
import { _askJson, _contextOf, _judgedMetric, _passages } from './_internal/rag.js';
import { _missingVerdict, _questionOf } from './_internal/verdict.js';

const SYSTEM = [
  'For each numbered passage, decide whether it contains information relevant to answering the question',
  '(true) or not (false). Judge each passage on its own.',
  'Reply with a JSON object only: {"relevant": [boolean, ...]}, one entry per passage, in order.',
].join('\n');

/**
 * Context relevance: the share of retrieved passages (`example.context`) that the judge finds relevant to
 * the question. Measures the retriever, not the generator: a low score means noise in the prompt.
 *
 * @param options - the judge `model` (and `client`, `name`).
 * @returns A continuous {@link Metric} in [0, 1] (named `context_relevance` unless renamed) carrying `judgeModel`.
 * @throws {TypeError} At score time, when the example has no `context`.
 * @example
 * ```ts
 * // question 'Capital of France?', passages ['Paris is the capital of France.', 'Bananas are yellow.']  =>  0.5
 * ```
 */
export function contextRelevance(options: JudgeModelOptions): Metric & { readonly judgeModel: string } {
  _checkOptions('contextRelevance', options, JUDGE_MODEL_KEYS);
  return _judgedMetric(options, 'context_relevance', 'contextRelevance', async (judge, ctx, name) => {
    const context = _contextOf(ctx, name);
    const raw = await _askJson(
      judge,
      ctx,
      SYSTEM,
      `<question>\n${_questionOf(ctx.example.input)}\n</question>\n\n${_passages(context)}`,
    );
    try {
      const relevant = _booleanArray(_parseJsonObject(raw, name), 'relevant', raw ?? '', context.length);
      return { value: relevant.filter(Boolean).length / context.length, details: { relevant } };
    } catch (err) {
      return _missingVerdict(err);
    }
  });
}
