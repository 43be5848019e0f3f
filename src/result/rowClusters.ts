/**
 * Which rows of a score table are one unit of evidence: the one rule a summary, compare() and the matchers
 * cluster rows by (the cluster bootstrap, the tests on cluster means, the few-units rules).
 * @module
 */
import type { ScoreTable } from './EvalResult.js';

/**
 * The cluster of row `i`: its `group` (`group:<name>`), else, when rows cluster by example (a run with several
 * trials), its example (`example:<id>`: the trials of one example are not independent), else `null` (a row on its
 * own). The two kinds are named apart so that no group name can be an example's cluster: a group called
 * `example:q0` is not the trials of example q0.
 * @example
 * ```ts
 * rowCluster({ groups: [null, 'doc1'], ids: ['q0', 'q1'] }, 0, true); // => 'example:q0'
 * rowCluster({ groups: [null, 'doc1'], ids: ['q0', 'q1'] }, 1, true); // => 'group:doc1'
 * ```
 */
export function rowCluster(
  scores: Pick<ScoreTable, 'groups' | 'ids'>,
  i: number,
  byExample: boolean,
): string | null {
  const g = scores.groups[i];
  return g != null ? `group:${g}` : byExample ? `example:${scores.ids[i]}` : null;
}

/**
 * The cluster of a paired row (baseline row `bi`, candidate row `ci`; one id): the baseline row's group, else the
 * candidate row's, else with trials (`byExample`) the example, as {@link rowCluster} names them; `null` for a row on
 * its own. compare() and its calibrated difference cluster pairs by it.
 * @example
 * ```ts
 * const base = { groups: [null], ids: ['q0'] };
 * pairCluster(base, 0, { groups: ['doc1'], ids: ['q0'] }, 0, false); // => 'group:doc1'
 * ```
 */
export function pairCluster(
  baseline: Pick<ScoreTable, 'groups' | 'ids'>,
  bi: number,
  candidate: Pick<ScoreTable, 'groups' | 'ids'>,
  ci: number,
  byExample: boolean,
): string | null {
  return baseline.groups[bi] != null
    ? rowCluster(baseline, bi, byExample)
    : rowCluster(candidate, ci, byExample);
}

/**
 * Whether a score table holds rows of a trial other than 0 (its run had `trials > 1`): its rows cluster by example.
 * @example
 * ```ts
 * hasTrials({ trials: [0, 1, 0, 1] }); // => true
 * ```
 */
export function hasTrials(scores: Pick<ScoreTable, 'trials'>): boolean {
  return scores.trials.some((t) => t !== 0);
}

/**
 * Whether a score table holds grouped rows (an example with a `group`): its rows cluster by group.
 * @example
 * ```ts
 * hasGroups({ groups: [null, 'doc1'] }); // => true
 * ```
 */
export function hasGroups(scores: Pick<ScoreTable, 'groups'>): boolean {
  return scores.groups.some((g) => g !== null);
}

/**
 * The units a clustered count is of, in words, for a few-units message: `groups (…; a group's examples are one
 * unit)` or, with trials, `examples (… over their trials; an example's trials are one unit)`; `items` names what the
 * units were made of (`'12 rows'`, `'18 labeled pairs'`).
 * @example
 * ```ts
 * clusteredUnitsText(true, '12 rows'); // => "groups (12 rows; a group's examples are one unit)"
 * ```
 */
export function clusteredUnitsText(grouped: boolean, items: string): string {
  return grouped
    ? `groups (${items}; a group's examples are one unit)`
    : `examples (${items} over their trials; an example's trials are one unit)`;
}

/** The units of a prediction-powered (PPI++) estimate: labeled units (human and judge values) and unlabeled ones. */
export interface CalibrationUnits {
  readonly human: number[];
  readonly judge: number[];
  readonly unlabeled: number[];
  /** The rows each labeled unit stands for (every scored row of its cluster; 1 for a row on its own). */
  readonly labeledRows: number[];
  /** The rows each unlabeled unit stands for. */
  readonly unlabeledRows: number[];
  /** Each labeled unit's cluster (`null` for a row on its own). */
  readonly labeledClusters: (string | null)[];
  /** Each unlabeled unit's cluster (`null` for a row on its own). */
  readonly unlabeledClusters: (string | null)[];
  /** Independent units without a label: rows on their own and clusters with no labeled row. */
  unlabeledUnits: number;
}

/**
 * The units of a calibrated estimate, from scored rows: `judge[i]` the judge's value, `human[i]` the human's or
 * null, `clusterOf[i]` the row's cluster ({@link rowCluster}) or null. A row without a cluster is a unit of its own.
 * A cluster's labeled rows are one labeled unit (the means of their human and judge values) and its unlabeled rows
 * one unlabeled unit (the mean of their judge values); each unit says how many rows it stands for (`labeledRows`,
 * `unlabeledRows`) and which cluster it belongs to (`labeledClusters`, `unlabeledClusters`). Weighted by their rows,
 * the units give the row-level estimate (the labeled rows' mean error, the unlabeled rows' judge mean), a mean over
 * rows as the metric's own mean is; the two units of one cluster are not independent, and the estimate's variance
 * takes them together (ppiMean's `clusters`).
 *
 * Why not one unit per cluster standing for all its rows: labels drawn row by row (sampleForLabeling draws examples
 * uniformly) land in a large cluster far more often than in a small one, so the clusters holding labels are not a
 * uniform sample of clusters, and a labeled unit standing for its whole cluster gives the large clusters' judge
 * error the weight of their size twice over. Two groups of 40 rows the judge gets wrong beside 60 rows it gets
 * right, 40 rows labeled at random: such units put the calibrated mean at 0.0003 where the humans' mean is 0.214
 * (0 of 200 label draws covered it). Labeled rows drawn at random are a uniform sample of rows, which the row-level
 * estimate needs. Rows on their own come first in row order, then clusters in order of first appearance (among
 * the labeled units and among the unlabeled ones).
 * @example
 * ```ts
 * calibrationUnits([1, 0, 1, 0], [1, null, null, 1], ['g', 'g', null, 'h']);
 * // => { human: [1, 1], judge: [1, 0], unlabeled: [1, 0], labeledRows: [1, 1], unlabeledRows: [1, 1],
 * //      labeledClusters: ['g', 'h'], unlabeledClusters: [null, 'g'], unlabeledUnits: 1 }
 * ```
 */
export function calibrationUnits(
  judge: readonly number[],
  human: readonly (number | null)[],
  clusterOf: readonly (string | null)[],
): CalibrationUnits {
  const out: CalibrationUnits = {
    human: [],
    judge: [],
    unlabeled: [],
    labeledRows: [],
    unlabeledRows: [],
    labeledClusters: [],
    unlabeledClusters: [],
    unlabeledUnits: 0,
  };
  const clusters = new Map<
    string,
    { judge: number; human: number; labeled: number; rest: number; unlabeled: number }
  >();
  for (let i = 0; i < judge.length; i++) {
    const h = human[i] ?? null;
    const id = clusterOf[i] ?? null;
    if (id === null) {
      if (h === null) {
        out.unlabeled.push(judge[i]!);
        out.unlabeledRows.push(1);
        out.unlabeledClusters.push(null);
        out.unlabeledUnits++;
      } else {
        out.human.push(h);
        out.judge.push(judge[i]!);
        out.labeledRows.push(1);
        out.labeledClusters.push(null);
      }
      continue;
    }
    let c = clusters.get(id);
    if (c === undefined) {
      c = { judge: 0, human: 0, labeled: 0, rest: 0, unlabeled: 0 };
      clusters.set(id, c);
    }
    if (h === null) {
      c.rest += judge[i]!;
      c.unlabeled++;
    } else {
      c.judge += judge[i]!;
      c.human += h;
      c.labeled++;
    }
  }
  for (const [id, c] of clusters) {
    if (c.labeled > 0) {
      out.human.push(c.human / c.labeled);
      out.judge.push(c.judge / c.labeled);
      out.labeledRows.push(c.labeled);
      out.labeledClusters.push(id);
    }
    if (c.unlabeled > 0) {
      out.unlabeled.push(c.rest / c.unlabeled);
      out.unlabeledRows.push(c.unlabeled);
      out.unlabeledClusters.push(id);
      if (c.labeled === 0) out.unlabeledUnits++;
    }
  }
  return out;
}
