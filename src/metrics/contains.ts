import { _describe } from '../_internal/describe.js';
import { _checkChoice, _checkOptions, _checkOptionsObject } from '../_internal/validate.js';
import { builtinMetricDefinition } from '../core/metricDefinition.js';
import type { Metric, MetricRows, MetricScore, ScoreContext } from '../core/types.js';
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
 * Whether empty needles alone decide the score (every output contains ''): one of them with `'any'`, all of them
 * with `'all'`. A blank reference is almost always a data error, so the metric flags such a row.
 */
function _passedByEmpty(needles: readonly string[], cfg: _ContainsConfig): boolean {
  const empty = (n: string) => n === '';
  return cfg.mode === 'all' ? needles.length > 0 && needles.every(empty) : needles.some(empty);
}

function _emptyReferenceWarnings(name: string, rows: MetricRows): string[] {
  let flagged = 0;
  for (const d of rows.details) if (d?.emptyReference === true) flagged++;
  if (flagged === 0) return [];
  return [
    `metric \`${name}\`: ${flagged} of the ${rows.values.length} rows it scored ${flagged === 1 ? 'has' : 'have'} an empty reference (''), which every output contains: ${flagged === 1 ? 'it' : 'they'} scored 1 whatever the output (an empty reference is usually a data error; ${flagged === 1 ? "its record's" : "those records'"} details.emptyReference)`,
  ];
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
 * An empty reference (`''`, or `['', ...]` in `'any'` mode) is in every output, so its row scores 1 whatever the
 * output: such a row's details say `emptyReference: true`, and the run carries one warning counting them (an empty
 * reference is usually a data error).
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
    definition: builtinMetricDefinition('contains', { ...cfg }),
    warnings: (rows: MetricRows) => _emptyReferenceWarnings(name, rows),
    score(ctx: ScoreContext): number | MetricScore {
      const output = _outputString(ctx, name);
      const needles = _referenceStrings(ctx, name);
      if (_passedByEmpty(needles, cfg)) return { value: 1, details: { emptyReference: true } };
      return _contains(output, needles, cfg);
    },
  });
}
