import { _describe } from '../_internal/describe.js';
import { _checkOptions } from '../_internal/validate.js';
import { builtinMetricDefinition } from '../core/metricDefinition.js';
import type { Metric, ScoreContext } from '../core/types.js';
import { _checkString, _metricName, _outputString } from './_internal/reference.js';

/** Options of {@link regexMatchScore}. */
export interface RegexMatchOptions {
  /** Require the whole output to match (the pattern is wrapped in `^(?:…)$`, and the `m` flag dropped). @default false */
  readonly fullMatch?: boolean;
}

/** Options of the {@link regexMatch} metric factory. */
export interface RegexMatchMetricOptions extends RegexMatchOptions {
  /** Metric name in results. @default 'regex_match' */
  readonly name?: string;
}

const REGEX_MATCH_KEY_SET = { fullMatch: true } satisfies Record<keyof RegexMatchOptions, true>;
const REGEX_MATCH_KEYS = Object.keys(REGEX_MATCH_KEY_SET);
const REGEX_MATCH_METRIC_KEYS = Object.keys({ ...REGEX_MATCH_KEY_SET, name: true } satisfies Record<
  keyof RegexMatchMetricOptions,
  true
>);

/** Compiles the pattern once, without the stateful `g` / `y` flags (so `test` has no `lastIndex` memory). */
function _compile(pattern: unknown, fullMatch: unknown): RegExp {
  if (fullMatch !== undefined && typeof fullMatch !== 'boolean')
    throw new TypeError(`Expected \`fullMatch\` to be a boolean, got ${_describe(fullMatch)}`);
  let source: string;
  let flags: string;
  if (pattern instanceof RegExp) {
    source = pattern.source;
    flags = pattern.flags.replace(/[gy]/g, '');
  } else if (typeof pattern === 'string') {
    source = pattern;
    flags = 'u';
  } else throw new TypeError(`Expected \`pattern\` to be a RegExp or a string, got ${_describe(pattern)}`);
  if (fullMatch === true) {
    source = `^(?:${source})$`;
    flags = flags.replace('m', '');
  }
  try {
    return new RegExp(source, flags);
  } catch (err) {
    throw new TypeError(`Expected \`pattern\` to be a valid regular expression, got ${_describe(pattern)}`, {
      cause: err,
    });
  }
}

/**
 * Whether the output matches a regular expression.
 *
 * A string pattern is compiled with the `u` flag; a RegExp keeps its flags except `g` / `y`, which would make
 * repeated tests depend on `lastIndex`. Pure counterpart of the {@link regexMatch} metric factory.
 *
 * @param output - System output.
 * @param pattern - A RegExp or its source.
 * @param options - `fullMatch` (default `false`).
 * @returns `1` or `0`.
 * @throws {TypeError} For a non-string output or an invalid pattern.
 * @example
 * ```ts
 * regexMatchScore('Answer: 42', /\d+/); // => 1
 * regexMatchScore('Answer: 42', '\\d+', { fullMatch: true }); // => 0
 * ```
 */
export function regexMatchScore(
  output: string,
  pattern: RegExp | string,
  options?: RegexMatchOptions,
): number {
  _checkOptions('regexMatchScore', options, REGEX_MATCH_KEYS);
  _checkString('output', output);
  return _compile(pattern, options?.fullMatch).test(output) ? 1 : 0;
}

/**
 * Regex metric for `evaluate()`: 1 when the output matches `pattern` (a fixed pattern, e.g. an answer format;
 * `example.reference` is not read). Kind `'binary'`.
 *
 * @param pattern - A RegExp or its source (compiled with `u`).
 * @param options - `fullMatch` and `name`.
 * @returns A {@link Metric} named `regex_match` unless renamed.
 * @throws {TypeError} For an invalid pattern (at creation) or a non-string output (at score time).
 * @example
 * ```ts
 * regexMatch(/^Answer: [A-D]$/).score({ example: { id: 'a', input: '' }, output: 'Answer: C', signal }); // => 1
 * ```
 */
export function regexMatch(pattern: RegExp | string, options: RegexMatchMetricOptions = {}): Metric {
  _checkOptions('regexMatch', options, REGEX_MATCH_METRIC_KEYS);
  const re = _compile(pattern, options.fullMatch);
  const name = _metricName(options.name, 'regex_match');
  return Object.freeze({
    name,
    kind: 'binary' as const,
    // The compiled pattern: `fullMatch` anchors it, and a string pattern gets the `u` flag.
    definition: builtinMetricDefinition('regexMatch', { pattern: String(re) }),
    score(ctx: ScoreContext): number {
      return re.test(_outputString(ctx, name)) ? 1 : 0;
    },
  });
}
