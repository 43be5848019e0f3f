/**
 * The anytime-valid gate of a run: which rows make up each sampled unit (an example, or a group), the unit's
 * value (the mean of its examples' means; paired: of candidate − baseline), the confidence sequence those
 * values feed in the run's random order, and the decision it reaches.
 * @module
 */
import type { Metric } from '../core/types.js';
import type { EvalResult, GateResult } from '../result/EvalResult.js';
import { createConfidenceSequence, type IncrementalConfidenceSequence } from '../stats/confidenceSequence.js';
import type { GateOptions } from './options.js';
import type { _TableRow } from './scoreTable.js';

/** One sampled unit while its rows run. */
interface _Unit {
  rowsLeft: number;
  /** Example id -> [sum of scores, scored rows]. */
  readonly examples: Map<string, [number, number]>;
}

/** Per-example mean of `metric` over a result's scored rows (its trials averaged). */
function exampleMeans(result: EvalResult, metric: string): Map<string, number> {
  const t = result.scores;
  const col = t.metrics[metric] ?? [];
  const acc = new Map<string, [number, number]>();
  for (let i = 0; i < t.ids.length; i++) {
    const v = col[i];
    if (t.failed[i] || v === null || v === undefined) continue;
    const a = acc.get(t.ids[i]!) ?? [0, 0];
    a[0] += v;
    a[1]++;
    acc.set(t.ids[i]!, a);
  }
  return new Map([...acc].map(([id, [s, k]]) => [id, s / k]));
}

/**
 * Tracks one gate. Units are numbered 0, 1, … in the run's (random) order and pushed into the sequence in that
 * order, not in completion order: a unit that finishes early waits for the ones before it. So the sequence sees
 * the random order whatever the latencies, which is what its guarantee needs (a model slow on hard examples
 * would otherwise feed the easy ones first).
 */
export class _GateTracker {
  readonly metric: string;
  /** Paired gates: the baseline's per-example means; only these examples are run. */
  readonly baseline: ReadonlyMap<string, number> | undefined;
  readonly warnings: string[] = [];
  private readonly spec: GateOptions;
  private readonly bounds: readonly [number, number];
  private readonly confidence: number;
  private cs: IncrementalConfidenceSequence | undefined;
  /**
   * Units of unequal size (indexed groups of different numbers of examples): each unit's examples, the largest
   * count, the factor `scale` that maps the sequence's bounds back to the mean over examples, and the point `center`
   * the units are shrunk towards (see {@link _GateTracker.start}).
   */
  private sized:
    | {
        readonly examples: readonly number[];
        readonly max: number;
        readonly scale: number;
        readonly center: number;
      }
    | undefined;
  private population: number | undefined;
  private order: 'seeded' | 'as-given' = 'seeded';
  private readonly units = new Map<number, _Unit>();
  private readonly rowUnit = new Map<number, number>();
  /** Finished units waiting for their turn: unit -> value (null: nothing scored). */
  private readonly ready = new Map<number, number | null>();
  private next = 0;
  private rowsDone = 0;
  private refusedRows = 0;
  private decision:
    | { decision: 'pass' | 'fail'; n: number; rows: number; lower: number; upper: number }
    | undefined;

  constructor(spec: GateOptions, metric: Metric, confidence: number) {
    this.spec = spec;
    this.metric = metric.name;
    this.confidence = confidence;
    const [lo, hi] = metric.bounds ?? [0, 1];
    if ('baseline' in spec) {
      this.baseline = exampleMeans(spec.baseline, metric.name);
      // A difference of two scores in [lo, hi] lies in [-(hi - lo), hi - lo]; the sequence rescales it to [0, 1].
      this.bounds = [-(hi - lo), hi - lo];
    } else {
      this.baseline = undefined;
      this.bounds = [lo, hi];
    }
  }

  /** Whether the gate has decided (the run should stop). */
  get decided(): boolean {
    return this.decision !== undefined;
  }

  /**
   * Starts the sequence: `population` units when the dataset was indexed (sampling without replacement), and then
   * `examples[u]`, the examples of unit u (in the order the units will be fed).
   *
   * The gate decides on the metric's mean over examples, as the run reports it. When the units hold different
   * numbers of examples (groups of unequal size), the mean of the units' means is another quantity (a group of 30
   * wrong examples and 60 single right ones: 0.25 over examples, 0.97 over units), so each unit's value v (the mean
   * of its examples' means) enters the sequence as x = a + (k / kMax)(v - a), k its examples, kMax the most any unit
   * holds, a the gate's bar (clamped to the bounds): x stays within the bounds, and the population mean of x is
   * a + (mu - a) / s with mu the mean over examples and s = units * kMax / examples, known from the index. The
   * sequence's bounds L, U on that mean are bounds a + s (L - a), a + s (U - a) on mu, valid whenever the
   * sequence's are; with a at the bar, a decision on them is the sequence's own decision on x against the bar.
   * Units of one size take their means as before (x = v, s = 1).
   */
  start(population: number | undefined, order: 'seeded' | 'as-given', examples?: readonly number[]): void {
    this.population = population;
    this.order = order;
    if (examples !== undefined && examples.length > 0 && examples.some((k) => k !== examples[0])) {
      // A loop, not Math.max(...examples): a spread of 130,000 groups overflows the call stack.
      let max = 0;
      let total = 0;
      for (const k of examples) {
        if (k > max) max = k;
        total += k;
      }
      const [lo, hi] = this.bounds;
      const s = this.spec;
      const bar = 'baseline' in s ? -s.margin : 'atLeast' in s ? s.atLeast : s.atMost;
      this.sized = {
        examples,
        max,
        scale: (examples.length * max) / total,
        center: Math.min(hi, Math.max(lo, bar)),
      };
    }
    this.cs = createConfidenceSequence({
      confidence: this.confidence,
      bounds: this.bounds,
      ...(population === undefined ? {} : { population }),
    });
  }

  /** Declares unit `unit` as rows `rows` (before any of them is queued). */
  expectUnit(unit: number, rows: readonly number[]): void {
    this.units.set(unit, { rowsLeft: rows.length, examples: new Map() });
    for (const r of rows) this.rowUnit.set(r, unit);
  }

  /**
   * Takes one finished row; returns true when this row made the gate decide. `refused`: the row's score of the
   * gate's metric lay clearly outside its bounds, or was no number at all (a boolean, a string). While more than 5% of the rows so far are such, the gate
   * does not decide (a broken metric is not evidence); skipping looks keeps the sequence's time-uniform guarantee.
   */
  observe(row: number, r: _TableRow, refused = false): boolean {
    const u = this.rowUnit.get(row);
    if (u === undefined || this.decision !== undefined) return false;
    this.rowUnit.delete(row);
    this.rowsDone++;
    if (refused) this.refusedRows++;
    const unit = this.units.get(u)!;
    const v = r.failed ? null : (r.scores[this.metric] ?? null);
    if (v !== null) {
      const a = unit.examples.get(r.id) ?? [0, 0];
      a[0] += v;
      a[1]++;
      unit.examples.set(r.id, a);
    }
    if (--unit.rowsLeft > 0) return false;
    this.units.delete(u);
    this.ready.set(u, this.unitValue(unit));
    while (this.ready.has(this.next) && this.decision === undefined) {
      const value = this.ready.get(this.next)!;
      const k = this.sized?.examples[this.next];
      this.ready.delete(this.next++);
      if (value !== null) this.push(this.shrunk(value, k));
    }
    return this.decision !== undefined;
  }

  /** The unit's observation: the mean over its examples of the example's mean (paired: minus the baseline's). */
  private unitValue(unit: _Unit): number | null {
    let sum = 0;
    let k = 0;
    for (const [id, [s, c]] of unit.examples) {
      const base = this.baseline === undefined ? 0 : this.baseline.get(id);
      if (base === undefined) continue;
      sum += s / c - base;
      k++;
    }
    if (k === 0) return null;
    // Rounding may carry a mean a hair past the range; the true value cannot be.
    const [lo, hi] = this.bounds;
    return Math.min(hi, Math.max(lo, sum / k));
  }

  /** A unit's value as the sequence takes it: itself, or for units of unequal size shrunk by its size. */
  private shrunk(value: number, examples: number | undefined): number {
    const sized = this.sized;
    if (sized === undefined || examples === undefined || examples === sized.max) return value;
    const { center } = sized;
    return center + (examples / sized.max) * (value - center);
  }

  /** The sequence's bounds on the mean of what it took, as bounds on the mean over examples. */
  private overExamples(b: { lower: number; upper: number }): { lower: number; upper: number } {
    const sized = this.sized;
    if (sized === undefined) return b;
    const { center, scale } = sized;
    const [lo, hi] = this.bounds;
    const at = (x: number) => Math.min(hi, Math.max(lo, center + scale * (x - center)));
    return { lower: at(b.lower), upper: at(b.upper) };
  }

  private push(value: number): void {
    const { lower, upper } = this.overExamples(this.cs!.push(value));
    const s = this.spec;
    let d: 'pass' | 'fail' | undefined;
    if ('baseline' in s) d = lower > -s.margin ? 'pass' : upper < -s.margin ? 'fail' : undefined;
    else if ('atLeast' in s) d = lower >= s.atLeast ? 'pass' : upper < s.atLeast ? 'fail' : undefined;
    else d = upper <= s.atMost ? 'pass' : lower > s.atMost ? 'fail' : undefined;
    if (d !== undefined && this.refusedRows > 0.05 * this.rowsDone) d = undefined;
    if (d !== undefined) this.decision = { decision: d, n: this.cs!.n, rows: this.rowsDone, lower, upper };
  }

  /**
   * The gate's part of the result. `rowsPlanned`: rows the dataset held (null when unknown); `rowsRun`: rows
   * that finished; `costUsd`: the run's bill, from which the skipped rows' cost is estimated.
   */
  result(rowsPlanned: number | undefined, rowsRun: number, costUsd: number): GateResult {
    const s = this.spec;
    const now = this.cs?.current();
    const cur = now === undefined ? { lower: this.bounds[0], upper: this.bounds[1] } : this.overExamples(now);
    const d = this.decision ?? {
      decision: 'undecided' as const,
      n: this.cs?.n ?? 0,
      rows: this.rowsDone,
      lower: cur.lower,
      upper: cur.upper,
    };
    const skipped =
      rowsPlanned === undefined ? null : this.decision === undefined ? 0 : Math.max(0, rowsPlanned - rowsRun);
    return Object.freeze({
      decision: d.decision,
      kind: 'baseline' in s ? ('non-inferiority' as const) : ('threshold' as const),
      metric: this.metric,
      ...('atLeast' in s ? { atLeast: s.atLeast } : {}),
      ...('atMost' in s ? { atMost: s.atMost } : {}),
      ...('baseline' in s ? { margin: s.margin } : {}),
      n: d.n,
      rows: d.rows,
      lower: d.lower,
      upper: d.upper,
      confidence: this.confidence,
      method: 'prpl-eb' as const,
      ...(this.population === undefined ? {} : { population: this.population }),
      order: this.order,
      rowsSkipped: skipped,
      costSavedUsd: skipped === null ? null : rowsRun === 0 ? 0 : (costUsd / rowsRun) * skipped,
    });
  }
}
