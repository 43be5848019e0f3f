import { redactedDefinition, scoringRuleOf } from '../core/metricDefinition.js';
import type { Metric } from '../core/types.js';

/**
 * How a result records a metric in `config.metrics`: its name, kind, bounds, aggregation and definition (canonical,
 * credential-shaped strings as `***`), and a built-in's scoring rule where it changed (`scoringRule`). compare() refuses two results whose metric of one name differs here, and the
 * paired gate a baseline whose entry differs from the run's own.
 * @module
 */

/** The `config.metrics` entry of `m`, as the result records it. @internal */
export function recordedMetric(m: Metric): Readonly<Record<string, unknown>> {
  const scoringRule = scoringRuleOf(m.definition);
  return {
    name: m.name,
    kind: m.kind,
    ...(m.bounds === undefined ? {} : { bounds: m.bounds }),
    ...(m.aggregation === undefined ? {} : { aggregation: m.aggregation }),
    ...(m.definition === undefined ? {} : { definition: redactedDefinition(m.definition) }),
    ...(scoringRule === undefined ? {} : { scoringRule }),
  };
}
