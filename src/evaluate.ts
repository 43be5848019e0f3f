import { _describe } from './_internal/describe.js';
import { activeScope } from './calls/callScope.js';
import { feedCluster } from './cluster/feedCluster.js';
import type { Dataset, Example, Metric, Model } from './core/types.js';
import { notesOfDataset } from './dataset/datasetNotes.js';
import { checkDataset } from './dataset/examples.js';
import { DatasetError, FailureRateExceededError, NestedRunError } from './errors.js';
import type { EvalResult } from './result/EvalResult.js';
import { assembleResult } from './run/assembleResult.js';
import { refuseCalibratedGate } from './run/calibrate.js';
import { feedRows } from './run/feedRows.js';
import { checkMetrics, type EvaluateOptions, resolveRunConfig } from './run/options.js';
import { Run } from './run/Run.js';
import { hostsOfStartingRun } from './run/runObservers.js';

export type {
  EvaluateOptions,
  GateOptions,
  PairedGate,
  Progress,
  SegmentBy,
  ThresholdGate,
} from './run/options.js';

/**
 * Runs every example of a dataset through a model, scores each output with every metric, and summarizes
 * each metric as an estimate with a confidence interval.
 *
 * Rows (examples × trials) stream through a queue with at most `concurrency` in flight (the dataset is read
 * lazily, so an async iterable of any length works). Every network call — the model's, a pipeline's inner calls
 * through a wrapped client (`wrapOpenAI`, `wrapAnthropic`, `wrapAISDKModel`) or `ctx.call`, judges, embeddings —
 * is one call through the run's call runtime, which owns per-attempt timeouts, retries with back-off, the
 * response cache and replay, rate limits and budgets; a row itself is never a call. A row whose model fails
 * after its retries is recorded with its error, counted in `nFailed`, and left out of every metric; a metric
 * that returns `NaN` / `{ value: null }`, throws, times out, returns a value outside its kind or bounds, or
 * returns no number at all (a boolean, a numeric string, a BigInt: refused with a warning, as a value outside its
 * bounds is) marks that score missing (`nMissing`), never 0.
 *
 * With `gate`, the examples run in a seeded random order and the run stops as soon as a time-uniform
 * confidence sequence on the gated metric decides (`result.gate`, `run.stoppedBy: 'decided'`): see
 * {@link EvaluateOptions.gate}.
 *
 * @param dataset - Examples: an array, iterable, async iterable or `loadJsonl(path)`.
 * @param model - The system under test: an async function (your own pipeline), `openaiModel()`, or
 *   `precomputedModel()`.
 * @param metrics - Scorers to apply to each output; names must be unique.
 * @param options - {@link EvaluateOptions}.
 * @returns The run's {@link EvalResult} (JSON-serializable, `schemaVersion: 1`).
 * @throws {TypeError | RangeError} On a bad argument, naming it and echoing the value.
 * @throws {DatasetError} On an empty dataset, a duplicate id, a malformed row or a source that fails; when rows had
 *   already run, they finish first and their partial result is attached as `error.result` (`run.stoppedBy: 'abort'`, a warning saying why).
 * @throws {FailureRateExceededError} When failed rows exceed `maxFailureRate` (the partial result is attached).
 * @throws {ReplayMissError} In cache replay mode, on the first call that has no cached response (or whose cache read
 *   fails: the message says so and `cause` is the store's error), or when a row finishes without any call through evalgate (nothing could be replayed).
 * @example
 * ```ts
 * const result = await evaluate(
 *   [{ input: '2+2', reference: '4' }, { input: '3+3', reference: '6' }],
 *   async (input) => (input === '2+2' ? '4' : '7'),
 *   [exactMatch()],
 * );
 * result.metrics.exact_match.mean; // => 0.5
 * ```
 */
export async function evaluate(
  dataset: Dataset,
  model: Model,
  metrics: readonly Metric[],
  options: EvaluateOptions = {},
): Promise<EvalResult> {
  if (activeScope() !== undefined)
    throw new NestedRunError(
      "evaluate() was called inside the model or a metric of another evaluate() run; a nested run would bypass the outer run's cache, rate limits, budget and totals, so it is refused before anything is sent. Call the inner pipeline directly (its wrapped clients use the outer run), or run the inner evaluation outside the outer one",
    );
  checkDataset(dataset);
  if (typeof model !== 'function')
    throw new TypeError(`Expected \`model\` to be a function, got ${_describe(model)}`);
  const metricList = checkMetrics(metrics);
  const resolved = resolveRunConfig(options, metricList);
  // The host the run starts in (the running vitest test): its signal (a test that timed out) stops the run as the
  // user's signal would, and it hears of the result, whichever test is current when the run ends.
  const hosts = hostsOfStartingRun();
  const signals = hosts.flatMap((h) => (h.signal === undefined ? [] : [h.signal]));
  const config =
    hosts.length === 0
      ? resolved
      : Object.freeze({
          ...resolved,
          hosts,
          signal:
            signals.length === 0
              ? resolved.signal
              : AbortSignal.any(resolved.signal === undefined ? signals : [resolved.signal, ...signals]),
        });
  if (config.gate !== undefined) {
    const gated = config.gate.metric;
    if (Array.isArray(dataset) && dataset.some((e) => (e as Example | null)?.labels?.[gated] !== undefined))
      refuseCalibratedGate(gated);
  }
  const planned = Array.isArray(dataset) ? dataset.length * config.trials : undefined;

  const run = await Run.open(model, metricList, config);
  if (planned !== undefined) run.planRows(planned);
  let datasetError: DatasetError | undefined;
  try {
    if (config.cluster === undefined) await feedRows(run, dataset);
    else await feedCluster(run, dataset, config.cluster);
  } catch (err) {
    // The dataset failed after rows had run: they finished, and their result goes with the error.
    if (!(err instanceof DatasetError) || run.datasetError !== err) throw err;
    datasetError = err;
  } finally {
    const closed = run.sink.close();
    // A call a pipeline left running is refused from now on, before anything is sent.
    run.runtime.close();
    run.finish();
    // Read after the dataset was: a wrapper (withLabels) reports on what it saw.
    run.noteDataset(notesOfDataset(dataset));
    await closed.catch((err) => run.stop('fatal', err));
  }
  if (run.fatal !== undefined) throw run.fatal;
  if (datasetError !== undefined) throw withPartialResult(datasetError, run, model, metricList, planned);
  return assembleResult(run, model, metricList, run.rowsIndexed ?? planned);
}

/** `err` with the partial result of the rows that ran attached as `err.result` (see DatasetError). */
function withPartialResult(
  err: DatasetError,
  run: Run,
  model: Model,
  metrics: readonly Metric[],
  planned: number | undefined,
): DatasetError {
  let result: EvalResult;
  try {
    result = assembleResult(run, model, metrics, run.rowsIndexed ?? planned);
  } catch (failed) {
    // More rows failed than maxFailureRate allows: the dataset error is still the reason the run ended.
    if (!(failed instanceof FailureRateExceededError)) throw failed;
    result = failed.result as EvalResult;
  }
  Object.defineProperty(err, 'result', { value: result, enumerable: false });
  return err;
}
