import type { CorpusAggregation } from '../core/types.js';
import { _bleuCorpusAggregator } from './bleu.js';
import { _chrfCorpusAggregator } from './chrf.js';

/** Aggregates per-example sufficient statistics (rows) into a corpus-level score, e.g. corpus BLEU. */
export type CorpusAggregator = (stats: readonly (readonly number[])[]) => number;

const KNOWN: Readonly<Record<string, (options: Record<string, unknown>) => CorpusAggregator>> = {
  bleu: (o) => _bleuCorpusAggregator(o),
  chrf: (o) => _chrfCorpusAggregator(o),
};

/**
 * The aggregator a recorded corpus aggregation names (`{ kind: 'corpus', id: 'bleu', options }`), so a saved
 * result re-aggregates its sufficient statistics without being handed a function: `compare()`, the CLI and the
 * reporter use it for `bleu()` and `chrf()`.
 *
 * @param aggregation - As recorded in `result.config.metrics[i].aggregation`.
 * @returns The aggregator, or undefined for an id evalgate does not know (a user's own corpus metric: pass its
 *   function to `compare(…, { aggregators })`).
 * @example
 * ```ts
 * const agg = corpusAggregator({ kind: 'corpus', id: 'bleu', options: {} })!;
 * agg([[7, 7, 7, 6, 5, 4, 7, 6, 5, 4]]); // => 100.00000000000004
 * ```
 */
export function corpusAggregator(aggregation: unknown): CorpusAggregator | undefined {
  const a = aggregation as Partial<CorpusAggregation> | null | undefined;
  if (a?.kind !== 'corpus' || typeof a.id !== 'string') return undefined;
  const make = Object.hasOwn(KNOWN, a.id) ? KNOWN[a.id] : undefined;
  return make === undefined ? undefined : make({ ...(a.options ?? {}) });
}
