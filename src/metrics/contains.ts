import { _describe } from '../_internal/describe.js';
import { _checkChoice, _checkOptions, _checkOptionsObject } from '../_internal/validate.js';
import type { Metric, ScoreContext } from '../core/types.js';
import {
  _checkReferences,
  _checkString,
  _metricName,
  _outputString,
  _referenceStrings,
} from './_internal/reference.js';

/** Options of {@link containsScore}. */
export interface ContainsOptions {
  /** Compare lowercased text (`toLowerCase`, Unicode-aware). @default false */
  readonly ignoreCase?: boolean;
  /** `'any'`: one of the needles must occur; `'all'`: every needle must occur. @default 'any' */
  readonly mode?: 'any' | 'all';
}

/** Options of the {@link contains} metric factory. */
export interface ContainsMetricOptions extends ContainsOptions {
  /** Metric name in results. @default 'contains' */
  readonly name?: string;
}

const CONTAINS_KEY_SET = { ignoreCase: true, mode: true } satisfies Record<keyof ContainsOptions, true>;
const CONTAINS_KEYS = Object.keys(CONTAINS_KEY_SET);
const CONTAINS_METRIC_KEYS = Object.keys({ ...CONTAINS_KEY_SET, name: true } satisfies Record<
  keyof ContainsMetricOptions,
  true
>);

interface _ContainsConfig {
  readonly ignoreCase: boolean;
  readonly mode: 'any' | 'all';
}

function _containsConfig(options: ContainsOptions | undefined): _ContainsConfig {
  _checkOptionsObject('options', options);
  const o = options ?? {};
  if (o.ignoreCase !== undefined && typeof o.ignoreCase !== 'boolean')
    throw new TypeError(`Expected \`ignoreCase\` to be a boolean, got ${_describe(o.ignoreCase)}`);
  return {
    ignoreCase: o.ignoreCase ?? false,
    mode: o.mode === undefined ? 'any' : _checkChoice('mode', o.mode, ['any', 'all']),
  };
}

function _contains(output: string, needles: readonly string[], cfg: _ContainsConfig): number {
  const hay = cfg.ignoreCase ? output.toLowerCase() : output;
  const has = (n: string) => hay.includes(cfg.ignoreCase ? n.toLowerCase() : n);
  return (cfg.mode === 'all' ? needles.every(has) : needles.some(has)) ? 1 : 0;
}

/**
 * Whether the output contains a reference string (substring test, linear time).
 *
 * With several needles, `mode: 'any'` (default) needs one of them and `'all'` needs every one. The empty string
 * is contained in every output. Pure counterpart of the {@link contains} metric factory.
 *
 * @param output - System output.
 * @param needles - One string or several.
 * @param options - `ignoreCase` (default `false`), `mode` (default `'any'`).
 * @returns `1` or `0`.
 * @throws {TypeError} For wrong types; {@link RangeError} for an empty needles array.
 * @example
 * ```ts
 * containsScore('The answer is Paris.', ['paris', 'Lyon'], { ignoreCase: true }); // => 1
 * containsScore('The answer is Paris.', ['Paris', 'France'], { mode: 'all' }); // => 0
 * ```
 */
export function containsScore(
  output: string,
  needles: string | readonly string[],
  options?: ContainsOptions,
): number {
  _checkOptions('containsScore', options, CONTAINS_KEYS);
  _checkString('output', output);
  return _contains(output, _checkReferences('needles', needles), _containsConfig(options));
}

/**
 * Containment metric for `evaluate()`: {@link containsScore} of the output against `example.reference` (a string
 * or an array of strings). Kind `'binary'`.
 *
 * @param options - {@link ContainsOptions} and `name`.
 * @returns A {@link Metric} named `contains` unless renamed.
 * @throws {TypeError} At score time for a bad reference or output, naming the example id.
 * @example
 * ```ts
 * contains({ ignoreCase: true }).score({ example: { id: 'a', input: '', reference: 'paris' }, output: 'It is Paris.', signal });
 * // => 1
 * ```
 */
export function contains(options: ContainsMetricOptions = {}): Metric {
  _checkOptions('contains', options, CONTAINS_METRIC_KEYS);
  const cfg = _containsConfig(options);
  const name = _metricName(options.name, 'contains');
  return Object.freeze({
    name,
    kind: 'binary' as const,
    score(ctx: ScoreContext): number {
      return _contains(_outputString(ctx, name), _referenceStrings(ctx, name), cfg);
    },
  });
}
