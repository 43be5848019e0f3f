import { _describe } from '../_internal/describe.js';
import { _checkBoolean, _checkOptions } from '../_internal/validate.js';
import { builtinMetricDefinition } from '../core/metricDefinition.js';
import type { Metric, MetricScore, ScoreContext } from '../core/types.js';
import {
  _AGENT_METRIC_KEY_SET,
  _agentOptions,
  _asCall,
  _expectedGroups,
  _isOptionsObject,
  _isRecord,
  _missing,
  _modelToolCalls,
} from './_internal/common.js';
import type { AgentMetricOptions, ExpectedToolCall } from './types.js';

/** How arguments are compared. */
export interface ArgumentMatchOptions {
  /**
   * Compare strings after Unicode NFC normalization, lowercasing and removing whitespace and the characters
   * `, . / - _ * ^ ' "` (so "April 1, 2024" matches "april 1 2024", and a composed "é" its decomposed form);
   * `false` compares them exactly.
   * @default true
   */
  readonly normalizeStrings?: boolean;
  /**
   * Numbers match when `|actual − expected| <= numericTolerance · max(1, |expected|)`. Range: >= 0.
   * @default 0 (equal numbers; JSON does not tell 2 from 2.0)
   */
  readonly numericTolerance?: number;
  /** Arguments the expectation does not name are accepted; by default they fail the call. @default false */
  readonly allowExtraArguments?: boolean;
}

const ARGUMENT_MATCH_KEY_SET = {
  normalizeStrings: true,
  numericTolerance: true,
  allowExtraArguments: true,
} satisfies Record<keyof ArgumentMatchOptions, true>;
const ARGUMENT_MATCH_KEYS = Object.keys(ARGUMENT_MATCH_KEY_SET);

/** The verdict on one call's arguments: a match, or the first reason it is not one. */
export type ArgumentMatch = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const OK: ArgumentMatch = Object.freeze({ ok: true });

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

function normalized(s: string, on: boolean): string {
  // NFC first: a composed "é" and "e" + U+0301 render the same and must compare the same.
  return on
    ? s
        .normalize('NFC')
        .replace(/[\s,./\-_*^'"]/g, '')
        .toLowerCase()
    : s;
}

/** A `$`-spec (`$anyOf`, `$any`, `$optional`), or undefined for a plain expected value. */
function specOf(v: unknown): { anyOf?: readonly unknown[]; any: boolean; optional: boolean } | undefined {
  if (!_isRecord(v) || !('$anyOf' in v || '$any' in v || '$optional' in v)) return undefined;
  if (v.$anyOf !== undefined && !Array.isArray(v.$anyOf))
    throw new TypeError(
      `Expected \`$anyOf\` to be an array of acceptable values, got ${_describe(v.$anyOf)}`,
    );
  return {
    ...(Array.isArray(v.$anyOf) ? { anyOf: v.$anyOf } : {}),
    any: v.$any === true,
    optional: v.$optional === true,
  };
}

function valueMatches(
  actual: unknown,
  want: unknown,
  path: string,
  o: Required<ArgumentMatchOptions>,
): ArgumentMatch {
  const spec = specOf(want);
  if (spec !== undefined) {
    if (spec.any || spec.anyOf === undefined) return OK;
    for (const option of spec.anyOf) if (valueMatches(actual, option, path, o).ok) return OK;
    return {
      ok: false,
      reason: `${path}: expected one of ${JSON.stringify(spec.anyOf)}, got ${JSON.stringify(actual)}`,
    };
  }
  const fail = (why: string): ArgumentMatch => ({ ok: false, reason: `${path}: ${why}` });
  if (typeName(actual) !== typeName(want))
    return fail(`expected a ${typeName(want)}, got ${typeName(actual)} ${JSON.stringify(actual)}`);
  if (typeof want === 'string')
    return normalized(actual as string, o.normalizeStrings) === normalized(want, o.normalizeStrings)
      ? OK
      : fail(`expected ${JSON.stringify(want)}, got ${JSON.stringify(actual)}`);
  if (typeof want === 'number') {
    const a = actual as number;
    return Math.abs(a - want) <= o.numericTolerance * Math.max(1, Math.abs(want)) || a === want
      ? OK
      : fail(`expected ${want}, got ${a}`);
  }
  if (Array.isArray(want)) {
    const a = actual as unknown[];
    if (a.length !== want.length) return fail(`expected ${want.length} items, got ${a.length}`);
    for (let i = 0; i < want.length; i++) {
      const m = valueMatches(a[i], want[i], `${path}[${i}]`, o);
      if (!m.ok) return m;
    }
    return OK;
  }
  if (_isRecord(want)) return objectMatches(actual as Record<string, unknown>, want, path, o);
  return actual === want ? OK : fail(`expected ${JSON.stringify(want)}, got ${JSON.stringify(actual)}`);
}

function objectMatches(
  actual: Readonly<Record<string, unknown>>,
  want: Readonly<Record<string, unknown>>,
  path: string,
  o: Required<ArgumentMatchOptions>,
): ArgumentMatch {
  const at = (k: string) => (path === '' ? k : `${path}.${k}`);
  for (const [key, spec] of Object.entries(want)) {
    const optional = specOf(spec)?.optional === true;
    if (!Object.hasOwn(actual, key) || actual[key] === undefined) {
      if (optional) continue;
      return { ok: false, reason: `${at(key)}: missing` };
    }
    const m = valueMatches(actual[key], spec, at(key), o);
    // null for an optional parameter is its omission: OpenAI's strict mode makes every parameter required and
    // sends null for an optional one not given, which failed `$optional` expectations.
    if (!m.ok && !(optional && actual[key] === null)) return m;
  }
  if (!o.allowExtraArguments)
    for (const key of Object.keys(actual))
      if (!Object.hasOwn(want, key) && actual[key] !== null)
        return { ok: false, reason: `${at(key)}: unexpected argument` };
  return OK;
}

function resolveOptions(options: ArgumentMatchOptions | undefined): Required<ArgumentMatchOptions> {
  if (options !== undefined && !_isOptionsObject(options))
    throw new TypeError(`Expected \`options\` to be an options object, got ${_describe(options)}`);
  const tol = options?.numericTolerance ?? 0;
  if (typeof tol !== 'number' || !(tol >= 0) || !Number.isFinite(tol))
    throw new RangeError(`Expected \`numericTolerance\` to be a finite number >= 0, got ${_describe(tol)}`);
  return {
    normalizeStrings: _checkBoolean('normalizeStrings', options?.normalizeStrings, true),
    numericTolerance: tol,
    allowExtraArguments: _checkBoolean('allowExtraArguments', options?.allowExtraArguments, false),
  };
}

/**
 * A call's arguments as an object: JSON text (OpenAI's `function.arguments`, a model's own trajectory copying it)
 * read as the object it encodes, so a call matches alike whether its SDK gave text or an object (Anthropic's
 * `input`). Anything else as is: text that is no JSON object still fails as "expected an object".
 */
function argumentsObject(actual: unknown): unknown {
  if (typeof actual !== 'string' || !actual.trimStart().startsWith('{')) return actual;
  try {
    const parsed: unknown = JSON.parse(actual);
    return _isRecord(parsed) ? parsed : actual;
  } catch {
    return actual;
  }
}

/**
 * Whether one call's arguments are acceptable, type-aware in the spirit of the Berkeley Function Calling
 * Leaderboard's AST checker: every expected parameter must be passed (unless `$optional`), with a value of the
 * expected JSON type that equals the expected value or one of its `$anyOf` alternatives; arguments the
 * expectation does not name fail the call (unless `allowExtraArguments`). `null` where omission is allowed (an
 * `$optional` parameter, or one the expectation does not name) is an omission, as OpenAI's strict mode sends an
 * optional parameter not given.
 *
 * Values compare by JSON type first (the string `"18"` never matches the number `18`): strings after
 * normalization (see {@link ArgumentMatchOptions.normalizeStrings}), numbers within `numericTolerance`, booleans
 * and null exactly, arrays item by item in order, objects key by key with the same rules (and `$`-specs) inside.
 *
 * @param actual - The call's arguments: an object, or its JSON text (OpenAI's `function.arguments`), read as
 *   the object it encodes; other text fails (`arguments: expected an object`).
 * @param expected - The acceptable arguments by parameter (see {@link ExpectedToolCall}).
 * @param options - {@link ArgumentMatchOptions}.
 * @returns `{ ok: true }`, or `{ ok: false, reason }` naming the first parameter that failed.
 * @throws {TypeError | RangeError} On bad options or a `$anyOf` that is not an array.
 * @example
 * ```ts
 * matchToolArguments({ city: 'paris', unit: 'C' }, { city: { $anyOf: ['Paris', 'Paris, France'] }, unit: { $anyOf: ['C'], $optional: true } });
 * // => { ok: true }
 * matchToolArguments('{"unit":"C","city":"Paris"}', { city: 'Paris', unit: 'C' }); // OpenAI's text form
 * // => { ok: true }
 * matchToolArguments({ city: 'Paris', unit: null }, { city: 'Paris', unit: { $anyOf: ['C'], $optional: true } }); // strict mode
 * // => { ok: true }
 * matchToolArguments({ city: 'Paris', days: '3' }, { city: 'Paris', days: 3 });
 * // => { ok: false, reason: 'days: expected a number, got string "3"' }
 * ```
 */
export function matchToolArguments(
  actual: unknown,
  expected: Readonly<Record<string, unknown>>,
  options?: ArgumentMatchOptions,
): ArgumentMatch {
  _checkOptions('matchToolArguments', options, ARGUMENT_MATCH_KEYS);
  const o = resolveOptions(options);
  if (!_isRecord(expected))
    throw new TypeError(`Expected \`expected\` to be an object of arguments, got ${_describe(expected)}`);
  return objectMatchesTop(actual, expected, o);
}

/** The argument accuracy of a row's tool calls. */
export interface ToolArgumentsScore {
  /** Expected calls matched by a distinct actual call of the same tool with acceptable arguments. */
  readonly matched: number;
  readonly expected: number;
  /** `matched / expected` (1 when nothing is expected). */
  readonly score: number;
  /**
   * Why each unmatched expected call failed: the reason of the first call of its tool, or that none was made.
   */
  readonly failures: readonly string[];
}

/**
 * Argument accuracy of a set of tool calls: the share of expected calls matched one-to-one by actual calls of the
 * same tool whose arguments {@link matchToolArguments} accepts (a maximum bipartite matching, so order does not
 * matter and one actual call never satisfies two expected ones). An expected call given by name only accepts any
 * arguments. Extra actual calls are not penalized here (see {@link toolSelectionScore}).
 *
 * @param calls - The calls made: `{ name, arguments }`, arguments an object or its JSON text (OpenAI's form).
 * @param expected - The expected calls.
 * @param options - {@link ArgumentMatchOptions}.
 * @returns `{ matched, expected, score, failures }`.
 * @throws {TypeError | RangeError} On malformed calls or options.
 * @example
 * ```ts
 * toolArgumentsScore(
 *   [{ name: 'get_weather', arguments: { city: 'Paris' } }, { name: 'convert', arguments: { celsius: 18.2, to: 'F' } }, { name: 'get_weather', arguments: { city: 'Lyon' } }],
 *   [{ name: 'get_weather', arguments: { city: 'paris' } }, { name: 'convert', arguments: { celsius: 18, to: 'F' } }, { name: 'get_weather', arguments: { city: 'Oslo' } }],
 *   { numericTolerance: 0.05 },
 * );
 * // => { matched: 2, expected: 3, score: 0.6666666666666666, failures: ['get_weather #3: city: expected "Oslo", got "Paris"'] }
 * ```
 */
export function toolArgumentsScore(
  calls: readonly { readonly name: string; readonly arguments: unknown }[],
  expected: readonly (string | ExpectedToolCall)[],
  options?: ArgumentMatchOptions,
): ToolArgumentsScore {
  _checkOptions('toolArgumentsScore', options, ARGUMENT_MATCH_KEYS);
  const o = resolveOptions(options);
  if (!Array.isArray(calls))
    throw new TypeError(`Expected \`calls\` to be an array, got ${_describe(calls)}`);
  if (!Array.isArray(expected))
    throw new TypeError(`Expected \`expected\` to be an array, got ${_describe(expected)}`);
  const want = expected.map((c, i) => _asCall(c, `expected[${i}]`));
  // ok[i][j]: actual call j is acceptable for expected call i; reasons keep why not, for the report.
  const reasons: (string | undefined)[][] = want.map((w) =>
    calls.map((c) => {
      if (c.name !== w.name) return 'other tool';
      if (w.arguments === undefined) return undefined;
      const m = objectMatchesTop(c.arguments, w.arguments, o);
      return m.ok ? undefined : m.reason;
    }),
  );
  const owner = new Array<number>(calls.length).fill(-1);
  const augment = (i: number, seen: boolean[]): boolean => {
    for (let j = 0; j < calls.length; j++) {
      if (reasons[i]![j] !== undefined || seen[j]) continue;
      seen[j] = true;
      if (owner[j] === -1 || augment(owner[j]!, seen)) {
        owner[j] = i;
        return true;
      }
    }
    return false;
  };
  let matched = 0;
  for (let i = 0; i < want.length; i++)
    if (augment(i, new Array<boolean>(calls.length).fill(false))) matched++;
  const failures: string[] = [];
  want.forEach((w, i) => {
    if (owner.includes(i)) return;
    const near = reasons[i]!.find((r) => r !== undefined && r !== 'other tool');
    failures.push(
      `${w.name} #${i + 1}: ${near ?? (reasons[i]!.some((r) => r === undefined) ? 'its matching call served another expected call' : 'not called')}`,
    );
  });
  return Object.freeze({
    matched,
    expected: want.length,
    score: want.length === 0 ? 1 : matched / want.length,
    failures: Object.freeze(failures),
  });
}

function objectMatchesTop(
  actual: unknown,
  expected: Readonly<Record<string, unknown>>,
  o: Required<ArgumentMatchOptions>,
): ArgumentMatch {
  const args = argumentsObject(actual);
  if (!_isRecord(args)) return { ok: false, reason: `arguments: expected an object, got ${typeName(args)}` };
  return objectMatches(args, expected, '', o);
}

/** Options of {@link toolArguments}. */
export interface ToolArgumentsOptions extends AgentMetricOptions, ArgumentMatchOptions {
  /**
   * `'fraction'`: the share of expected calls matched (continuous); `'all'`: 1 when every expected call is
   * matched, else 0 (binary, the leaderboard's per-case verdict).
   * @default 'fraction'
   */
  readonly score?: 'fraction' | 'all';
}

const TOOL_ARGUMENTS_KEYS = Object.keys({
  ..._AGENT_METRIC_KEY_SET,
  ...ARGUMENT_MATCH_KEY_SET,
  score: true,
} satisfies Record<keyof ToolArgumentsOptions, true>);

/**
 * Tool-call argument accuracy of an agent: {@link toolArgumentsScore} of the tool calls its model calls asked for
 * (from `ctx.trajectory`, arguments parsed from JSON) against `reference.toolCalls` (groups flattened; names
 * without arguments accept any arguments). A row without a trajectory, or whose reference lists no tool call, is
 * missing. The metric's `definition` records the resolved `normalizeStrings`, `numericTolerance`,
 * `allowExtraArguments` and `score`, and whether `expected` is given (a function: present, not compared), so
 * `compare()` refuses a baseline scored with another tolerance.
 *
 * @param options - {@link ToolArgumentsOptions}.
 * @returns A {@link Metric} named `tool_arguments` unless renamed: continuous on [0, 1], or binary with
 *   `score: 'all'`; `details` carries `matched`, `expected` and `failures`.
 * @throws {TypeError | RangeError} On bad options.
 * @example
 * ```ts
 * const metric = toolArguments({ numericTolerance: 0.01 });
 * const result = await evaluate(dataset, agent, [metric], { trajectory: true });
 * result.metrics.tool_arguments.mean; // => 0.88
 * ```
 */
export function toolArguments(options?: ToolArgumentsOptions): Metric {
  _checkOptions('toolArguments', options, TOOL_ARGUMENTS_KEYS);
  const { name, expected } = _agentOptions(options, 'tool_arguments');
  const match = resolveOptions({
    ...(options?.normalizeStrings === undefined ? {} : { normalizeStrings: options.normalizeStrings }),
    ...(options?.numericTolerance === undefined ? {} : { numericTolerance: options.numericTolerance }),
    ...(options?.allowExtraArguments === undefined
      ? {}
      : { allowExtraArguments: options.allowExtraArguments }),
  });
  const mode = options?.score ?? 'fraction';
  if (mode !== 'fraction' && mode !== 'all')
    throw new TypeError(`Expected \`score\` to be 'fraction' | 'all', got ${_describe(mode)}`);
  return Object.freeze({
    name,
    kind: mode === 'all' ? ('binary' as const) : ('continuous' as const),
    bounds: [0, 1] as const,
    // The resolved matching rules and score, and where the reference is read (a function: present, not compared).
    definition: builtinMetricDefinition('toolArguments', {
      ...match,
      score: mode,
      expected: options?.expected,
    }),
    score(ctx: ScoreContext): MetricScore {
      if (ctx.trajectory === undefined) return _missing('no trajectory');
      const want = _expectedGroups(expected(ctx.example)?.toolCalls).flat();
      if (want.length === 0) return _missing('no expected tool calls');
      const s = toolArgumentsScore(_modelToolCalls(ctx.trajectory), want, match);
      return {
        value: mode === 'all' ? (s.matched === s.expected ? 1 : 0) : s.score,
        details: { matched: s.matched, expected: s.expected, failures: s.failures },
      };
    },
  });
}
