/**
 * The compact per-row columns a run keeps in memory whatever the dataset's size (scores, sufficient statistics,
 * ids, trials, groups, failures), filled by row index as rows complete in any order, then compacted to the
 * rows that finished.
 * @module
 */
import type { Metric } from '../core/types.js';
import type { ScoreTable } from '../result/EvalResult.js';

/** One finished row, as the table stores it. */
export interface _TableRow {
  readonly id: string;
  readonly trial: number;
  readonly group: string | null;
  readonly failed: boolean;
  /** Score per metric (null: missing or failed). */
  readonly scores: Readonly<Record<string, number | null>>;
  /** Sufficient statistics per corpus metric (null: missing or failed). */
  readonly stats: Readonly<Record<string, readonly number[] | null>>;
  /** Segment labels of the row, when the run has `segmentBy`. */
  readonly segments?: readonly string[];
  /** Human labels of the row's example (`Example.labels`), keyed by metric name. */
  readonly labels?: Readonly<Record<string, number>>;
}

/** Columns filled by row index. */
export class _ScoreColumns {
  private readonly ids: string[] = [];
  private readonly trials: number[] = [];
  private readonly groups: (string | null)[] = [];
  private readonly failed: boolean[] = [];
  private readonly metrics: Record<string, (number | null)[]> = {};
  private readonly stats: Record<string, (readonly number[] | null)[]> = {};
  private readonly segments: (readonly string[])[] = [];
  private segmented = false;
  private readonly labels: Record<string, (number | null)[]> = {};
  private labeled = false;
  private readonly metricNames: ReadonlySet<string>;
  /** Label keys that name no metric of the run, with the first example carrying each. */
  private readonly stray = new Map<string, string>();

  constructor(private readonly metricList: readonly Metric[]) {
    this.metricNames = new Set(metricList.map((m) => m.name));
    for (const m of metricList) {
      this.metrics[m.name] = [];
      if (m.aggregate) this.stats[m.name] = [];
    }
  }

  /** Stores row `row`. */
  set(row: number, r: _TableRow): void {
    this.ids[row] = r.id;
    this.trials[row] = r.trial;
    this.groups[row] = r.group;
    this.failed[row] = r.failed;
    if (r.segments !== undefined) {
      this.segments[row] = r.segments;
      this.segmented = true;
    }
    if (r.labels !== undefined) {
      for (const m of this.metricList) {
        const v = r.labels[m.name];
        if (typeof v !== 'number' || !Number.isFinite(v)) continue;
        this.labels[m.name] ??= [];
        this.labels[m.name]![row] = v;
        this.labeled = true;
      }
      for (const name of Object.keys(r.labels))
        if (!this.metricNames.has(name) && !this.stray.has(name)) this.stray.set(name, r.id);
    }
    for (const m of this.metricList) {
      this.metrics[m.name]![row] = r.scores[m.name] ?? null;
      if (m.aggregate) this.stats[m.name]![row] = r.stats[m.name] ?? null;
    }
  }

  /** Label keys of the rows so far that name no metric of the run (a typo, a metric left out), each with the first
   * example that carries it. */
  strayLabels(): ReadonlyMap<string, string> {
    return this.stray;
  }

  /** The columns of the rows that finished, in row order (rows that never ran, after an abort, leave holes). */
  compact(): ScoreTable {
    const finished: number[] = [];
    for (let r = 0; r < this.ids.length; r++) if (this.ids[r] !== undefined) finished.push(r);
    const pick = <T>(a: T[]): T[] => finished.map((r) => a[r] as T);
    const mapValues = <T>(o: Record<string, T[]>) =>
      Object.fromEntries(Object.entries(o).map(([k, v]) => [k, pick(v)]));
    return {
      ids: pick(this.ids),
      trials: pick(this.trials),
      groups: pick(this.groups),
      failed: pick(this.failed),
      metrics: mapValues(this.metrics),
      ...(Object.keys(this.stats).length > 0 ? { stats: mapValues(this.stats) } : {}),
      ...(this.segmented ? { segments: finished.map((r) => this.segments[r] ?? []) } : {}),
      ...(this.labeled
        ? {
            labels: Object.fromEntries(
              Object.entries(this.labels).map(([k, v]) => [k, finished.map((r) => v[r] ?? null)]),
            ),
          }
        : {}),
    };
  }
}
