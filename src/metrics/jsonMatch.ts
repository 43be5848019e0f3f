import { _describe } from '../_internal/describe.js';
import { _checkOptions } from '../_internal/validate.js';
import { builtinMetricDefinition } from '../core/metricDefinition.js';
import type { Metric, MetricScore, ScoreContext } from '../core/types.js';
import { _parseJsonOutput } from './_internal/parseJsonOutput.js';
import { _checkString, _exampleName, _metricName, _outputString } from './_internal/reference.js';
import { _boolOption } from './jsonValid.js';

/** Options of {@link jsonMatchScore}. */
export interface JsonMatchOptions {
  /** Accept output wrapped in one Markdown code fence. @default false */
  readonly codeFence?: boolean;
  /**
   * Subset match: every key of an expected object must be present and match, extra keys in the output are
   * allowed (arrays still match element by element, same length). @default false
   */
  readonly partial?: boolean;
}

/** Options of the {@link jsonMatch} metric factory. */
export interface JsonMatchMetricOptions extends JsonMatchOptions {
  /** `example.reference` is JSON text to parse, rather than the expected value itself. @default false */
  readonly parseReference?: boolean;
  /** Metric name in results. @default 'json_match' */
  readonly name?: string;
}

const JSON_MATCH_KEY_SET = { codeFence: true, partial: true } satisfies Record<keyof JsonMatchOptions, true>;
const JSON_MATCH_KEYS = Object.keys(JSON_MATCH_KEY_SET);
const JSON_MATCH_METRIC_KEYS = Object.keys({
  ...JSON_MATCH_KEY_SET,
  parseReference: true,
  name: true,
} satisfies Record<keyof JsonMatchMetricOptions, true>);

const JSON_VALUE = 'a JSON value (null, a boolean, a string, a finite number, an array or a plain object)';

/**
 * Where `value` holds something JSON cannot (NaN, Infinity, a bigint, a function, `undefined` in an array, a Date,
 * a Map or another class instance, a cycle), as "`shown` (type) at `path`"; `undefined` when it is a JSON value.
 * A field set to `undefined` is allowed: JSON.stringify leaves it out, and so does the comparison.
 */
function _notJson(value: unknown, path: string, stack: Set<object>): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number')
    return Number.isFinite(value) ? undefined : `${_describe(value)} at \`${path}\``;
  if (typeof value !== 'object') return `${_describe(value)} at \`${path}\``;
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null)
    return `${_describe(value)} at \`${path}\``;
  if (stack.has(value)) return `${_describe(value)} at \`${path}\`, a cycle`;
  stack.add(value);
  let bad: string | undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && bad === undefined; i++)
      bad = _notJson(value[i], `${path}[${i}]`, stack);
  } else {
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) bad = _notJson(v, `${path}.${k}`, stack);
      if (bad !== undefined) break;
    }
  }
  stack.delete(value);
  return bad;
}

/** The keys of an expected object that JSON would write: those whose value is not `undefined`. */
function _definedKeys(o: Record<string, unknown>): string[] {
  return Object.keys(o).filter((k) => o[k] !== undefined);
}

/** JSON path of the first difference, or `undefined` when `actual` matches `expected`. */
function _firstMismatch(
  actual: unknown,
  expected: unknown,
  partial: boolean,
  path: string,
): string | undefined {
  if (expected === null || typeof expected !== 'object')
    return Object.is(actual, expected) || actual === expected ? undefined : path;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return path;
    for (let i = 0; i < expected.length; i++) {
      const m = _firstMismatch(actual[i], expected[i], partial, `${path}[${i}]`);
      if (m !== undefined) return m;
    }
    return undefined;
  }
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return path;
  const a = actual as Record<string, unknown>;
  const e = expected as Record<string, unknown>;
  const keys = _definedKeys(e);
  if (!partial && Object.keys(a).length !== keys.length) {
    const extra = Object.keys(a).find((k) => !Object.hasOwn(e, k) || e[k] === undefined);
    if (extra !== undefined) return `${path}.${extra}`;
  }
  for (const k of keys) {
    if (!Object.hasOwn(a, k)) return `${path}.${k}`;
    const m = _firstMismatch(a[k], e[k], partial, `${path}.${k}`);
    if (m !== undefined) return m;
  }
  return undefined;
}

function _jsonMatch(output: string, expected: unknown, codeFence: boolean, partial: boolean): MetricScore {
  const r = _parseJsonOutput(output, codeFence);
  if (!r.ok) return Object.freeze({ value: 0, details: Object.freeze({ error: r.error }) });
  const at = _firstMismatch(r.value, expected, partial, '$');
  return at === undefined
    ? Object.freeze({ value: 1 })
    : Object.freeze({ value: 0, details: Object.freeze({ mismatchAt: at }) });
}

/**
 * Whether the output, parsed as JSON, equals an expected value: objects compare key by key regardless of key
 * order, arrays element by element, numbers by value (`1.0` equals `1`, `-0` equals `0`). Invalid JSON scores 0.
 * Pure counterpart of the {@link jsonMatch} metric factory.
 *
 * The output is read by `JSON.parse`: a duplicate key keeps its last value, and a number is a double, so two
 * integers past 2^53 that round to the same double (`9007199254740993` and `9007199254740992`) compare equal.
 * The expected value must be one JSON can hold; a field set to `undefined` counts as absent, as `JSON.stringify`
 * leaves it out. Anything else (NaN, Infinity, a bigint, a Date, a Map) would match no output or, having no keys,
 * match `{}`, so it is refused.
 *
 * @param output - System output (JSON text).
 * @param expected - The expected value (already parsed: a plain object, array, string, finite number, boolean or
 *   null).
 * @param options - `codeFence` (default `false`), `partial` (default `false`).
 * @returns `1` or `0`.
 * @throws {TypeError} For a non-string output, or an expected value JSON cannot hold (the message names its path:
 *   `` got `NaN` (number) at `$.score` ``).
 * @example
 * ```ts
 * jsonMatchScore('{"b": [1, 2], "a": "x"}', { a: 'x', b: [1, 2] }); // => 1
 * jsonMatchScore('{"a": "x", "extra": true}', { a: 'x' }, { partial: true }); // => 1
 * jsonMatchScore('{"a": "y"}', { a: 'x' }); // => 0
 * ```
 */
export function jsonMatchScore(output: string, expected: unknown, options?: JsonMatchOptions): number {
  _checkOptions('jsonMatchScore', options, JSON_MATCH_KEYS);
  _checkString('output', output);
  const codeFence = _boolOption('codeFence', options?.codeFence, false);
  const partial = _boolOption('partial', options?.partial, false);
  const bad = _notJson(expected, '$', new Set());
  if (bad !== undefined) throw new TypeError(`Expected \`expected\` to be ${JSON_VALUE}, got ${bad}`);
  return _jsonMatch(output, expected, codeFence, partial).value as number;
}

/**
 * Structured-output metric for `evaluate()`: {@link jsonMatchScore} of the output against `example.reference`,
 * the expected value itself (or JSON text with `parseReference: true`). On a miss, `details` says why: the
 * parser's `error`, or `mismatchAt`, the JSON path of the first difference (`$.items[2].price`). Kind `'binary'`.
 *
 * @param options - `codeFence`, `partial`, `parseReference`, `name`.
 * @returns A {@link Metric} named `json_match` unless renamed.
 * @throws {TypeError} At score time when the example has no reference, one JSON cannot hold (NaN, a Date, a
 *   bigint: see {@link jsonMatchScore}) or, with `parseReference`, one that is not valid JSON text, or when the
 *   output is not a string; the message names the example id (and the path in the reference).
 * @example
 * ```ts
 * jsonMatch().score({ example: { id: 'a', input: '', reference: { a: 1 } }, output: '{"a": 2}', signal });
 * // => { value: 0, details: { mismatchAt: '$.a' } }
 * ```
 */
export function jsonMatch(options: JsonMatchMetricOptions = {}): Metric {
  _checkOptions('jsonMatch', options, JSON_MATCH_METRIC_KEYS);
  const codeFence = _boolOption('codeFence', options.codeFence, false);
  const partial = _boolOption('partial', options.partial, false);
  const parseReference = _boolOption('parseReference', options.parseReference, false);
  const name = _metricName(options.name, 'json_match');
  return Object.freeze({
    name,
    kind: 'binary' as const,
    definition: builtinMetricDefinition('jsonMatch', { codeFence, partial, parseReference }),
    score(ctx: ScoreContext): MetricScore {
      const output = _outputString(ctx, name);
      let expected = ctx.example?.reference;
      if (expected === undefined)
        throw new TypeError(
          `Metric \`${name}\` expected \`example.reference\` of ${_exampleName(ctx)} to be a JSON value, got ${_describe(expected)}`,
        );
      if (parseReference) {
        const r = typeof expected === 'string' ? _parseJsonOutput(expected, false) : undefined;
        if (r === undefined || !r.ok)
          throw new TypeError(
            `Metric \`${name}\` expected \`example.reference\` of ${_exampleName(ctx)} to be JSON text, got ${_describe(expected)}`,
          );
        expected = r.value;
      } else {
        const bad = _notJson(expected, '$', new Set());
        if (bad !== undefined)
          throw new TypeError(
            `Metric \`${name}\` expected \`example.reference\` of ${_exampleName(ctx)} to be ${JSON_VALUE}, got ${bad}`,
          );
      }
      return _jsonMatch(output, expected, codeFence, partial);
    },
  });
}
