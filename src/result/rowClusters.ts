/**
 * Which rows of a score table are one unit of evidence: the one rule a summary, compare() and the matchers
 * cluster rows by (the cluster bootstrap, the tests on cluster means, the few-units rules).
 * @module
 */
import type { ScoreTable } from './EvalResult.js';

/**
 * The cluster of row `i`: its `group`, else, when rows cluster by example (a run with several trials), its example
 * (`example:<id>`: the trials of one example are not independent), else `null` (a row on its own).
 * @example
 * ```ts
 * rowCluster({ groups: [null, 'doc1'], ids: ['q0', 'q1'] }, 0, true); // => 'example:q0'
 * ```
 */
export function rowCluster(
  scores: Pick<ScoreTable, 'groups' | 'ids'>,
  i: number,
  byExample: boolean,
): string | null {
  return scores.groups[i] ?? (byExample ? `example:${scores.ids[i]}` : null);
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
