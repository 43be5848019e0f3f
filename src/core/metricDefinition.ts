/**
 * A metric's definition: the plain JSON a result records of how a metric scores (which built-in metric, and
 * the options that change its scores), so that `compare()` can tell a changed yardstick from a changed model.
 * It imports only the package's secret redaction.
 * @module
 */

import { _redactCredentials } from '../_internal/redactSecrets.js';

/** A JSON value of a {@link MetricDefinition}. */
export type MetricDefinitionValue =
  | string
  | number
  | boolean
  | null
  | readonly MetricDefinitionValue[]
  | { readonly [key: string]: MetricDefinitionValue };

/**
 * How a metric scores, as plain JSON: `metric` names the built-in metric (`'exactMatch'`, `'llmJudge'`, …) and
 * the other fields are the options that change its scores (a judge's model, rubric and scale; BLEU's tokenizer).
 * Never an API key, a client or a function: a function option is recorded as present (`'[function]'`), not
 * compared. Keys are sorted, so two equal definitions serialize to the same text.
 */
export type MetricDefinition = { readonly [key: string]: MetricDefinitionValue };

/** What a function option is recorded as: present, its code not compared. */
export const FUNCTION_OPTION = '[function]';

/**
 * A definition in canonical form: keys sorted at every depth, `undefined` fields dropped, a function recorded as
 * `'[function]'`, a RegExp as its source text (`/a+/i`), a non-finite number as its name (`'NaN'`), anything else
 * that is no JSON (a symbol, a bigint) as its `String()`; a cycle is cut as `'[cycle]'`. Frozen. @internal
 *
 * @param value - a built-in metric's definition, or one a custom metric declares.
 * @returns the canonical, frozen definition.
 * @example
 * ```ts
 * canonicalDefinition({ metric: 'exactMatch', lowercase: false, collapseWhitespace: undefined });
 * // => { lowercase: false, metric: 'exactMatch' }
 * ```
 */
export function canonicalDefinition(value: Readonly<Record<string, unknown>>): MetricDefinition {
  return _canonical(value, new Set()) as MetricDefinition;
}

function _canonical(value: unknown, seen: Set<object>): MetricDefinitionValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'function') return FUNCTION_OPTION;
  if (typeof value !== 'object') return String(value);
  if (value instanceof RegExp) return String(value);
  if (seen.has(value)) return '[cycle]';
  seen.add(value);
  let out: MetricDefinitionValue;
  if (Array.isArray(value))
    out = Object.freeze(value.map((v) => (v === undefined ? null : _canonical(v, seen))));
  else {
    const entries: [string, MetricDefinitionValue][] = [];
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) entries.push([key, _canonical(v, seen)]);
    }
    out = Object.freeze(Object.fromEntries(entries));
  }
  seen.delete(value);
  return out;
}

/**
 * The definition of built-in metric `metric` with the options that change its scores. @internal
 *
 * @param metric - the factory's name, e.g. `'exactMatch'`.
 * @param options - the resolved options (defaults filled in), without names, keys, clients.
 * @returns the canonical, frozen definition.
 * @example
 * ```ts
 * builtinMetricDefinition('bleu', { tokenize: '13a', lowercase: false });
 * // => { lowercase: false, metric: 'bleu', tokenize: '13a' }
 * ```
 */
export function builtinMetricDefinition(
  metric: string,
  options: Readonly<Record<string, unknown>> = {},
): MetricDefinition {
  const definition = canonicalDefinition({ ...options, metric });
  _builtin.add(definition);
  return definition;
}

/** The definitions {@link builtinMetricDefinition} made: only these carry a scoring rule. */
const _builtin = new WeakSet<MetricDefinition>();

/**
 * The scoring rule of each built-in metric whose scores changed under the same options, by its factory's name.
 * A result records it beside the metric's definition (`config.metrics[i].scoringRule`), and compare() and the
 * paired gate refuse a baseline scored by another rule, as they refuse another definition: a baseline saved before
 * the change would otherwise turn evalgate's change into a "significant" change of the system. A metric whose
 * rule never changed has none. Raise a metric's number whenever the same options score the same row differently.
 * - `bertScore` 2: a reference whose precision and recall have opposite signs has no F1 (was 2PR / (P + R), e.g. -2).
 * - `gEval` 2: a list item's number ("1. Coherence: 4") is a missing score, not the score.
 * - `toolArguments` 2: `null` for an optional or unnamed parameter (OpenAI's strict mode) is an omission.
 * - `trajectoryEfficiency` 2: a trajectory with no model call is missing, not 1.
 * @example
 * ```ts
 * SCORING_RULES.toolArguments; // => 2
 * ```
 */
export const SCORING_RULES: Readonly<Record<string, number>> = Object.freeze({
  bertScore: 2,
  gEval: 2,
  toolArguments: 2,
  trajectoryEfficiency: 2,
});

/**
 * The scoring rule a metric with `definition` scores by: its entry in {@link SCORING_RULES} when the definition is
 * a built-in metric's (made by {@link builtinMetricDefinition}), else `undefined` (a custom metric, even one whose
 * definition names a built-in, or a built-in whose rule never changed). @internal
 *
 * @param definition - a metric's `definition`, or `undefined`.
 * @returns the rule's number, or `undefined`.
 * @example
 * ```ts
 * scoringRuleOf(toolArguments().definition); // => 2
 * scoringRuleOf({ metric: 'toolArguments' }); // => undefined (not made by the built-in)
 * ```
 */
export function scoringRuleOf(definition: MetricDefinition | undefined): number | undefined {
  if (definition === undefined || !_builtin.has(definition)) return undefined;
  const metric = definition.metric;
  return typeof metric === 'string' && Object.hasOwn(SCORING_RULES, metric)
    ? SCORING_RULES[metric]
    : undefined;
}

/**
 * A short digest of texts (two 32-bit FNV-1a hashes of their UTF-16 code units, each text ended by a separator), so
 * that a definition can tell two corpora apart without holding them (bertScore's idf corpus). Not cryptographic:
 * it tells versions apart, it does not hide them. @internal
 *
 * @param texts - the texts, in order.
 * @returns 16 hex digits.
 * @example
 * ```ts
 * definitionDigest(['a', 'b']) === definitionDigest(['a', 'b']); // => true
 * definitionDigest(['a', 'b']) === definitionDigest(['ab']); // => false
 * ```
 */
export function definitionDigest(texts: readonly string[]): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  const step = (c: number) => {
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x01000193 ^ 0x2c1b3c6d) >>> 0;
  };
  for (const t of texts) {
    for (let i = 0; i < t.length; i++) step(t.charCodeAt(i));
    step(0x1_0000); // beyond every code unit: ['ab'] and ['a', 'b'] differ
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

/**
 * A metric's definition as the result records it: canonical (sorted keys, plain JSON), with the value of every
 * field named like a credential (`apiKey`, `api_key`, `password`) and every string that has the shape of one
 * (`sk-…`, a bearer token) replaced by `***`: a custom metric's definition is the user's, and a result file is
 * shared. Two definitions differing only in a credential record alike (a key does not change the yardstick).
 * @example
 * ```ts
 * redactedDefinition({ judge: 'gpt-4o', apiKey: 'az-0123456789abcdef' });
 * // => { apiKey: '***', judge: 'gpt-4o' }
 * ```
 * @internal
 */
export function redactedDefinition(definition: MetricDefinition): MetricDefinition {
  return canonicalDefinition(_redactCredentials(canonicalDefinition(definition)));
}
