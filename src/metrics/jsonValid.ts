import { _describe } from '../_internal/describe.js';
import { _checkOptions } from '../_internal/validate.js';
import { builtinMetricDefinition } from '../core/metricDefinition.js';
import type { Metric, MetricScore, ScoreContext } from '../core/types.js';
import { _parseJsonOutput } from './_internal/parseJsonOutput.js';
import { _checkString, _metricName, _outputString } from './_internal/reference.js';

/** Options of {@link jsonValidScore}. */
export interface JsonValidOptions {
  /** Accept output wrapped in one Markdown code fence (```` ```json … ``` ````). @default false */
  readonly codeFence?: boolean;
}

/** Options of the {@link jsonValid} metric factory. */
export interface JsonValidMetricOptions extends JsonValidOptions {
  /** Metric name in results. @default 'json_valid' */
  readonly name?: string;
}

const JSON_VALID_KEY_SET = { codeFence: true } satisfies Record<keyof JsonValidOptions, true>;
const JSON_VALID_KEYS = Object.keys(JSON_VALID_KEY_SET);
const JSON_VALID_METRIC_KEYS = Object.keys({ ...JSON_VALID_KEY_SET, name: true } satisfies Record<
  keyof JsonValidMetricOptions,
  true
>);

/** Reads a boolean option. */
export function _boolOption(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw new TypeError(`Expected \`${name}\` to be a boolean, got ${_describe(value)}`);
  return value;
}

/**
 * Whether the output is valid JSON (`JSON.parse` succeeds; any JSON value counts, including `"text"` and `1`).
 * Pure counterpart of the {@link jsonValid} metric factory.
 *
 * @param output - System output.
 * @param options - `codeFence` (default `false`).
 * @returns `1` or `0`.
 * @throws {TypeError} For a non-string output.
 * @example
 * ```ts
 * jsonValidScore('{"a": 1}'); // => 1
 * jsonValidScore('```json\n{"a": 1}\n```', { codeFence: true }); // => 1
 * jsonValidScore('{a: 1}'); // => 0
 * ```
 */
export function jsonValidScore(output: string, options?: JsonValidOptions): number {
  _checkOptions('jsonValidScore', options, JSON_VALID_KEYS);
  _checkString('output', output);
  return _parseJsonOutput(output, _boolOption('codeFence', options?.codeFence, false)).ok ? 1 : 0;
}

/**
 * Structured-output metric for `evaluate()`: 1 when the output parses as JSON, else 0 with the parser's message
 * in `details.error`. Kind `'binary'`.
 *
 * @param options - `codeFence` and `name`.
 * @returns A {@link Metric} named `json_valid` unless renamed.
 * @throws {TypeError} At score time for a non-string output, naming the example id.
 * @example
 * ```ts
 * jsonValid().score({ example: { id: 'a', input: '' }, output: '[1, 2]', signal }); // => { value: 1 }
 * ```
 */
export function jsonValid(options: JsonValidMetricOptions = {}): Metric {
  _checkOptions('jsonValid', options, JSON_VALID_METRIC_KEYS);
  const codeFence = _boolOption('codeFence', options.codeFence, false);
  const name = _metricName(options.name, 'json_valid');
  return Object.freeze({
    name,
    kind: 'binary' as const,
    definition: builtinMetricDefinition('jsonValid', { codeFence }),
    score(ctx: ScoreContext): MetricScore {
      const r = _parseJsonOutput(_outputString(ctx, name), codeFence);
      return r.ok
        ? Object.freeze({ value: 1 })
        : Object.freeze({ value: 0, details: Object.freeze({ error: r.error }) });
    },
  });
}
