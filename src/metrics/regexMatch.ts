import { createContext, Script } from 'node:vm';
import { _describe } from '../_internal/describe.js';
import { _checkNumberInRange, _checkOptions } from '../_internal/validate.js';
import { builtinMetricDefinition } from '../core/metricDefinition.js';
import type { Metric, ScoreContext } from '../core/types.js';
import { TimeoutError } from '../errors.js';
import { _checkString, _exampleName, _metricName, _outputString } from './_internal/reference.js';

/** Options of {@link regexMatchScore}. */
export interface RegexMatchOptions {
  /** Require the whole output to match (the pattern is wrapped in `^(?:…)$`, and the `m` flag dropped). @default false */
  readonly fullMatch?: boolean;
  /**
   * Longest time one match may take, in milliseconds, before it is given up with a {@link TimeoutError}
   * (`code: 'E_TIMEOUT'`). JavaScript's backtracking engine runs some patterns in exponential time — nested
   * quantifiers such as `/^(a+)+$/` on `'aaaa…a!'`: 40 characters would take hours — and a match cannot be
   * interrupted from outside: neither `metricTimeoutMs` nor an abort ends it, so one such output held the run
   * forever. The match runs under `node:vm`'s timeout instead, which costs about 0.1 ms a match; `Infinity`
   * (or a value past 2^32 - 1 ms) matches without the guard. The time is wall-clock time, a garbage-collection
   * pause included, so a limit of a few milliseconds can give up an ordinary match: keep it well above the
   * slowest match you expect. A fraction is rounded up to whole milliseconds. Minimum: above `0`.
   * @default 1000
   */
  readonly timeoutMs?: number;
}

/** Options of the {@link regexMatch} metric factory. */
export interface RegexMatchMetricOptions extends RegexMatchOptions {
  /** Metric name in results. @default 'regex_match' */
  readonly name?: string;
}

const REGEX_MATCH_KEY_SET = { fullMatch: true, timeoutMs: true } satisfies Record<
  keyof RegexMatchOptions,
  true
>;
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

const DEFAULT_TIMEOUT_MS = 1000;
/** The largest timeout `node:vm` takes (a uint32); longer is not timed. */
const VM_MAX_TIMEOUT_MS = 2 ** 32 - 1;

/** The timeout handed to `node:vm`, or `undefined` for no guard. */
function _timeout(value: unknown): number | undefined {
  if (value === undefined) return DEFAULT_TIMEOUT_MS;
  const ms = _checkNumberInRange('timeoutMs', value, 0, Number.POSITIVE_INFINITY, '(]');
  return ms > VM_MAX_TIMEOUT_MS ? undefined : Math.ceil(ms);
}

// One context for every guarded match; `re` and `s` are set just before and cleared just after it.
let sandbox: { re: RegExp | undefined; s: string | undefined } | undefined;
const TEST = new Script('re.test(s)');

/**
 * `re.test(s)`, given up after `timeoutMs`. V8 checks for termination inside a running match, so `node:vm`'s
 * timeout ends even a catastrophically backtracking one; nothing else can, a match being synchronous.
 * @throws {TimeoutError} Past the timeout; the message names the pattern, the text's length, and `where`.
 */
function _test(
  re: RegExp,
  s: string,
  timeoutMs: number | undefined,
  where: string,
  exampleId?: string,
): boolean {
  if (timeoutMs === undefined) return re.test(s);
  sandbox ??= createContext({ re: undefined, s: undefined }) as NonNullable<typeof sandbox>;
  sandbox.re = re;
  sandbox.s = s;
  try {
    return TEST.runInContext(sandbox, { timeout: timeoutMs }) === true;
  } catch (err) {
    if ((err as { code?: unknown } | null)?.code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw err;
    throw new TimeoutError(
      `${where}: matching ${String(re)} took longer than \`timeoutMs\` (${timeoutMs} ms) on ${s.length} UTF-16 units and was given up; the pattern backtracks catastrophically there (nested quantifiers such as (a+)+ do): rewrite it, or raise \`timeoutMs\``,
      timeoutMs,
      exampleId === undefined ? {} : { exampleId },
    );
  } finally {
    // A long output is not kept alive by the shared context.
    sandbox.re = undefined;
    sandbox.s = undefined;
  }
}

/**
 * Whether the output matches a regular expression.
 *
 * A string pattern is compiled with the `u` flag; a RegExp keeps its flags except `g` / `y`, which would make
 * repeated tests depend on `lastIndex`. The match is given up after `timeoutMs` (1 s by default) with a
 * {@link TimeoutError}, so a pattern that backtracks catastrophically on some output cannot hang the caller (see
 * {@link RegexMatchOptions.timeoutMs}). Pure counterpart of the {@link regexMatch} metric factory.
 *
 * @param output - System output.
 * @param pattern - A RegExp or its source.
 * @param options - `fullMatch` (default `false`), `timeoutMs` (default `1000`).
 * @returns `1` or `0`.
 * @throws {TypeError} For a non-string output or an invalid pattern; {@link RangeError} for a `timeoutMs` not
 *   above 0; {@link TimeoutError} when the match takes longer than `timeoutMs`.
 * @example
 * ```ts
 * regexMatchScore('Answer: 42', /\d+/); // => 1
 * regexMatchScore('Answer: 42', '\\d+', { fullMatch: true }); // => 0
 * regexMatchScore(`${'a'.repeat(40)}!`, /^(a+)+$/, { timeoutMs: 50 });
 * // throws TimeoutError: regexMatchScore: matching /^(a+)+$/ took longer than `timeoutMs` (50 ms) on 41 UTF-16 units …
 * ```
 */
export function regexMatchScore(
  output: string,
  pattern: RegExp | string,
  options?: RegexMatchOptions,
): number {
  _checkOptions('regexMatchScore', options, REGEX_MATCH_KEYS);
  _checkString('output', output);
  const re = _compile(pattern, options?.fullMatch);
  return _test(re, output, _timeout(options?.timeoutMs), 'regexMatchScore') ? 1 : 0;
}

/**
 * Regex metric for `evaluate()`: 1 when the output matches `pattern` (a fixed pattern, e.g. an answer format;
 * `example.reference` is not read). Kind `'binary'`.
 *
 * A match that takes longer than `timeoutMs` (1 s by default) is given up: that row's score throws a
 * {@link TimeoutError} naming the example (recorded in the row's `details`, the score missing), and the run goes
 * on. Without it, a pattern that backtracks catastrophically on one output held the whole run forever.
 *
 * @param pattern - A RegExp or its source (compiled with `u`).
 * @param options - `fullMatch`, `timeoutMs` (see {@link RegexMatchOptions.timeoutMs}) and `name`.
 * @returns A {@link Metric} named `regex_match` unless renamed.
 * @throws {TypeError} For an invalid pattern (at creation) or a non-string output (at score time);
 *   {@link RangeError} for a `timeoutMs` not above 0 (at creation); {@link TimeoutError} at score time, for a
 *   match over `timeoutMs`.
 * @example
 * ```ts
 * regexMatch(/^Answer: [A-D]$/).score({ example: { id: 'a', input: '' }, output: 'Answer: C', signal }); // => 1
 * ```
 */
export function regexMatch(pattern: RegExp | string, options: RegexMatchMetricOptions = {}): Metric {
  _checkOptions('regexMatch', options, REGEX_MATCH_METRIC_KEYS);
  const re = _compile(pattern, options.fullMatch);
  const timeoutMs = _timeout(options.timeoutMs);
  const name = _metricName(options.name, 'regex_match');
  return Object.freeze({
    name,
    kind: 'binary' as const,
    // The compiled pattern: `fullMatch` anchors it, and a string pattern gets the `u` flag.
    definition: builtinMetricDefinition('regexMatch', { pattern: String(re) }),
    score(ctx: ScoreContext): number {
      const output = _outputString(ctx, name);
      const where = `Metric \`${name}\` on the output of ${_exampleName(ctx)}`;
      return _test(re, output, timeoutMs, where, ctx.example?.id) ? 1 : 0;
    },
  });
}
