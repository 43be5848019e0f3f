import { _checkOptions } from '../_internal/validate.js';
import { builtinMetricDefinition } from '../core/metricDefinition.js';
import type { Metric, ScoreContext } from '../core/types.js';
import {
  _checkReferences,
  _checkString,
  _metricName,
  _outputString,
  _referenceStrings,
} from './_internal/reference.js';
import {
  type _NormalizationFlags,
  _normalizationFlags,
  _squadGolds,
  _squadNormalize,
  type AnswerNormalization,
} from './_internal/squadNormalize.js';

/** Options of {@link exactMatchScore} and {@link exactMatch}. Every step defaults to on (SQuAD v2.0). */
export interface ExactMatchOptions extends AnswerNormalization {}

/** Options of the {@link exactMatch} metric factory. */
export interface ExactMatchMetricOptions extends ExactMatchOptions {
  /** Metric name in results. @default 'exact_match' */
  readonly name?: string;
}

const EXACT_MATCH_KEY_SET = {
  lowercase: true,
  removePunctuation: true,
  removeArticles: true,
  collapseWhitespace: true,
} satisfies Record<keyof ExactMatchOptions, true>;
const EXACT_MATCH_KEYS = Object.keys(EXACT_MATCH_KEY_SET);
const EXACT_MATCH_METRIC_KEYS = Object.keys({ ...EXACT_MATCH_KEY_SET, name: true } satisfies Record<
  keyof ExactMatchMetricOptions,
  true
>);

function _exactMatch(prediction: string, golds: readonly string[], flags: _NormalizationFlags): number {
  const pred = _squadNormalize(prediction, flags);
  for (const gold of _squadGolds(golds, flags)) if (_squadNormalize(gold, flags) === pred) return 1;
  return 0;
}

/**
 * Exact match of a prediction against one or several acceptable answers, as the official SQuAD v2.0 script
 * computes it.
 *
 * Both sides are normalized (lowercase, ASCII punctuation removed, whole-word articles a / an / the removed with
 * Unicode-aware word boundaries, whitespace collapsed); golds that normalize to the empty string are dropped and,
 * when none remains, the only correct answer is the empty string (SQuAD v2 "no answer"). The score is the max
 * over golds. Pure counterpart of the {@link exactMatch} metric factory.
 *
 * @param prediction - The model's answer.
 * @param golds - One acceptable answer or several; `[]` means "unanswerable" (same as `['']`).
 * @param options - Normalization steps to keep; all default to `true` (SQuAD). For whitespace-only matching pass
 *   `{ lowercase: false, removePunctuation: false, removeArticles: false }`.
 * @returns `1` when the normalized prediction equals some normalized gold, else `0`.
 * @throws {TypeError} When `prediction` is not a string or `golds` is not a string / array of strings.
 * @example
 * ```ts
 * exactMatchScore('The Eiffel Tower!', ['eiffel tower']); // => 1
 * exactMatchScore('in the year 1889', ['1889', 'year 1889']); // => 0
 * exactMatchScore('', []); // => 1 (unanswerable question, empty prediction)
 * ```
 */
export function exactMatchScore(
  prediction: string,
  golds: string | readonly string[],
  options?: ExactMatchOptions,
): number {
  _checkOptions('exactMatchScore', options, EXACT_MATCH_KEYS);
  _checkString('prediction', prediction);
  const refs = _checkReferences('golds', golds, true);
  return _exactMatch(prediction, refs, _normalizationFlags(options));
}

/**
 * Exact-match metric for `evaluate()`: {@link exactMatchScore} of the output against `example.reference`
 * (a string or an array of acceptable strings; `[]` means unanswerable). Kind `'binary'`.
 *
 * @param options - Normalization steps (all on by default: SQuAD v2.0) and the metric `name`.
 * @returns A {@link Metric} named `exact_match` unless renamed.
 * @throws {TypeError} At score time, when the reference is not a string or array of strings, or the output is not
 *   a string; the message names the example id.
 * @example
 * ```ts
 * const metric = exactMatch();
 * metric.score({ example: { id: 'q1', input: 'Capital of France?', reference: ['Paris'] }, output: 'paris.', signal });
 * // => 1
 * ```
 */
export function exactMatch(options: ExactMatchMetricOptions = {}): Metric {
  _checkOptions('exactMatch', options, EXACT_MATCH_METRIC_KEYS);
  const flags = _normalizationFlags(options);
  const name = _metricName(options.name, 'exact_match');
  return Object.freeze({
    name,
    kind: 'binary' as const,
    definition: builtinMetricDefinition('exactMatch', { ...flags }),
    score(ctx: ScoreContext): number {
      const output = _outputString(ctx, name);
      return _exactMatch(output, _referenceStrings(ctx, name, { allowEmpty: true }), flags);
    },
  });
}
