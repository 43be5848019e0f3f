import { _redactKnownSecrets } from '../_internal/redactSecrets.js';
/**
 * The result document of a finished run: metadata, config, summaries, records, totals and the warnings a reader
 * must see (refused scores, a cache nothing was routed through, the runtime's own), then the failure-rate check.
 * @module
 */
import type { Metric, Model } from '../core/types.js';
import { FailureRateExceededError } from '../errors.js';
import { gateChoseRows } from '../result/assertResult.js';
import { brokenScores } from '../result/brokenScores.js';
import { displayedResult } from '../result/documentDisplay.js';
import {
  type EvalResult,
  type GateResult,
  type MetricSummary,
  SCHEMA_VERSION,
  type ScoreTable,
} from '../result/EvalResult.js';
import { VERSION } from '../version.js';
import { _labelWarnings, _strayLabelWarnings, refuseCalibratedGate } from './calibrate.js';
import type { GateOptions } from './options.js';
import type { Run } from './Run.js';
import { recordedMetric } from './recordedMetric.js';
import type { _ScoreProblem } from './rowRunner.js';
import { _notifyRunFinished } from './runObservers.js';
import { _describeSegmentBy } from './segmentBy.js';
import { _metricWarnings, _summarizeMetrics, _summarizeSegments } from './summaries.js';

/** One line per (metric, problem): how many scores were refused, and the first example. */
function problemWarnings(problems: readonly _ScoreProblem[], metrics: readonly Metric[]): string[] {
  const groups = new Map<string, { first: _ScoreProblem; count: number }>();
  for (const p of problems) {
    const key = `${p.metric}\u0000${p.problem}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, { first: p, count: 1 });
    else g.count++;
  }
  return [...groups.values()].map(({ first, count }) => {
    const m = metrics.find((x) => x.name === first.metric);
    const more = count > 1 ? ` (and ${count - 1} more)` : '';
    const example = `example "${first.exampleId}"${more}`;
    if (first.problem === 'timeout')
      return `metric \`${first.metric}\` timed out on ${example}; those scores are missing`;
    if (first.problem === 'not-a-number')
      return `metric \`${first.metric}\` returned ${first.value} for ${example}, not a number; those scores are missing`;
    const range = m?.bounds ?? (m?.kind === 'binary' ? [0, 1] : undefined);
    const want =
      first.problem === 'non-finite'
        ? 'a finite number'
        : m?.kind === 'binary'
          ? '0 or 1 (a binary metric)'
          : `a number in [${range?.[0]}, ${range?.[1]}]`;
    return `metric \`${first.metric}\` returned ${first.value} for ${example}, not ${want}; those scores are missing`;
  });
}

/** A metric with more than this share of its scored-or-refused rows outside its bounds (or not numbers) is broken. */
export const _BROKEN_SHARE = 0.05;

/** Marks the summaries of metrics with more than 5% of their rows' scores clearly outside their bounds. */
function brokenMetrics(
  problems: readonly _ScoreProblem[],
  summaries: Readonly<Record<string, MetricSummary>>,
): { summaries: Record<string, MetricSummary>; names: string[] } {
  // A value that is no number at all (a boolean, a string) is as refused as one outside the bounds.
  const counts = new Map<string, { outOfBounds: number; notNumber: number }>();
  for (const p of problems) {
    if (p.problem !== 'out-of-range' && p.problem !== 'not-a-number') continue;
    const c = counts.get(p.metric) ?? { outOfBounds: 0, notNumber: 0 };
    if (p.problem === 'out-of-range') c.outOfBounds++;
    else c.notNumber++;
    counts.set(p.metric, c);
  }
  const out: Record<string, MetricSummary> = { ...summaries };
  const names: string[] = [];
  for (const [name, { outOfBounds, notNumber }] of counts) {
    const s = out[name];
    if (s === undefined) continue;
    const n = s.n + s.nMissing;
    if (n > 0 && outOfBounds + notNumber > _BROKEN_SHARE * n) {
      out[name] = { ...s, broken: { outOfBounds, ...(notNumber === 0 ? {} : { notNumber }), n } };
      names.push(name);
    }
  }
  return { summaries: out, names };
}

/** A gate refuses to decide on a broken metric: its decision is `'undecided'` and `refused` says why. */
function gateResult(gate: GateResult, summaries: Readonly<Record<string, MetricSummary>>): GateResult {
  const b = summaries[gate.metric]?.broken;
  if (b === undefined) return gate;
  return Object.freeze({
    ...gate,
    decision: 'undecided' as const,
    refused: `metric \`${gate.metric}\` is broken: ${brokenScores(b)}`,
  });
}

/** The gate as the config records it: its numbers, not the baseline's whole result. */
function gateConfig(gate: GateOptions): Record<string, unknown> {
  if ('baseline' in gate)
    return { metric: gate.metric, margin: gate.margin, baselineStartedAt: gate.baseline.run.startedAt };
  return 'atLeast' in gate
    ? { metric: gate.metric, atLeast: gate.atLeast }
    : { metric: gate.metric, atMost: gate.atMost };
}

/**
 * The warning of a run its gate stopped before the end: the other metrics' intervals (every metric's, after a
 * paired gate) are over rows the gate's data chose, so they are not valid at that stopping time.
 */
function earlyStopWarning(
  run: Run,
  metrics: readonly Metric[],
  n: number,
  planned: number | undefined,
  gate: GateResult | undefined,
): string | undefined {
  if (gate === undefined) return undefined;
  const stopped = {
    run: { stoppedBy: run.stoppedBy, ...(planned === undefined ? {} : { rowsPlanned: planned }) },
    n,
    gate,
  };
  const others = metrics.filter((m) => gateChoseRows(stopped, m.name)).map((m) => `\`${m.name}\``);
  if (others.length === 0) return undefined;
  const paired = gate.kind !== 'threshold';
  return `the run stopped when its ${paired ? 'paired gate' : `gate on \`${gate.metric}\``} decided, after ${n}${planned === undefined ? '' : ` of ${planned}`} rows: the intervals of ${others.join(', ')} are over rows the gate's data chose and are not valid at that stopping time (toHaveLowerBoundAtLeast does not certify them); gate on the metric you assert on, or run the whole dataset`;
}

/** Every warning a reader of the result must see: refused scores, labels, broken metrics, segments, cache, gate. */
function resultWarnings(
  run: Run,
  model: Model,
  metrics: readonly Metric[],
  table: ScoreTable,
  broken: { readonly summaries: Readonly<Record<string, MetricSummary>>; readonly names: readonly string[] },
): string[] {
  const config = run.config;
  const warnings = problemWarnings(run.problems, metrics);
  const failed = run.datasetError;
  if (failed !== undefined)
    warnings.unshift(
      `the run stopped when its dataset failed (${_redactKnownSecrets(failed.message)}): this result holds the ${table.ids.length} row${table.ids.length === 1 ? '' : 's'} that ran, not the whole dataset`,
    );
  for (const w of _labelWarnings(metrics, table)) warnings.push(w);
  for (const w of _strayLabelWarnings(run.columns.strayLabels(), metrics)) warnings.push(w);
  for (const w of run.datasetNotes) warnings.push(_redactKnownSecrets(w));
  for (const name of broken.names) {
    const b = broken.summaries[name]!.broken!;
    warnings.push(
      `metric \`${name}\` is broken: ${brokenScores(b)} (more than ${_BROKEN_SHARE * 100}%); fix the metric or its \`bounds\` — its summary is not data, and gates and matchers refuse it`,
    );
  }
  if (table.segments !== undefined) {
    const unsegmented = table.segments.filter((s) => s.length === 0).length;
    if (unsegmented > 0)
      warnings.push(
        `${unsegmented} of ${table.ids.length} rows are in no segment (\`segmentBy\` found no label): they count in the overall metrics only`,
      );
  }
  const mode = config.cacheMode;
  if (
    mode !== undefined &&
    mode !== 'off' &&
    model.offline !== true &&
    table.ids.length > 0 &&
    run.counts.modelCacheable === 0
  )
    warnings.push(
      run.counts.modelCalls === 0
        ? 'a cache is set, but the model made no call through evalgate, so nothing of it was cached and a rerun pays again: wrap its client (wrapOpenAI, wrapAnthropic, wrapAISDKModel) or send its calls through ctx.call'
        : 'a cache is set, but none of the model’s calls carried a cacheable request (uploads, binary bodies and ctx.call without `request` are not cached)',
    );
  for (const w of run.runtime.warnings) warnings.push(w);
  if (run.gate !== undefined) for (const w of run.gate.warnings) warnings.push(w);
  return warnings;
}

/** Assembles the result of `run`, or throws the failure-rate error with it attached. */
export function assembleResult(
  run: Run,
  model: Model,
  metrics: readonly Metric[],
  planned: number | undefined,
): EvalResult {
  const config = run.config;
  const { trials, confidence, resamples, seed, maxFailureRate } = config;
  const table = run.columns.compact();
  // A streamed dataset is only seen row by row: its labels show up here.
  if (config.gate !== undefined && table.labels?.[config.gate.metric]?.some((v) => v !== null))
    refuseCalibratedGate(config.gate.metric);
  const hookRows = new Map([...run.hookRows].map(([k, rows]) => [k, rows.filter((r) => r !== undefined)]));
  const summaries = _summarizeMetrics(metrics, table, {
    confidence,
    resamples,
    seed,
    trials,
    hookRows,
    ...(model.modelName === undefined ? {} : { modelName: model.modelName }),
  });

  const broken = brokenMetrics(run.problems, summaries);
  const segments =
    config.segmentBy === undefined
      ? undefined
      : _summarizeSegments(metrics, table, { confidence, resamples, seed, trials });

  const gate =
    run.gate === undefined
      ? undefined
      : gateResult(run.gate.result(planned, run.counts.done, run.runtime.totals.costUsd), broken.summaries);
  const warnings = resultWarnings(run, model, metrics, table, broken);
  for (const w of _metricWarnings(metrics, hookRows, {
    confidence,
    ...(model.modelName === undefined ? {} : { modelName: model.modelName }),
  }))
    warnings.push(_redactKnownSecrets(w));
  const early = earlyStopWarning(run, metrics, table.ids.length, planned, gate);
  if (early !== undefined) warnings.push(early);

  const totals = run.runtime.totals;
  const result: EvalResult = {
    schemaVersion: SCHEMA_VERSION,
    run: {
      startedAt: run.startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      durationMs: performance.now() - run.t0,
      evalgateVersion: VERSION,
      stoppedBy: run.stoppedBy,
      ...(planned === undefined ? {} : { rowsPlanned: planned }),
    },
    config: {
      ...(model.modelName === undefined ? {} : { model: model.modelName }),
      metrics: metrics.map(recordedMetric),
      concurrency: run.concurrency,
      trials,
      confidence,
      resamples,
      seed,
      maxFailureRate,
      ...(config.given.timeoutMs === undefined ? {} : { timeoutMs: config.given.timeoutMs }),
      ...(config.segmentBy === undefined ? {} : { segmentBy: _describeSegmentBy(config.segmentBy) }),
      ...(config.gate === undefined ? {} : { gate: gateConfig(config.gate) }),
      ...(config.given.shuffled === undefined ? {} : { shuffled: config.given.shuffled }),
    },
    n: table.ids.length,
    nFailed: run.counts.failed,
    metrics: broken.summaries,
    ...(segments === undefined ? {} : { segments }),
    ...(gate === undefined ? {} : { gate }),
    ...(warnings.length === 0 ? {} : { warnings }),
    examples: run.sink.keepsRecords ? run.sink.records() : [],
    ...(config.output === undefined ? {} : { examplesFile: config.output }),
    scores: table,
    totals: {
      requests: totals.requests,
      inputTokens: totals.inputTokens,
      outputTokens: totals.outputTokens,
      costUsd: totals.costUsd,
      cacheHits: totals.cacheHits,
      cacheMisses: totals.cacheMisses,
      retries: totals.retries,
      savedInputTokens: totals.savedInputTokens,
      savedOutputTokens: totals.savedOutputTokens,
      savedCostUsd: totals.savedCostUsd,
      ...(totals.unpricedCalls === undefined ? {} : { unpricedCalls: totals.unpricedCalls }),
      byKind: {
        model: { ...run.rows.kinds.model },
        judge: { ...run.rows.kinds.judge },
        embedding: { ...run.rows.kinds.embedding },
      },
    },
  };
  displayedResult(result); // a notebook cell shows tables, not an object dump
  _notifyRunFinished(result, config.hosts);
  const failureRate = result.n === 0 ? 0 : result.nFailed / result.n;
  if (failureRate > maxFailureRate)
    throw new FailureRateExceededError(
      `${result.nFailed} of ${result.n} rows failed (${(failureRate * 100).toFixed(1)}%), more than maxFailureRate ${maxFailureRate}; ` +
        `the partial result is attached as error.result. First error: ${run.firstError ?? '(see the records)'}`,
      result,
      failureRate,
      maxFailureRate,
    );
  return result;
}
