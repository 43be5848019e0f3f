/**
 * A seeded uniform random sample of a run's unlabeled examples, to send to human raters.
 * @module
 */
import seedrandom from 'seedrandom';
import { _describe } from '../_internal/describe.js';
import { _checkInteger, _checkOptions } from '../_internal/validate.js';
import type { EvalResult } from './EvalResult.js';

/** Options of {@link sampleForLabeling}. */
export interface SampleForLabelingOptions {
  /** Seed of the sample (any string or number): the same result and seed give the same ids. @default 0 */
  readonly seed?: string | number;
  /**
   * Only examples without a label for this metric count as unlabeled. @default undefined (examples without
   * any label)
   */
  readonly metric?: string;
}

const SAMPLE_FOR_LABELING_KEYS = Object.keys({ seed: true, metric: true } satisfies Record<
  keyof SampleForLabelingOptions,
  true
>);

/**
 * Picks `k` example ids at random, uniformly and without replacement, among the examples of `result` that have
 * an output and no human label yet: the labeled subset a prediction-powered estimate needs (its validity rests
 * on the labeled rows being a uniform random sample, not the first rows or the easy ones).
 *
 * Algorithm: the candidate ids in the run's row order (each example once, whatever the trials), then a partial
 * Fisher–Yates shuffle driven by seedrandom's Alea generator seeded with `${seed}/labels`. Fewer candidates than
 * `k` returns them all (in shuffled order).
 *
 * @param result - A result from `evaluate()` or `loadResult()`.
 * @param k - How many ids, integer >= 1.
 * @param options - `seed` (default 0), `metric`.
 * @returns A frozen array of example ids.
 * @throws TypeError when `result` has no score table or `metric` is not one of its metrics; RangeError for `k`
 *   that is not an integer >= 1.
 * @example
 * ```ts
 * const ids = sampleForLabeling(result, 100, { seed: 1 }); // => ['q812', 'q77', …] (100 ids, the same every time)
 * ```
 */
export function sampleForLabeling(
  result: EvalResult,
  k: number,
  options: SampleForLabelingOptions = {},
): readonly string[] {
  _checkOptions('sampleForLabeling', options, SAMPLE_FOR_LABELING_KEYS);
  const scores = (result as { scores?: EvalResult['scores'] } | null)?.scores;
  if (scores === undefined || !Array.isArray(scores.ids))
    throw new TypeError(
      `Expected \`result\` to be an evalgate result with a score table, got ${_describe(result)}`,
    );
  _checkInteger('k', k, 1);
  const metric = options.metric;
  if (metric !== undefined && !Object.hasOwn(scores.metrics, metric))
    throw new TypeError(
      `Expected \`metric\` to be one of the result's metrics (${Object.keys(scores.metrics).join(', ')}), got ${_describe(metric)}`,
    );
  const labels = scores.labels ?? {};
  const cols =
    metric === undefined ? Object.values(labels) : labels[metric] === undefined ? [] : [labels[metric]];
  const labeled = new Set<string>();
  const withOutput = new Set<string>();
  for (let i = 0; i < scores.ids.length; i++) {
    const id = scores.ids[i]!;
    if (cols.some((c) => c[i] !== null && c[i] !== undefined)) labeled.add(id);
    if (!scores.failed[i]) withOutput.add(id);
  }
  const pool = [...withOutput].filter((id) => !labeled.has(id));
  const rng = seedrandom.alea(`${String(options.seed ?? 0)}/labels`);
  const m = Math.min(k, pool.length);
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rng() * (pool.length - i));
    const t = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = t;
  }
  return Object.freeze(pool.slice(0, m));
}
