/**
 * evalgate's vitest reporter: one table of every eval the run checked, and a JSON summary for CI.
 * @module
 */
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import type { Reporter, TestModule, Vitest } from 'vitest/node';
import { _describe } from '../_internal/describe.js';
import { _checkOptionsObject } from '../_internal/validate.js';
import {
  _formatSummary,
  _markdownOf,
  type EvalgateSummary,
  type EvalgateSummaryEntry,
} from './EvalgateSummary.js';
import type { RecordedRun } from './recordEval.js';

export type { EvalgateSummary, EvalgateSummaryEntry } from './EvalgateSummary.js';

/** Options of {@link EvalgateReporter}. */
export interface EvalgateReporterOptions {
  /**
   * Write the JSON summary (every recorded eval with its test, file and state, plus run totals) to this
   * path, relative to the working directory. Parent directories are created.
   * @default no file
   */
  readonly outputFile?: string;
  /**
   * Print the summary table when the run ends (nothing is printed when no test recorded an eval).
   * @default true
   */
  readonly print?: boolean;
  /**
   * When the `GITHUB_STEP_SUMMARY` environment variable names a file (GitHub Actions sets it for every step),
   * append the Markdown summary ({@link markdownSummary}: estimates, differences, segment regressions) to it,
   * so it shows on the run's summary page. Nothing is written when no test recorded an eval.
   * @default true
   */
  readonly stepSummary?: boolean;
}

/** Gathers `task.meta.evalgate` (and what each test's runs spent) from every test, in file and test order. */
function _collectEvals(
  testModules: ReadonlyArray<TestModule>,
  root: string,
): { entries: EvalgateSummaryEntry[]; spend: RecordedRun[] } {
  const entries: EvalgateSummaryEntry[] = [];
  const spend: RecordedRun[] = [];
  const modules = [...testModules].sort((a, b) => a.moduleId.localeCompare(b.moduleId));
  for (const testModule of modules) {
    const file = relative(root, testModule.moduleId).split('\\').join('/');
    // Runs of concurrent tests count on their file (see recordEval.ts).
    const fileRuns = testModule.meta().evalgateRuns;
    if (fileRuns !== undefined) spend.push(...fileRuns);
    for (const testCase of testModule.children.allTests()) {
      const meta = testCase.meta();
      // Checks of an attempt a retry replaced (the test then recorded nothing) are not the test's.
      const superseded = (meta.evalgateAttempt ?? 0) !== (testCase.diagnostic()?.retryCount ?? 0);
      const recorded = superseded ? [] : (meta.evalgate ?? []);
      if (meta.evalgateRuns !== undefined) spend.push(...meta.evalgateRuns);
      else
        for (const r of recorded)
          if (r.kind === 'result')
            spend.push({
              requests: r.totals.requests,
              costUsd: r.totals.costUsd,
              unpricedCalls: r.totals.unpricedCalls ?? 0,
              cacheHits: r.totals.cacheHits,
              cacheMisses: r.totals.cacheMisses,
              failedRows: r.nFailed,
            });
      if (recorded.length === 0) continue;
      const state = testCase.result().state;
      for (const r of recorded) entries.push({ test: testCase.fullName, file, state, ...r });
    }
  }
  return { entries, spend };
}

/** Builds the JSON summary document from the collected entries. */
function _summarize(
  entries: readonly EvalgateSummaryEntry[],
  reason: EvalgateSummary['reason'],
  spend: readonly RecordedRun[],
): EvalgateSummary {
  const totals = {
    results: 0,
    comparisons: 0,
    requests: 0,
    costUsd: 0,
    unpricedCalls: 0,
    cacheHits: 0,
    cacheMisses: 0,
    failedRows: 0,
  };
  for (const e of entries) {
    if (e.kind === 'comparison') totals.comparisons++;
    else totals.results++;
  }
  for (const s of spend) {
    totals.requests += s.requests;
    totals.costUsd += s.costUsd;
    totals.unpricedCalls += s.unpricedCalls;
    totals.cacheHits += s.cacheHits;
    totals.cacheMisses += s.cacheMisses;
    totals.failedRows += s.failedRows;
  }
  const { unpricedCalls, ...priced } = totals;
  return {
    kind: 'evalgate-vitest-summary',
    schemaVersion: 1,
    reason,
    evals: entries,
    totals: unpricedCalls > 0 ? totals : priced,
  };
}

/**
 * A vitest reporter that prints one summary table of every eval the run checked (metric, estimate, CI,
 * n, failures, cost and cache hits; for comparisons the difference, its CI, the test, p-value, effect size
 * and verdicts) and, with `outputFile`, writes the same as JSON for CI. Under GitHub Actions it appends the
 * Markdown summary to `$GITHUB_STEP_SUMMARY` (see `stepSummary`).
 *
 * The evalgate matchers and `recordEval()` attach summaries to the running test's `task.meta`, which vitest
 * sends from the worker threads or processes to the main process; the reporter reads them when the run ends
 * (`onTestRunEnd`, vitest >= 3). Add it next to a default reporter, which keeps printing test results.
 *
 * @param options - See {@link EvalgateReporterOptions}.
 * @throws {TypeError} when an option has the wrong type.
 * @example
 * ```ts
 * // vitest.config.ts
 * import { defineConfig } from 'vitest/config';
 * import { EvalgateReporter } from 'evalgate/vitest/reporter';
 * export default defineConfig({
 *   test: { reporters: ['default', new EvalgateReporter({ outputFile: 'evalgate-summary.json' })] },
 * });
 * // or on the command line: vitest run --reporter=default --reporter=evalgate/vitest/reporter
 * ```
 */
export class EvalgateReporter implements Reporter {
  readonly #options: EvalgateReporterOptions;
  #vitest: Vitest | undefined;

  constructor(options: EvalgateReporterOptions = {}) {
    _checkOptionsObject('options', options);
    if (
      options.outputFile !== undefined &&
      (typeof options.outputFile !== 'string' || options.outputFile === '')
    )
      throw new TypeError(`Expected \`outputFile\` to be a file path, got ${_describe(options.outputFile)}`);
    if (options.print !== undefined && typeof options.print !== 'boolean')
      throw new TypeError(`Expected \`print\` to be a boolean, got ${_describe(options.print)}`);
    if (options.stepSummary !== undefined && typeof options.stepSummary !== 'boolean')
      throw new TypeError(`Expected \`stepSummary\` to be a boolean, got ${_describe(options.stepSummary)}`);
    this.#options = options;
  }

  onInit(vitest: Vitest): void {
    this.#vitest = vitest;
  }

  async onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    _unhandledErrors: ReadonlyArray<unknown>,
    reason: EvalgateSummary['reason'],
  ): Promise<void> {
    const root = this.#vitest?.config.root ?? process.cwd();
    const { entries, spend } = _collectEvals(testModules, root);
    const summary = _summarize(entries, reason, spend);
    if (this.#options.outputFile !== undefined) {
      const path = resolve(process.cwd(), this.#options.outputFile);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, `${JSON.stringify(summary, null, 2)}\n`, 'utf8');
    }
    const stepSummary = process.env.GITHUB_STEP_SUMMARY;
    if ((this.#options.stepSummary ?? true) && stepSummary && summary.evals.length > 0)
      await appendFile(stepSummary, `${_markdownOf(summary)}\n`, 'utf8');
    if ((this.#options.print ?? true) && summary.evals.length > 0) {
      const text = `\n${_formatSummary(summary)}\n`;
      if (this.#vitest) this.#vitest.logger.log(text);
      else process.stdout.write(`${text}\n`);
    }
  }
}

// vitest loads reporters named by a module path (`--reporter=evalgate/vitest/reporter`) from the module's
// default export, so this one module has one.
export default EvalgateReporter;
