import { _checkOptions } from '../_internal/validate.js';
import type { Metric } from '../core/types.js';
import { JudgeParseError } from '../errors.js';
import { JUDGE_MODEL_KEYS, type JudgeModelOptions } from './_internal/judgeCall.js';
import { _parseJsonObject } from './_internal/parseJson.js';
import { _askJson, _contextOf, _judgedMetric, _passages, _referenceOf } from './_internal/rag.js';
import { _missingVerdict } from './_internal/verdict.js';

const SYSTEM = [
  'Break the reference answer into its factual statements. For each, decide whether it can be attributed',
  'to the passages (true: they state it or it follows directly) or not (false).',
  'Reply with a JSON object only: {"statements": [{"statement": string, "attributed": boolean}, ...]}.',
].join('\n');

/**
 * Ragas context recall: did retrieval find what the answer needs? The reference answer's statements that
 * can be attributed to `example.context`, over all its statements. A reference with no statement is missing.
 *
 * @param options - the judge `model` (and `client`, `name`).
 * @returns A continuous {@link Metric} in [0, 1] (named `context_recall` unless renamed) carrying `judgeModel`.
 * @throws {TypeError} At score time, when the example has no `context` or no string reference.
 * @example
 * ```ts
 * // reference 'Paris is the capital. It lies on the Seine.', context mentions only the capital  =>  0.5
 * ```
 */
export function contextRecall(options: JudgeModelOptions): Metric & { readonly judgeModel: string } {
  _checkOptions('contextRecall', options, JUDGE_MODEL_KEYS);
  return _judgedMetric(options, 'context_recall', 'contextRecall', async (judge, ctx, name) => {
    const context = _contextOf(ctx, name);
    const reference = _referenceOf(ctx, name);
    const raw = await _askJson(
      judge,
      ctx,
      SYSTEM,
      `<reference_answer>\n${reference}\n</reference_answer>\n\n${_passages(context)}`,
    );
    try {
      const obj = _parseJsonObject(raw, name);
      const st = obj.statements;
      if (
        !Array.isArray(st) ||
        st.some(
          (s) =>
            s === null ||
            typeof s !== 'object' ||
            typeof (s as { attributed?: unknown }).attributed !== 'boolean',
        )
      )
        throw new JudgeParseError(
          `${name}: expected \`statements\` to be [{ statement, attributed: boolean }]`,
          raw ?? '',
        );
      const statements = st as { statement?: string; attributed: boolean }[];
      if (statements.length === 0)
        return { value: null, details: { reason: 'the reference has no statement' } };
      const attributed = statements.filter((s) => s.attributed).length;
      return { value: attributed / statements.length, details: { statements } };
    } catch (err) {
      return _missingVerdict(err);
    }
  });
}
