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
  _squadTokens,
  type AnswerNormalization,
} from './_internal/squadNormalize.js';

/** Options of {@link tokenF1} (normalization steps, all on by default: SQuAD v2.0). */
export interface TokenF1Options extends AnswerNormalization {}

/** Options of the {@link f1} metric factory. */
export interface F1MetricOptions extends TokenF1Options {
  /** Metric name in results. @default 'f1' */
  readonly name?: string;
}

const TOKEN_F1_KEY_SET = {
  lowercase: true,
  removePunctuation: true,
  removeArticles: true,
  collapseWhitespace: true,
} satisfies Record<keyof TokenF1Options, true>;
const TOKEN_F1_KEYS = Object.keys(TOKEN_F1_KEY_SET);
const F1_METRIC_KEYS = Object.keys({ ...TOKEN_F1_KEY_SET, name: true } satisfies Record<
  keyof F1MetricOptions,
  true
>);

function _f1Tokens(predToks: readonly string[], goldToks: readonly string[]): number {
  // SQuAD v2: when either side is empty (no answer), F1 is 1 if both are, else 0.
  if (predToks.length === 0 || goldToks.length === 0) return predToks.length === goldToks.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const t of goldToks) counts.set(t, (counts.get(t) ?? 0) + 1);
  let same = 0;
  for (const t of predToks) {
    const c = counts.get(t);
    if (c !== undefined && c > 0) {
      same++;
      counts.set(t, c - 1);
    }
  }
  if (same === 0) return 0;
  // Same operation order as the official script, so results agree to the last bit.
  const precision = (1.0 * same) / predToks.length;
  const recall = (1.0 * same) / goldToks.length;
  return (2 * precision * recall) / (precision + recall);
}

function _tokenF1(prediction: string, golds: readonly string[], flags: _NormalizationFlags): number {
  const predToks = _squadTokens(prediction, flags);
  let best = 0;
  for (const gold of _squadGolds(golds, flags)) {
    const f = _f1Tokens(predToks, _squadTokens(gold, flags));
    if (f > best) best = f;
  }
  return best;
}

/**
 * Token-level F1 of a prediction against one or several acceptable answers (official SQuAD v2.0 logic).
 *
 * Both sides are normalized as in {@link exactMatchScore} and split on whitespace; F1 = 2PR/(P+R) over the
 * multiset intersection of tokens. If either token list is empty the score is 1 when both are and 0 otherwise.
 * Golds that normalize to empty are dropped (none left: the gold is `''`). The score is the max over golds.
 * Pure counterpart of the {@link f1} metric factory.
 *
 * @param prediction - The model's answer.
 * @param golds - One acceptable answer or several; `[]` means "unanswerable".
 * @param options - Normalization steps to keep (all default to `true`).
 * @returns F1 in [0, 1].
 * @throws {TypeError} When `prediction` is not a string or `golds` is not a string / array of strings.
 * @example
 * ```ts
 * tokenF1('in the year 1889', ['1889', 'year 1889']); // => 0.8
 * tokenF1('Paris, France', ['Paris']); // => 0.6666666666666666
 * ```
 */
export function tokenF1(
  prediction: string,
  golds: string | readonly string[],
  options?: TokenF1Options,
): number {
  _checkOptions('tokenF1', options, TOKEN_F1_KEYS);
  _checkString('prediction', prediction);
  const refs = _checkReferences('golds', golds, true);
  return _tokenF1(prediction, refs, _normalizationFlags(options));
}

/**
 * Token-F1 metric for `evaluate()`: {@link tokenF1} of the output against `example.reference` (a string or an
 * array of acceptable strings). Kind `'continuous'`.
 *
 * @param options - Normalization steps (SQuAD v2.0 by default) and the metric `name`.
 * @returns A {@link Metric} named `f1` unless renamed.
 * @throws {TypeError} At score time, for a reference that is not a string / array of strings or a non-string
 *   output; the message names the example id.
 * @example
 * ```ts
 * f1().score({ example: { id: 'q1', input: '…', reference: 'Paris' }, output: 'Paris, France', signal });
 * // => 0.6666666666666666
 * ```
 */
export function f1(options: F1MetricOptions = {}): Metric {
  _checkOptions('f1', options, F1_METRIC_KEYS);
  const flags = _normalizationFlags(options);
  const name = _metricName(options.name, 'f1');
  return Object.freeze({
    name,
    kind: 'continuous' as const,
    bounds: [0, 1] as const,
    definition: builtinMetricDefinition('f1', { ...flags }),
    score(ctx: ScoreContext): number {
      const output = _outputString(ctx, name);
      return _tokenF1(output, _referenceStrings(ctx, name, { allowEmpty: true }), flags);
    },
  });
}
