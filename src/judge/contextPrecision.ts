import { _checkOptions } from '../_internal/validate.js';
import type { Metric } from '../core/types.js';
import { JUDGE_MODEL_KEYS, type JudgeModelOptions } from './_internal/judgeCall.js';
import { _booleanArray, _parseJsonObject } from './_internal/parseJson.js';
import { _askJson, _contextOf, _judgedMetric, _passages, _referenceOf } from './_internal/rag.js';
import { _missingVerdict, _questionOf } from './_internal/verdict.js';

const SYSTEM = [
  'For each numbered passage, decide whether it was useful for arriving at the reference answer to the',
  'question (true) or not (false).',
  'Reply with a JSON object only: {"useful": [boolean, ...]}, one entry per passage, in order.',
].join('\n');

/**
 * Ragas context precision: are the useful passages ranked first? With v_k = 1 when the passage at rank k is
 * useful for the reference answer, score = sum_k precision@k * v_k / sum_k v_k (STATS.md section 7).
 * No useful passage at all scores 0. Needs `example.reference`.
 *
 * @param options - the judge `model` (and `client`, `name`).
 * @returns A continuous {@link Metric} in [0, 1] (named `context_precision` unless renamed) carrying `judgeModel`.
 * @throws {TypeError} At score time, when the example has no `context` or no string reference.
 * @example
 * ```ts
 * // useful = [false, true, true]: (0 + 1/2 + 2/3) / 2  =>  0.5833333333333333
 * ```
 */
export function contextPrecision(options: JudgeModelOptions): Metric & { readonly judgeModel: string } {
  _checkOptions('contextPrecision', options, JUDGE_MODEL_KEYS);
  return _judgedMetric(options, 'context_precision', 'contextPrecision', async (judge, ctx, name) => {
    const context = _contextOf(ctx, name);
    const reference = _referenceOf(ctx, name);
    const raw = await _askJson(
      judge,
      ctx,
      SYSTEM,
      `<question>\n${_questionOf(ctx.example.input)}\n</question>\n\n<reference_answer>\n${reference}\n</reference_answer>\n\n${_passages(context)}`,
    );
    let useful: boolean[];
    try {
      useful = _booleanArray(_parseJsonObject(raw, name), 'useful', raw ?? '', context.length);
    } catch (err) {
      return _missingVerdict(err);
    }
    return { value: _contextPrecisionScore(useful), details: { useful } };
  });
}

/** sum_k precision@k * v_k / sum_k v_k; 0 when no passage is useful. */
export function _contextPrecisionScore(useful: readonly boolean[]): number {
  let hits = 0;
  let sum = 0;
  for (let k = 0; k < useful.length; k++) {
    if (useful[k]) {
      hits++;
      sum += hits / (k + 1);
    }
  }
  return hits === 0 ? 0 : sum / hits;
}
