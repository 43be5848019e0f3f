import * as vitest from 'vitest';
import { _describe } from '../_internal/describe.js';
import { stoppedReason } from '../result/assertResult.js';
import type { Comparison, SegmentComparison } from '../result/Comparison.js';
import type { EvalResult, GateResult, MetricSummary, RunTotals } from '../result/EvalResult.js';
import { onRunStarting } from '../run/runObservers.js';

/** What the reporter learns about one result: its summaries and totals, not its example records. */
export interface RecordedResult {
  readonly kind: 'result';
  /** The name given to `recordEval()`, else absent (the reporter shows the test's name). */
  readonly name?: string;
  readonly n: number;
  readonly nFailed: number;
  readonly metrics: Readonly<Record<string, MetricSummary>>;
  readonly totals: RunTotals;
  readonly durationMs: number;
  /** A gated run's decision (the reporter shows it in place of the gated metric's bootstrap interval). */
  readonly gate?: GateResult;
  /** Why the run holds part of its dataset (`stopped by budget after 40 of 100 rows`), when it does. */
  readonly partial?: string;
}

/** What a test's runs spent: one entry per `evaluate()` that finished while the test ran, recorded or not. */
export interface RecordedRun {
  readonly requests: number;
  readonly costUsd: number;
  readonly unpricedCalls: number;
  readonly cacheHits: number;
  readonly cacheMisses: number;
  readonly failedRows: number;
}

/** What the reporter learns about one comparison: every metric's comparison. */
export interface RecordedComparison {
  readonly kind: 'comparison';
  readonly name?: string;
  readonly alpha: number;
  readonly adjustment: Comparison['adjustment'];
  readonly nPaired: number;
  readonly margin?: number;
  readonly metrics: Comparison['metrics'];
  /** The per-segment cells, when the compared runs had segments. */
  readonly segments?: readonly SegmentComparison[];
  /** Why a compared run holds part of its dataset, when one does (the comparison's `partial`). */
  readonly partial?: string;
  /** Paired rows failed in one run only, when any (the comparison's `failedOnOneSide`): no metric compares them. */
  readonly failedOnOneSide?: NonNullable<Comparison['failedOnOneSide']>;
}

/** One entry of `task.meta.evalgate`. */
export type RecordedEval = RecordedResult | RecordedComparison;

declare module 'vitest' {
  interface TaskMeta {
    /** Results and comparisons checked in this test, for evalgate's reporter. */
    evalgate?: RecordedEval[];
    /** What every run made in this test spent, for the reporter's footer. */
    evalgateRuns?: RecordedRun[];
    /** The attempt (vitest's `retryCount`) whose checks `evalgate` holds: a retry replaces a failed attempt's. */
    evalgateAttempt?: number;
  }
}

/** The part of a vitest test task this module touches. */
interface _Task {
  readonly type: string;
  /** Set on tests that run at once with others (`test.concurrent`, `describe.concurrent`, `sequence.concurrent`). */
  readonly concurrent?: boolean;
  /** The test file's task, whose meta reaches the reporter when the whole file has run. */
  readonly file?: { meta: { evalgateRuns?: RecordedRun[] } };
  /** The test's context; vitest >= 3 aborts its `signal` when the test times out or the run is cancelled. */
  readonly context?: { readonly signal?: AbortSignal };
  readonly result?: { readonly retryCount?: number };
  meta: { evalgate?: RecordedEval[]; evalgateRuns?: RecordedRun[]; evalgateAttempt?: number };
}

type _GetCurrentTest = () => _Task | undefined;

// vitest >= 4.1 exposes the running test as `TestRunner.getCurrentTest()` (and deprecates `vitest/suite`);
// vitest 3 only through `vitest/suite`.
const _getCurrentTest: _GetCurrentTest =
  (vitest as { TestRunner?: { getCurrentTest?: _GetCurrentTest } }).TestRunner?.getCurrentTest ??
  ((await import('vitest/suite')) as unknown as { getCurrentTest: _GetCurrentTest }).getCurrentTest;

const _recorded = new WeakMap<object, { readonly attempt: number; readonly seen: WeakSet<object> }>();

function _summarize(value: EvalResult | Comparison, name: string | undefined): RecordedEval {
  const named = name === undefined ? {} : { name };
  if ((value as Comparison).kind === 'evalgate-comparison') {
    const c = value as Comparison;
    return {
      kind: 'comparison',
      ...named,
      alpha: c.alpha,
      adjustment: c.adjustment,
      nPaired: c.nPaired,
      ...(c.margin === undefined ? {} : { margin: c.margin }),
      metrics: c.metrics,
      ...(c.segments === undefined ? {} : { segments: c.segments }),
      ...(c.partial === undefined ? {} : { partial: c.partial }),
      ...(c.failedOnOneSide === undefined ? {} : { failedOnOneSide: c.failedOnOneSide }),
    };
  }
  const r = value as EvalResult;
  const partial = r.run === undefined ? undefined : stoppedReason(r);
  return {
    kind: 'result',
    ...named,
    n: r.n,
    nFailed: r.nFailed,
    metrics: r.metrics,
    totals: r.totals,
    durationMs: r.run?.durationMs ?? 0,
    ...(r.gate === undefined ? {} : { gate: r.gate }),
    ...(partial === undefined ? {} : { partial }),
  };
}

/**
 * Attaches a summary of `value` to `task.meta.evalgate` (once per object and task). Vitest serializes task
 * meta from the worker to the main process, which is how the reporter sees evals run in any worker.
 * @internal
 */
export function _recordOnTask(task: _Task | undefined, value: EvalResult | Comparison, name?: string): void {
  if (task?.type !== 'test') return;
  // A retried test runs again on the same task: what a failed attempt checked is not what the test passed on.
  const attempt = task.result?.retryCount ?? 0;
  let recorded = _recorded.get(task);
  if (recorded?.attempt !== attempt) {
    recorded = { attempt, seen: new WeakSet() };
    _recorded.set(task, recorded);
    if (task.meta.evalgateAttempt !== attempt) task.meta.evalgate = [];
    task.meta.evalgateAttempt = attempt;
  }
  if (recorded.seen.has(value)) return;
  recorded.seen.add(value);
  task.meta.evalgate = [...(task.meta.evalgate ?? []), _summarize(value, name)];
}

/** Adds what run `r` spent to the running test's meta (nothing outside a test). @internal */
export function _recordRunOnTask(task: _Task | undefined, r: EvalResult): void {
  if (task?.type === 'test') _addRun(task.meta, r);
}

/** Appends what run `r` spent to a task's meta (a test's, or a file's for a concurrent test's run). */
function _addRun(meta: { evalgateRuns?: RecordedRun[] }, r: EvalResult): void {
  const t = r.totals;
  const run: RecordedRun = {
    requests: t.requests,
    costUsd: t.costUsd,
    unpricedCalls: t.unpricedCalls ?? 0,
    cacheHits: t.cacheHits,
    cacheMisses: t.cacheMisses,
    failedRows: r.nFailed,
  };
  meta.evalgateRuns = [...(meta.evalgateRuns ?? []), run];
}

// Every run a test makes counts in the reporter's footer, whether or not the test records its result: on the test
// it started in, taken as it starts. In a concurrent test vitest's current test may be another one (every run of
// two concurrent tests started "in" the last one), which may end before this run does, and what is written on a
// test after it ended never reaches the reporter: one of two concurrent runs of 7 requests each was dropped. There
// the run counts on the test's file, whose meta the reporter gets once the whole file has run.
// A run started in a test also stops with it: once vitest has failed a test on its timeout, nothing it started may
// keep sending calls (and paying) under the tests that follow. Not in a concurrent test, whose signal is passed by
// the user.
onRunStarting(() => {
  const test = _currentTest();
  if (test?.type !== 'test') return { finished: (r) => _recordRunOnTask(_currentTest(), r) };
  if (test.concurrent === true) {
    const meta = test.file?.meta;
    return { finished: (r) => (meta === undefined ? undefined : _addRun(meta, r)) };
  }
  const signal = test.context?.signal;
  return { ...(signal === undefined ? {} : { signal }), finished: (r) => _recordRunOnTask(test, r) };
});

/** The test running now, if any (none in `beforeAll` / `afterAll` hooks or outside vitest). @internal */
export function _currentTest(): _Task | undefined {
  return _getCurrentTest();
}

/**
 * Records a result (or a comparison) for evalgate's vitest reporter, which prints every recorded eval in
 * one table at the end of the run and writes them to its JSON summary.
 *
 * The evalgate matchers record what they check on their own; call this for results you want in the report
 * without asserting on them. Only summaries travel (metric estimates and intervals, counts, cost, cache
 * use), never example records, so the cost is the same for 10 or 100,000 examples. Call it inside a test:
 * hooks have no test to attach to, and the call is then a no-op. Recording the same object twice in one
 * test records it once.
 *
 * In a concurrent test (`test.concurrent`, `describe.concurrent`), pass the test's context: vitest's current test
 * is then whichever test started last, so without it the record could land on another test, and the call throws.
 *
 * @param value - A result from `evaluate()` / `loadResult()`, or a comparison from `compare()`.
 * @param name - Label in the report. @default the test's name
 * @param context - The test's context (the test function's first argument), which names the test to record on.
 *   Required in concurrent tests. @default vitest's current test
 * @throws {TypeError} when `value` is neither, `name` is not a string, `context` has no test, or a concurrent test
 *   calls it without its context.
 * @returns `value`, so the call can wrap an expression.
 * @example
 * ```ts
 * import { recordEval } from 'evalgate/vitest';
 * test('qa', async () => {
 *   const result = recordEval(await evaluate(dataset, model, [exactMatch()]), 'qa (gpt-4o-mini)');
 * });
 * test.concurrent('qa, another model', async (context) => {
 *   recordEval(await evaluate(dataset, otherModel, [exactMatch()]), 'qa (other)', context);
 * });
 * ```
 */
export function recordEval<T extends EvalResult | Comparison>(
  value: T,
  name?: string,
  context?: { readonly task: object },
): T {
  const v = value as Partial<EvalResult & Comparison> | null;
  const isResult = v !== null && typeof v === 'object' && typeof v.schemaVersion === 'number';
  const isComparison = v !== null && typeof v === 'object' && v.kind === 'evalgate-comparison';
  if ((!isResult && !isComparison) || typeof v?.metrics !== 'object' || v.metrics === null)
    throw new TypeError(
      `Expected \`value\` to be an evalgate result or comparison (from evaluate(), loadResult() or compare()), got ${_describe(value)}`,
    );
  if (name !== undefined && typeof name !== 'string')
    throw new TypeError(`Expected \`name\` to be a string, got ${_describe(name)}`);
  if (context !== undefined) {
    const task = (context as { task?: _Task } | null)?.task;
    if (task === null || typeof task !== 'object' || task.type !== 'test')
      throw new TypeError(
        `Expected \`context\` to be the test's context (the test function's first argument), got ${_describe(context)}`,
      );
    _recordOnTask(task, value, name);
    return value;
  }
  const current = _currentTest();
  if (current?.concurrent === true)
    throw new TypeError(
      "recordEval() was called in a concurrent test without the test's context: vitest's current test is whichever started last, so the record could land on another test. Pass the context: test.concurrent('…', async (context) => { recordEval(result, name, context) })",
    );
  _recordOnTask(current, value, name);
  return value;
}
