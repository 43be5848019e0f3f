/**
 * The per-metric summaries of a run: which rows count (failed rows never do; missing scores are counted), how
 * rows are clustered for the bootstrap (trials of one example, examples of one group), the estimate and its
 * interval, and what each metric's `summarize` hook adds.
 * @module
 */
import { _describe } from '../_internal/describe.js';
import type { Metric, MetricRows, MetricRunInfo } from '../core/types.js';
import type { MetricSummary, ScoreTable } from '../result/EvalResult.js';
import { hasGroups, rowCluster } from '../result/rowClusters.js';
import { _calibrate } from './calibrate.js';
import type { _SummaryRow } from './rowRunner.js';
import { _summarizeMetric, _unitCount } from './summarizeMetric.js';

/** Fewer clusters than this and a cluster bootstrap's interval is too narrow to trust. */
export const _MIN_CLUSTERS = 20;

/** Keys a `summarize` hook may not set: they are the summary's own. */
const OWN_KEYS = new Set([
  'kind',
  'mean',
  'ci',
  'stderr',
  'n',
  'nMissing',
  'aggregation',
  'warning',
  'calibrated',
]);

/** What the summaries need besides the table. */
export interface _SummaryInputs {
  readonly confidence: number;
  readonly resamples: number;
  readonly seed: number | string;
  readonly trials: number;
  readonly modelName?: string;
  /** Per summarized metric: the scored rows in table order; absent: no `summarize` hook runs (segments). */
  readonly hookRows?: ReadonlyMap<string, readonly _SummaryRow[]>;
}

/**
 * Fewer scored rows than this in a segment and its bootstrap interval is too narrow to trust: BCa's coverage
 * falls short of its level on small samples (Efron & Tibshirani 1993, ch. 14), and a segment's estimate is
 * often read alone.
 */
export const _MIN_SEGMENT_ROWS = 30;

/**
 * The warning of a grouped run's summary when its interval rests on fewer than {@link _MIN_CLUSTERS} independent
 * units, or `undefined`. The units are the groups and the examples in no group (an example's trials together, a
 * row on its own): two groups beside a hundred ungrouped examples are 102 units, not 2.
 */
function _fewClustersNote(clusters: readonly (string | null)[]): string | undefined {
  const groups = new Set<string>();
  const alone = new Set<string>();
  let rows = 0;
  for (const c of clusters) {
    if (c === null) rows++;
    else if (c.startsWith('group:')) groups.add(c);
    else alone.add(c);
  }
  const examples = alone.size + rows;
  const k = groups.size + examples;
  if (k >= _MIN_CLUSTERS) return undefined;
  const what =
    examples === 0
      ? `${groups.size} groups`
      : `${k} independent units (${groups.size} groups and ${examples} examples in no group)`;
  return `only ${what}: an interval from fewer than ${_MIN_CLUSTERS} clusters is too narrow to trust (\`group\` is for dependent examples, not for slicing results)`;
}

/** Summarizes every metric over the finished rows of `table`. */
export function _summarizeMetrics(
  metrics: readonly Metric[],
  table: ScoreTable,
  inputs: _SummaryInputs,
): Record<string, MetricSummary> {
  // Rows of one example across trials are not independent, nor are examples of one group: such rows are
  // resampled together (cluster bootstrap). Independent rows get a null cluster.
  const byGroup = hasGroups(table);
  const out: Record<string, MetricSummary> = {};
  for (const m of metrics) {
    const { values, stats, clusters, labels, nMissing } = _scoredRows(m, table, inputs.trials);
    const statsCol = m.aggregate ? table.stats?.[m.name] : undefined;
    const labelCol = table.labels?.[m.name];
    let summary = _summarizeMetric(
      m,
      {
        values,
        nMissing,
        ...(statsCol ? { stats } : {}),
        ...(clusters === undefined ? {} : { clusters, examplesClustered: !byGroup }),
      },
      { confidence: inputs.confidence, resamples: inputs.resamples, seed: inputs.seed },
    );
    if (byGroup && clusters !== undefined && values.length > 0) {
      const note = _fewClustersNote(clusters);
      if (note !== undefined) {
        summary = {
          ...summary,
          warning: summary.warning === undefined ? note : `${summary.warning}; ${note}`,
        };
      }
    }
    if (labelCol !== undefined) {
      const calibrated = _calibrate(m, values, labels, {
        ...inputs,
        // Clustered rows (an example's trials, a group's examples) are one unit each, as in compare().
        ...(clusters === undefined ? {} : { clusterOf: clusters }),
      });
      if (calibrated !== undefined) summary = { ...summary, calibrated };
    }
    if (m.summarize !== undefined && inputs.hookRows !== undefined)
      summary = { ...summary, ...hookFields(m, inputs.hookRows, inputs) };
    out[m.name] = summary;
  }
  return out;
}

/** The scored rows of metric `m` in `table` (failed rows never count; a missing score is counted apart). */
function _scoredRows(m: Metric, table: ScoreTable, trials: number) {
  const clustered = trials > 1 || hasGroups(table);
  const col = table.metrics[m.name]!;
  const statsCol = m.aggregate ? table.stats?.[m.name] : undefined;
  const labelCol = table.labels?.[m.name];
  const values: number[] = [];
  const stats: (readonly number[])[] = [];
  const clusters: (string | null)[] = [];
  const labels: (number | null)[] = [];
  let nMissing = 0;
  for (let i = 0; i < col.length; i++) {
    if (table.failed[i]) continue;
    const v = col[i];
    const st = statsCol?.[i];
    if (v === null || v === undefined || (statsCol !== undefined && (st === null || st === undefined))) {
      nMissing++;
      continue;
    }
    values.push(v);
    if (labelCol !== undefined) labels.push(labelCol[i] ?? null);
    if (st) stats.push(st);
    if (clustered) clusters.push(rowCluster(table, i, trials > 1));
  }
  return { values, stats, clusters: clustered ? clusters : undefined, labels, nMissing };
}

/**
 * How many independent units the scored rows of `m` make: clusters (an example's trials, a group) count once, a
 * row on its own counts once. Undefined when no row is clustered (the units are the rows).
 */
function _scoredUnits(m: Metric, table: ScoreTable, trials: number): number | undefined {
  const rows = _scoredRows(m, table, trials);
  return rows.clusters === undefined
    ? undefined
    : _unitCount({ values: rows.values, clusters: rows.clusters });
}

/** The rows of `table` at `rows` (row indices), every column kept aligned. */
function pickRows(table: ScoreTable, rows: readonly number[]): ScoreTable {
  const pick = <T>(a: readonly T[]): T[] => rows.map((r) => a[r] as T);
  const mapValues = <T>(o: Readonly<Record<string, readonly T[]>>) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, pick(v)]));
  return {
    ids: pick(table.ids),
    trials: pick(table.trials),
    groups: pick(table.groups),
    failed: pick(table.failed),
    metrics: mapValues(table.metrics),
    ...(table.stats === undefined ? {} : { stats: mapValues(table.stats) }),
    ...(table.labels === undefined ? {} : { labels: mapValues(table.labels) }),
  };
}

/**
 * Summarizes every metric per segment (`table.segments`): each segment's rows go through
 * {@link _summarizeMetrics}, the code of the overall summary, with the same seed, so a segment's summary is
 * what the whole run's would be had it held only that segment's rows (corpus metrics re-aggregated on them,
 * clusters as overall). `summarize` hooks (judge bias) run on the whole run only. A segment with fewer than
 * {@link _MIN_SEGMENT_ROWS} scored units (rows; an example's trials, or a group, count once) gets a warning. Segments come in label order (UTF-16 code units).
 */
export function _summarizeSegments(
  metrics: readonly Metric[],
  table: ScoreTable,
  inputs: _SummaryInputs,
): Record<string, Record<string, MetricSummary>> {
  const rowsOf = new Map<string, number[]>();
  const labels = table.segments ?? [];
  for (let i = 0; i < labels.length; i++)
    for (const label of labels[i]!) {
      const rows = rowsOf.get(label);
      if (rows === undefined) rowsOf.set(label, [i]);
      else rows.push(i);
    }
  const { hookRows: _hooks, ...rest } = inputs;
  const entries = [...rowsOf.keys()].sort().map((label) => {
    const segment = pickRows(table, rowsOf.get(label)!);
    const summaries = _summarizeMetrics(metrics, segment, rest);
    for (const m of metrics) {
      const summary = summaries[m.name]!;
      // Independent units, not rows: 3 examples sampled 20 times are 3 observations (as the summary's own rule).
      const units = _scoredUnits(m, segment, inputs.trials);
      const count = units ?? summary.n;
      if (summary.n === 0 || count >= _MIN_SEGMENT_ROWS) continue;
      const what =
        units === undefined
          ? `${summary.n} scored examples`
          : `${units} independent scored unit${units === 1 ? '' : 's'} (an example's trials, or a group, count once)`;
      const note = `only ${what} in segment ${JSON.stringify(label)}: an interval from fewer than ${_MIN_SEGMENT_ROWS} is too narrow to trust`;
      summaries[m.name] = {
        ...summary,
        warning: summary.warning === undefined ? note : `${summary.warning}; ${note}`,
      };
    }
    return [label, summaries] as const;
  });
  // fromEntries defines properties, so a label such as "__proto__" is a segment like any other.
  return Object.fromEntries(entries);
}

/** The scored rows of metric `name` as its hooks see them. */
function metricRows(hookRows: ReadonlyMap<string, readonly _SummaryRow[]>, name: string): MetricRows {
  const rows = hookRows.get(name) ?? [];
  return {
    values: rows.map((r) => r.value),
    outputLengths: rows.map((r) => r.outputLength),
    details: rows.map((r) => r.details),
  };
}

function runInfo(inputs: Pick<_SummaryInputs, 'confidence' | 'modelName'>): MetricRunInfo {
  return {
    confidence: inputs.confidence,
    ...(inputs.modelName === undefined ? {} : { modelName: inputs.modelName }),
  };
}

/**
 * What the metrics' `warnings` hooks say about the run, in metric order. A hook that throws, or returns anything but
 * an array of strings, is itself the warning (the result is kept, not lost to it).
 */
export function _metricWarnings(
  metrics: readonly Metric[],
  hookRows: ReadonlyMap<string, readonly _SummaryRow[]>,
  inputs: Pick<_SummaryInputs, 'confidence' | 'modelName'>,
): string[] {
  const out: string[] = [];
  for (const m of metrics) {
    if (m.warnings === undefined) continue;
    let said: unknown;
    try {
      said = m.warnings(metricRows(hookRows, m.name), runInfo(inputs));
    } catch (err) {
      out.push(
        `metric \`${m.name}\`: its warnings() hook threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`,
      );
      continue;
    }
    if (!Array.isArray(said) || !said.every((w) => typeof w === 'string'))
      out.push(
        `metric \`${m.name}\`: its warnings() hook returned ${_describe(said)}, not an array of strings`,
      );
    else out.push(...said);
  }
  return out;
}

function hookFields(
  m: Metric,
  hookRows: ReadonlyMap<string, readonly _SummaryRow[]>,
  inputs: _SummaryInputs,
): Record<string, unknown> {
  const fields = m.summarize!(metricRows(hookRows, m.name), runInfo(inputs));
  for (const k of Object.keys(fields))
    if (OWN_KEYS.has(k))
      throw new TypeError(
        `Metric \`${m.name}\`: its summarize() hook returned \`${k}\`, a field of the summary itself`,
      );
  return fields;
}
