import { _checkOptions } from '../_internal/validate.js';
import type { Metric } from '../core/types.js';
import { JUDGE_MODEL_KEYS, type JudgeModelOptions } from './_internal/judgeCall.js';
import { _booleanArray, _parseJsonObject, _stringArray } from './_internal/parseJson.js';
import { _askJson, _contextOf, _judgedMetric, _passages } from './_internal/rag.js';
import { _missingVerdict, _questionOf } from './_internal/verdict.js';

const EXTRACT = [
  'Break the answer below into the factual claims it makes: short, self-contained statements, each',
  'understandable without the others. Leave out opinions, hedges, questions and pleasantries.',
  'Reply with a JSON object only: {"claims": [string, ...]} (an empty list when the answer states no fact).',
].join('\n');
const VERIFY = [
  'For each numbered claim, decide whether the passages support it: true only when the passages state it',
  'or it follows directly from them; false when they contradict it or say nothing about it. Use no outside knowledge.',
  'Reply with a JSON object only: {"supported": [boolean, ...]}, one entry per claim, in order.',
].join('\n');

/**
 * Faithfulness (Ragas): the share of the answer's factual claims that the retrieved context supports.
 * The judge extracts the claims from the answer, then verifies each against `example.context`;
 * score = supported / total. An answer with no claims is *missing* (nothing to be faithful about), not 0 or 1.
 * `details` keeps the claims and their verdicts.
 *
 * References: Es et al. (2024), RAGAS: Automated Evaluation of Retrieval Augmented Generation,
 * doi:10.18653/v1/2024.eacl-demo.16.
 *
 * @param options - the judge `model` (and `client`, `name`).
 * @returns A continuous {@link Metric} in [0, 1] (named `faithfulness` unless renamed) carrying `judgeModel`.
 * @throws {TypeError} At score time, when the example has no `context`.
 * @example
 * ```ts
 * // context: ['Paris is the capital of France.'], answer: 'Paris is the capital. It has 9 million people.'
 * // claims: 2, supported: 1  =>  0.5
 * ```
 */
export function faithfulness(options: JudgeModelOptions): Metric & { readonly judgeModel: string } {
  _checkOptions('faithfulness', options, JUDGE_MODEL_KEYS);
  return _judgedMetric(options, 'faithfulness', 'faithfulness', async (judge, ctx, name) => {
    const context = _contextOf(ctx, name);
    const raw1 = await _askJson(
      judge,
      ctx,
      EXTRACT,
      `<question>\n${_questionOf(ctx.example.input)}\n</question>\n\n<answer>\n${ctx.output}\n</answer>`,
    );
    let claims: string[];
    try {
      claims = _stringArray(_parseJsonObject(raw1, 'faithfulness (claims)'), 'claims', raw1 ?? '');
    } catch (err) {
      return _missingVerdict(err, { step: 'claims' });
    }
    if (claims.length === 0)
      return { value: null, details: { claims, reason: 'the answer makes no factual claim' } };
    const raw2 = await _askJson(
      judge,
      ctx,
      VERIFY,
      `${_passages(context)}\n\n<claims>\n${claims.map((c, i) => `${i + 1}. ${c}`).join('\n')}\n</claims>`,
    );
    try {
      const supported = _booleanArray(
        _parseJsonObject(raw2, 'faithfulness (verdicts)'),
        'supported',
        raw2 ?? '',
        claims.length,
      );
      return { value: supported.filter(Boolean).length / claims.length, details: { claims, supported } };
    } catch (err) {
      return _missingVerdict(err, { step: 'verdicts', claims });
    }
  });
}
